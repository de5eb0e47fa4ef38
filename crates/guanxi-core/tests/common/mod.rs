//! Checks shared by the engine and migration tests.

use guanxi_core::Store;

/// co_occurs pairs by definition: (smaller id, larger id, sentences that link both), sorted. A
/// sentence links every pair of the entities it names, except a list sentence (more than 12
/// entities), which links each entity to the two named before and after it (order of first
/// mention: start, longer first, then kind and name).
pub fn cooccurrence_from_mentions(conn: &rusqlite::Connection) -> Vec<(i64, i64, i64)> {
    let mut rows: Vec<(i64, i64, i64, i64, String, String)> = conn
        .prepare(
            "SELECT m.sentence_id, m.entity_id, m.start, m.end, e.kind, e.name
             FROM mentions m JOIN entities e ON e.id = m.entity_id",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let kind_order = |kind: &str| ["person", "organization", "place", "project"].iter().position(|k| *k == kind);
    rows.sort_by(|a, b| (a.0, a.2, -a.3, kind_order(&a.4), &a.5).cmp(&(b.0, b.2, -b.3, kind_order(&b.4), &b.5)));
    let mut weights: std::collections::BTreeMap<(i64, i64), i64> = Default::default();
    for sentence in rows.chunk_by(|a, b| a.0 == b.0) {
        let mut order: Vec<i64> = Vec::new();
        for row in sentence {
            if !order.contains(&row.1) {
                order.push(row.1);
            }
        }
        let reach = if order.len() > 12 { 2 } else { order.len() };
        for i in 0..order.len() {
            for j in i + 1..order.len().min(i + 1 + reach) {
                *weights.entry((order[i].min(order[j]), order[i].max(order[j]))).or_default() += 1;
            }
        }
    }
    weights.into_iter().map(|((a, b), w)| (a, b, w)).collect()
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

/// Asserts that the stored per-date counts (`entity_days`) are the mentions counted afresh, and
/// returns how many (entity, date) rows there are.
pub fn check_entity_days(conn: &rusqlite::Connection) -> usize {
    let read = |sql: &str| -> Vec<(i64, String, i64, i64)> {
        conn.prepare(sql)
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    };
    let stored = read("SELECT entity_id, day, mentions, articles FROM entity_days ORDER BY entity_id, day");
    let counted = read(
        "SELECT m.entity_id, ar.published_date, count(*), count(DISTINCT ar.id)
         FROM mentions m JOIN sentences s ON s.id = m.sentence_id JOIN articles ar ON ar.id = s.article_id
         WHERE ar.published_date IS NOT NULL GROUP BY m.entity_id, ar.published_date ORDER BY 1, 2",
    );
    assert_eq!(stored, counted, "entity_days");
    stored.len()
}
