//! Importance: weighted PageRank over the undirected graph of entities.
//!
//! Why PageRank and not degree: a roster sentence (a list of twelve names) gives each of its
//! members eleven neighbours at once, so degree ranks every name on a list above a person who is
//! linked to eight different people in eight different stories. PageRank cannot be inflated that
//! way: a clique passes its rank around among its own members, and rank only grows with links
//! from entities that are themselves important. Edge weights (evidence sentences) bias the walk
//! towards strong ties.

/// Damping factor (the probability that the random walk follows an edge rather than jumping).
pub const DAMPING: f64 = 0.85;
/// Iterations stop when the ranks move less than this (L1) or after [`MAX_ITERATIONS`].
const TOLERANCE: f64 = 1e-10;
const MAX_ITERATIONS: usize = 200;

/// Weighted PageRank of `n` nodes over undirected weighted `edges` (`a`, `b`, weight > 0; a pair
/// given once). Ranks sum to 1; a node without edges keeps only its teleport share. Deterministic:
/// plain power iteration in index order.
pub fn pagerank(n: usize, edges: &[(usize, usize, f64)]) -> Vec<f64> {
    if n == 0 {
        return Vec::new();
    }
    let mut strength = vec![0.0f64; n];
    for &(a, b, w) in edges {
        strength[a] += w;
        strength[b] += w;
    }
    let uniform = 1.0 / n as f64;
    let mut rank = vec![uniform; n];
    let mut next = vec![0.0f64; n];
    for _ in 0..MAX_ITERATIONS {
        // Nodes without edges spread their rank evenly (as if linked to every node).
        let dangling: f64 = (0..n).filter(|&i| strength[i] == 0.0).map(|i| rank[i]).sum();
        let base = (1.0 - DAMPING) * uniform + DAMPING * dangling * uniform;
        next.iter_mut().for_each(|x| *x = base);
        for &(a, b, w) in edges {
            next[b] += DAMPING * rank[a] * w / strength[a];
            next[a] += DAMPING * rank[b] * w / strength[b];
        }
        let change: f64 = rank.iter().zip(&next).map(|(x, y)| (x - y).abs()).sum();
        std::mem::swap(&mut rank, &mut next);
        if change < TOLERANCE {
            break;
        }
    }
    rank
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-6
    }

    #[test]
    fn a_star_has_the_known_ranks() {
        // Centre 0 and three leaves: r_c = 0.0375 + 0.85·3·r_l, r_l = 0.0375 + 0.85·r_c/3.
        let rank = pagerank(4, &[(0, 1, 1.0), (0, 2, 1.0), (0, 3, 1.0)]);
        assert!(close(rank[0], 0.133125 / 0.2775), "{rank:?}");
        assert!(close(rank[1], (1.0 - rank[0]) / 3.0) && close(rank[1], rank[3]));
        assert!(close(rank.iter().sum::<f64>(), 1.0));
    }

    #[test]
    fn a_cycle_is_uniform_and_weights_pull_rank() {
        let rank = pagerank(4, &[(0, 1, 1.0), (1, 2, 1.0), (2, 3, 1.0), (3, 0, 1.0)]);
        assert!(rank.iter().all(|&r| close(r, 0.25)));
        // A path 0 - 1 - 2 where 1–2 is ten times heavier: 2 outranks 0.
        let rank = pagerank(3, &[(0, 1, 1.0), (1, 2, 10.0)]);
        assert!(rank[1] > rank[2] && rank[2] > rank[0], "{rank:?}");
    }

    #[test]
    fn a_roster_clique_does_not_outrank_a_hub() {
        // A hub linked to 8 people (degree 8) and a roster of 12 names (degree 11 each).
        let mut edges: Vec<(usize, usize, f64)> = (1..=8).map(|leaf| (0, leaf, 1.0)).collect();
        for a in 9..21 {
            for b in a + 1..21 {
                edges.push((a, b, 1.0));
            }
        }
        let rank = pagerank(21, &edges);
        assert!(rank[9..21].iter().all(|&member| rank[0] > 3.0 * member), "{rank:?}");
        // Each roster member keeps exactly the average share: the clique gained nothing.
        assert!(rank[9..21].iter().all(|&member| close(member, 1.0 / 21.0)));
    }

    #[test]
    fn isolated_nodes_and_empty_graphs() {
        assert!(pagerank(0, &[]).is_empty());
        let rank = pagerank(3, &[(0, 1, 2.0)]);
        assert!(close(rank.iter().sum::<f64>(), 1.0) && close(rank[0], rank[1]) && rank[2] < rank[0]);
    }
}
