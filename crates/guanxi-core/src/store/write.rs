//! Writing: one transaction per source file.

use super::cooccurrence::{self, PairDeltas};
use super::Store;
use crate::error::{Error, Result};
use crate::ingest::SourceText;
use crate::pinyin::display_pinyin;
use crate::resolve::{co_occurs_pairs, Corrections, ResolvedPage, SentenceMention};
use crate::vocab::{EntityName, RelationKind};
use rusqlite::{params, OptionalExtension};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// What one stored file added.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StoredFile {
    /// Articles written.
    pub articles: usize,
    /// Sentences written.
    pub sentences: usize,
    /// Mentions written.
    pub mentions: usize,
    /// Whether old rows of the same path were replaced.
    pub replaced: bool,
}

impl Store {
    /// Another stored file with these bytes, if any.
    pub fn path_with_sha(&self, sha256: &str, except: &str) -> Result<Option<String>> {
        self.conn
            .prepare_cached(
                "SELECT path FROM sources WHERE sha256 = ?1 AND status = 'stored' AND path <> ?2 ORDER BY path LIMIT 1",
            )
            .and_then(|mut statement| statement.query_row(params![sha256, except], |r| r.get(0)).optional())
            .map_err(Error::sql("looking up duplicates"))
    }

    /// Records that a file was skipped, unless good rows for that path are already stored (a file
    /// that went bad never costs the user what was stored from it before).
    pub fn record_skip(&mut self, path: &str, size: u64, reason: &str) -> Result<()> {
        self.check_before_writing()?;
        self.conn
            .execute(
                "INSERT INTO sources (path, size, status, error) VALUES (?1, ?2, 'skipped', ?3)
                 ON CONFLICT(path) DO UPDATE SET size = excluded.size, error = excluded.error,
                     ingested_at = excluded.ingested_at
                 WHERE sources.status = 'skipped'",
                params![path, size as i64, reason],
            )
            .map_err(Error::sql(format!("recording skipped file {path}")))?;
        Ok(())
    }

    /// Opens a batch: the following writes share one transaction until [`Store::commit_batch`].
    /// A crash loses at most the files of the open batch, never part of a file; an error while
    /// writing aborts the batch ([`Store::rollback_batch`]).
    pub fn begin_batch(&self) -> Result<()> {
        self.check_before_writing()?;
        self.conn.execute_batch("BEGIN IMMEDIATE").map_err(Error::sql("starting a batch"))
    }

    /// Commits the open batch, after merging its co_occurs weights into the adjacency lists and
    /// indexing its articles.
    pub fn commit_batch(&mut self) -> Result<()> {
        self.pending.flush(&self.conn).map_err(Error::sql("indexing a batch"))?;
        count_graph_change(&self.conn).map_err(Error::sql("committing a batch"))?;
        self.conn.execute_batch("COMMIT").map_err(Error::sql("committing a batch"))
    }

    /// Abandons the open batch (after an error), keeping everything committed before it. A
    /// rollback that fails is an error of its own (SQLite then rolls back when the connection
    /// closes; nothing of the batch is kept either way).
    pub fn rollback_batch(&mut self) -> Result<()> {
        self.pending.clear();
        if self.conn.is_autocommit() {
            return Ok(());
        }
        self.conn.execute_batch("ROLLBACK").map_err(Error::sql("rolling back a failed batch"))
    }

    /// Stores one file's articles, mentions and relations, replacing the rows of an earlier
    /// version of the same path. Outside a batch this is its own transaction. Inside a batch it
    /// writes into the batch's transaction without a savepoint: the batch is all-or-nothing, and
    /// an error aborts the whole batch (see `Ingestor::ingest`).
    pub fn store_page(&mut self, path: &str, source: &SourceText, page: &ResolvedPage) -> Result<StoredFile> {
        self.check_before_writing()?;
        if self.conn.is_autocommit() {
            let tx = self.conn.transaction().map_err(Error::sql(format!("starting a transaction for {path}")))?;
            let mut pending = Pending::default();
            let stored = store_page_in(&tx, path, source, page, &mut pending)?;
            pending.flush(&tx).map_err(Error::sql(format!("indexing {path}")))?;
            count_graph_change(&tx).map_err(Error::sql(format!("committing {path}")))?;
            tx.commit().map_err(Error::sql(format!("committing {path}")))?;
            Ok(stored)
        } else {
            store_page_in(&self.conn, path, source, page, &mut self.pending)
        }
    }

    /// Starts storing a crawler export under `path` inside the open batch: replaces the rows of
    /// an earlier version and adds the file without a hash, so that an export interrupted
    /// between its chunks is read again on the next ingest. Returns the source's row id and
    /// whether an earlier version was replaced.
    pub fn begin_export(&mut self, path: &str, size: u64) -> Result<(i64, bool)> {
        self.check_before_writing()?;
        let context = |what: &str| format!("{what} for {path}");
        let old = source_of(&self.conn, path).map_err(Error::sql(context("looking up the old version")))?;
        if let Some(id) = old {
            remove_source(&self.conn, id, &mut self.pending.known)
                .map_err(Error::sql(context("removing the old version")))?;
        }
        self.conn
            .execute(
                "INSERT INTO sources (path, sha256, encoding, size, status) VALUES (?1, NULL, NULL, ?2, 'stored')",
                params![path, size as i64],
            )
            .map_err(Error::sql(context("adding the export")))?;
        Ok((self.conn.last_insert_rowid(), old.is_some()))
    }

    /// Stores one row of a crawler export (its article, mentions and relations) as article
    /// `ordinal` of the export's source, inside the open batch.
    pub fn append_export_row(
        &mut self,
        source_id: i64,
        ordinal: usize,
        row: &SourceText,
        page: &ResolvedPage,
    ) -> Result<StoredFile> {
        if self.conn.is_autocommit() {
            return Err(Error::Internal {
                context: format!("writing row {ordinal} of export {source_id}"),
                reason: "export rows are written inside a batch".to_string(),
            });
        }
        write_content(&self.conn, source_id, ordinal, row, page, &mut self.pending)
            .map_err(Error::sql(format!("writing row {ordinal} of export {source_id}")))
    }

    /// Marks an export as completely stored: its hash (so an unchanged file is skipped next
    /// time), encoding and size.
    pub fn finish_export(&mut self, source_id: i64, sha256: &str, encoding: &str, size: u64) -> Result<()> {
        self.conn
            .execute(
                "UPDATE sources SET sha256 = ?2, encoding = ?3, size = ?4 WHERE id = ?1",
                params![source_id, sha256, encoding, size as i64],
            )
            .map_err(Error::sql(format!("finishing export {source_id}")))?;
        Ok(())
    }

    /// Every stored path with its SHA-256 (to tell unchanged files before reading them twice).
    pub fn stored_hashes(&self) -> Result<std::collections::HashMap<String, String>> {
        let context = "reading stored hashes";
        let mut statement = self
            .conn
            .prepare("SELECT path, sha256 FROM sources WHERE status = 'stored' AND sha256 IS NOT NULL")
            .map_err(Error::sql(context))?;
        let rows = statement.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).map_err(Error::sql(context))?;
        rows.collect::<rusqlite::Result<_>>().map_err(Error::sql(context))
    }
}

/// What a transaction's writes still owe the derived tables, paid once just before it commits:
/// co_occurs weights for the adjacency lists. The full-text index and the pinyin search keys are
/// not among them: they are made after the graph, by [`Store::index_pending`].
#[derive(Debug, Default)]
pub(super) struct Pending {
    pub(super) pairs: PairDeltas,
    /// The entity and recognised-entity row ids this transaction has looked up or made, by
    /// name: pages of a batch name the same entities over and over, and each lookup is an
    /// index seek on a text key. Valid only inside the transaction (another connection may
    /// correct entities between two), and forgotten when a file's rows are removed.
    pub(super) known: KnownIds,
}

/// Row ids by (kind, name), for the open transaction (see [`Pending::known`]).
#[derive(Debug, Default)]
pub(super) struct KnownIds {
    entities: HashMap<EntityName, i64>,
    recognised: HashMap<EntityName, i64>,
}

impl KnownIds {
    /// The row of an entity, inserted if new ([`entity_row`]), remembered.
    fn entity(&mut self, tx: &rusqlite::Connection, name: &EntityName) -> rusqlite::Result<i64> {
        if let Some(&id) = self.entities.get(name) {
            return Ok(id);
        }
        let id = entity_row(tx, name)?;
        self.entities.insert(name.clone(), id);
        Ok(id)
    }

    /// The recognised-entity row of a name, inserted if new, remembered.
    fn recognised(&mut self, tx: &rusqlite::Connection, name: EntityName) -> rusqlite::Result<i64> {
        if let Some(&id) = self.recognised.get(&name) {
            return Ok(id);
        }
        let mut select = tx.prepare_cached("SELECT id FROM recognised_entities WHERE kind = ?1 AND name = ?2")?;
        let id = match select.query_row(params![name.kind, name.name], |r| r.get(0)).optional()? {
            Some(id) => id,
            None => {
                tx.prepare_cached("INSERT INTO recognised_entities (kind, name) VALUES (?1, ?2)")?
                    .execute(params![name.kind, name.name])?;
                tx.last_insert_rowid()
            }
        };
        self.recognised.insert(name, id);
        Ok(id)
    }
}

impl Pending {
    /// Writes what is owed, on the open transaction, and forgets it.
    pub(super) fn flush(&mut self, conn: &rusqlite::Connection) -> rusqlite::Result<()> {
        cooccurrence::apply(conn, &self.pairs)?;
        self.clear();
        Ok(())
    }

    /// Forgets what is owed (the transaction was rolled back).
    pub(super) fn clear(&mut self) {
        self.pairs.clear();
        self.known = KnownIds::default();
    }
}

/// The source row stored for `path`, if any.
fn source_of(conn: &rusqlite::Connection, path: &str) -> rusqlite::Result<Option<i64>> {
    conn.prepare_cached("SELECT id FROM sources WHERE path = ?1")?.query_row([path], |r| r.get(0)).optional()
}

/// Replaces any earlier version of `path` and writes the new rows, on an open transaction.
fn store_page_in(
    tx: &rusqlite::Connection,
    path: &str,
    source: &SourceText,
    page: &ResolvedPage,
    pending: &mut Pending,
) -> Result<StoredFile> {
    let context = |what: &str| format!("{what} for {path}");
    let old = source_of(tx, path).map_err(Error::sql(context("looking up the old version")))?;
    let replaced = match old {
        Some(id) => {
            remove_source(tx, id, &mut pending.known).map_err(Error::sql(context("removing the old version")))?;
            true
        }
        None => false,
    };
    let stored = write_page(tx, path, source, page, pending).map_err(Error::sql(context("writing")))?;
    Ok(StoredFile { replaced, ..stored })
}

/// Counts one change of the graph in the open transaction (`graph_version`, migration 11): the
/// readers' cached graphs are stale once it commits.
pub(super) fn count_graph_change(tx: &rusqlite::Connection) -> rusqlite::Result<()> {
    tx.execute("UPDATE graph_version SET version = version + 1 WHERE id = 1", []).map(drop)
}

/// Deletes a source and everything that came from it, keeping counts and weights exact; the ids
/// the open transaction knew are forgotten (entities left without a mention are deleted).
pub(super) fn remove_source(tx: &rusqlite::Connection, source_id: i64, known: &mut KnownIds) -> rusqlite::Result<()> {
    tx.execute(
        "UPDATE entities SET mentions = entities.mentions - x.n, articles = entities.articles - x.a
         FROM (SELECT m.entity_id AS entity_id, count(*) AS n, count(DISTINCT s.article_id) AS a
               FROM mentions m JOIN sentences s ON s.id = m.sentence_id
               JOIN articles ar ON ar.id = s.article_id
               WHERE ar.source_id = ?1 GROUP BY m.entity_id) AS x
         WHERE entities.id = x.entity_id",
        [source_id],
    )?;
    tx.execute(
        "UPDATE entity_days SET mentions = entity_days.mentions - x.n, articles = entity_days.articles - x.a
         FROM (SELECT m.entity_id AS entity_id, ar.published_date AS day, count(*) AS n,
                      count(DISTINCT s.article_id) AS a
               FROM mentions m JOIN sentences s ON s.id = m.sentence_id
               JOIN articles ar ON ar.id = s.article_id
               WHERE ar.source_id = ?1 AND ar.published_date IS NOT NULL GROUP BY m.entity_id, ar.published_date) AS x
         WHERE entity_days.entity_id = x.entity_id AND entity_days.day = x.day",
        [source_id],
    )?;
    tx.execute(
        "DELETE FROM entity_days WHERE mentions <= 0 AND entity_id IN (
             SELECT m.entity_id FROM mentions m JOIN sentences s ON s.id = m.sentence_id
             JOIN articles ar ON ar.id = s.article_id WHERE ar.source_id = ?1)",
        [source_id],
    )?;
    // The pairs this source's sentences added, by the resolver's rule (list sentences included).
    let mut removed = PairDeltas::new();
    let sql = format!("{} WHERE ar.source_id = ?1 ORDER BY m.sentence_id", cooccurrence::MENTION_PAIRS_SQL);
    cooccurrence::sentence_pairs(tx, &sql, [source_id], |_, _, pairs| {
        for (a, b) in pairs {
            *removed.entry((a, b)).or_insert(0) -= 1;
        }
    })?;
    cooccurrence::apply(tx, &removed)?;
    tx.execute(
        "UPDATE edges SET weight = edges.weight - x.n
         FROM (SELECT e.edge_id AS edge_id, count(*) AS n
               FROM edge_evidence e JOIN sentences s ON s.id = e.sentence_id
               JOIN articles ar ON ar.id = s.article_id
               WHERE ar.source_id = ?1 GROUP BY e.edge_id) AS x
         WHERE edges.id = x.edge_id",
        [source_id],
    )?;
    // Copies elsewhere of this source's stories lose their original: their files are read again
    // by the next ingest, where the first of them becomes the original.
    tx.execute(
        "UPDATE sources SET sha256 = NULL WHERE id IN (
             SELECT copy.source_id FROM articles copy JOIN articles original ON original.id = copy.duplicate_of
             WHERE original.source_id = ?1 AND copy.source_id <> ?1)",
        [source_id],
    )?;
    tx.execute("DELETE FROM sources WHERE id = ?1", [source_id])?;
    tx.execute("DELETE FROM edges WHERE weight <= 0", [])?;
    tx.execute("DELETE FROM entities WHERE mentions <= 0", [])?;
    *known = KnownIds::default();
    Ok(())
}

/// Writes one page's rows (source, articles and sentences, then what was recognised, then the
/// graph rows as the corrections in force make them).
fn write_page(
    tx: &rusqlite::Connection,
    path: &str,
    source: &SourceText,
    page: &ResolvedPage,
    pending: &mut Pending,
) -> rusqlite::Result<StoredFile> {
    tx.execute(
        "INSERT INTO sources (path, sha256, encoding, size, status) VALUES (?1, ?2, ?3, ?4, 'stored')",
        params![path, source.sha256, source.encoding, source.size as i64],
    )?;
    write_content(tx, tx.last_insert_rowid(), 0, source, page, pending)
}

/// Writes a page's articles (numbered from `first_ordinal`), what was recognised in them, and
/// the graph rows as the corrections in force make them, under an existing source row.
fn write_content(
    tx: &rusqlite::Connection,
    source_id: i64,
    first_ordinal: usize,
    source: &SourceText,
    page: &ResolvedPage,
    pending: &mut Pending,
) -> rusqlite::Result<StoredFile> {
    let corrections = super::corrections::load(tx)?;
    // Articles first: a copy of a stored story has no sentences, and its mentions and relations
    // are not written (the story counts once).
    let sentence_ids = write_articles(tx, source_id, first_ordinal, source)?;
    let page = without_copies(page, &sentence_ids);
    let page = page.as_ref();
    let recognised = write_recognised(tx, source_id, page, &sentence_ids, &mut pending.known)?;
    let mut targets = Targets { page, corrections: &corrections, ids: HashMap::new(), pending };
    if corrections.is_empty() {
        // Entities get their rows in the order the page first names them (ids stay as they were
        // before corrections existed).
        for (index, entity) in page.entities.iter().enumerate() {
            if recognised[index].is_some() {
                targets.row(tx, &EntityName::new(entity.kind, entity.name.clone()))?;
            }
        }
    }
    let dates: Vec<Option<&str>> = source.articles.iter().map(|a| a.meta.date.as_deref()).collect();
    let placed = write_mentions(tx, page, &dates, &recognised, &sentence_ids, &mut targets)?;
    write_entity_details(tx, source_id, page, &placed, &mut targets)?;
    write_relations(tx, page, &placed, &sentence_ids, &mut targets)?;
    Ok(StoredFile {
        articles: source.articles.len(),
        sentences: sentence_ids.iter().map(Vec::len).sum(),
        mentions: placed.iter().flatten().count(),
        replaced: false,
    })
}

/// The page without the mentions and relations of its articles that copy a stored story (those
/// with no sentence rows): borrowed as it is when it has none.
fn without_copies<'p>(page: &'p ResolvedPage, sentence_ids: &[Vec<i64>]) -> std::borrow::Cow<'p, ResolvedPage> {
    let copy = |article: usize| sentence_ids.get(article).is_none_or(Vec::is_empty);
    if !page.mentions.iter().any(|m| copy(m.article)) && !page.relations.iter().any(|r| copy(r.article)) {
        return std::borrow::Cow::Borrowed(page);
    }
    let mut kept = page.clone();
    kept.mentions.retain(|m| !copy(m.article));
    kept.relations.retain(|r| !copy(r.article));
    std::borrow::Cow::Owned(kept)
}

/// What the resolver found, as it found it (the ground every correction and undo starts from):
/// the recognised entity of each mentioned page entity, its aliases and roles, and the typed
/// relations between mentioned entities. Returns the recognised id of each page entity (`None`
/// when it has no mention on the page: no orphans).
fn write_recognised(
    tx: &rusqlite::Connection,
    source_id: i64,
    page: &ResolvedPage,
    sentence_ids: &[Vec<i64>],
    known: &mut KnownIds,
) -> rusqlite::Result<Vec<Option<i64>>> {
    let mentioned: BTreeSet<usize> = page.mentions.iter().map(|m| m.entity).collect();
    let mut alias = tx.prepare_cached(
        "INSERT OR IGNORE INTO recognised_aliases (recognised, alias, source_id) VALUES (?1, ?2, ?3)",
    )?;
    let mut role =
        tx.prepare_cached("INSERT OR IGNORE INTO recognised_roles (recognised, role, source_id) VALUES (?1, ?2, ?3)")?;
    let mut ids = Vec::with_capacity(page.entities.len());
    for (index, entity) in page.entities.iter().enumerate() {
        if !mentioned.contains(&index) {
            ids.push(None);
            continue;
        }
        let id = known.recognised(tx, EntityName::new(entity.kind, entity.name.clone()))?;
        for a in &entity.aliases {
            alias.execute(params![id, a, source_id])?;
        }
        for r in &entity.roles {
            role.execute(params![id, r, source_id])?;
        }
        ids.push(Some(id));
    }
    let mut relation = tx.prepare_cached(
        "INSERT OR IGNORE INTO recognised_relations (source, target, kind, sentence_id) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for r in page.relations.iter().filter(|r| r.kind != RelationKind::CoOccurs) {
        if let (Some(from), Some(to)) = (ids[r.from], ids[r.to]) {
            relation.execute(params![from, to, r.kind, sentence_ids[r.article][r.sentence]])?;
        }
    }
    Ok(ids)
}

/// The entities a page's mentions end up in, once the corrections in force are applied: created
/// on first need, remembered by name.
struct Targets<'a> {
    page: &'a ResolvedPage,
    corrections: &'a Corrections,
    ids: HashMap<EntityName, i64>,
    pending: &'a mut Pending,
}

impl Targets<'_> {
    /// Where a mention of page entity `entity` written `surface` goes (`None`: banned).
    fn target(&self, entity: usize, surface: &str) -> Option<EntityName> {
        let e = &self.page.entities[entity];
        if self.corrections.is_empty() {
            return Some(EntityName::new(e.kind, e.name.clone()));
        }
        self.corrections.target(e.kind, &e.name, surface)
    }

    /// The row of an entity, inserted if new.
    fn row(&mut self, tx: &rusqlite::Connection, name: &EntityName) -> rusqlite::Result<i64> {
        if let Some(&id) = self.ids.get(name) {
            return Ok(id);
        }
        let id = self.pending.known.entity(tx, name)?;
        self.ids.insert(name.clone(), id);
        Ok(id)
    }

    /// The row of an entity that has a mention on this page, if it has one.
    fn placed(&self, name: &EntityName) -> Option<i64> {
        self.ids.get(name).copied()
    }
}

/// The row id of an entity, inserting it if new (with its display pinyin; its search keys are
/// owed, made by the index pass: store/keys.rs).
pub(super) fn entity_row(tx: &rusqlite::Connection, name: &EntityName) -> rusqlite::Result<i64> {
    let mut select = tx.prepare_cached("SELECT id FROM entities WHERE kind = ?1 AND name = ?2")?;
    if let Some(id) = select.query_row(params![name.kind, name.name], |r| r.get(0)).optional()? {
        return Ok(id);
    }
    let (display, initials) = display_pinyin(&name.name, name.kind);
    tx.prepare_cached("INSERT INTO entities (kind, name, pinyin, initials, keyed) VALUES (?1, ?2, ?3, ?4, 0)")?
        .execute(params![name.kind, name.name, display, initials])?;
    Ok(tx.last_insert_rowid())
}

/// A stored mention: its entity row and name, where it is.
struct Placed {
    entity: i64,
    name: EntityName,
    article: usize,
    sentence: usize,
    start: usize,
    end: usize,
}

/// Mentions (each in the entity the corrections send it to; a banned one is held apart), and
/// each entity's mention and article counts, in all and per publication date (`dates`: each
/// article's).
fn write_mentions(
    tx: &rusqlite::Connection,
    page: &ResolvedPage,
    dates: &[Option<&str>],
    recognised: &[Option<i64>],
    sentence_ids: &[Vec<i64>],
    targets: &mut Targets<'_>,
) -> rusqlite::Result<Vec<Option<Placed>>> {
    let mut counts: HashMap<i64, (i64, BTreeSet<usize>)> = HashMap::new();
    let mut insert = tx.prepare_cached(
        "INSERT INTO mentions (entity_id, sentence_id, start, end, surface, recognised)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    let mut hold = tx.prepare_cached(
        "INSERT INTO held_mentions (sentence_id, start, end, surface, recognised) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    let mut placed = Vec::with_capacity(page.mentions.len());
    for mention in &page.mentions {
        let Some(recognised) = recognised[mention.entity] else {
            placed.push(None);
            continue;
        };
        let sentence_id = sentence_ids[mention.article][mention.sentence];
        let (start, end) = (mention.start as i64, mention.end as i64);
        let Some(name) = targets.target(mention.entity, &mention.surface) else {
            hold.execute(params![sentence_id, start, end, mention.surface, recognised])?;
            placed.push(None);
            continue;
        };
        let entity_id = targets.row(tx, &name)?;
        insert.execute(params![entity_id, sentence_id, start, end, mention.surface, recognised])?;
        let entry = counts.entry(entity_id).or_default();
        entry.0 += 1;
        entry.1.insert(mention.article);
        placed.push(Some(Placed {
            entity: entity_id,
            name,
            article: mention.article,
            sentence: mention.sentence,
            start: mention.start,
            end: mention.end,
        }));
    }
    let mut update =
        tx.prepare_cached("UPDATE entities SET mentions = mentions + ?1, articles = articles + ?2 WHERE id = ?3")?;
    for (entity_id, (n, articles)) in &counts {
        update.execute(params![n, articles.len() as i64, entity_id])?;
    }
    let mut per_day: BTreeMap<(i64, &str), (i64, BTreeSet<usize>)> = BTreeMap::new();
    for placed in placed.iter().flatten() {
        if let Some(Some(date)) = dates.get(placed.article) {
            let entry = per_day.entry((placed.entity, date)).or_default();
            entry.0 += 1;
            entry.1.insert(placed.article);
        }
    }
    let mut add_day = tx.prepare_cached(
        "INSERT INTO entity_days (entity_id, day, mentions, articles) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (entity_id, day) DO UPDATE SET mentions = mentions + excluded.mentions,
                                                    articles = articles + excluded.articles",
    )?;
    for ((entity_id, date), (n, articles)) in &per_day {
        add_day.execute(params![entity_id, date, n, articles.len() as i64])?;
    }
    Ok(placed)
}

/// Aliases and roles of the entities mentioned on the page. An alias goes where a mention written
/// that way would go, a role where the entity's own name goes, and only to an entity mentioned on
/// this page; when corrections moved mentions, each surface that differs from its entity's name is
/// an alias of it too, and so is the recognised name of an entity whose own name went there (a
/// merged name, the old name of a renamed entity; not the entity an alias was split off).
fn write_entity_details(
    tx: &rusqlite::Connection,
    source_id: i64,
    page: &ResolvedPage,
    placed: &[Option<Placed>],
    targets: &mut Targets<'_>,
) -> rusqlite::Result<()> {
    let mentioned: BTreeSet<usize> = page.mentions.iter().map(|m| m.entity).collect();
    let mut has_alias = tx.prepare_cached("SELECT 1 FROM aliases WHERE alias = ?1 AND entity_id = ?2")?;
    let mut alias =
        tx.prepare_cached("INSERT OR IGNORE INTO aliases (alias, entity_id, source_id) VALUES (?1, ?2, ?3)")?;
    let mut role = tx.prepare_cached("INSERT OR IGNORE INTO roles (entity_id, role, source_id) VALUES (?1, ?2, ?3)")?;
    let mut aliases: BTreeSet<(String, i64)> = BTreeSet::new();
    for (index, entity) in page.entities.iter().enumerate() {
        if !mentioned.contains(&index) {
            continue;
        }
        for a in &entity.aliases {
            if let Some(name) = targets.target(index, a).filter(|n| n.name != *a) {
                if let Some(id) = targets.placed(&name) {
                    aliases.insert((a.clone(), id));
                }
            }
        }
        if let Some(id) = targets.target(index, &entity.name).and_then(|n| targets.placed(&n)) {
            for r in &entity.roles {
                role.execute(params![id, r, source_id])?;
            }
        }
    }
    if !targets.corrections.is_empty() {
        for (mention, placed) in page.mentions.iter().zip(placed) {
            let Some(p) = placed else { continue };
            if p.name.name != mention.surface {
                aliases.insert((mention.surface.clone(), p.entity));
            }
            // The recognised name, where the entity's own name went (merged, renamed).
            let recognised = &page.entities[mention.entity].name;
            if *recognised != p.name.name && targets.target(mention.entity, recognised).as_ref() == Some(&p.name) {
                aliases.insert((recognised.clone(), p.entity));
            }
        }
    }
    for (a, id) in aliases {
        let known: bool = has_alias.exists(params![a, id])?;
        alias.execute(params![a, id, source_id])?;
        if !known {
            // Aliases are searchable by pinyin too: the entity owes the new alias's keys.
            super::keys::mark_unkeyed(tx, id)?;
        }
    }
    Ok(())
}

/// Articles and their sentences; returns the sentence row ids, per article (none for a copy of a
/// story already stored, which is stored as `duplicate_of` its original).
fn write_articles(
    tx: &rusqlite::Connection,
    source_id: i64,
    first_ordinal: usize,
    source: &SourceText,
) -> rusqlite::Result<Vec<Vec<i64>>> {
    let mut sentence_ids: Vec<Vec<i64>> = Vec::with_capacity(source.articles.len());
    let mut article_insert = tx.prepare_cached(
        "INSERT INTO articles (source_id, ordinal, title, byline, body,
                               published_date, published_time, url, site, author, body_hash, duplicate_of)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?;
    let mut original_of = tx.prepare_cached("SELECT id FROM articles WHERE body_hash = ?1 ORDER BY id LIMIT 1")?;
    let mut sentence_insert = tx.prepare_cached(
        "INSERT INTO sentences (article_id, ordinal, start, end, byline) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for (ordinal, article) in source.articles.iter().enumerate() {
        let meta = &article.meta;
        let story = article.story_key();
        let original: Option<i64> = match &story {
            Some(key) => original_of.query_row([key], |r| r.get(0)).optional()?,
            None => None,
        };
        let body_hash = if original.is_none() { story } else { None };
        article_insert.execute(params![
            source_id,
            (first_ordinal + ordinal) as i64,
            article.title,
            article.byline,
            article.text,
            meta.date,
            meta.time,
            meta.url,
            meta.site,
            meta.author,
            body_hash,
            original
        ])?;
        let article_id = tx.last_insert_rowid();
        if original.is_some() {
            sentence_ids.push(Vec::new());
            continue;
        }
        let mut ids = Vec::with_capacity(article.sentences.len());
        for (n, sentence) in article.sentences.iter().enumerate() {
            sentence_insert.execute(params![
                article_id,
                n as i64,
                sentence.start as i64,
                sentence.end as i64,
                sentence.byline
            ])?;
            ids.push(tx.last_insert_rowid());
        }
        sentence_ids.push(ids);
    }
    Ok(sentence_ids)
}

/// Relations. co_occurs: the page's pairs, one per sentence that links both entities (the
/// definition `remove_source` subtracts and evidence queries read), summed over the batch and
/// merged into the adjacency lists when it commits; when corrections moved mentions, the pairs of
/// each sentence are made again from where its mentions went. Typed relations: rows with their
/// evidence, between the entities their ends went to (both mentioned on the page, not one).
fn write_relations(
    tx: &rusqlite::Connection,
    page: &ResolvedPage,
    placed: &[Option<Placed>],
    sentence_ids: &[Vec<i64>],
    targets: &mut Targets<'_>,
) -> rusqlite::Result<()> {
    let pending = &mut *targets.pending;
    if targets.corrections.is_empty() {
        for relation in page.relations.iter().filter(|r| r.kind == RelationKind::CoOccurs) {
            let from = &page.entities[relation.from];
            let to = &page.entities[relation.to];
            let ids = (
                targets.ids.get(&EntityName::new(from.kind, from.name.clone())),
                targets.ids.get(&EntityName::new(to.kind, to.name.clone())),
            );
            if let (Some(&from), Some(&to)) = ids {
                cooccurrence::add_pair(&mut pending.pairs, from, to);
            }
        }
    } else {
        let mut by_sentence: BTreeMap<(usize, usize), Vec<SentenceMention<'_, i64>>> = BTreeMap::new();
        for p in placed.iter().flatten() {
            by_sentence.entry((p.article, p.sentence)).or_default().push(SentenceMention {
                start: p.start,
                end: p.end,
                kind: p.name.kind,
                name: &p.name.name,
                key: p.entity,
            });
        }
        for mentions in by_sentence.into_values() {
            for (a, b) in co_occurs_pairs(mentions) {
                cooccurrence::add_pair(&mut pending.pairs, a, b);
            }
        }
    }
    let mut evidence: BTreeMap<(i64, i64, RelationKind), BTreeSet<i64>> = BTreeMap::new();
    for relation in page.relations.iter().filter(|r| r.kind != RelationKind::CoOccurs) {
        let end = |index: usize| {
            let e = &page.entities[index];
            targets.target(index, &e.name).and_then(|n| targets.placed(&n))
        };
        let (Some(from), Some(to)) = (end(relation.from), end(relation.to)) else {
            continue;
        };
        if from != to {
            let sentence = sentence_ids[relation.article][relation.sentence];
            evidence.entry((from, to, relation.kind)).or_default().insert(sentence);
        }
    }
    insert_typed_edges(tx, &evidence)
}

/// Adds typed relations with their evidence sentences (weights add up; an edge's weight is the
/// number of its evidence sentences).
pub(super) fn insert_typed_edges(
    tx: &rusqlite::Connection,
    evidence: &BTreeMap<(i64, i64, RelationKind), BTreeSet<i64>>,
) -> rusqlite::Result<()> {
    let mut upsert = tx.prepare_cached(
        "INSERT INTO edges (source, target, kind, weight) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(source, target, kind) DO UPDATE SET weight = weight + excluded.weight
         RETURNING id",
    )?;
    let mut insert_evidence = tx.prepare_cached("INSERT INTO edge_evidence (edge_id, sentence_id) VALUES (?1, ?2)")?;
    for ((from, to, kind), sentences) in evidence {
        let edge_id: i64 = upsert.query_row(params![from, to, kind, sentences.len() as i64], |r| r.get(0))?;
        for sentence in sentences {
            insert_evidence.execute(params![edge_id, sentence])?;
        }
    }
    Ok(())
}

/// Migration 6: the stories of articles stored before it get their identity, the first article
/// of each story (by id) being its original. (Copies stored before version 6 keep their own
/// mentions until their files are ingested again with `--force`.)
pub(super) fn hash_stored_stories(conn: &rusqlite::Connection) -> rusqlite::Result<()> {
    let mut seen = std::collections::HashSet::new();
    let mut keys = Vec::new();
    {
        let mut statement = conn.prepare("SELECT id, body FROM articles ORDER BY id")?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            let body: String = row.get(1)?;
            if let Some(key) = crate::ingest::story_key(&body).filter(|key| seen.insert(key.clone())) {
                keys.push((row.get::<_, i64>(0)?, key));
            }
        }
    }
    let mut update = conn.prepare("UPDATE articles SET body_hash = ?2 WHERE id = ?1")?;
    for (id, key) in keys {
        update.execute(params![id, key])?;
    }
    Ok(())
}
