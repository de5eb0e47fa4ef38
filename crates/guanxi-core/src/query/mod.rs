//! Queries: what the CLI and the app ask. Each function takes the store (and, for walks, the
//! in-memory graph) and returns serialisable answers with text already cut into spans.

mod overview;
mod spans;
mod types;

pub mod range;

pub use overview::{communities, date_histogram, overview, overview_range};
pub use range::{path_in_range, search_in_range, show_in_range, stats_in_range, RangeGraph};
pub use spans::cut_spans;
pub use types::*;

use crate::error::{Error, Result};
use crate::graph::{Analysis, KnowledgeGraph};
use crate::pinyin::normalise_query;
use crate::store::{EntityRow, Store};
use crate::vocab::{DateRange, EntityId, EntityKind, RelationKind};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

fn count32(n: i64) -> u32 {
    u32::try_from(n.max(0)).unwrap_or(u32::MAX)
}

impl From<EntityRow> for EntitySummary {
    fn from(row: EntityRow) -> Self {
        EntitySummary {
            id: row.id,
            kind: row.kind,
            name: row.name,
            pinyin: row.pinyin,
            initials: row.initials,
            mentions: count32(row.mentions),
            articles: count32(row.articles),
        }
    }
}

/// Searches entities by 汉字 substring (names and aliases), by tone-less pinyin (`yuanjiawei`,
/// `yuan jia wei`) and by initials (`yjw`). Ranked: exact, then prefix, then contains; then by
/// mentions.
pub fn search(store: &Store, query: &str, limit: usize) -> Result<Vec<SearchHit>> {
    let query = query.trim();
    if query.is_empty() || limit == 0 {
        return Ok(Vec::new());
    }
    let mut hits: HashMap<EntityId, SearchHit> = HashMap::new();
    let mut offer = |row: EntityRow, rank: MatchRank, matched: String| {
        let id = row.id;
        let hit = SearchHit { entity: row.into(), rank, matched };
        match hits.get(&id) {
            Some(existing) if existing.rank <= hit.rank => {}
            _ => {
                hits.insert(id, hit);
            }
        }
    };
    if let Some(key) = normalise_query(query) {
        for (row, matched) in store.entities_by_key_prefix(&key, limit * 4)? {
            let rank = if matched == key { MatchRank::Exact } else { MatchRank::Prefix };
            offer(row, rank, matched);
        }
    }
    let containing = store.entities_containing(query, limit * 4)?;
    // Those the query names exactly, by name or alias: one index seek, not each one's aliases.
    let named: HashSet<EntityId> = if containing.is_empty() {
        HashSet::new()
    } else {
        store.entities_named(query)?.iter().map(|e| e.id).collect()
    };
    for row in containing {
        let rank = if row.name == query {
            MatchRank::Exact
        } else if row.name.starts_with(query) {
            MatchRank::Prefix
        } else if named.contains(&row.id) {
            MatchRank::Exact
        } else {
            MatchRank::Contains
        };
        let matched = row.name.clone();
        offer(row, rank, matched);
    }
    let mut hits: Vec<SearchHit> = hits.into_values().collect();
    rank_hits(&mut hits, limit);
    Ok(hits)
}

/// Orders search hits best first (exact, prefix, contains; then most mentioned; then by name and
/// id, so the order is stable) and keeps the first `limit`.
fn rank_hits(hits: &mut Vec<SearchHit>, limit: usize) {
    hits.sort_by(|a, b| {
        a.rank
            .cmp(&b.rank)
            .then(b.entity.mentions.cmp(&a.entity.mentions))
            .then(a.entity.name.cmp(&b.entity.name))
            .then(a.entity.id.cmp(&b.entity.id))
    });
    hits.truncate(limit);
}

/// The entities a user means by `name`: an id (`#12`), an exact name or alias, else an exact
/// pinyin or initials key. Several when the name is ambiguous (`区委` on two pages).
pub fn find_entities(store: &Store, name: &str) -> Result<Vec<EntityRow>> {
    let name = name.trim();
    if let Some(id) = EntityId::parse_hash(name) {
        return store.entity(id)?.map(|e| vec![e]).ok_or_else(|| Error::UnknownEntity(name.to_string()));
    }
    let exact = store.entities_named(name)?;
    if !exact.is_empty() {
        return Ok(exact);
    }
    if let Some(key) = normalise_query(name) {
        let rows: Vec<EntityRow> =
            store.entities_by_key_prefix(&key, 20)?.into_iter().filter(|(_, k)| *k == key).map(|(e, _)| e).collect();
        if !rows.is_empty() {
            return Ok(rows);
        }
    }
    Err(Error::UnknownEntity(name.to_string()))
}

/// Everything about the entities named `name` (one detail per matching entity).
pub fn show(store: &Store, graph: &KnowledgeGraph, name: &str, max_neighbours: usize) -> Result<Vec<EntityDetail>> {
    find_entities(store, name)?.into_iter().map(|row| detail(store, graph, row, max_neighbours)).collect()
}

/// Everything about one entity by id.
pub fn entity_detail(
    store: &Store,
    graph: &KnowledgeGraph,
    id: EntityId,
    max_neighbours: usize,
) -> Result<EntityDetail> {
    let row = store.entity(id)?.ok_or_else(|| Error::UnknownEntity(id.to_string()))?;
    detail(store, graph, row, max_neighbours)
}

fn detail(store: &Store, graph: &KnowledgeGraph, row: EntityRow, max_neighbours: usize) -> Result<EntityDetail> {
    let id = row.id;
    let page = neighbours(store, id, max_neighbours, 1, &[])?;
    let degree = graph.degree(id) as u32;
    let articles = store
        .articles_of(id, 200)?
        .into_iter()
        .map(|(article, title, source, date, n, copies)| ArticleRef {
            id: count32(article),
            title,
            source,
            date,
            mentions: count32(n),
            copies: count32(copies),
        })
        .collect();
    let (first_date, last_date) = store.entity_dates(&[id], &DateRange::default())?.remove(&id).unzip();
    Ok(EntityDetail {
        first_date,
        last_date,
        aliases: store.aliases(id)?,
        roles: store.roles(id)?,
        more_neighbours: degree.saturating_sub(distinct(&page.0)),
        neighbours: page.0,
        articles,
        entity: row.into(),
    })
}

fn distinct(neighbours: &[Neighbour]) -> u32 {
    neighbours.iter().map(|n| n.entity.id).collect::<BTreeSet<_>>().len() as u32
}

/// Neighbours of an entity over edges of at least `min_weight`, to entities of the given kinds
/// (all when empty), heaviest first, at most `limit`; also returns how many were left out.
pub fn neighbours(
    store: &Store,
    id: EntityId,
    limit: usize,
    min_weight: u32,
    kinds: &[EntityKind],
) -> Result<(Vec<Neighbour>, u32)> {
    let edges = store.edges_of(id, usize::MAX >> 1)?;
    let others: Vec<EntityId> = edges.iter().map(|e| if e.source == id { e.target } else { e.source }).collect();
    let entities: HashMap<EntityId, EntityRow> =
        store.entities_by_ids(&others)?.into_iter().map(|e| (e.id, e)).collect();
    let mut out = Vec::new();
    let mut left_out = BTreeSet::new();
    for (edge, other) in edges.iter().zip(others) {
        let Some(entity) = entities.get(&other) else { continue };
        if edge.weight < i64::from(min_weight) || (!kinds.is_empty() && !kinds.contains(&entity.kind)) {
            continue;
        }
        if out.len() >= limit {
            left_out.insert(other);
            continue;
        }
        out.push(Neighbour {
            entity: entity.clone().into(),
            relation: edge.kind,
            weight: count32(edge.weight),
            outgoing: edge.source == id,
        });
    }
    let listed: BTreeSet<EntityId> = out.iter().map(|n| n.entity.id).collect();
    let more = left_out.iter().filter(|o| !listed.contains(o)).count() as u32;
    Ok((out, more))
}

/// Sentences in which entities named `a` and `b` appear together (or that state a typed relation
/// between them), with article titles; every pair of matching entities is considered.
pub fn evidence(store: &Store, a: &str, b: &str, limit: usize) -> Result<Vec<Evidence>> {
    evidence_in_range(store, a, b, limit, &DateRange::default())
}

/// [`evidence`] from the articles published in `range` only.
pub fn evidence_in_range(store: &Store, a: &str, b: &str, limit: usize, range: &DateRange) -> Result<Vec<Evidence>> {
    let left = find_entities(store, a)?;
    let right = find_entities(store, b)?;
    let mut out = Vec::new();
    for x in &left {
        for y in &right {
            if x.id != y.id {
                out.extend(evidence_in_range_by_id(store, x.id, y.id, limit, range)?);
            }
        }
    }
    out.sort_by_key(|e| (e.article.id, e.sentence_id));
    out.dedup_by_key(|e| e.sentence_id);
    out.truncate(limit);
    Ok(out)
}

/// [`evidence_by_id`] from the articles published in `range` only.
pub fn evidence_in_range_by_id(
    store: &Store,
    a: EntityId,
    b: EntityId,
    limit: usize,
    range: &DateRange,
) -> Result<Vec<Evidence>> {
    if range.is_all() {
        return evidence_by_id(store, a, b, limit);
    }
    let mut all = evidence_by_id(store, a, b, usize::MAX >> 1)?;
    all.retain(|e| range.contains(e.article.date.as_deref()));
    all.truncate(limit);
    Ok(all)
}

/// Evidence sentences for the edges between two entity ids.
pub fn evidence_by_id(store: &Store, a: EntityId, b: EntityId, limit: usize) -> Result<Vec<Evidence>> {
    let rows = store.evidence_between(a, b, limit.saturating_mul(3))?;
    let mut by_sentence: BTreeMap<(i64, i64), (usize, usize, Vec<RelationKind>)> = BTreeMap::new();
    for row in rows {
        by_sentence
            .entry((row.article_id, row.sentence_id))
            .or_insert((row.start, row.end, Vec::new()))
            .2
            .push(row.kind);
    }
    let focus = [a, b];
    let mut articles: HashMap<i64, (crate::store::ArticleRow, Vec<crate::store::MentionRow>)> = HashMap::new();
    let mut out = Vec::new();
    for ((article_id, sentence_id), (start, end, mut relations)) in by_sentence.into_iter().take(limit) {
        if let std::collections::hash_map::Entry::Vacant(slot) = articles.entry(article_id) {
            let Some(article) = store.article(article_id)? else { continue };
            slot.insert((article, store.mentions_in_article(article_id)?));
        }
        let (article, mentions) = &articles[&article_id];
        relations.sort();
        relations.dedup();
        let text = article.body.get(start..end).unwrap_or_default().to_string();
        out.push(Evidence {
            article: ArticleRef {
                id: count32(article.id),
                title: article.title.clone(),
                source: article.source.clone(),
                date: article.meta.date.clone(),
                mentions: 0,
                copies: count32(store.copy_count(article.id)?),
            },
            sentence_id: count32(sentence_id),
            relations,
            spans: cut_spans(&article.body, start, end, mentions, &focus),
            text,
        });
    }
    Ok(out)
}

/// The shortest chain of edges between the entities named `a` and `b`, one sentence per hop.
pub fn path(store: &Store, graph: &KnowledgeGraph, a: &str, b: &str) -> Result<Vec<PathHop>> {
    let chain = shortest_chain(store, graph, a, b)?;
    path_hops(store, &chain)
}

/// The shortest chain in `graph` between any entity named `a` and any named `b` (names may be
/// ambiguous), or [`Error::NoPath`].
fn shortest_chain(store: &Store, graph: &KnowledgeGraph, a: &str, b: &str) -> Result<Vec<EntityId>> {
    let left = find_entities(store, a)?;
    let right = find_entities(store, b)?;
    let mut best: Option<Vec<EntityId>> = None;
    for x in &left {
        for y in &right {
            if let Some(chain) = graph.shortest_path(x.id, y.id) {
                if best.as_ref().is_none_or(|b| chain.len() < b.len()) {
                    best = Some(chain);
                }
            }
        }
    }
    best.ok_or_else(|| Error::NoPath { from: a.to_string(), to: b.to_string() })
}

/// The shortest chain between two entity ids.
pub fn path_by_id(store: &Store, graph: &KnowledgeGraph, a: EntityId, b: EntityId) -> Result<Vec<PathHop>> {
    let chain = graph.shortest_path(a, b).ok_or_else(|| Error::NoPath { from: a.to_string(), to: b.to_string() })?;
    path_hops(store, &chain)
}

fn path_hops(store: &Store, chain: &[EntityId]) -> Result<Vec<PathHop>> {
    let mut hops = Vec::new();
    for pair in chain.windows(2) {
        let (Some(from), Some(to)) = (store.entity(pair[0])?, store.entity(pair[1])?) else { continue };
        let evidence = evidence_by_id(store, from.id, to.id, 1)?.into_iter().next();
        let edges: Vec<_> = store
            .edges_of(from.id, usize::MAX >> 1)?
            .into_iter()
            .filter(|e| e.source == to.id || e.target == to.id)
            .collect();
        let mut relations: Vec<RelationKind> = edges.iter().map(|e| e.kind).collect();
        relations.sort();
        relations.dedup();
        hops.push(PathHop {
            weight: edges.iter().map(|e| count32(e.weight)).max().unwrap_or(0),
            relations,
            evidence,
            from: from.into(),
            to: to.into(),
        });
    }
    Ok(hops)
}

/// A subgraph: the whole graph, or everything within `depth` hops of the seeds, filtered by
/// entity kind and minimum edge weight, capped at `max_nodes` (nearest and heaviest first).
pub fn subgraph(store: &Store, graph: &KnowledgeGraph, request: &SubgraphRequest) -> Result<Subgraph> {
    let (ids, truncated) = select(store, graph, request, || store.all_entities())?;
    let mut sub = induced(store, graph, &ids, request.min_weight)?;
    sub.truncated = truncated;
    Ok(sub)
}

/// [`subgraph`] of the articles published in `range` only: entities mentioned there, weights
/// counted there (the whole graph's rules), degrees in that graph.
pub fn subgraph_in_range(
    store: &Store,
    whole: &Analysis,
    range: &RangeGraph,
    request: &SubgraphRequest,
) -> Result<Subgraph> {
    let entities = range.entities();
    let graph = range.graph();
    let (ids, truncated) = select(store, graph, request, || Ok(entities.clone()))?;
    let wanted: BTreeSet<EntityId> = ids.iter().copied().collect();
    let min_weight = i64::from(request.min_weight.max(1));
    let nodes = entities
        .into_iter()
        .filter(|e| wanted.contains(&e.id))
        .map(|e| graph_node(e, graph, range.analysis(), whole))
        .collect();
    let edges = range
        .edges()
        .iter()
        .copied()
        .filter(|e| e.weight >= min_weight && wanted.contains(&e.source) && wanted.contains(&e.target))
        .map(graph_edge)
        .collect();
    Ok(Subgraph { nodes, edges, truncated })
}

/// The entities a subgraph request takes (and whether the cap cut some): all of `entities()`
/// (most mentioned first when capped), or the seeds' neighbourhood in `graph`.
fn select(
    store: &Store,
    graph: &KnowledgeGraph,
    request: &SubgraphRequest,
    entities: impl Fn() -> Result<Vec<EntityRow>>,
) -> Result<(Vec<EntityId>, bool)> {
    let min_weight = i64::from(request.min_weight.max(1));
    let kind_ok = |kind: EntityKind| request.kinds.is_empty() || request.kinds.contains(&kind);
    let max_nodes = request.max_nodes.max(1) as usize;
    if request.seeds.is_empty() {
        let mut all: Vec<EntityRow> = entities()?.into_iter().filter(|e| kind_ok(e.kind)).collect();
        let truncated = all.len() > max_nodes;
        if truncated {
            all.sort_by(|a, b| b.mentions.cmp(&a.mentions).then(a.id.cmp(&b.id)));
            all.truncate(max_nodes);
        }
        return Ok((all.into_iter().map(|e| e.id).collect(), truncated));
    }
    let mut seeds = Vec::new();
    for seed in &request.seeds {
        seeds.extend(find_entities(store, seed)?.into_iter().map(|e| e.id));
    }
    let kinds: HashMap<EntityId, EntityKind> = if request.kinds.is_empty() {
        HashMap::new()
    } else {
        entities()?.into_iter().map(|e| (e.id, e.kind)).collect()
    };
    let near = graph.neighbourhood(&seeds, request.depth, max_nodes + 1, |e| e.weight >= min_weight);
    let truncated = near.len() > max_nodes;
    let ids: Vec<EntityId> = near
        .into_iter()
        .filter(|id| seeds.contains(id) || kinds.is_empty() || kinds.get(id).is_some_and(|k| kind_ok(*k)))
        .take(max_nodes)
        .collect();
    Ok((ids, truncated))
}

/// A node of a subgraph taken from `graph` (degree), whose importance comes from `ranks` (the
/// same graph's analysis) and community from `whole` (the whole graph's).
fn graph_node(e: EntityRow, graph: &KnowledgeGraph, ranks: &Analysis, whole: &Analysis) -> GraphNode {
    GraphNode {
        id: e.id,
        degree: graph.degree(e.id) as u32,
        rank: ranks.rank(e.id),
        community: whole.community(e.id),
        kind: e.kind,
        label: e.name,
        pinyin: e.pinyin,
        mentions: count32(e.mentions),
        articles: count32(e.articles),
        first_date: None,
        last_date: None,
    }
}

fn graph_edge(e: crate::store::EdgeRow) -> GraphEdge {
    GraphEdge {
        id: format!("{}:{}:{}", e.kind.as_str(), e.source.0, e.target.0),
        source: e.source,
        target: e.target,
        kind: e.kind,
        weight: count32(e.weight),
        first_date: None,
        last_date: None,
    }
}

/// Fills the first and last dates (within `range`) of a subgraph's nodes and edges (exports
/// carry them; the window's views leave them empty, it does not draw them).
pub fn add_dates(store: &Store, sub: &mut Subgraph, range: &DateRange) -> Result<()> {
    let ids: Vec<EntityId> = sub.nodes.iter().map(|n| n.id).collect();
    let nodes = store.entity_dates(&ids, range)?;
    for node in &mut sub.nodes {
        if let Some((first, last)) = nodes.get(&node.id) {
            (node.first_date, node.last_date) = (Some(first.clone()), Some(last.clone()));
        }
    }
    let edges = store.edge_dates(&ids, range)?;
    for edge in &mut sub.edges {
        if let Some((first, last)) = edges.get(&(edge.source, edge.target, edge.kind)) {
            (edge.first_date, edge.last_date) = (Some(first.clone()), Some(last.clone()));
        }
    }
    Ok(())
}

/// The entities `ids` (unknown ids are left out) and the edges of at least `min_weight` among them.
pub fn induced(store: &Store, graph: &KnowledgeGraph, ids: &[EntityId], min_weight: u32) -> Result<Subgraph> {
    let min_weight = i64::from(min_weight.max(1));
    let analysis = graph.analysis();
    let nodes: Vec<GraphNode> =
        store.entities_by_ids(ids)?.into_iter().map(|e| graph_node(e, graph, analysis, analysis)).collect();
    let edges = store.edges_among(ids)?.into_iter().filter(|e| e.weight >= min_weight).map(graph_edge).collect();
    Ok(Subgraph { nodes, edges, truncated: false })
}

/// Adds an entity's heaviest neighbours (at most `limit`, over edges of at least `min_weight`, to
/// entities of `kinds`, all when empty) to the entities already `visible`: the subgraph induced by
/// all of them, and how many neighbours the cap left out.
pub fn expand(store: &Store, graph: &KnowledgeGraph, id: EntityId, request: &ExpandRequest) -> Result<Expansion> {
    let (neighbours, more) = neighbours(store, id, request.limit as usize, request.min_weight, &request.kinds)?;
    let mut ids = request.visible.clone();
    ids.push(id);
    ids.extend(neighbours.iter().map(|n| n.entity.id));
    ids.sort_unstable();
    ids.dedup();
    Ok(Expansion { subgraph: induced(store, graph, &ids, request.min_weight)?, more })
}

/// An article cut into paragraphs of spans, every mention marked; `focus` entities are flagged.
pub fn article(store: &Store, id: u32, focus: &[EntityId]) -> Result<ArticleView> {
    let row = store.article(i64::from(id))?.ok_or(Error::UnknownArticle(id))?;
    let mentions = store.mentions_in_article(row.id)?;
    let mut paragraphs = Vec::new();
    let mut start = 0;
    for line in row.body.split('\n') {
        let end = start + line.len();
        paragraphs.push(cut_spans(&row.body, start, end, &mentions, focus));
        start = end + 1;
    }
    let origin = row.meta;
    let copies: Vec<StoryCopyRef> = store
        .story_copies(row.id)?
        .into_iter()
        .map(|(id, title, source, date, site, url)| StoryCopyRef { id: count32(id), title, source, date, site, url })
        .collect();
    let duplicate_of = store.duplicate_of(row.id)?.map(count32);
    Ok(ArticleView {
        id,
        title: row.title,
        byline: row.byline,
        source: row.source,
        date: origin.date,
        time: origin.time,
        url: origin.url,
        site: origin.site,
        author: origin.author,
        paragraphs,
        duplicate_of,
        copies,
    })
}

/// Characters of context on each side of a `find-text` hit.
const SNIPPET_CHARS: usize = 30;

/// Articles whose title or body contains `text`, published in `range`, newest first, each with
/// up to three snippets around its occurrences.
pub fn find_text(store: &Store, text: &str, range: &DateRange, limit: usize) -> Result<TextSearch> {
    let query = text.trim().to_string();
    let pending = count32(store.unindexed_count()?);
    if query.is_empty() {
        return Ok(TextSearch { query, hits: Vec::new(), total: 0, estimated: false, pending });
    }
    let (found, total) = store.find_text(&query, range, limit)?;
    let hits = found
        .into_iter()
        .map(|article| {
            let positions: Vec<usize> = article.body.match_indices(query.as_str()).map(|(at, _)| at).collect();
            let snippets = positions.iter().take(3).map(|&at| snippet(&article.body, at, query.len())).collect();
            TextHit {
                count: count32(positions.len() as i64),
                snippets,
                article: ArticleRef {
                    id: count32(article.id),
                    title: article.title,
                    source: article.source,
                    date: article.date,
                    mentions: 0,
                    copies: 0,
                },
            }
        })
        .collect();
    Ok(TextSearch { query, hits, total: count32(total.count), estimated: !total.exact, pending })
}

/// The hit at byte `at` (of `len` bytes) with up to [`SNIPPET_CHARS`] characters of its
/// paragraph on each side.
fn snippet(body: &str, at: usize, len: usize) -> Snippet {
    let line_start = body[..at].rfind('\n').map_or(0, |i| i + 1);
    let line_end = body[at + len..].find('\n').map_or(body.len(), |i| at + len + i);
    let before: String = {
        let chars: Vec<char> = body[line_start..at].chars().collect();
        chars[chars.len().saturating_sub(SNIPPET_CHARS)..].iter().collect()
    };
    let after: String = body[at + len..line_end].chars().take(SNIPPET_CHARS).collect();
    Snippet { before, text: body[at..at + len].to_string(), after }
}

/// Counts of everything in the database.
pub fn stats(store: &Store) -> Result<Stats> {
    let row = store.stats()?;
    Ok(Stats {
        files: count32(row.files),
        skipped_files: count32(row.skipped),
        articles: count32(row.articles),
        copied_articles: count32(row.copies),
        sentences: count32(row.sentences),
        mentions: count32(row.mentions),
        entities: row.entities.into_iter().map(|(kind, n)| KindCount { kind, count: count32(n) }).collect(),
        edges: row.edges.into_iter().map(|(kind, n)| RelationCount { kind, count: count32(n) }).collect(),
    })
}
