//! Text output for people; JSON output for scripts.

use guanxi_core::pipeline::{FileOutcome, IngestReport};
use guanxi_core::query::{
    ArticleView, Community, EntityDetail, Evidence, Overview, PathHop, SearchHit, Stats, TextSearch, TextSpan,
};
use guanxi_core::EntityKind;
use serde::Serialize;
use std::io::{self, Write};
use std::path::Path;

/// Pretty JSON and a newline.
pub fn json<T: Serialize + ?Sized>(out: &mut impl Write, value: &T) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)
}

/// One line describing what happened to a file.
pub fn outcome(outcome: &FileOutcome) -> String {
    match outcome {
        FileOutcome::Stored { articles } => format!("stored ({articles} articles)"),
        FileOutcome::Replaced { articles } => format!("changed, replaced ({articles} articles)"),
        FileOutcome::Unchanged => "unchanged".to_string(),
        FileOutcome::Skipped { reason } => format!("skipped: {reason}"),
    }
}

fn kind_zh(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Person => "person 人物",
        EntityKind::Organization => "organization 机构",
        EntityKind::Place => "place 地点",
        EntityKind::Project => "project 项目",
    }
}

pub fn ingest_summary(out: &mut impl Write, db: &Path, report: &IngestReport, stats: &Stats) -> io::Result<()> {
    if report.stored + report.replaced == 0 && report.skipped.is_empty() && report.files > 0 {
        writeln!(out, "nothing changed: all {} files are already in {}", report.unchanged, db.display())?;
    } else {
        writeln!(
            out,
            "{} files: {} stored, {} replaced, {} unchanged, {} skipped{}",
            report.files,
            report.stored,
            report.replaced,
            report.unchanged,
            report.skipped.len(),
            if report.cancelled { " (cancelled)" } else { "" }
        )?;
        writeln!(
            out,
            "added {} articles, {} sentences, {} mentions",
            report.articles, report.sentences, report.mentions
        )?;
    }
    for skipped in &report.skipped {
        writeln!(out, "skipped {}: {}", skipped.path, skipped.reason)?;
    }
    writeln!(out, "database {}:", db.display())?;
    stats_body(out, stats)
}

/// When the two phases of an ingest were done, in seconds from its start.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Phases {
    /// The graph was committed and queryable.
    pub graph_ready: f64,
    /// The full-text index had caught up (`find-text` sees every article).
    pub index_ready: f64,
    /// Articles added to the full-text index.
    pub indexed: u32,
}

pub fn phases(out: &mut impl Write, phases: &Phases) -> io::Result<()> {
    writeln!(
        out,
        "graph ready in {:.1} s; full-text index ready in {:.1} s ({} articles indexed)",
        phases.graph_ready, phases.index_ready, phases.indexed
    )
}

pub fn text_search(out: &mut impl Write, found: &TextSearch) -> io::Result<()> {
    if found.pending > 0 {
        writeln!(out, "(indexing, {} articles to go: some may be missing below)", found.pending)?;
    }
    if found.hits.is_empty() {
        return writeln!(out, "no article contains {:?}", found.query);
    }
    let shown = found.hits.len();
    let many = match (found.total, found.estimated) {
        (1, false) => "1 article contains".to_string(),
        (total, false) => format!("{total} articles contain"),
        (total, true) => format!("about {total} articles contain"),
    };
    let capped = if shown < found.total as usize { format!(" ({shown} shown)") } else { String::new() };
    writeln!(out, "{many} {:?}{capped}", found.query)?;
    for hit in &found.hits {
        let date = hit.article.date.as_deref().unwrap_or("undated");
        writeln!(out, "#{:<6} {date}  {} ({}×)", hit.article.id, hit.article.title, hit.count)?;
        for snippet in &hit.snippets {
            writeln!(out, "    …{}【{}】{}…", snippet.before, snippet.text, snippet.after)?;
        }
    }
    Ok(())
}

pub fn stats(out: &mut impl Write, stats: &Stats) -> io::Result<()> {
    stats_body(out, stats)
}

fn stats_body(out: &mut impl Write, stats: &Stats) -> io::Result<()> {
    writeln!(out, "  files      {:>8}  (skipped {})", stats.files, stats.skipped_files)?;
    if stats.copied_articles > 0 {
        writeln!(
            out,
            "  articles   {:>8}  ({} copies of a story stored before, counted once)",
            stats.articles, stats.copied_articles
        )?;
    } else {
        writeln!(out, "  articles   {:>8}", stats.articles)?;
    }
    writeln!(out, "  sentences  {:>8}", stats.sentences)?;
    writeln!(out, "  mentions   {:>8}", stats.mentions)?;
    let entities: u32 = stats.entities.iter().map(|k| k.count).sum();
    writeln!(out, "  entities   {entities:>8}")?;
    for k in &stats.entities {
        writeln!(out, "    {:<14}{:>8}", k.kind.as_str(), k.count)?;
    }
    let edges: u32 = stats.edges.iter().map(|k| k.count).sum();
    writeln!(out, "  edges      {edges:>8}")?;
    for k in &stats.edges {
        writeln!(out, "    {:<14}{:>8}", k.kind.as_str(), k.count)?;
    }
    Ok(())
}

pub fn search(out: &mut impl Write, query: &str, hits: &[SearchHit]) -> io::Result<()> {
    if hits.is_empty() {
        return writeln!(out, "no entity matches {query:?}");
    }
    for hit in hits {
        let e = &hit.entity;
        writeln!(
            out,
            "#{:<6} {:<12} {:<14} {:<22} {:>4} mentions  ({:?}: {})",
            e.id.0,
            e.name,
            e.kind.as_str(),
            e.pinyin,
            e.mentions,
            hit.rank,
            hit.matched
        )?;
    }
    Ok(())
}

pub fn show(out: &mut impl Write, details: &[EntityDetail]) -> io::Result<()> {
    for (i, d) in details.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        let e = &d.entity;
        writeln!(out, "{} ({}) — {}", e.name, e.id, kind_zh(e.kind))?;
        writeln!(out, "  pinyin    {} ({})", e.pinyin, e.initials)?;
        writeln!(out, "  mentions  {} in {} articles", e.mentions, e.articles)?;
        if let (Some(first), Some(last)) = (&d.first_date, &d.last_date) {
            writeln!(out, "  dates     {first} – {last}")?;
        }
        if !d.aliases.is_empty() {
            writeln!(out, "  aliases   {}", d.aliases.join(", "))?;
        }
        if !d.roles.is_empty() {
            writeln!(out, "  roles     {}", d.roles.join(", "))?;
        }
        writeln!(out, "  neighbours:")?;
        for n in &d.neighbours {
            let arrow = match (n.relation.is_directed(), n.outgoing) {
                (false, _) => "—",
                (true, true) => "→",
                (true, false) => "←",
            };
            writeln!(
                out,
                "    {:>4}  {} {} ({}, {}) [{}]",
                n.weight,
                arrow,
                n.entity.name,
                n.entity.id,
                n.entity.kind.as_str(),
                n.relation.as_str()
            )?;
        }
        if d.more_neighbours > 0 {
            writeln!(out, "    … {} more", d.more_neighbours)?;
        }
        writeln!(out, "  articles:")?;
        for a in &d.articles {
            let copies = match a.copies {
                0 => String::new(),
                1 => ", also in 1 other place".to_string(),
                n => format!(", also in {n} other places"),
            };
            writeln!(out, "    #{:<5} {} ({} mentions{copies}) — {}", a.id, a.title, a.mentions, a.source)?;
        }
    }
    Ok(())
}

fn spans_text(spans: &[TextSpan], colour: bool) -> String {
    let mut text = String::new();
    for span in spans {
        if colour && span.focus {
            text.push_str("\x1b[1;33m");
            text.push_str(&span.text);
            text.push_str("\x1b[0m");
        } else {
            text.push_str(&span.text);
        }
    }
    text
}

pub fn evidence(out: &mut impl Write, a: &str, b: &str, evidence: &[Evidence]) -> io::Result<()> {
    if evidence.is_empty() {
        return writeln!(out, "no sentence mentions both {a} and {b}");
    }
    let colour = io::IsTerminal::is_terminal(&io::stdout());
    writeln!(out, "{} sentences with {a} and {b}:", evidence.len())?;
    for e in evidence {
        writeln!(
            out,
            "《{}》 (article #{}, {})",
            e.article.title,
            e.article.id,
            e.relations.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(", ")
        )?;
        writeln!(out, "  {}", spans_text(&e.spans, colour))?;
    }
    Ok(())
}

pub fn path(out: &mut impl Write, hops: &[PathHop]) -> io::Result<()> {
    let Some(first) = hops.first() else {
        return writeln!(out, "the two names are the same entity");
    };
    let mut chain = vec![first.from.name.clone()];
    chain.extend(hops.iter().map(|h| h.to.name.clone()));
    writeln!(out, "{} ({} hops)", chain.join(" — "), hops.len())?;
    for hop in hops {
        let relations = hop.relations.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(", ");
        writeln!(out, "{} — {} [{}, weight {}]", hop.from.name, hop.to.name, relations, hop.weight)?;
        if let Some(e) = &hop.evidence {
            writeln!(out, "  《{}》 {}", e.article.title, e.text)?;
        }
    }
    Ok(())
}

pub fn article(out: &mut impl Write, article: &ArticleView) -> io::Result<()> {
    writeln!(out, "# {} (article #{}, {})", article.title, article.id, article.source)?;
    let when = [article.date.as_deref(), article.time.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" ");
    let origin: Vec<&str> =
        [Some(when.as_str()).filter(|w| !w.is_empty()), article.site.as_deref(), article.author.as_deref()]
            .into_iter()
            .flatten()
            .collect();
    if !origin.is_empty() {
        writeln!(out, "{}", origin.join(" · "))?;
    }
    if let Some(url) = &article.url {
        writeln!(out, "{url}")?;
    }
    if let Some(original) = article.duplicate_of {
        writeln!(out, "(the same story as article #{original}, where its mentions are counted)")?;
    }
    if !article.copies.is_empty() {
        writeln!(out, "Also appeared in:")?;
        for copy in &article.copies {
            let place = copy.site.as_deref().or(copy.url.as_deref()).unwrap_or(&copy.source);
            let date = copy.date.as_deref().map(|d| format!(" {d}")).unwrap_or_default();
            writeln!(out, "  #{:<5} {}{date} — {place}", copy.id, copy.title)?;
        }
    }
    for paragraph in article.paragraphs.iter().skip(1) {
        let mut line = String::new();
        for span in paragraph {
            if span.entity_id.is_some() {
                line.push('【');
                line.push_str(&span.text);
                line.push('】');
            } else {
                line.push_str(&span.text);
            }
        }
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// Byte-offset entities to `[start, end, kind, surface]` with code-point offsets.
pub fn code_point_entities(text: &str, entities: &[(usize, usize, EntityKind, String)]) -> Vec<serde_json::Value> {
    let to_cp = |byte: usize| text[..byte.min(text.len())].chars().count();
    entities
        .iter()
        .map(|(start, end, kind, surface)| serde_json::json!([to_cp(*start), to_cp(*end), kind.as_str(), surface]))
        .collect()
}

/// The corrections list: id, when, who, what; the user dictionary's lines after.
pub fn corrections(out: &mut impl Write, records: &[guanxi_core::correct::CorrectionRecord]) -> io::Result<()> {
    if records.is_empty() {
        return writeln!(out, "no corrections");
    }
    for r in records {
        match r.id {
            Some(id) => {
                writeln!(out, "{id:>4}  {}  {:<12} {}", r.made_at.as_deref().unwrap_or(""), r.author, r.summary)?
            }
            None => writeln!(out, "   -  {}  {}", r.origin, r.summary)?,
        }
    }
    Ok(())
}

// ---- overview (issue 15) ----

/// The overview: entities by importance, backbone edges, the communities shown.
pub fn overview(out: &mut impl Write, overview: &Overview) -> io::Result<()> {
    writeln!(out, "{} most important of {} entities (weighted PageRank):", overview.nodes.len(), overview.total)?;
    writeln!(
        out,
        "  {:>4}  {:>8}  {:>4}  {:<13} {:>8} {:>8} {:>6}  dates",
        "#", "rank", "comm", "kind", "mentions", "articles", "degree"
    )?;
    let names: std::collections::HashMap<_, _> = overview.nodes.iter().map(|n| (n.id, n.label.as_str())).collect();
    for (i, n) in overview.nodes.iter().enumerate() {
        let dates = match (&n.first_date, &n.last_date) {
            (Some(first), Some(last)) => format!("{first} – {last}"),
            _ => String::new(),
        };
        writeln!(
            out,
            "  {:>4}  {:>8.5}  {:>4}  {:<13} {:>8} {:>8} {:>6}  {}  {}",
            i + 1,
            n.rank,
            n.community,
            n.kind.as_str(),
            n.mentions,
            n.articles,
            n.degree,
            dates,
            n.label
        )?;
    }
    writeln!(out, "backbone ({} edges):", overview.edges.len())?;
    for e in &overview.edges {
        let name = |id| names.get(&id).copied().unwrap_or("?");
        writeln!(out, "  {:>4}  {} — {} [{}]", e.weight, name(e.source), name(e.target), e.kind.as_str())?;
    }
    writeln!(out, "communities:")?;
    for c in &overview.communities {
        writeln!(out, "  {:>4}  {} ({} members)", c.id, c.name, c.size)?;
    }
    if !overview.articles.is_empty() {
        writeln!(out, "top articles:")?;
        for a in &overview.articles {
            writeln!(
                out,
                "    #{:<5} {} ({} mentions) — {}",
                a.id,
                a.title,
                a.mentions,
                a.date.as_deref().unwrap_or("undated")
            )?;
        }
    }
    Ok(())
}

/// Communities with their members by rank.
pub fn communities(out: &mut impl Write, communities: &[Community]) -> io::Result<()> {
    for c in communities {
        writeln!(out, "{:>4}  {} ({} members)", c.id, c.name, c.size)?;
        for m in &c.members {
            writeln!(out, "        {:.5}  {} ({}, {})", m.rank, m.label, m.id, m.kind.as_str())?;
        }
    }
    Ok(())
}
