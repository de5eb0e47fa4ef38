//! Communities: Louvain modularity optimisation over the weighted co-occurrence graph.
//!
//! Deterministic by construction: nodes are visited in index order (the caller numbers them by
//! sorted entity id), candidate communities in the order their edges are listed, and a move
//! happens only on a strictly better gain (ties keep the lower community number), so the same
//! graph always gives the same partition. No random seed is involved at all.

/// Smallest modularity gain that counts as an improvement (guards against float noise loops).
const MIN_GAIN: f64 = 1e-12;
/// Local-moving passes per level at most.
const MAX_PASSES: usize = 100;
/// Aggregation levels at most.
const MAX_LEVELS: usize = 32;

/// An undirected weighted graph by adjacency: `adj[i]` lists `(j, w)`, both directions, and a
/// self-loop `(i, w)` once with its full weight.
struct Level {
    adj: Vec<Vec<(usize, f64)>>,
}

impl Level {
    /// Sum of incident weights of each node (a self-loop counts twice, as in modularity).
    fn strengths(&self) -> Vec<f64> {
        self.adj
            .iter()
            .enumerate()
            .map(|(i, list)| list.iter().map(|&(j, w)| if j == i { 2.0 * w } else { w }).sum())
            .collect()
    }
}

/// Louvain communities of `n` nodes over undirected weighted `edges` (`a`, `b`, weight > 0;
/// each pair once, no self-loops needed). Returns each node's community, numbered 0.. in order
/// of each community's lowest node index. A node without edges is a community of its own.
pub fn louvain(n: usize, edges: &[(usize, usize, f64)]) -> Vec<usize> {
    let mut adj = vec![Vec::new(); n];
    for &(a, b, w) in edges {
        if a == b {
            adj[a].push((a, w));
        } else {
            adj[a].push((b, w));
            adj[b].push((a, w));
        }
    }
    let mut level = Level { adj };
    // membership[node] = its node at the current level
    let mut membership: Vec<usize> = (0..n).collect();
    let total: f64 = level.strengths().iter().sum();
    if total <= 0.0 {
        return membership;
    }
    for _ in 0..MAX_LEVELS {
        let (community, moved) = local_moves(&level, total);
        if !moved {
            break;
        }
        let count = community.iter().copied().max().map_or(0, |m| m + 1);
        for node in membership.iter_mut() {
            *node = community[*node];
        }
        level = aggregate(&level, &community, count);
    }
    renumber(&membership)
}

/// Phase one: moves each node to the neighbouring community with the best modularity gain until
/// no move helps. Returns communities numbered 0.. (by lowest member) and whether any node moved.
fn local_moves(level: &Level, total: f64) -> (Vec<usize>, bool) {
    let n = level.adj.len();
    let strength = level.strengths();
    let mut community: Vec<usize> = (0..n).collect();
    let mut tot: Vec<f64> = strength.clone();
    let mut weight_to = vec![0.0f64; n];
    let mut touched: Vec<usize> = Vec::new();
    let mut moved_any = false;
    for _ in 0..MAX_PASSES {
        let mut moved = false;
        for i in 0..n {
            let own = community[i];
            let k = strength[i];
            for &(j, w) in &level.adj[i] {
                if j == i {
                    continue;
                }
                let c = community[j];
                if weight_to[c] == 0.0 {
                    touched.push(c);
                }
                weight_to[c] += w;
            }
            tot[own] -= k;
            let gain = |c: usize, to: f64| to - tot[c] * k / total;
            let mut best = own;
            let mut best_gain = gain(own, weight_to[own]);
            for &c in &touched {
                let g = gain(c, weight_to[c]);
                if g > best_gain + MIN_GAIN {
                    best = c;
                    best_gain = g;
                }
            }
            tot[best] += k;
            if best != own {
                community[i] = best;
                moved = true;
                moved_any = true;
            }
            for &c in &touched {
                weight_to[c] = 0.0;
            }
            touched.clear();
        }
        if !moved {
            break;
        }
    }
    (renumber(&community), moved_any)
}

/// Phase two: one node per community, edge weights summed (internal weight as a self-loop).
fn aggregate(level: &Level, community: &[usize], count: usize) -> Level {
    let mut sums: Vec<std::collections::BTreeMap<usize, f64>> = vec![Default::default(); count];
    for (i, list) in level.adj.iter().enumerate() {
        for &(j, w) in list {
            let (a, b) = (community[i], community[j]);
            // Each non-loop edge appears twice in `adj`; a self-loop once.
            let share = if i == j { w } else { w / 2.0 };
            if a == b {
                *sums[a].entry(a).or_default() += share;
            } else {
                *sums[a].entry(b).or_default() += share;
                *sums[b].entry(a).or_default() += share;
            }
        }
    }
    Level { adj: sums.into_iter().map(|m| m.into_iter().collect()).collect() }
}

/// Labels renumbered 0.. in order of first appearance.
fn renumber(labels: &[usize]) -> Vec<usize> {
    let mut map = std::collections::HashMap::new();
    labels
        .iter()
        .map(|&l| {
            let next = map.len();
            *map.entry(l).or_insert(next)
        })
        .collect()
}

/// Newman's modularity of a partition (for tests and reports).
pub fn modularity(n: usize, edges: &[(usize, usize, f64)], community: &[usize]) -> f64 {
    let mut strength = vec![0.0f64; n];
    let mut total = 0.0;
    for &(a, b, w) in edges {
        strength[a] += w;
        strength[b] += w;
        total += 2.0 * w;
    }
    if total == 0.0 {
        return 0.0;
    }
    let mut inside = 0.0;
    for &(a, b, w) in edges {
        if community[a] == community[b] {
            inside += 2.0 * w;
        }
    }
    let count = community.iter().copied().max().map_or(0, |m| m + 1);
    let mut tot = vec![0.0f64; count];
    for (i, &c) in community.iter().enumerate() {
        tot[c] += strength[i];
    }
    inside / total - tot.iter().map(|t| (t / total).powi(2)).sum::<f64>()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clique(nodes: std::ops::Range<usize>, edges: &mut Vec<(usize, usize, f64)>) {
        for a in nodes.clone() {
            for b in a + 1..nodes.end {
                edges.push((a, b, 1.0));
            }
        }
    }

    #[test]
    fn two_cliques_joined_by_a_bridge_are_two_communities() {
        let mut edges = Vec::new();
        clique(0..5, &mut edges);
        clique(5..10, &mut edges);
        edges.push((4, 5, 1.0));
        let community = louvain(10, &edges);
        assert_eq!(community, vec![0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
        assert!(modularity(10, &edges, &community) > 0.4);
    }

    #[test]
    fn a_ring_of_cliques_finds_every_clique() {
        // Six cliques of four in a ring: the classic case where modularity prefers the cliques.
        let mut edges = Vec::new();
        for c in 0..6 {
            clique(c * 4..c * 4 + 4, &mut edges);
            edges.push((c * 4 + 3, ((c + 1) % 6) * 4, 1.0));
        }
        let community = louvain(24, &edges);
        let expected: Vec<usize> = (0..24).map(|i| i / 4).collect();
        assert_eq!(community, expected);
    }

    #[test]
    fn weights_decide_between_partitions_and_results_repeat() {
        // A square 0-1-2-3-0 with heavy 0-1 and 2-3: the heavy pairs are the communities.
        let edges = vec![(0, 1, 10.0), (1, 2, 1.0), (2, 3, 10.0), (3, 0, 1.0)];
        assert_eq!(louvain(4, &edges), vec![0, 0, 1, 1]);
        assert_eq!(louvain(4, &edges), louvain(4, &edges));
        // Isolated nodes stay alone; an empty graph is every node alone.
        assert_eq!(louvain(3, &[(0, 1, 1.0)]), vec![0, 0, 1]);
        assert_eq!(louvain(2, &[]), vec![0, 1]);
    }
}
