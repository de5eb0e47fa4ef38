//! `co_occurs` weights, stored per entity as an adjacency list (table `cooccurrences`: one row per
//! entity, its neighbours and weights in a blob) rather than one row per pair.
//!
//! Why: a sentence that lists 775 names (a roster) is 300,000 pairs, and a row per pair made the
//! pair table and its two indexes half the database and half the ingest time. Adjacency lists
//! make a neighbour query one row read, and an ingest batch's new pairs are summed in memory and
//! merged into the lists of the entities they touch when the batch commits (so every committed
//! batch has exact weights, as before). Evidence is still read from `mentions`.
//!
//! Blob format: (neighbour entity id, weight) pairs, each a little-endian `u32`, sorted by
//! neighbour id; both directions are stored (a pair appears in the lists of both entities).

use crate::resolve::{co_occurs_pairs, SentenceMention};
use crate::vocab::{EntityId, EntityKind};
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::{BTreeMap, HashMap};

/// Weight changes of entity pairs `(smaller id, larger id)`, to be merged into the lists.
pub(super) type PairDeltas = HashMap<(i64, i64), i64>;

/// Bytes per (neighbour, weight) entry.
const ENTRY: usize = 8;

/// Adds one sentence in which entities `a` and `b` are both mentioned.
pub(super) fn add_pair(deltas: &mut PairDeltas, a: i64, b: i64) {
    *deltas.entry((a.min(b), a.max(b))).or_insert(0) += 1;
}

/// The (neighbour, weight) entries of a stored list.
pub(super) fn decode(blob: &[u8]) -> impl Iterator<Item = (i64, i64)> + '_ {
    blob.chunks_exact(ENTRY).map(|entry| {
        let word = |at: usize| u32::from_le_bytes([entry[at], entry[at + 1], entry[at + 2], entry[at + 3]]);
        (i64::from(word(0)), i64::from(word(4)))
    })
}

/// The (neighbour, weight) entries of a stored list, neighbours as entity ids (a stored neighbour
/// is a `u32`, so it always is one).
pub(super) fn decode_entities(blob: &[u8]) -> impl Iterator<Item = (EntityId, i64)> + '_ {
    decode(blob).map(|(neighbour, weight)| (EntityId(u32::try_from(neighbour).unwrap_or(u32::MAX)), weight))
}

fn encode(entries: &[(i64, i64)]) -> rusqlite::Result<Vec<u8>> {
    let mut blob = Vec::with_capacity(entries.len() * ENTRY);
    for &(neighbour, weight) in entries {
        for value in [neighbour, weight] {
            let word = u32::try_from(value).map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
            blob.extend_from_slice(&word.to_le_bytes());
        }
    }
    Ok(blob)
}

/// Merges `deltas` into the stored lists, on the open transaction: weights are added, entries
/// that reach zero are dropped, and an entity left with no neighbour loses its row.
pub(super) fn apply(conn: &Connection, deltas: &PairDeltas) -> rusqlite::Result<()> {
    if deltas.is_empty() {
        return Ok(());
    }
    let mut by_entity: BTreeMap<i64, Vec<(i64, i64)>> = BTreeMap::new();
    for (&(a, b), &delta) in deltas {
        if delta != 0 {
            by_entity.entry(a).or_default().push((b, delta));
            by_entity.entry(b).or_default().push((a, delta));
        }
    }
    let mut read = conn.prepare_cached("SELECT neighbours FROM cooccurrences WHERE entity_id = ?1")?;
    let mut write = conn.prepare_cached(
        "INSERT INTO cooccurrences (entity_id, degree, neighbours) VALUES (?1, ?2, ?3)
         ON CONFLICT(entity_id) DO UPDATE SET degree = excluded.degree, neighbours = excluded.neighbours",
    )?;
    let mut delete = conn.prepare_cached("DELETE FROM cooccurrences WHERE entity_id = ?1")?;
    let mut merged = Vec::new();
    for (entity, mut changes) in by_entity {
        changes.sort_unstable();
        let stored: Option<Vec<u8>> = read.query_row([entity], |r| r.get(0)).optional()?;
        merged.clear();
        merge(stored.as_deref().map(decode).into_iter().flatten(), &changes, &mut merged);
        if merged.is_empty() {
            delete.execute([entity])?;
        } else {
            write.execute(params![entity, merged.len() as i64, encode(&merged)?])?;
        }
    }
    Ok(())
}

/// Calls `each` with every sentence's id, its article's date and its co_occurs pairs, as the
/// resolver made them ([`co_occurs_pairs`]), for the mentions that `sql` selects (the columns of
/// [`MENTION_PAIRS_SQL`]), ordered by sentence.
pub(super) fn sentence_pairs(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
    mut each: impl FnMut(i64, Option<&str>, Vec<(i64, i64)>),
) -> rusqlite::Result<()> {
    struct Row {
        entity: i64,
        start: usize,
        end: usize,
        kind: EntityKind,
        name: String,
    }
    let mut flush = |(sentence, date): &(i64, Option<String>), rows: &[Row]| {
        let mentions = rows
            .iter()
            .map(|r| SentenceMention { start: r.start, end: r.end, kind: r.kind, name: &r.name, key: r.entity })
            .collect();
        each(*sentence, date.as_deref(), co_occurs_pairs(mentions));
    };
    let mut statement = conn.prepare(sql)?;
    let mut rows = statement.query(params)?;
    let mut current: Option<(i64, Option<String>)> = None;
    let mut buffer: Vec<Row> = Vec::new();
    while let Some(row) = rows.next()? {
        let sentence: i64 = row.get(0)?;
        if current.as_ref().is_none_or(|(c, _)| *c != sentence) {
            if let Some(done) = &current {
                flush(done, &buffer);
            }
            buffer.clear();
            current = Some((sentence, row.get(6)?));
        }
        buffer.push(Row {
            entity: row.get(1)?,
            start: usize::try_from(row.get::<_, i64>(2)?).unwrap_or(0),
            end: usize::try_from(row.get::<_, i64>(3)?).unwrap_or(0),
            kind: row.get(4)?,
            name: row.get(5)?,
        });
    }
    if let Some(done) = &current {
        flush(done, &buffer);
    }
    Ok(())
}

/// [`sentence_pairs`] over every sentence of the database, with the sentence's article instead of
/// its date: entities' kinds and names are read once, not joined to each of millions of mention
/// rows, and no article row is read (a date stored after a long body costs a walk through its
/// overflow pages). The day index's pass: 5.4 M mentions at ×100.
pub(super) fn every_sentence_pairs(
    conn: &Connection,
    mut each: impl FnMut(i64, Vec<(i64, i64)>),
) -> rusqlite::Result<()> {
    let mut entities: HashMap<i64, (EntityKind, String)> = HashMap::new();
    {
        let mut statement = conn.prepare("SELECT id, kind, name FROM entities")?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            entities.insert(row.get(0)?, (row.get(1)?, row.get(2)?));
        }
    }
    let mut statement = conn.prepare(
        "SELECT m.sentence_id, m.entity_id, m.start, m.end, s.article_id
         FROM mentions m JOIN sentences s ON s.id = m.sentence_id ORDER BY m.sentence_id",
    )?;
    let mut rows = statement.query([])?;
    let mut current: Option<(i64, i64)> = None;
    let mut buffer: Vec<(i64, usize, usize)> = Vec::new();
    let mut flush = |article: i64, buffer: &[(i64, usize, usize)]| {
        let mentions = buffer
            .iter()
            .filter_map(|&(entity, start, end)| {
                let (kind, name) = entities.get(&entity)?;
                Some(SentenceMention { start, end, kind: *kind, name, key: entity })
            })
            .collect();
        each(article, co_occurs_pairs(mentions));
    };
    while let Some(row) = rows.next()? {
        let sentence: i64 = row.get(0)?;
        if current.is_none_or(|(c, _)| c != sentence) {
            if let Some((_, article)) = current {
                flush(article, &buffer);
            }
            buffer.clear();
            current = Some((sentence, row.get(4)?));
        }
        let offset = |k: usize| row.get::<_, i64>(k).map(|v| usize::try_from(v).unwrap_or(0));
        buffer.push((row.get(1)?, offset(2)?, offset(3)?));
    }
    if let Some((_, article)) = current {
        flush(article, &buffer);
    }
    Ok(())
}

/// The mention columns [`sentence_pairs`] reads (sentence, entity, start, end, kind, name, the
/// article's date), for a `WHERE` on `m` (mentions), `s` (sentences) and `ar` (articles).
pub(super) const MENTION_PAIRS_SQL: &str =
    "SELECT m.sentence_id, m.entity_id, m.start, m.end, e.kind, e.name, ar.published_date
     FROM mentions m JOIN entities e ON e.id = m.entity_id
     JOIN sentences s ON s.id = m.sentence_id JOIN articles ar ON ar.id = s.article_id";

/// Schema version 5's Rust step: every co_occurs list rebuilt from the mentions with the list
/// sentence rule (older versions linked every pair of a sentence, rosters included).
pub(super) fn rebuild_lists(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM cooccurrences", [])?;
    let mut deltas = PairDeltas::new();
    let sql = format!("{MENTION_PAIRS_SQL} ORDER BY m.sentence_id");
    sentence_pairs(conn, &sql, [], |_, _, pairs| {
        for (a, b) in pairs {
            add_pair(&mut deltas, a, b);
        }
    })?;
    apply(conn, &deltas)
}

/// Schema version 3's Rust step: the co_occurs rows of `edges` become adjacency lists.
pub(super) fn convert_pair_rows(conn: &Connection) -> rusqlite::Result<()> {
    let mut statement = conn.prepare("SELECT source, target, weight FROM edges WHERE kind = 'co_occurs'")?;
    let rows = statement.query_map([], |r| Ok(((r.get(0)?, r.get(1)?), r.get(2)?)))?;
    let deltas = rows.collect::<rusqlite::Result<PairDeltas>>()?;
    apply(conn, &deltas)?;
    conn.execute("DELETE FROM edges WHERE kind = 'co_occurs'", [])?;
    Ok(())
}

/// Merges sorted stored entries with sorted changes into `out`, dropping weights that reach zero.
fn merge(stored: impl Iterator<Item = (i64, i64)>, changes: &[(i64, i64)], out: &mut Vec<(i64, i64)>) {
    let mut changes = changes.iter().copied().peekable();
    let mut push = |neighbour: i64, weight: i64| {
        if weight > 0 {
            out.push((neighbour, weight));
        }
    };
    for (neighbour, weight) in stored {
        let mut weight = weight;
        while let Some(&(other, delta)) = changes.peek() {
            if other > neighbour {
                break;
            }
            changes.next();
            if other == neighbour {
                weight += delta;
            } else {
                push(other, delta);
            }
        }
        push(neighbour, weight);
    }
    for (other, delta) in changes {
        push(other, delta);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_adds_inserts_and_drops_in_order() {
        let stored = [(2, 1), (5, 3), (9, 1)];
        let changes = [(1, 2), (5, 1), (9, -1), (12, 4)];
        let mut out = Vec::new();
        merge(stored.into_iter(), &changes, &mut out);
        assert_eq!(out, [(1, 2), (2, 1), (5, 4), (12, 4)]);
    }

    #[test]
    fn encode_and_decode_round_trip_and_refuse_ids_beyond_u32() {
        let entries = [(1, 7), (70_000, 1), (i64::from(u32::MAX), 2)];
        assert_eq!(decode(&encode(&entries).unwrap()).collect::<Vec<_>>(), entries);
        assert!(encode(&[(i64::from(u32::MAX) + 1, 1)]).is_err());
    }

    #[test]
    fn apply_keeps_both_directions_and_removes_emptied_rows() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE cooccurrences (entity_id INTEGER PRIMARY KEY, degree INTEGER NOT NULL, neighbours BLOB NOT NULL)",
        )
        .unwrap();
        let mut deltas = PairDeltas::new();
        for (a, b) in [(1, 2), (3, 1), (2, 3), (2, 1)] {
            add_pair(&mut deltas, a, b);
        }
        apply(&conn, &deltas).unwrap();
        let list = |id: i64| -> Vec<(i64, i64)> {
            let blob: Option<Vec<u8>> = conn
                .query_row("SELECT neighbours FROM cooccurrences WHERE entity_id = ?1", [id], |r| r.get(0))
                .optional()
                .unwrap();
            blob.map(|b| decode(&b).collect()).unwrap_or_default()
        };
        assert_eq!(list(1), [(2, 2), (3, 1)]);
        assert_eq!(list(3), [(1, 1), (2, 1)]);
        let undo: PairDeltas = [((1, 3), -1), ((2, 3), -1)].into_iter().collect();
        apply(&conn, &undo).unwrap();
        assert_eq!(list(3), []);
        assert_eq!(list(1), [(2, 2)]);
    }
}
