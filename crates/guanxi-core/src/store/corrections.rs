//! Corrections in the store: the `corrections` table (in the order they were made) and the one
//! function that brings the stored graph rows in line with them when a correction is made or
//! undone ([`apply`]).
//!
//! The graph rows are always "what was recognised, corrected": each mention keeps its recognised
//! entity (`mentions.recognised`, or `held_mentions` while a ban holds it out), and aliases, roles
//! and typed relations are kept as recognised (`recognised_*`). [`apply`] works out which
//! recognised entities the change sends elsewhere, moves their mentions, and makes again, from
//! the recognised rows, everything of the entities concerned: counts, co_occurs weights (the
//! pairs of every sentence touched, taken out before and put back after, so a weight always
//! equals its evidence sentences), aliases, roles, typed relations and search keys. A page written
//! later goes through the same rule (`write.rs`), so a correction made before or after an ingest
//! gives the same graph.

use super::cooccurrence::{self, PairDeltas};
use super::write::{entity_row, insert_typed_edges};
use super::Store;
use crate::error::{Error, Result};
use crate::pinyin::name_pinyin;
use crate::resolve::Corrections;
use crate::vocab::{Correction, EntityKind, EntityName, RelationKind};
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// A correction as stored: its id, what it does, who made it and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCorrection {
    /// Row id (what `undo` takes).
    pub id: i64,
    /// What it does.
    pub correction: Correction,
    /// Who made it.
    pub author: String,
    /// When (UTC, `YYYY-MM-DDTHH:MM:SSZ`).
    pub made_at: String,
}

/// A correction to record: what, by whom, and when (now, unless it was made elsewhere and
/// imported).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCorrection {
    /// What it does.
    pub correction: Correction,
    /// Who made it.
    pub author: String,
    /// When it was made, if not now (UTC, `YYYY-MM-DDTHH:MM:SSZ`).
    pub made_at: Option<String>,
}

/// Reads every stored correction, oldest first.
fn read_all(conn: &Connection) -> rusqlite::Result<Vec<StoredCorrection>> {
    let mut statement = conn.prepare_cached("SELECT id, detail, author, made_at FROM corrections ORDER BY id")?;
    let rows = statement.query_map([], |r| {
        let id: i64 = r.get(0)?;
        let detail: String = r.get(1)?;
        let correction: Correction = serde_json::from_str(&detail)
            .map_err(|e| rusqlite::Error::FromSqlConversionFailure(1, rusqlite::types::Type::Text, Box::new(e)))?;
        Ok(StoredCorrection { id, correction, author: r.get(2)?, made_at: r.get(3)? })
    })?;
    rows.collect()
}

/// The corrections in force, oldest first (what the writer applies to a new page).
pub(super) fn load(conn: &Connection) -> rusqlite::Result<Corrections> {
    Ok(Corrections::new(read_all(conn)?.into_iter().map(|c| c.correction).collect()))
}

impl Store {
    /// Every correction in force, oldest first.
    pub fn corrections(&self) -> Result<Vec<StoredCorrection>> {
        read_all(&self.conn).map_err(Error::sql("reading corrections"))
    }

    /// Records corrections (in this order) and applies them to the stored graph, all in one
    /// transaction. Returns their ids.
    pub fn add_corrections(&mut self, corrections: &[NewCorrection]) -> Result<Vec<i64>> {
        self.check_before_writing()?;
        let context = "recording a correction";
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(Error::sql(context))?;
        let before = load(&tx).map_err(Error::sql(context))?;
        let mut ids = Vec::with_capacity(corrections.len());
        for NewCorrection { correction, author, made_at } in corrections {
            let detail = serde_json::to_string(correction)
                .map_err(|e| Error::Internal { context: context.to_string(), reason: e.to_string() })?;
            tx.execute(
                "INSERT INTO corrections (action, detail, author, made_at)
                 VALUES (?1, ?2, ?3, coalesce(?4, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))",
                params![correction.action(), detail, author, made_at],
            )
            .map_err(Error::sql(context))?;
            ids.push(tx.last_insert_rowid());
        }
        let after = load(&tx).map_err(Error::sql(context))?;
        apply(&tx, &before, &after).map_err(Error::sql("applying a correction to the stored graph"))?;
        tx.commit().map_err(Error::sql(context))?;
        Ok(ids)
    }

    /// Removes a correction and brings the stored graph back to what the others make of it, in one
    /// transaction. Returns what was undone, or `None` when no correction has this id.
    pub fn undo_correction(&mut self, id: i64) -> Result<Option<StoredCorrection>> {
        self.check_before_writing()?;
        let context = format!("undoing correction {id}");
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(Error::sql(context.clone()))?;
        let all = read_all(&tx).map_err(Error::sql(context.clone()))?;
        let Some(undone) = all.iter().find(|c| c.id == id).cloned() else {
            return Ok(None);
        };
        let before = Corrections::new(all.iter().map(|c| c.correction.clone()).collect());
        tx.execute("DELETE FROM corrections WHERE id = ?1", [id]).map_err(Error::sql(context.clone()))?;
        let after = load(&tx).map_err(Error::sql(context.clone()))?;
        apply(&tx, &before, &after).map_err(Error::sql(context.clone()))?;
        tx.commit().map_err(Error::sql(context))?;
        Ok(Some(undone))
    }

    /// The surfaces mentions of an entity are written with, most frequent first.
    pub fn surfaces_of(&self, entity: crate::vocab::EntityId) -> Result<Vec<(String, i64)>> {
        let context = "reading an entity's surfaces";
        let mut statement = self
            .conn
            .prepare_cached(
                "SELECT surface, count(*) FROM mentions WHERE entity_id = ?1
                 GROUP BY surface ORDER BY count(*) DESC, surface",
            )
            .map_err(Error::sql(context))?;
        let rows = statement.query_map([entity], |r| Ok((r.get(0)?, r.get(1)?))).map_err(Error::sql(context))?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(Error::sql(context))
    }
}

/// A recognised entity.
struct Recognised {
    id: i64,
    name: EntityName,
}

/// The surface standing for "any surface no split names" (split surfaces are never empty).
const OTHER_SURFACE: &str = "";

/// Where each class of mention of a recognised entity goes: one target for the surfaces no split
/// names, then one per split surface (in `surfaces` order).
fn targets_of(corrections: &Corrections, r: &EntityName, surfaces: &[String]) -> Vec<Option<EntityName>> {
    std::iter::once(OTHER_SURFACE)
        .chain(surfaces.iter().map(String::as_str))
        .map(|surface| corrections.target(r.kind, &r.name, surface))
        .collect()
}

/// The class of a surface in [`targets_of`]'s list.
fn class_of(surfaces: &[String], surface: &str) -> usize {
    surfaces.iter().position(|s| s == surface).map_or(0, |i| i + 1)
}

/// Brings the stored graph from what `before` made of the recognised rows to what `after` makes
/// of them, on the open transaction: the one engine function for stored rows (see the module
/// documentation).
pub(super) fn apply(tx: &Connection, before: &Corrections, after: &Corrections) -> rusqlite::Result<()> {
    super::write::count_graph_change(tx)?;
    // Which recognised entities can go elsewhere: only those a correction names (a fold starts
    // from the recognised name, and a correction acts only on the name it names).
    let subjects: HashSet<EntityName> =
        before.list().iter().chain(after.list()).flat_map(Correction::subjects).collect();
    let surfaces: Vec<String> = before.split_surfaces().union(after.split_surfaces()).cloned().collect();
    let mut recognised: Vec<Recognised> = Vec::new();
    {
        let mut statement = tx.prepare("SELECT id, kind, name FROM recognised_entities ORDER BY id")?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            let name = EntityName::new(row.get(1)?, row.get::<_, String>(2)?);
            if subjects.contains(&name) {
                recognised.push(Recognised { id: row.get(0)?, name });
            }
        }
    }
    let mut changed: BTreeMap<i64, Vec<Option<EntityName>>> = BTreeMap::new();
    let mut old_names: BTreeSet<EntityName> = BTreeSet::new();
    let mut new_names: BTreeSet<EntityName> = BTreeSet::new();
    for r in &recognised {
        let old = targets_of(before, &r.name, &surfaces);
        let new = targets_of(after, &r.name, &surfaces);
        if old != new {
            old_names.extend(old.into_iter().flatten());
            new_names.extend(new.iter().flatten().cloned());
            changed.insert(r.id, new);
        }
    }
    if changed.is_empty() {
        return Ok(());
    }
    let by_id: HashMap<i64, &EntityName> = recognised.iter().map(|r| (r.id, &r.name)).collect();
    let mut affected: BTreeSet<i64> = BTreeSet::new();
    for name in old_names.iter().chain(&new_names) {
        if let Some(id) = entity_id(tx, name)? {
            affected.insert(id);
        }
    }
    let old_ids: Vec<i64> =
        old_names.iter().filter_map(|n| entity_id(tx, n).transpose()).collect::<rusqlite::Result<_>>()?;
    let changed_ids: Vec<i64> = changed.keys().copied().collect();

    // The sentences whose pairs may change: every sentence of an entity concerned, and those of
    // the mentions a ban holds.
    tx.execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS correction_sentences (id INTEGER PRIMARY KEY);
         DELETE FROM temp.correction_sentences;",
    )?;
    tx.execute(
        "INSERT OR IGNORE INTO temp.correction_sentences
         SELECT sentence_id FROM mentions WHERE entity_id IN (SELECT value FROM json_each(?1))",
        [json(&affected)],
    )?;
    tx.execute(
        "INSERT OR IGNORE INTO temp.correction_sentences
         SELECT sentence_id FROM held_mentions WHERE recognised IN (SELECT value FROM json_each(?1))",
        [json(&changed_ids)],
    )?;
    let pairs_sql = format!(
        "{} WHERE m.sentence_id IN (SELECT id FROM temp.correction_sentences) ORDER BY m.sentence_id",
        cooccurrence::MENTION_PAIRS_SQL
    );
    let mut deltas = PairDeltas::new();
    cooccurrence::sentence_pairs(tx, &pairs_sql, [], |_, _, pairs| {
        for (a, b) in pairs {
            *deltas.entry((a, b)).or_insert(0) -= 1;
        }
    })?;

    // Where each stored mention of the old entities goes.
    struct Moving {
        id: i64,
        entity: i64,
        target: Option<EntityName>,
    }
    let mut moving: Vec<Moving> = Vec::new();
    let mut fates: BTreeMap<i64, BTreeSet<Option<EntityName>>> = BTreeMap::new();
    {
        let mut statement = tx.prepare(
            "SELECT m.id, m.entity_id, m.recognised, m.surface, e.kind, e.name FROM mentions m
             JOIN entities e ON e.id = m.entity_id WHERE m.entity_id IN (SELECT value FROM json_each(?1))",
        )?;
        let mut rows = statement.query([json(&old_ids)])?;
        while let Some(row) = rows.next()? {
            let (id, entity, recognised): (i64, i64, Option<i64>) = (row.get(0)?, row.get(1)?, row.get(2)?);
            let surface: String = row.get(3)?;
            let target = match recognised.and_then(|r| changed.get(&r)) {
                Some(targets) => targets[class_of(&surfaces, &surface)].clone(),
                None => Some(EntityName::new(row.get(4)?, row.get::<_, String>(5)?)),
            };
            fates.entry(entity).or_default().insert(target.clone());
            if recognised.is_some_and(|r| changed.contains_key(&r)) {
                moving.push(Moving { id, entity, target });
            }
        }
    }

    // Rows for the new names: an entity all of whose mentions go to one new name keeps its row
    // (and id) under that name; otherwise a row is found or made.
    // (New rows' search keys are made again with their aliases' below.)
    let mut ids: HashMap<EntityName, i64> = HashMap::new();
    for (&entity, fate) in &fates {
        if fate.len() != 1 {
            continue;
        }
        let Some(Some(name)) = fate.iter().next() else { continue };
        if ids.contains_key(name) || entity_id(tx, name)?.is_some() {
            continue;
        }
        let pinyin = name_pinyin(&name.name, name.kind);
        tx.execute(
            "UPDATE entities SET kind = ?1, name = ?2, pinyin = ?3, initials = ?4 WHERE id = ?5",
            params![name.kind, name.name, pinyin.display, pinyin.initials, entity],
        )?;
        ids.insert(name.clone(), entity);
    }
    let mut row_of = |tx: &Connection, name: &EntityName, affected: &mut BTreeSet<i64>| -> rusqlite::Result<i64> {
        if let Some(&id) = ids.get(name) {
            return Ok(id);
        }
        let id = entity_row(tx, name)?;
        ids.insert(name.clone(), id);
        affected.insert(id);
        Ok(id)
    };

    // Move the mentions: to their new entity, or held apart by a ban; held ones come back.
    {
        let mut update = tx.prepare("UPDATE mentions SET entity_id = ?1 WHERE id = ?2")?;
        let mut hold = tx.prepare(
            "INSERT INTO held_mentions (sentence_id, start, end, surface, recognised)
             SELECT sentence_id, start, end, surface, recognised FROM mentions WHERE id = ?1",
        )?;
        let mut delete = tx.prepare("DELETE FROM mentions WHERE id = ?1")?;
        for m in &moving {
            match &m.target {
                Some(name) => {
                    let id = row_of(tx, name, &mut affected)?;
                    if id != m.entity {
                        update.execute([id, m.id])?;
                    }
                }
                None => {
                    hold.execute([m.id])?;
                    delete.execute([m.id])?;
                }
            }
        }
        let mut held = tx.prepare(
            "SELECT id, sentence_id, start, end, surface, recognised FROM held_mentions
             WHERE recognised IN (SELECT value FROM json_each(?1))",
        )?;
        let rows: Vec<(i64, i64, i64, i64, String, i64)> = held
            .query_map([json(&changed_ids)], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut restore = tx.prepare(
            "INSERT INTO mentions (entity_id, sentence_id, start, end, surface, recognised) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        let mut unhold = tx.prepare("DELETE FROM held_mentions WHERE id = ?1")?;
        for (id, sentence, start, end, surface, recognised) in rows {
            if let Some(name) = changed.get(&recognised).and_then(|t| t[class_of(&surfaces, &surface)].as_ref()) {
                let entity = row_of(tx, name, &mut affected)?;
                restore.execute(params![entity, sentence, start, end, surface, recognised])?;
                unhold.execute([id])?;
            }
        }
    }
    let affected_json = json(&affected);

    // Counts, then the pairs of the same sentences as they are now.
    tx.execute(
        "UPDATE entities SET
            mentions = (SELECT count(*) FROM mentions WHERE entity_id = entities.id),
            articles = (SELECT count(DISTINCT s.article_id) FROM mentions m JOIN sentences s ON s.id = m.sentence_id
                        WHERE m.entity_id = entities.id)
         WHERE id IN (SELECT value FROM json_each(?1))",
        [&affected_json],
    )?;
    tx.execute("DELETE FROM entity_days WHERE entity_id IN (SELECT value FROM json_each(?1))", [&affected_json])?;
    tx.execute(
        "INSERT INTO entity_days (entity_id, day, mentions, articles)
         SELECT m.entity_id, ar.published_date, count(*), count(DISTINCT ar.id)
         FROM mentions m JOIN sentences s ON s.id = m.sentence_id JOIN articles ar ON ar.id = s.article_id
         WHERE m.entity_id IN (SELECT value FROM json_each(?1)) AND ar.published_date IS NOT NULL
         GROUP BY m.entity_id, ar.published_date",
        [&affected_json],
    )?;
    cooccurrence::sentence_pairs(tx, &pairs_sql, [], |_, _, pairs| {
        for (a, b) in pairs {
            *deltas.entry((a, b)).or_insert(0) += 1;
        }
    })?;
    deltas.retain(|_, delta| *delta != 0);
    cooccurrence::apply(tx, &deltas)?;
    tx.execute("DELETE FROM temp.correction_sentences", [])?;

    // Aliases, roles, typed relations and search keys of the entities concerned, made again.
    for table in ["aliases", "roles", "entity_keys"] {
        tx.execute(
            &format!("DELETE FROM {table} WHERE entity_id IN (SELECT value FROM json_each(?1))"),
            [&affected_json],
        )?;
    }
    tx.execute(
        "DELETE FROM edges WHERE source IN (SELECT value FROM json_each(?1)) OR target IN (SELECT value FROM json_each(?1))",
        [&affected_json],
    )?;
    tx.execute(
        "DELETE FROM entities WHERE mentions <= 0 AND id IN (SELECT value FROM json_each(?1))",
        [&affected_json],
    )?;
    let survivors: BTreeMap<i64, EntityName> = {
        let mut statement =
            tx.prepare("SELECT id, kind, name FROM entities WHERE id IN (SELECT value FROM json_each(?1))")?;
        let rows = statement
            .query_map([&affected_json], |r| Ok((r.get(0)?, EntityName::new(r.get(1)?, r.get::<_, String>(2)?))))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let survivor_ids: HashMap<&EntityName, i64> = survivors.iter().map(|(id, n)| (n, *id)).collect();
    rebuild_details(tx, after, &survivors, &survivor_ids, &by_id)
}

/// Aliases, roles, typed relations and search keys of the entities `survivors` (whose rows of
/// these were deleted), made again from the recognised rows with the corrections `after`.
fn rebuild_details(
    tx: &Connection,
    after: &Corrections,
    survivors: &BTreeMap<i64, EntityName>,
    survivor_ids: &HashMap<&EntityName, i64>,
    named: &HashMap<i64, &EntityName>,
) -> rusqlite::Result<()> {
    if survivors.is_empty() {
        return Ok(());
    }
    // The recognised entities that can end in a survivor: those a correction names (`named`), and
    // those recognised under a survivor's own name.
    let mut recognised: HashMap<i64, EntityName> = named.iter().map(|(id, n)| (*id, (*n).clone())).collect();
    {
        let mut statement = tx.prepare_cached("SELECT id FROM recognised_entities WHERE kind = ?1 AND name = ?2")?;
        for name in survivors.values() {
            if let Some(id) = statement.query_row(params![name.kind, name.name], |r| r.get::<_, i64>(0)).optional()? {
                recognised.insert(id, name.clone());
            }
        }
    }
    let target = |r: i64, surface: &str| -> Option<EntityName> {
        let name = recognised.get(&r)?;
        after.target(name.kind, &name.name, surface)
    };
    let mut sources = SourcesOf::default();
    let ids_json = json(&recognised.keys().copied().collect::<BTreeSet<_>>());

    // Aliases: recognised ones, where a mention written so would go; and mention surfaces.
    let mut aliases: BTreeSet<(String, i64, i64)> = BTreeSet::new();
    {
        let mut statement = tx.prepare(
            "SELECT recognised, alias, source_id FROM recognised_aliases WHERE recognised IN (SELECT value FROM json_each(?1))",
        )?;
        let rows: Vec<(i64, String, i64)> = statement
            .query_map([&ids_json], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (r, alias, source) in rows {
            let Some(name) = target(r, &alias).filter(|n| n.name != alias) else { continue };
            if let Some(&id) = survivor_ids.get(&name) {
                if sources.has(tx, id, source)? {
                    aliases.insert((alias, id, source));
                }
            }
        }
    }
    if !after.is_empty() {
        // Mention surfaces, and recognised names where the entity's own name went (as `write.rs`).
        let mut statement = tx.prepare(
            "SELECT DISTINCT m.surface, re.kind, re.name, ar.source_id FROM mentions m
             JOIN recognised_entities re ON re.id = m.recognised
             JOIN sentences s ON s.id = m.sentence_id JOIN articles ar ON ar.id = s.article_id
             WHERE m.entity_id = ?1",
        )?;
        for (&id, name) in survivors {
            let rows: Vec<(String, EntityKind, String, i64)> = statement
                .query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
                .collect::<rusqlite::Result<_>>()?;
            for (surface, kind, recognised, source) in rows {
                if surface != name.name {
                    aliases.insert((surface, id, source));
                }
                if recognised != name.name && after.target(kind, &recognised, &recognised).as_ref() == Some(name) {
                    aliases.insert((recognised, id, source));
                }
            }
        }
    }
    {
        let mut insert =
            tx.prepare("INSERT OR IGNORE INTO aliases (alias, entity_id, source_id) VALUES (?1, ?2, ?3)")?;
        for (alias, id, source) in &aliases {
            insert.execute(params![alias, id, source])?;
        }
    }
    // Search keys of their names and the aliases just made (as the index pass makes them).
    super::keys::make_for(tx, &json(survivors.keys()))?;

    // Roles go where the entity's own name goes.
    {
        let mut statement = tx.prepare(
            "SELECT recognised, role, source_id FROM recognised_roles WHERE recognised IN (SELECT value FROM json_each(?1))",
        )?;
        let rows: Vec<(i64, String, i64)> = statement
            .query_map([&ids_json], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut insert = tx.prepare("INSERT OR IGNORE INTO roles (entity_id, role, source_id) VALUES (?1, ?2, ?3)")?;
        for (r, role, source) in rows {
            let Some(name) = recognised.get(&r).and_then(|n| target(r, &n.name)) else { continue };
            if let Some(&id) = survivor_ids.get(&name) {
                if sources.has(tx, id, source)? {
                    insert.execute(params![id, role, source])?;
                }
            }
        }
    }

    // Typed relations with an end in a survivor, between the entities their ends go to.
    let mut evidence: BTreeMap<(i64, i64, RelationKind), BTreeSet<i64>> = BTreeMap::new();
    {
        let mut statement = tx.prepare(
            "SELECT rr.source, rs.kind, rs.name, rr.target, rt.kind, rt.name, rr.kind, rr.sentence_id, ar.source_id
             FROM recognised_relations rr
             JOIN recognised_entities rs ON rs.id = rr.source JOIN recognised_entities rt ON rt.id = rr.target
             JOIN sentences s ON s.id = rr.sentence_id JOIN articles ar ON ar.id = s.article_id
             WHERE rr.source IN (SELECT value FROM json_each(?1)) OR rr.target IN (SELECT value FROM json_each(?1))",
        )?;
        type Row = (EntityName, EntityName, RelationKind, i64, i64);
        let rows: Vec<Row> = statement
            .query_map([&ids_json], |r| {
                Ok((
                    EntityName::new(r.get::<_, EntityKind>(1)?, r.get::<_, String>(2)?),
                    EntityName::new(r.get::<_, EntityKind>(4)?, r.get::<_, String>(5)?),
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        for (from, to, kind, sentence, source) in rows {
            let end = |n: &EntityName| after.target(n.kind, &n.name, &n.name);
            let (Some(from), Some(to)) = (end(&from), end(&to)) else { continue };
            if !survivor_ids.contains_key(&from) && !survivor_ids.contains_key(&to) {
                continue;
            }
            let (Some(from), Some(to)) = (entity_id(tx, &from)?, entity_id(tx, &to)?) else { continue };
            if from != to && sources.has(tx, from, source)? && sources.has(tx, to, source)? {
                evidence.entry((from, to, kind)).or_default().insert(sentence);
            }
        }
    }
    insert_typed_edges(tx, &evidence)
}

/// Which sources mention an entity (read once per entity).
#[derive(Default)]
struct SourcesOf(HashMap<i64, HashSet<i64>>);

impl SourcesOf {
    fn has(&mut self, tx: &Connection, entity: i64, source: i64) -> rusqlite::Result<bool> {
        if let std::collections::hash_map::Entry::Vacant(slot) = self.0.entry(entity) {
            let mut statement = tx.prepare_cached(
                "SELECT DISTINCT ar.source_id FROM mentions m JOIN sentences s ON s.id = m.sentence_id
                 JOIN articles ar ON ar.id = s.article_id WHERE m.entity_id = ?1",
            )?;
            slot.insert(statement.query_map([entity], |r| r.get(0))?.collect::<rusqlite::Result<HashSet<i64>>>()?);
        }
        Ok(self.0.get(&entity).is_some_and(|set| set.contains(&source)))
    }
}

/// The row id of an entity, if it has one.
fn entity_id(tx: &Connection, name: &EntityName) -> rusqlite::Result<Option<i64>> {
    tx.prepare_cached("SELECT id FROM entities WHERE kind = ?1 AND name = ?2")?
        .query_row(params![name.kind, name.name], |r| r.get(0))
        .optional()
}

/// A set of ids as a JSON array (for `json_each`).
fn json<'a>(ids: impl IntoIterator<Item = &'a i64>) -> String {
    let list: Vec<String> = ids.into_iter().map(i64::to_string).collect();
    format!("[{}]", list.join(","))
}
