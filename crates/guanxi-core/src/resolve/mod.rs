//! Resolution: surfaces become entities (see ARCHITECTURE.md, "What the graph means").
//!
//! - `以下简称“华电江门公司”` makes the short name an alias of the organization before it;
//! - bare district-level names (`区委`, `区信访局`, `团区委`) are qualified by the page's district
//!   (the district the page names most), so the 蓬江 and 江海 pages never share `区委`; without a
//!   district they are dropped rather than merged;
//! - short forms become their place (`江海` → `江海区` when the page or the gazetteer has it) and an
//!   organization's abbreviation becomes the full name written in the same article (`芯联电`);
//! - typed relations: `located_in` for organizations named after a place and for places written
//!   one inside the other (`外海街道东升村`), `holds_role_in` for a title written between an
//!   organization and a person (`石冲社区党委书记吴卓锦`, `区委书记袁加伟`).

pub mod corrections;

pub use corrections::Corrections;

use crate::ingest::Article;
use crate::recognise::{Lexicon, Mention};
use crate::vocab::{is_cjk, EntityKind, RelationKind};
use std::collections::{BTreeSet, HashMap};

/// An entity as resolved on one page; the store merges equal (kind, name) across pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageEntity {
    /// What it is.
    pub kind: EntityKind,
    /// Canonical name (`江海区委`, `华电福新江门能源有限公司`).
    pub name: String,
    /// Other surfaces written for it on this page (`区委`, `华电江门公司`).
    pub aliases: BTreeSet<String>,
    /// Titles written before it (people only).
    pub roles: BTreeSet<String>,
}

/// A mention pointing at its entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedMention {
    /// Index of the article in the page.
    pub article: usize,
    /// Index of the sentence in the article.
    pub sentence: usize,
    /// Byte range in the article text.
    pub start: usize,
    /// End of the byte range.
    pub end: usize,
    /// The text as written.
    pub surface: String,
    /// Index into [`ResolvedPage::entities`].
    pub entity: usize,
}

/// One piece of evidence for an edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Relation {
    /// The kind of edge.
    pub kind: RelationKind,
    /// Index of the source entity (for co_occurs, the smaller index).
    pub from: usize,
    /// Index of the target entity.
    pub to: usize,
    /// The article of the evidence sentence.
    pub article: usize,
    /// The evidence sentence.
    pub sentence: usize,
}

/// Everything one page contributes to the graph.
#[derive(Debug, Clone, Default)]
pub struct ResolvedPage {
    /// Entities, in first-mention order.
    pub entities: Vec<PageEntity>,
    /// Mentions, by article and position.
    pub mentions: Vec<ResolvedMention>,
    /// Edge evidence, sorted and de-duplicated.
    pub relations: Vec<Relation>,
    /// The district used to qualify bare names, if the page has one.
    pub district: Option<String>,
}

/// Organization names that are a district body when written without the district.
const DISTRICT_PREFIX: &str = "区";

/// Resolves one page's mentions into entities and relations.
pub fn resolve_page(articles: &[Article], mentions: &[Vec<Mention>], lexicon: &Lexicon) -> ResolvedPage {
    let district = page_district(articles, mentions, lexicon);
    let mut builder =
        Builder { page: ResolvedPage { district: district.clone(), ..Default::default() }, index: HashMap::new() };

    // Names are looked up once per mention: each list holds a name once, not once per mention
    // (a page of one name a million times was quadratic).
    let project_names: Vec<String> = mentions
        .iter()
        .flatten()
        .filter(|m| m.kind == EntityKind::Project)
        .map(|m| m.surface.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let page_places: BTreeSet<&str> =
        mentions.iter().flatten().filter(|m| m.kind == EntityKind::Place).map(|m| m.surface.as_str()).collect();
    for (a, (article, article_mentions)) in articles.iter().zip(mentions).enumerate() {
        let mut article_mentions = article_mentions.clone();
        let mut aliases = abbreviation_aliases(article, &article_mentions);
        for (alias, name) in spelling_aliases(article, &article_mentions) {
            aliases.entry(alias).or_insert((name, EntityKind::Person));
        }
        add_alias_mentions(article, &aliases, &mut article_mentions);
        let org_names: Vec<String> = article_mentions
            .iter()
            .filter(|m| m.kind == EntityKind::Organization && m.surface.chars().count() >= 6)
            .map(|m| m.surface.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();

        let mut resolved_here: Vec<(usize, &Mention)> = Vec::new();
        for mention in &article_mentions {
            let Some(name) =
                canonical(mention, district.as_deref(), &aliases, &org_names, &project_names, &page_places, lexicon)
            else {
                continue;
            };
            let entity = builder.entity(mention.kind, &name);
            if mention.surface != name {
                builder.page.entities[entity].aliases.insert(mention.surface.clone());
            }
            if let Some(role) = &mention.role {
                builder.page.entities[entity].roles.insert(role.clone());
            }
            builder.page.mentions.push(ResolvedMention {
                article: a,
                sentence: mention.sentence,
                start: mention.start,
                end: mention.end,
                surface: mention.surface.clone(),
                entity,
            });
            resolved_here.push((entity, mention));
        }
        builder.nested_places(a, &resolved_here, lexicon, district.as_deref());
        builder.roles(a, article, &resolved_here, district.as_deref());
    }
    builder.co_occurrences();
    let mut page = builder.page;
    page.mentions.sort_by_key(|m| (m.article, m.start, m.end));
    page.mentions.dedup_by_key(|m| (m.article, m.start, m.end, m.entity));
    page.relations.sort();
    page.relations.dedup();
    page
}

struct Builder {
    page: ResolvedPage,
    index: HashMap<(EntityKind, String), usize>,
}

impl Builder {
    fn entity(&mut self, kind: EntityKind, name: &str) -> usize {
        if let Some(&i) = self.index.get(&(kind, name.to_string())) {
            return i;
        }
        let i = self.page.entities.len();
        self.page.entities.push(PageEntity {
            kind,
            name: name.to_string(),
            aliases: BTreeSet::new(),
            roles: BTreeSet::new(),
        });
        self.index.insert((kind, name.to_string()), i);
        i
    }

    fn relate(&mut self, kind: RelationKind, from: usize, to: usize, article: usize, sentence: usize) {
        if from == to {
            return;
        }
        let (from, to) = if kind.is_directed() { (from, to) } else { (from.min(to), from.max(to)) };
        self.page.relations.push(Relation { kind, from, to, article, sentence });
    }

    /// `located_in`: places inside organization and place names, qualified district bodies, and
    /// places written one after the other (外海街道东升村).
    fn nested_places(&mut self, a: usize, here: &[(usize, &Mention)], lexicon: &Lexicon, district: Option<&str>) {
        let known_places: Vec<String> =
            self.page.entities.iter().filter(|e| e.kind == EntityKind::Place).map(|e| e.name.clone()).collect();
        for &(entity, mention) in here {
            let name = self.page.entities[entity].name.clone();
            let kind = self.page.entities[entity].kind;
            if kind == EntityKind::Person {
                continue;
            }
            // The longest known place the name starts with (江海区委 → 江海区).
            let container = name
                .char_indices()
                .map(|(i, _)| &name[..i])
                .filter(|prefix| {
                    !prefix.is_empty() && (lexicon.places.contains(*prefix) || known_places.iter().any(|p| p == prefix))
                })
                .max_by_key(|p| p.len())
                .map(str::to_string);
            if let Some(place) = container {
                let outer = self.entity(EntityKind::Place, &place);
                self.relate(RelationKind::LocatedIn, entity, outer, a, mention.sentence);
                // The place is written inside the name: it is a mention too.
                if mention.surface.starts_with(place.as_str()) {
                    self.page.mentions.push(ResolvedMention {
                        article: a,
                        sentence: mention.sentence,
                        start: mention.start,
                        end: mention.start + place.len(),
                        surface: place.clone(),
                        entity: outer,
                    });
                }
            } else if mention.surface.starts_with(DISTRICT_PREFIX) || mention.surface.starts_with("团区") {
                if let Some(district) = district {
                    let outer = self.entity(EntityKind::Place, district);
                    self.relate(RelationKind::LocatedIn, entity, outer, a, mention.sentence);
                }
            }
        }
        // Adjacent places: the first contains the second.
        for pair in here.windows(2) {
            let (outer, first) = pair[0];
            let (inner, second) = pair[1];
            if first.end == second.start
                && first.sentence == second.sentence
                && self.page.entities[outer].kind == EntityKind::Place
                && matches!(self.page.entities[inner].kind, EntityKind::Place | EntityKind::Organization)
            {
                self.relate(RelationKind::LocatedIn, inner, outer, a, first.sentence);
            }
        }
    }

    /// `holds_role_in`: `ORG 党委书记、董事长 PERSON` and `区委书记 PERSON`.
    fn roles(&mut self, a: usize, article: &Article, here: &[(usize, &Mention)], district: Option<&str>) {
        // Each sentence's mentions, in order: searching all earlier mentions of the article for
        // one in the same sentence made an article of a million mentions quadratic.
        let mut by_sentence: HashMap<usize, Vec<usize>> = HashMap::new();
        for (i, &(_, mention)) in here.iter().enumerate() {
            by_sentence.entry(mention.sentence).or_default().push(i);
        }
        for (i, &(person, mention)) in here.iter().enumerate() {
            if self.page.entities[person].kind != EntityKind::Person || mention.role.is_none() {
                continue;
            }
            let role = mention.role.clone().unwrap_or_default();
            // An organization or place right before the title chain.
            let before = by_sentence[&mention.sentence]
                .iter()
                .rev()
                .filter(|&&j| j < i)
                .map(|&j| &here[j])
                .find(|(_, m)| m.end <= mention.start);
            if let Some(&(org, org_mention)) = before {
                let gap = &article.text[org_mention.end..mention.start];
                let gap_ok =
                    gap.chars().count() <= 16 && gap.chars().all(|c| c == '、' || is_cjk(c)) && !gap.is_empty();
                if gap_ok && matches!(self.page.entities[org].kind, EntityKind::Organization | EntityKind::Place) {
                    self.relate(RelationKind::HoldsRoleIn, person, org, a, mention.sentence);
                    continue;
                }
            }
            // A title that names its body: 区委书记 → the district's 区委.
            for body in ["区委", "区政府", "区人大", "区政协", "区纪委"] {
                if role.starts_with(body) && role.len() > body.len() {
                    if let Some(district) = district {
                        let name = format!("{district}{}", &body[DISTRICT_PREFIX.len()..]);
                        let org = self.entity(EntityKind::Organization, &name);
                        self.page.entities[org].aliases.insert(body.to_string());
                        self.relate(RelationKind::HoldsRoleIn, person, org, a, mention.sentence);
                        // The district's party secretary holds a role in the district itself, and
                        // its 区委 lies in it.
                        let place = self.entity(EntityKind::Place, district);
                        self.relate(RelationKind::HoldsRoleIn, person, place, a, mention.sentence);
                        self.relate(RelationKind::LocatedIn, org, place, a, mention.sentence);
                        // `区委` is written inside the title: it is a mention of the body.
                        let title_start = mention.start.checked_sub(role.len());
                        if let Some(start) =
                            title_start.filter(|&s| article.text.get(s..mention.start) == Some(role.as_str()))
                        {
                            self.page.mentions.push(ResolvedMention {
                                article: a,
                                sentence: mention.sentence,
                                start,
                                end: start + body.len(),
                                surface: body.to_string(),
                                entity: org,
                            });
                        }
                    }
                    break;
                }
            }
        }
    }

    /// `co_occurs`: the pairs of entities one sentence links (see [`co_occurs_pairs`]).
    fn co_occurrences(&mut self) {
        let mut by_sentence: HashMap<(usize, usize), Vec<SentenceMention<'_, usize>>> = HashMap::new();
        for mention in &self.page.mentions {
            let entity = &self.page.entities[mention.entity];
            by_sentence.entry((mention.article, mention.sentence)).or_default().push(SentenceMention {
                start: mention.start,
                end: mention.end,
                kind: entity.kind,
                name: &entity.name,
                key: mention.entity,
            });
        }
        let mut sentences: Vec<_> = by_sentence.into_iter().collect();
        sentences.sort_by_key(|(key, _)| *key);
        let relations: Vec<Relation> = sentences
            .into_iter()
            .flat_map(|((article, sentence), mentions)| {
                co_occurs_pairs(mentions).into_iter().map(move |(from, to)| Relation {
                    kind: RelationKind::CoOccurs,
                    from,
                    to,
                    article,
                    sentence,
                })
            })
            .collect();
        self.page.relations.extend(relations);
    }
}

/// A sentence with more distinct entities than this is a list (a roster, the attendees of a
/// meeting, a menu that slipped through): naming people together is not relating every pair.
pub const LIST_SENTENCE_ENTITIES: usize = 12;

/// In a list sentence, each entity is linked to this many entities before and after it (in the
/// order the sentence names them): edges grow linearly with the list, not as n²/2.
pub const LIST_WINDOW: usize = 2;

/// One mention in a sentence, as [`co_occurs_pairs`] needs it; `key` is the caller's entity key
/// (an index on a page, a row id in the store).
#[derive(Debug, Clone, Copy)]
pub struct SentenceMention<'a, K> {
    /// Byte offset where the mention starts.
    pub start: usize,
    /// Byte offset where it ends.
    pub end: usize,
    /// The entity's kind.
    pub kind: EntityKind,
    /// The entity's canonical name.
    pub name: &'a str,
    /// The entity.
    pub key: K,
}

/// The `co_occurs` pairs of one sentence, each as (smaller key, larger key), sorted: every pair of
/// distinct entities, except in a list sentence (more than [`LIST_SENTENCE_ENTITIES`] entities),
/// where each entity is linked only to the [`LIST_WINDOW`] entities named before and after it.
/// Entities are ordered by their first mention (start, longer first, then kind and name), so the
/// resolver, the store (when it removes a file) and evidence queries all agree on the pairs.
pub fn co_occurs_pairs<K: Copy + Ord>(mut mentions: Vec<SentenceMention<'_, K>>) -> Vec<(K, K)> {
    mentions.sort_by(|a, b| {
        a.start.cmp(&b.start).then(b.end.cmp(&a.end)).then(a.kind.cmp(&b.kind)).then(a.name.cmp(b.name))
    });
    let mut seen = BTreeSet::new();
    let ordered: Vec<K> = mentions.iter().map(|m| m.key).filter(|key| seen.insert(*key)).collect();
    let window = if ordered.len() > LIST_SENTENCE_ENTITIES { LIST_WINDOW } else { ordered.len() };
    let mut pairs = Vec::new();
    for (i, &x) in ordered.iter().enumerate() {
        for &y in ordered.iter().skip(i + 1).take(window) {
            pairs.push((x.min(y), x.max(y)));
        }
    }
    pairs.sort_unstable();
    pairs
}

/// Whether a name already ends like a full organization name (委员会, 公司…): then it is not an
/// abbreviation of a longer name containing it (九三学社江门市委员会 ≠ its 志愿者服务队).
fn has_org_suffix(name: &str) -> bool {
    ["委员会", "公司", "集团", "局", "委", "中心", "学社", "院", "会", "队", "部", "办", "所", "站", "社"]
        .iter()
        .any(|s| name.ends_with(s))
}

/// The district a page is about: the `XX区` whose short form the page writes most often.
fn page_district(articles: &[Article], mentions: &[Vec<Mention>], lexicon: &Lexicon) -> Option<String> {
    let mut candidates: BTreeSet<String> = BTreeSet::new();
    for mention in mentions.iter().flatten() {
        if mention.kind != EntityKind::Place {
            continue;
        }
        let full = if mention.surface.ends_with('区') {
            mention.surface.clone()
        } else if let Some(full) = lexicon.place_short_forms.get(&mention.surface).filter(|f| f.ends_with('区')) {
            full.clone()
        } else {
            continue;
        };
        if full.chars().count() >= 3 && !full.ends_with("自治区") {
            candidates.insert(full);
        }
    }
    let mut best: Option<(usize, String)> = None;
    for candidate in candidates {
        let short = &candidate[..candidate.len() - DISTRICT_PREFIX.len()];
        let count: usize = articles.iter().map(|a| a.text.matches(short).count()).sum();
        match &best {
            Some((n, _)) if *n >= count => {}
            _ => best = Some((count, candidate)),
        }
    }
    best.map(|(_, d)| d)
}

/// `(以下简称“华电江门公司”)` after an organization: short name → full name.
fn abbreviation_aliases(article: &Article, mentions: &[Mention]) -> HashMap<String, (String, EntityKind)> {
    let mut aliases = HashMap::new();
    // The first non-person mention ending at each offset (one lookup per marker, not a scan).
    let mut ending_at: HashMap<usize, &Mention> = HashMap::new();
    for m in mentions.iter().filter(|m| m.kind != EntityKind::Person) {
        ending_at.entry(m.end).or_insert(m);
    }
    for marker in ["以下简称", "下称", "简称"] {
        for (at, _) in article.text.match_indices(marker) {
            let after = &article.text[at + marker.len()..];
            let after = after.trim_start_matches(['“', '"', '「', '‘', ':', '：']);
            let Some(end) = after.find(['”', '"', '」', '’', ')', '）', ',', '，']) else { continue };
            let alias = after[..end].trim();
            if alias.is_empty() || alias.chars().count() > 12 {
                continue;
            }
            // The mention ending right before the opening bracket.
            let open = article.text[..at].trim_end_matches(['(', '（', ',', '，']).len();
            if let Some(full) = ending_at.get(&open) {
                aliases.entry(alias.to_string()).or_insert((full.surface.clone(), full.kind));
            }
        }
    }
    aliases
}

/// A person's name in Latin letters beside the Chinese one: `斯蒂芬·加勒特（stephengarrett）` or
/// the handle `Sky(李晓峰)`: Latin spelling → the Chinese name (one person in the graph, found by
/// either).
fn spelling_aliases(article: &Article, mentions: &[Mention]) -> Vec<(String, String)> {
    let people: Vec<&Mention> = mentions.iter().filter(|m| m.kind == EntityKind::Person).collect();
    let is_latin =
        |m: &Mention| m.surface.chars().all(|c| !is_cjk(c)) && m.surface.chars().any(|c| c.is_ascii_alphabetic());
    let mut aliases = Vec::new();
    for pair in people.windows(2) {
        let (first, second) = (pair[0], pair[1]);
        let between = &article.text[first.end.min(second.start)..second.start];
        let closed = article.text[second.end..].starts_with(['）', ')']);
        if !matches!(between, "（" | "(") || !closed {
            continue;
        }
        match (is_latin(first), is_latin(second)) {
            (false, true) => aliases.push((second.surface.clone(), first.surface.clone())),
            (true, false) => aliases.push((first.surface.clone(), second.surface.clone())),
            _ => {}
        }
    }
    aliases
}

/// Adds mentions for every occurrence of an alias the recogniser missed.
fn add_alias_mentions(article: &Article, aliases: &HashMap<String, (String, EntityKind)>, mentions: &mut Vec<Mention>) {
    for (alias, (_, kind)) in aliases {
        for (index, sentence) in article.sentences.iter().enumerate() {
            let text = &article.text[sentence.start..sentence.end];
            for (at, _) in text.match_indices(alias.as_str()) {
                let start = sentence.start + at;
                let end = start + alias.len();
                if let Some(existing) = mentions.iter_mut().find(|m| m.start < end && start < m.end) {
                    if existing.start >= start && existing.end <= end {
                        existing.start = start;
                        existing.end = end;
                        existing.kind = *kind;
                        existing.surface = alias.clone();
                    }
                    continue;
                }
                mentions.push(Mention { sentence: index, start, end, kind: *kind, surface: alias.clone(), role: None });
            }
        }
    }
    mentions.sort_by_key(|m| (m.start, m.end));
}

/// The canonical name of a mention, or `None` when it cannot be resolved safely.
fn canonical(
    mention: &Mention,
    district: Option<&str>,
    aliases: &HashMap<String, (String, EntityKind)>,
    org_names: &[String],
    project_names: &[String],
    page_places: &BTreeSet<&str>,
    lexicon: &Lexicon,
) -> Option<String> {
    let surface = mention.surface.as_str();
    if let Some((full, _)) = aliases.get(surface) {
        return Some(full.clone());
    }
    let name = match mention.kind {
        EntityKind::Organization => {
            if let Some(rest) = surface.strip_prefix("团区") {
                format!("团{}{rest}", district?)
            } else if let Some(rest) = surface.strip_prefix(DISTRICT_PREFIX) {
                format!("{}{rest}", district?)
            } else if let Some(full) = page_places.iter().find_map(|place| {
                // 蓬江防疫专班 on a page that has 蓬江区: 蓬江区防疫专班.
                let short = crate::recognise::short_form(place)?;
                let rest = surface.strip_prefix(short)?;
                (!rest.is_empty() && !surface.starts_with(place) && place.ends_with(['区', '县', '市']))
                    .then(|| format!("{place}{rest}"))
            }) {
                full
            } else if let Some(full) = org_names
                .iter()
                .filter(|n| n.len() > surface.len() && n.contains(surface))
                .filter(|_| !has_org_suffix(surface))
                .min_by_key(|n| n.len())
            {
                full.clone()
            } else {
                surface.to_string()
            }
        }
        EntityKind::Place => {
            let page_full = ["区", "市", "县", "镇", "街道", "社区", "村"]
                .iter()
                .map(|suffix| format!("{surface}{suffix}"))
                .find(|full| page_places.contains(full.as_str()));
            match page_full {
                Some(full) => full,
                None => lexicon.place_short_forms.get(surface).cloned().unwrap_or_else(|| surface.to_string()),
            }
        }
        // 优巨新材项目 is the 江海区优巨新材特种工程改性塑料及总部建设项目 written in full on the page.
        EntityKind::Project => ["项目", "基地", "产业园"]
            .iter()
            .find_map(|suffix| {
                let stem = surface.strip_suffix(suffix).filter(|s| s.chars().count() >= 2)?;
                project_names
                    .iter()
                    .filter(|n| n.len() > surface.len() && n.ends_with(suffix) && n.contains(stem))
                    .max_by_key(|n| n.len())
                    .cloned()
            })
            .unwrap_or_else(|| surface.to_string()),
        EntityKind::Person => surface.to_string(),
    };
    (!lexicon.non_entities.contains(&name)).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentence(names: &[&'static str]) -> Vec<SentenceMention<'static, usize>> {
        // Written in order, three bytes a character; keys are not in written order.
        names
            .iter()
            .enumerate()
            .map(|(i, name)| SentenceMention {
                start: i * 12,
                end: i * 12 + 9,
                kind: EntityKind::Person,
                name,
                key: (i * 7) % names.len(),
            })
            .collect()
    }

    #[test]
    fn a_short_sentence_links_every_pair() {
        let pairs = co_occurs_pairs(sentence(&["袁加伟", "郑建国", "岑明俸"]));
        assert_eq!(pairs, vec![(0, 1), (0, 2), (1, 2)]);
    }

    #[test]
    fn a_list_sentence_links_neighbours_only() {
        let names: Vec<&'static str> = (0..4000).map(|i| &*Box::leak(format!("名{i}").into_boxed_str())).collect();
        let pairs = co_occurs_pairs(sentence(&names));
        // Linear: each name to the two after it (the last ones to fewer).
        assert_eq!(pairs.len(), 2 * 4000 - 3);
        assert!(pairs.iter().all(|(a, b)| a < b));
        // Written order decides, not the keys: the first two names written are linked.
        let first = sentence(&names)[0].key;
        let second = sentence(&names)[1].key;
        assert!(pairs.contains(&(first.min(second), first.max(second))));
    }

    #[test]
    fn an_entity_named_twice_counts_once_and_the_boundary_is_inclusive() {
        let mut mentions = sentence(&["甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸", "子", "丑"]);
        let again = SentenceMention { start: 500, end: 503, ..mentions[0] };
        mentions.push(again);
        // 12 distinct entities: not yet a list, every pair.
        assert_eq!(co_occurs_pairs(mentions).len(), 12 * 11 / 2);
    }
}
