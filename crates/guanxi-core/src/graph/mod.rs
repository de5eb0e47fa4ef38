//! The graph in memory: petgraph built from the store's edges (never the other way round), for
//! walks the database is bad at: shortest paths and N-hop neighbourhoods; and its structure
//! (importance, communities, backbone: [`analysis`]), computed once per loaded graph.

pub mod analysis;
pub mod community;
pub mod days;
pub mod rank;

pub use analysis::{Analysis, Tie};
pub use days::{DayIndex, RangeCounts};

use crate::error::Result;
use crate::store::{EdgeRow, Store};
use crate::vocab::{EntityId, RelationKind};
use petgraph::graph::{NodeIndex, UnGraph};
use petgraph::visit::EdgeRef;
use std::collections::{BTreeSet, HashMap, VecDeque};
use std::sync::OnceLock;

/// What an edge of the in-memory graph carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EdgeData {
    /// Kind of relation.
    pub kind: RelationKind,
    /// Number of evidence sentences.
    pub weight: i64,
}

/// Entities as nodes (weighted by their entity id), relations as edges.
#[derive(Debug, Clone, Default)]
pub struct KnowledgeGraph {
    graph: UnGraph<EntityId, EdgeData>,
    nodes: HashMap<EntityId, NodeIndex>,
    /// Ranks, communities and degrees, computed on first need (the graph is reloaded, and this
    /// with it, after an ingest).
    analysis: OnceLock<Analysis>,
}

impl KnowledgeGraph {
    /// Builds the graph from stored edges.
    pub fn from_edges(edges: &[EdgeRow]) -> Self {
        let mut graph = KnowledgeGraph::default();
        for edge in edges {
            let a = graph.node(edge.source);
            let b = graph.node(edge.target);
            graph.graph.add_edge(a, b, EdgeData { kind: edge.kind, weight: edge.weight });
        }
        graph
    }

    /// Loads every edge of the store.
    pub fn load(store: &Store) -> Result<Self> {
        Ok(Self::from_edges(&store.all_edges()?))
    }

    /// The graph's structure: importance, communities, degrees (computed once, then cached).
    pub fn analysis(&self) -> &Analysis {
        self.analysis.get_or_init(|| {
            let edges: Vec<EdgeRow> = self
                .graph
                .edge_references()
                .map(|e| EdgeRow {
                    source: self.graph[e.source()],
                    target: self.graph[e.target()],
                    kind: e.weight().kind,
                    weight: e.weight().weight,
                })
                .collect();
            Analysis::new(&edges, true)
        })
    }

    fn node(&mut self, entity: EntityId) -> NodeIndex {
        *self.nodes.entry(entity).or_insert_with(|| self.graph.add_node(entity))
    }

    /// Number of entities with at least one edge.
    pub fn node_count(&self) -> usize {
        self.graph.node_count()
    }

    /// Number of distinct neighbours of an entity.
    pub fn degree(&self, entity: EntityId) -> usize {
        self.nodes
            .get(&entity)
            .map_or(0, |&n| self.graph.neighbors(n).map(|m| self.graph[m]).collect::<BTreeSet<_>>().len())
    }

    /// The chain with the fewest hops from `from` to `to`, preferring heavier edges among equally
    /// short chains; entity ids in order, both ends included.
    pub fn shortest_path(&self, from: EntityId, to: EntityId) -> Option<Vec<EntityId>> {
        let (&start, &goal) = (self.nodes.get(&from)?, self.nodes.get(&to)?);
        let cost = |e: petgraph::graph::EdgeReference<'_, EdgeData>| 1.0 + 1.0 / (1.0 + e.weight().weight as f64);
        let (_, path) = petgraph::algo::astar(&self.graph, start, |n| n == goal, cost, |_| 0.0)?;
        Some(path.into_iter().map(|n| self.graph[n]).collect())
    }

    /// Entities within `depth` hops of the seeds over edges that pass `keep`, seeds included.
    /// Stops adding once `limit` entities are collected (nearest first).
    pub fn neighbourhood(
        &self,
        seeds: &[EntityId],
        depth: u32,
        limit: usize,
        keep: impl Fn(&EdgeData) -> bool,
    ) -> BTreeSet<EntityId> {
        let mut seen: BTreeSet<EntityId> = BTreeSet::new();
        let mut queue: VecDeque<(NodeIndex, u32)> = VecDeque::new();
        for seed in seeds {
            seen.insert(*seed);
            if let Some(&n) = self.nodes.get(seed) {
                queue.push_back((n, 0));
            }
        }
        while let Some((node, d)) = queue.pop_front() {
            if d >= depth {
                continue;
            }
            // Heaviest neighbours first, so a cap keeps the strongest ties.
            let mut next: Vec<(i64, NodeIndex)> = self
                .graph
                .edges(node)
                .filter(|e| keep(e.weight()))
                .map(|e| {
                    let other = if e.source() == node { e.target() } else { e.source() };
                    (e.weight().weight, other)
                })
                .collect();
            next.sort_by(|a, b| b.0.cmp(&a.0).then(self.graph[a.1].cmp(&self.graph[b.1])));
            for (_, other) in next {
                if seen.len() >= limit {
                    return seen;
                }
                if seen.insert(self.graph[other]) {
                    queue.push_back((other, d + 1));
                }
            }
        }
        seen
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edge(source: u32, target: u32, weight: i64) -> EdgeRow {
        EdgeRow { source: EntityId(source), target: EntityId(target), kind: RelationKind::CoOccurs, weight }
    }

    #[test]
    fn paths_prefer_fewer_hops_then_heavier_edges() {
        let graph =
            KnowledgeGraph::from_edges(&[edge(1, 2, 1), edge(2, 3, 1), edge(1, 4, 5), edge(4, 3, 5), edge(3, 5, 1)]);
        let ids = |list: &[u32]| list.iter().copied().map(EntityId).collect::<Vec<_>>();
        assert_eq!(graph.shortest_path(EntityId(1), EntityId(3)), Some(ids(&[1, 4, 3])));
        assert_eq!(graph.shortest_path(EntityId(1), EntityId(5)).map(|p| p.len()), Some(4));
        assert_eq!(graph.shortest_path(EntityId(1), EntityId(99)), None);
        let near = |depth, keep: fn(&EdgeData) -> bool| {
            graph.neighbourhood(&[EntityId(1)], depth, 100, keep).into_iter().collect::<Vec<_>>()
        };
        assert_eq!(near(1, |_| true), ids(&[1, 2, 4]));
        assert_eq!(near(2, |e| e.weight > 1), ids(&[1, 3, 4]));
        assert_eq!(graph.degree(EntityId(3)), 3);
    }
}
