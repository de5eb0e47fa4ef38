//! Checks shared by the engine and migration tests.

use guanxi_core::Store;

/// co_occurs pairs by definition: (smaller id, larger id, sentences mentioning both), sorted.
pub fn cooccurrence_from_mentions(conn: &rusqlite::Connection) -> Vec<(i64, i64, i64)> {
    let mut pairs: Vec<(i64, i64, i64)> = conn
        .prepare(
            "SELECT a.entity_id, b.entity_id, count(DISTINCT a.sentence_id) FROM mentions a
             JOIN mentions b ON b.sentence_id = a.sentence_id AND a.entity_id < b.entity_id
             GROUP BY a.entity_id, b.entity_id",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    pairs.sort();
    pairs
}

/// The stored co_occurs edges as (source, target, weight), sorted.
pub fn stored_cooccurrence(store: &Store) -> Vec<(i64, i64, i64)> {
    let mut pairs: Vec<(i64, i64, i64)> = store
        .all_edges()
        .unwrap()
        .into_iter()
        .filter(|e| !e.kind.is_directed())
        .map(|e| (e.source.as_i64(), e.target.as_i64(), e.weight))
        .collect();
    pairs.sort();
    pairs
}
