//! The structure of a graph at a glance: each entity's importance (weighted PageRank, see
//! [`super::rank`]), its community (Louvain, see [`super::community`]) and its degree, and the
//! backbone of a selection (each entity's strongest ties). Computed from relation edges; the
//! relations between one pair of entities count as one tie whose weight is the sum of theirs.

use super::community::louvain;
use super::rank::pagerank;
use crate::store::EdgeRow;
use crate::vocab::{EntityId, RelationKind};
use std::collections::{BTreeMap, HashMap};

/// A tie between two entities: all their relations together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tie {
    /// The smaller entity id.
    pub a: EntityId,
    /// The larger entity id.
    pub b: EntityId,
    /// Source of the heaviest relation as stored (typed relations have a direction).
    pub source: EntityId,
    /// Its target.
    pub target: EntityId,
    /// Evidence sentences of all relations between them.
    pub weight: i64,
    /// The relation with the most evidence (ties: the first kind in `RelationKind` order).
    pub kind: RelationKind,
}

/// Ranks, communities and degrees of every entity with at least one edge.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    /// Entity ids, sorted (an entity's index in the other vectors).
    ids: Vec<EntityId>,
    index: HashMap<EntityId, usize>,
    rank: Vec<f64>,
    degree: Vec<u32>,
    /// Community of each entity (0 = the most important community), when computed.
    community: Vec<u32>,
    /// Members of each community, most important first.
    members: Vec<Vec<EntityId>>,
    /// Ties by entity index: (other index, tie number in `ties`).
    adjacency: Vec<Vec<(usize, usize)>>,
    ties: Vec<Tie>,
}

impl Analysis {
    /// Analyses the graph of `edges`; communities only when `communities` (a date range's graph
    /// is coloured by the whole graph's communities, so it skips them).
    pub fn new(edges: &[EdgeRow], communities: bool) -> Self {
        type Kinds = BTreeMap<RelationKind, (i64, EntityId, EntityId)>;
        let mut pairs: BTreeMap<(EntityId, EntityId), (i64, Kinds)> = BTreeMap::new();
        for edge in edges {
            if edge.source == edge.target || edge.weight <= 0 {
                continue;
            }
            let key = (edge.source.min(edge.target), edge.source.max(edge.target));
            let slot = pairs.entry(key).or_default();
            slot.0 += edge.weight;
            slot.1.entry(edge.kind).or_insert((0, edge.source, edge.target)).0 += edge.weight;
        }
        let mut ids: Vec<EntityId> = pairs.keys().flat_map(|&(a, b)| [a, b]).collect();
        ids.sort_unstable();
        ids.dedup();
        let index: HashMap<EntityId, usize> = ids.iter().enumerate().map(|(i, &id)| (id, i)).collect();
        let mut adjacency = vec![Vec::new(); ids.len()];
        let mut ties = Vec::with_capacity(pairs.len());
        let mut weighted = Vec::with_capacity(pairs.len());
        for ((a, b), (weight, kinds)) in pairs {
            let (ia, ib) = (index[&a], index[&b]);
            let (mut kind, mut source, mut target) = (RelationKind::CoOccurs, a, b);
            let mut best = -1;
            for (k, (w, s, t)) in kinds {
                if w > best {
                    (kind, best, source, target) = (k, w, s, t);
                }
            }
            adjacency[ia].push((ib, ties.len()));
            adjacency[ib].push((ia, ties.len()));
            ties.push(Tie { a, b, source, target, weight, kind });
            weighted.push((ia, ib, weight as f64));
        }
        let rank = pagerank(ids.len(), &weighted);
        let degree = adjacency.iter().map(|list| list.len() as u32).collect();
        let mut analysis = Analysis { ids, index, rank, degree, adjacency, ties, ..Default::default() };
        if communities {
            analysis.set_communities(&louvain(analysis.ids.len(), &weighted));
        }
        analysis
    }

    /// Numbers communities by importance (the sum of their members' ranks, then the smallest
    /// member id) and lists their members by rank.
    fn set_communities(&mut self, labels: &[usize]) {
        let count = labels.iter().copied().max().map_or(0, |m| m + 1);
        let mut groups: Vec<Vec<usize>> = vec![Vec::new(); count];
        for (i, &label) in labels.iter().enumerate() {
            groups[label].push(i);
        }
        for group in &mut groups {
            group.sort_by(|&x, &y| self.rank[y].total_cmp(&self.rank[x]).then(x.cmp(&y)));
        }
        let weight = |group: &Vec<usize>| group.iter().map(|&i| self.rank[i]).sum::<f64>();
        groups.sort_by(|x, y| weight(y).total_cmp(&weight(x)).then(x.iter().min().cmp(&y.iter().min())));
        self.community = vec![0; self.ids.len()];
        for (c, group) in groups.iter().enumerate() {
            for &i in group {
                self.community[i] = c as u32;
            }
        }
        self.members = groups.into_iter().map(|g| g.into_iter().map(|i| self.ids[i]).collect()).collect();
    }

    /// Number of entities with at least one edge.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether the graph has no edge.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Importance (PageRank; all ranks sum to 1), 0 for an entity without edges.
    pub fn rank(&self, id: EntityId) -> f64 {
        self.index.get(&id).map_or(0.0, |&i| self.rank[i])
    }

    /// Distinct neighbours.
    pub fn degree(&self, id: EntityId) -> u32 {
        self.index.get(&id).map_or(0, |&i| self.degree[i])
    }

    /// The entity's community, when communities were computed and it has edges.
    pub fn community(&self, id: EntityId) -> Option<u32> {
        self.index.get(&id).and_then(|&i| self.community.get(i).copied())
    }

    /// Members of each community (index = community number), most important first.
    pub fn communities(&self) -> &[Vec<EntityId>] {
        &self.members
    }

    /// Entities by importance, most important first (ties: smaller id).
    pub fn by_rank(&self) -> Vec<EntityId> {
        let mut order: Vec<usize> = (0..self.ids.len()).collect();
        order.sort_by(|&x, &y| self.rank[y].total_cmp(&self.rank[x]).then(x.cmp(&y)));
        order.into_iter().map(|i| self.ids[i]).collect()
    }

    /// The backbone among `selected`: each selected entity keeps its `k` heaviest ties to other
    /// selected entities (equal weights: the more important other end first); a tie is drawn when
    /// either end keeps it. A roster sentence's clique (all weight 1) thus keeps few of its edges
    /// while a pair named together in many sentences always shows. Sorted by (a, b).
    pub fn backbone(&self, selected: &[EntityId], k: usize) -> Vec<Tie> {
        let wanted: HashMap<usize, ()> =
            selected.iter().filter_map(|id| self.index.get(id)).map(|&i| (i, ())).collect();
        let mut kept: Vec<usize> = Vec::new();
        for &i in wanted.keys() {
            let mut ties: Vec<(usize, usize)> =
                self.adjacency[i].iter().copied().filter(|(other, _)| wanted.contains_key(other)).collect();
            ties.sort_by(|&(ox, tx), &(oy, ty)| {
                self.ties[ty]
                    .weight
                    .cmp(&self.ties[tx].weight)
                    .then(self.rank[oy].total_cmp(&self.rank[ox]))
                    .then(ox.cmp(&oy))
            });
            kept.extend(ties.into_iter().take(k).map(|(_, t)| t));
        }
        kept.sort_unstable();
        kept.dedup();
        kept.into_iter().map(|t| self.ties[t]).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edge(source: u32, target: u32, kind: RelationKind, weight: i64) -> EdgeRow {
        EdgeRow { source: EntityId(source), target: EntityId(target), kind, weight }
    }

    /// A hub (1) named with five people in five stories, and a roster sentence of twelve (20–31).
    fn hub_and_roster() -> Vec<EdgeRow> {
        let mut edges: Vec<EdgeRow> = (2..=6).map(|p| edge(1, p, RelationKind::CoOccurs, 2)).collect();
        edges.push(edge(1, 20, RelationKind::CoOccurs, 1));
        for a in 20..32 {
            for b in a + 1..32 {
                edges.push(edge(a, b, RelationKind::CoOccurs, 1));
            }
        }
        edges
    }

    #[test]
    fn the_hub_outranks_the_roster_and_each_is_a_community() {
        let analysis = Analysis::new(&hub_and_roster(), true);
        let order = analysis.by_rank();
        assert_eq!(order[0], EntityId(1), "{order:?}");
        assert_eq!(analysis.degree(EntityId(1)), 6);
        assert_eq!(analysis.degree(EntityId(25)), 11);
        assert_eq!(analysis.communities().len(), 2);
        assert_eq!(analysis.community(EntityId(1)), analysis.community(EntityId(4)));
        assert_eq!(analysis.community(EntityId(21)), analysis.community(EntityId(31)));
        assert_ne!(analysis.community(EntityId(1)), analysis.community(EntityId(21)));
        assert_eq!(analysis.community(EntityId(99)), None);
    }

    #[test]
    fn the_backbone_keeps_strong_ties_and_thins_cliques() {
        let analysis = Analysis::new(&hub_and_roster(), false);
        let all: Vec<EntityId> = (1..=6).chain(20..32).map(EntityId).collect();
        let backbone = analysis.backbone(&all, 2);
        // Every hub tie of weight 2 survives (each leaf keeps it as its strongest).
        for p in 2..=6 {
            assert!(backbone.iter().any(|t| t.a == EntityId(1) && t.b == EntityId(p)));
        }
        // The roster's 66 ties shrink to at most 2 per member.
        let roster = backbone.iter().filter(|t| t.a.0 >= 20).count();
        assert!((6..=24).contains(&roster), "{roster}");
        assert!(backbone.windows(2).all(|w| (w[0].a, w[0].b) < (w[1].a, w[1].b)));
    }

    #[test]
    fn relations_between_a_pair_are_one_tie() {
        let analysis = Analysis::new(
            &[
                edge(1, 2, RelationKind::CoOccurs, 1),
                edge(1, 2, RelationKind::HoldsRoleIn, 3),
                edge(3, 2, RelationKind::CoOccurs, 1),
            ],
            true,
        );
        let ties = analysis.backbone(&[EntityId(1), EntityId(2), EntityId(3)], 5);
        assert_eq!(ties.len(), 2);
        assert_eq!((ties[0].weight, ties[0].kind), (4, RelationKind::HoldsRoleIn));
        assert_eq!((ties[1].a, ties[1].b), (EntityId(2), EntityId(3)));
        assert_eq!(analysis.by_rank()[0], EntityId(2));
    }
}
