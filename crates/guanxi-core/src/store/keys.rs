//! Pinyin search keys (`entity_keys`): every reading of an entity's name and of each of its
//! aliases, full (`yuanjiawei`) and as initials (`yjw`), so that search by pinyin prefix reaches
//! the entity whichever reading a person types.
//!
//! The keys are derived data (migration 14). The writer stores an entity with its display pinyin
//! only and marks it `keyed = 0` (new, or given a new alias); the index pass after the graph
//! ([`Store::index_pending`](super::Store::index_pending)) makes the keys of every marked entity,
//! computing the readings on every core, and inserts them in entity order. Until then search
//! computes the marked entities' keys on the fly ([`unkeyed_matches`]), so an entity is reachable by pinyin from
//! the moment its batch commits; making them is idempotent and resumable after a kill.

use crate::pinyin::{may_start_with, name_pinyin};
use crate::vocab::EntityKind;
use rayon::prelude::*;
use rusqlite::{params, Connection};

/// An entity whose keys are not all made: its id, kind and every name it is searched by (its own
/// name first, then its distinct aliases).
struct Unkeyed {
    id: i64,
    kind: EntityKind,
    names: Vec<String>,
}

/// The entities marked unkeyed, in id order, with their names and aliases.
fn read_unkeyed(conn: &Connection) -> rusqlite::Result<Vec<Unkeyed>> {
    read_names(conn, "keyed = 0", [])
}

/// The entities `condition` selects, in id order, with their names and aliases as stored.
fn read_names(conn: &Connection, condition: &str, params: impl rusqlite::Params) -> rusqlite::Result<Vec<Unkeyed>> {
    let sql = format!("SELECT id, kind, name FROM entities WHERE {condition} ORDER BY id");
    let mut entities = conn.prepare_cached(&sql)?;
    let mut unkeyed: Vec<Unkeyed> = entities
        .query_map(params, |r| Ok(Unkeyed { id: r.get(0)?, kind: r.get(1)?, names: vec![r.get(2)?] }))?
        .collect::<rusqlite::Result<_>>()?;
    let mut aliases = conn.prepare_cached("SELECT DISTINCT alias FROM aliases WHERE entity_id = ?1 ORDER BY alias")?;
    for entity in &mut unkeyed {
        for alias in aliases.query_map([entity.id], |r| r.get::<_, String>(0))? {
            let alias = alias?;
            if alias != entity.names[0] {
                entity.names.push(alias);
            }
        }
    }
    Ok(unkeyed)
}

/// Every key of the entities' names, computed in parallel: (entity id, its keys, sorted).
fn keys_of(unkeyed: &[Unkeyed]) -> Vec<(i64, Vec<String>)> {
    unkeyed
        .par_iter()
        .map(|entity| {
            let mut keys: Vec<String> =
                entity.names.iter().flat_map(|name| name_pinyin(name, entity.kind).keys).collect();
            keys.sort_unstable();
            keys.dedup();
            (entity.id, keys)
        })
        .collect()
}

/// Makes the keys of every entity marked unkeyed and clears the marks, on the open transaction;
/// returns how many entities it keyed. Keys go in entity order (new entities have the highest
/// ids, so the by-entity index is appended to; measured a little faster than key order).
pub(super) fn make_pending(tx: &Connection) -> rusqlite::Result<usize> {
    let unkeyed = read_unkeyed(tx)?;
    if unkeyed.is_empty() {
        return Ok(0);
    }
    insert_keys(tx, &unkeyed)?;
    // Every marked entity was read in this transaction, and only this connection writes.
    tx.prepare_cached("UPDATE entities SET keyed = 1 WHERE keyed = 0")?.execute([])?;
    Ok(unkeyed.len())
}

/// Makes the keys of the entities listed in `ids_json` (a JSON array of ids) from their names and
/// aliases as stored, and clears their marks (a correction remade their aliases).
pub(super) fn make_for(tx: &Connection, ids_json: &str) -> rusqlite::Result<()> {
    let entities = read_names(tx, "id IN (SELECT value FROM json_each(?1))", [ids_json])?;
    insert_keys(tx, &entities)?;
    tx.prepare_cached("UPDATE entities SET keyed = 1 WHERE id IN (SELECT value FROM json_each(?1))")?
        .execute([ids_json])?;
    Ok(())
}

/// Inserts every key of the entities' names (in entity order: new entities have the highest ids).
fn insert_keys(tx: &Connection, entities: &[Unkeyed]) -> rusqlite::Result<()> {
    let mut insert = tx.prepare_cached("INSERT OR IGNORE INTO entity_keys (key, entity_id) VALUES (?1, ?2)")?;
    for (id, keys) in keys_of(entities) {
        for key in keys {
            insert.execute(params![key, id])?;
        }
    }
    Ok(())
}

/// A match of search among the entities marked unkeyed: the entity, its first matching key in
/// key order and the length in characters of its shortest matching key (what stored keys give
/// search).
pub(super) struct UnkeyedMatch {
    pub(super) id: i64,
    pub(super) key: String,
    pub(super) shortest: usize,
}

/// The entities marked unkeyed that have a key starting with `prefix`: what search adds to the
/// stored keys' answer.
pub(super) fn unkeyed_matches(conn: &Connection, prefix: &str) -> rusqlite::Result<Vec<UnkeyedMatch>> {
    let mut unkeyed = read_unkeyed(conn)?;
    // Only names whose first character can begin the prefix are worth every key.
    unkeyed.retain(|entity| entity.names.iter().any(|name| may_start_with(name, entity.kind, prefix)));
    // The range search reads from the stored keys: `prefix` ≤ key < `prefix{`.
    let end = format!("{prefix}{{");
    Ok(keys_of(&unkeyed)
        .into_iter()
        .filter_map(|(id, keys)| {
            let matching: Vec<String> =
                keys.into_iter().filter(|k| k.as_str() >= prefix && k.as_str() < end.as_str()).collect();
            let shortest = matching.iter().map(|k| k.chars().count()).min()?;
            // Keys are sorted: the first is the least.
            let key = matching.into_iter().next()?;
            Some(UnkeyedMatch { id, key, shortest })
        })
        .collect())
}

/// Marks an entity as owing keys (it was given an alias it had never had).
pub(super) fn mark_unkeyed(conn: &Connection, entity_id: i64) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE entities SET keyed = 0 WHERE id = ?1 AND keyed = 1")?.execute([entity_id])?;
    Ok(())
}
