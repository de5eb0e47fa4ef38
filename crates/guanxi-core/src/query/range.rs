//! The read queries over the articles of a date range: search, show, path and stats answer as if
//! the database held only the articles published in the range (entities, counts, weights and
//! evidence all restricted; undated articles are outside every bounded range).

use super::{
    count32, distinct, evidence_in_range_by_id, find_entities, rank_hits, search, shortest_chain, ArticleRef,
    EntityDetail, Neighbour,
};
use super::{PathHop, SearchHit, Stats};
use crate::error::{Error, Result};
use crate::graph::{Analysis, DayIndex, KnowledgeGraph};
use crate::store::{EdgeRow, EntityRow, Store};
use crate::vocab::{DateRange, EntityId, RelationKind};
use std::collections::{BTreeSet, HashMap};
use std::sync::OnceLock;

/// The graph of one date range: its entities (with their counts there), its edges (with their
/// weights there), a traversable graph of them and, on first need, its analysis (ranks, degrees).
/// Built once per range and database version, by summing the days of a [`DayIndex`].
#[derive(Debug)]
pub struct RangeGraph {
    /// The range.
    pub range: DateRange,
    entities: HashMap<EntityId, EntityRow>,
    edges: Vec<EdgeRow>,
    by_entity: HashMap<EntityId, Vec<usize>>,
    graph: KnowledgeGraph,
    analysis: OnceLock<Analysis>,
}

impl RangeGraph {
    /// The range's graph from the day index (entity names from the store).
    pub fn load(store: &Store, days: &DayIndex, range: &DateRange) -> Result<RangeGraph> {
        let counts = days.counts(range);
        let mut ids: Vec<EntityId> = counts.keys().copied().collect();
        ids.sort_unstable();
        let mut entities = HashMap::with_capacity(ids.len());
        for mut row in store.entities_by_ids(&ids)? {
            let Some(in_range) = counts.get(&row.id) else { continue };
            row.mentions = in_range.mentions;
            row.articles = in_range.articles;
            entities.insert(row.id, row);
        }
        let edges = days.edges(range);
        let mut by_entity: HashMap<EntityId, Vec<usize>> = HashMap::new();
        for (index, edge) in edges.iter().enumerate() {
            by_entity.entry(edge.source).or_default().push(index);
            by_entity.entry(edge.target).or_default().push(index);
        }
        let graph = KnowledgeGraph::from_edges(&edges);
        Ok(RangeGraph { range: range.clone(), entities, edges, by_entity, graph, analysis: OnceLock::new() })
    }

    /// The range's structure (ranks and degrees in its graph; communities are the whole graph's).
    pub fn analysis(&self) -> &Analysis {
        self.analysis.get_or_init(|| Analysis::new(&self.edges, false))
    }

    /// Every entity mentioned in the range, with its counts there, by id.
    pub fn entities(&self) -> Vec<EntityRow> {
        let mut rows: Vec<EntityRow> = self.entities.values().cloned().collect();
        rows.sort_by_key(|row| row.id);
        rows
    }

    /// Every edge with its weight in the range, sorted.
    pub fn edges(&self) -> &[EdgeRow] {
        &self.edges
    }

    /// The traversable graph of the range.
    pub fn graph(&self) -> &KnowledgeGraph {
        &self.graph
    }

    /// The entity with its counts in the range, if it is mentioned there.
    pub fn entity(&self, id: EntityId) -> Option<&EntityRow> {
        self.entities.get(&id)
    }

    /// The entity's edges in the range, heaviest first.
    fn edges_of(&self, id: EntityId) -> Vec<&EdgeRow> {
        let mut edges: Vec<&EdgeRow> =
            self.by_entity.get(&id).map(|list| list.iter().map(|&i| &self.edges[i]).collect()).unwrap_or_default();
        edges.sort_by(|a, b| b.weight.cmp(&a.weight).then(a.cmp(b)));
        edges
    }
}

/// [`search`] among the entities mentioned in the range, with their counts there.
pub fn search_in_range(store: &Store, range: &RangeGraph, query: &str, limit: usize) -> Result<Vec<SearchHit>> {
    let mut hits: Vec<SearchHit> = search(store, query, limit.saturating_mul(20).max(200))?
        .into_iter()
        .filter_map(|mut hit| {
            let row = range.entity(hit.entity.id)?;
            hit.entity.mentions = count32(row.mentions);
            hit.entity.articles = count32(row.articles);
            Some(hit)
        })
        .collect();
    rank_hits(&mut hits, limit);
    Ok(hits)
}

/// [`super::show`] in the range: counts, neighbours and weights, articles and dates there. An
/// entity not mentioned in the range is not shown; when none is, the answer says so.
pub fn show_in_range(
    store: &Store,
    range: &RangeGraph,
    name: &str,
    max_neighbours: usize,
) -> Result<Vec<EntityDetail>> {
    let mut out = Vec::new();
    for row in find_entities(store, name)? {
        let Some(in_range) = range.entity(row.id) else { continue };
        out.push(detail_in_range(store, range, in_range.clone(), max_neighbours)?);
    }
    if out.is_empty() {
        return Err(Error::UnknownEntity(format!(
            "{name} (not mentioned from {} to {})",
            range.range.lower(),
            range.range.upper()
        )));
    }
    Ok(out)
}

fn detail_in_range(store: &Store, range: &RangeGraph, row: EntityRow, max_neighbours: usize) -> Result<EntityDetail> {
    let id = row.id;
    let mut neighbours = Vec::new();
    let mut others = BTreeSet::new();
    for edge in range.edges_of(id) {
        let other = if edge.source == id { edge.target } else { edge.source };
        others.insert(other);
        if neighbours.len() >= max_neighbours {
            continue;
        }
        let Some(entity) = range.entity(other) else { continue };
        neighbours.push(Neighbour {
            entity: entity.clone().into(),
            relation: edge.kind,
            weight: count32(edge.weight),
            outgoing: edge.source == id,
        });
    }
    let articles = store
        .articles_of(id, usize::MAX >> 1)?
        .into_iter()
        .filter(|(_, _, _, date, _, _)| range.range.contains(date.as_deref()))
        .take(200)
        .map(|(article, title, source, date, n, copies)| ArticleRef {
            id: count32(article),
            title,
            source,
            date,
            mentions: count32(n),
            copies: count32(copies),
        })
        .collect();
    let (first_date, last_date) = store.entity_dates(&[id], &range.range)?.remove(&id).unzip();
    Ok(EntityDetail {
        first_date,
        last_date,
        aliases: store.aliases(id)?,
        roles: store.roles(id)?,
        more_neighbours: (others.len() as u32).saturating_sub(distinct(&neighbours)),
        neighbours,
        articles,
        entity: row.into(),
    })
}

/// [`super::path`] over the range's edges, each hop's weight and evidence from the range.
pub fn path_in_range(store: &Store, range: &RangeGraph, a: &str, b: &str) -> Result<Vec<PathHop>> {
    let chain = shortest_chain(store, &range.graph, a, b)?;
    let mut hops = Vec::new();
    for pair in chain.windows(2) {
        let (Some(from), Some(to)) = (range.entity(pair[0]), range.entity(pair[1])) else { continue };
        let edges: Vec<&EdgeRow> =
            range.edges_of(from.id).into_iter().filter(|e| e.source == to.id || e.target == to.id).collect();
        let mut relations: Vec<RelationKind> = edges.iter().map(|e| e.kind).collect();
        relations.sort();
        relations.dedup();
        hops.push(PathHop {
            weight: edges.iter().map(|e| count32(e.weight)).max().unwrap_or(0),
            relations,
            evidence: evidence_in_range_by_id(store, from.id, to.id, 1, &range.range)?.into_iter().next(),
            from: from.clone().into(),
            to: to.clone().into(),
        });
    }
    Ok(hops)
}

/// [`super::stats`] of the range: its articles, their sentences and mentions, and the range
/// graph's entities and edges by kind.
pub fn stats_in_range(store: &Store, range: &RangeGraph) -> Result<Stats> {
    let row = store.stats_in_range(&range.range)?;
    let mut entities: HashMap<_, u32> = HashMap::new();
    for entity in range.entities.values() {
        *entities.entry(entity.kind).or_default() += 1;
    }
    let mut edges: HashMap<RelationKind, u32> = HashMap::new();
    for edge in &range.edges {
        *edges.entry(edge.kind).or_default() += 1;
    }
    Ok(Stats {
        files: count32(row.files),
        skipped_files: count32(row.skipped),
        articles: count32(row.articles),
        copied_articles: count32(row.copies),
        sentences: count32(row.sentences),
        mentions: count32(row.mentions),
        entities: crate::vocab::EntityKind::ALL
            .into_iter()
            .map(|kind| super::KindCount { kind, count: entities.get(&kind).copied().unwrap_or(0) })
            .collect(),
        edges: RelationKind::ALL
            .into_iter()
            .map(|kind| super::RelationCount { kind, count: edges.get(&kind).copied().unwrap_or(0) })
            .collect(),
    })
}
