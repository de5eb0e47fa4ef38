//! Writing: one transaction per source file.

use super::cooccurrence::{self, PairDeltas};
use super::Store;
use crate::error::{Error, Result};
use crate::ingest::SourceText;
use crate::pinyin::name_pinyin;
use crate::resolve::ResolvedPage;
use crate::vocab::RelationKind;
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
            .query_row(
                "SELECT path FROM sources WHERE sha256 = ?1 AND status = 'stored' AND path <> ?2 ORDER BY path LIMIT 1",
                params![sha256, except],
                |r| r.get(0),
            )
            .optional()
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
    /// writes into the batch's transaction without a savepoint: FTS5 flushes its index at every
    /// savepoint, which made small segments and merges a quarter of ingest time; the batch is
    /// still all-or-nothing, and an error aborts the whole batch (see `Ingestor::ingest`).
    pub fn store_page(&mut self, path: &str, source: &SourceText, page: &ResolvedPage) -> Result<StoredFile> {
        self.check_before_writing()?;
        if self.conn.is_autocommit() {
            let tx = self.conn.transaction().map_err(Error::sql(format!("starting a transaction for {path}")))?;
            let mut pending = Pending::default();
            let stored = store_page_in(&tx, path, source, page, &mut pending)?;
            pending.flush(&tx).map_err(Error::sql(format!("indexing {path}")))?;
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
        let old: Option<i64> = self
            .conn
            .query_row("SELECT id FROM sources WHERE path = ?1", [path], |r| r.get(0))
            .optional()
            .map_err(Error::sql(context("looking up the old version")))?;
        if let Some(id) = old {
            remove_source(&self.conn, id).map_err(Error::sql(context("removing the old version")))?;
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

    /// Adds up to `limit` articles that the full-text index does not hold yet to it, in a
    /// transaction of their own, oldest first; returns how many were added (0 when it is up to
    /// date). Safe to run beside an ingest (the two take turns) and after a kill (it goes on from
    /// where the index is).
    pub fn index_pending(&mut self, limit: usize) -> Result<usize> {
        self.check_before_writing()?;
        let context = "adding articles to the full-text index";
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(Error::sql(context))?;
        let ids: Vec<i64> = {
            let mut statement = tx
                .prepare_cached("SELECT id FROM articles WHERE indexed = 0 ORDER BY id LIMIT ?1")
                .map_err(Error::sql(context))?;
            let rows = statement.query_map([limit as i64], |r| r.get(0)).map_err(Error::sql(context))?;
            rows.collect::<rusqlite::Result<_>>().map_err(Error::sql(context))?
        };
        if ids.is_empty() {
            return Ok(0);
        }
        let json = serde_json::to_string(&ids)
            .map_err(|e| Error::Internal { context: context.to_string(), reason: e.to_string() })?;
        tx.execute(
            "INSERT INTO articles_fts (rowid, title, body)
             SELECT id, title, body FROM articles WHERE id IN (SELECT value FROM json_each(?1))",
            [&json],
        )
        .map_err(Error::sql(context))?;
        tx.execute("UPDATE articles SET indexed = 1 WHERE id IN (SELECT value FROM json_each(?1))", [&json])
            .map_err(Error::sql(context))?;
        tx.commit().map_err(Error::sql(context))?;
        Ok(ids.len())
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
/// co_occurs weights for the adjacency lists and pinyin search keys (inserted in key order, they
/// touch each index page once). The full-text index is not among them: it is built after the
/// graph, by [`Store::index_pending`].
#[derive(Debug, Default)]
pub(super) struct Pending {
    pairs: PairDeltas,
    keys: Vec<(String, i64)>,
}

impl Pending {
    /// Writes what is owed, on the open transaction, and forgets it.
    pub(super) fn flush(&mut self, conn: &rusqlite::Connection) -> rusqlite::Result<()> {
        cooccurrence::apply(conn, &self.pairs)?;
        self.keys.sort_unstable();
        self.keys.dedup();
        let mut key = conn.prepare_cached("INSERT OR IGNORE INTO entity_keys (key, entity_id) VALUES (?1, ?2)")?;
        for (k, id) in &self.keys {
            key.execute(params![k, id])?;
        }
        self.clear();
        Ok(())
    }

    /// Forgets what is owed (the transaction was rolled back).
    pub(super) fn clear(&mut self) {
        self.pairs.clear();
        self.keys.clear();
    }
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
    let old: Option<i64> = tx
        .query_row("SELECT id FROM sources WHERE path = ?1", [path], |r| r.get(0))
        .optional()
        .map_err(Error::sql(context("looking up the old version")))?;
    let replaced = match old {
        Some(id) => {
            remove_source(tx, id).map_err(Error::sql(context("removing the old version")))?;
            true
        }
        None => false,
    };
    let stored = write_page(tx, path, source, page, pending).map_err(Error::sql(context("writing")))?;
    Ok(StoredFile { replaced, ..stored })
}

/// Deletes a source and everything that came from it, keeping counts and weights exact.
pub(super) fn remove_source(tx: &rusqlite::Connection, source_id: i64) -> rusqlite::Result<()> {
    tx.execute(
        "UPDATE entities SET mentions = entities.mentions - x.n, articles = entities.articles - x.a
         FROM (SELECT m.entity_id AS entity_id, count(*) AS n, count(DISTINCT s.article_id) AS a
               FROM mentions m JOIN sentences s ON s.id = m.sentence_id
               JOIN articles ar ON ar.id = s.article_id
               WHERE ar.source_id = ?1 GROUP BY m.entity_id) AS x
         WHERE entities.id = x.entity_id",
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
    Ok(())
}

/// Writes one page's rows (source, entities, articles and sentences, mentions, relations).
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

/// Writes a page's entities, articles (numbered from `first_ordinal`), mentions and relations
/// under an existing source row.
fn write_content(
    tx: &rusqlite::Connection,
    source_id: i64,
    first_ordinal: usize,
    source: &SourceText,
    page: &ResolvedPage,
    pending: &mut Pending,
) -> rusqlite::Result<StoredFile> {
    // Articles first: a copy of a stored story has no sentences, and its mentions and relations
    // are not written (the story counts once).
    let sentence_ids = write_articles(tx, source_id, first_ordinal, source)?;
    let original = |article: usize| !sentence_ids[article].is_empty();
    let entity_ids = write_entities(tx, source_id, page, &original, pending)?;
    let mentions = write_mentions(tx, page, &entity_ids, &sentence_ids)?;
    write_relations(tx, page, &entity_ids, &sentence_ids, pending)?;
    Ok(StoredFile {
        articles: source.articles.len(),
        sentences: sentence_ids.iter().map(Vec::len).sum(),
        mentions,
        replaced: false,
    })
}

/// Entities: inserts new ones with their pinyin keys, reuses existing ones, adds aliases and
/// roles. An entity with no mention on this page (named only through a relation) is not stored:
/// no orphan nodes. Returns the row id of each page entity (`None` when not stored).
fn write_entities(
    tx: &rusqlite::Connection,
    source_id: i64,
    page: &ResolvedPage,
    stored_article: &dyn Fn(usize) -> bool,
    pending: &mut Pending,
) -> rusqlite::Result<Vec<Option<i64>>> {
    let mentioned: BTreeSet<usize> =
        page.mentions.iter().filter(|m| stored_article(m.article)).map(|m| m.entity).collect();
    let mut entity_ids: Vec<Option<i64>> = Vec::with_capacity(page.entities.len());
    let mut insert =
        tx.prepare_cached("INSERT INTO entities (kind, name, pinyin, initials) VALUES (?1, ?2, ?3, ?4)")?;
    let mut has_alias = tx.prepare_cached("SELECT 1 FROM aliases WHERE alias = ?1 AND entity_id = ?2")?;
    let mut select = tx.prepare_cached("SELECT id FROM entities WHERE kind = ?1 AND name = ?2")?;
    let mut alias =
        tx.prepare_cached("INSERT OR IGNORE INTO aliases (alias, entity_id, source_id) VALUES (?1, ?2, ?3)")?;
    let mut role = tx.prepare_cached("INSERT OR IGNORE INTO roles (entity_id, role, source_id) VALUES (?1, ?2, ?3)")?;
    for (index, entity) in page.entities.iter().enumerate() {
        if !mentioned.contains(&index) {
            entity_ids.push(None);
            continue;
        }
        let existing: Option<i64> = select.query_row(params![entity.kind, entity.name], |r| r.get(0)).optional()?;
        let id = match existing {
            Some(id) => id,
            None => {
                // A new entity: its pinyin forms and search keys.
                let pinyin = name_pinyin(&entity.name, entity.kind);
                insert.execute(params![entity.kind, entity.name, pinyin.display, pinyin.initials])?;
                let id = tx.last_insert_rowid();
                pending.keys.extend(pinyin.keys.into_iter().map(|k| (k, id)));
                id
            }
        };
        for a in &entity.aliases {
            let known: bool = has_alias.exists(params![a, id])?;
            alias.execute(params![a, id, source_id])?;
            if !known {
                // Aliases are searchable by pinyin too.
                pending.keys.extend(name_pinyin(a, entity.kind).keys.into_iter().map(|k| (k, id)));
            }
        }
        for r in &entity.roles {
            role.execute(params![id, r, source_id])?;
        }
        entity_ids.push(Some(id));
    }
    Ok(entity_ids)
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

/// Mentions (not those of a copied story), and each entity's mention and article counts;
/// returns how many were written.
fn write_mentions(
    tx: &rusqlite::Connection,
    page: &ResolvedPage,
    entity_ids: &[Option<i64>],
    sentence_ids: &[Vec<i64>],
) -> rusqlite::Result<usize> {
    let mut written = 0;
    let mut counts: HashMap<i64, (i64, BTreeSet<usize>)> = HashMap::new();
    let mut insert = tx.prepare_cached(
        "INSERT INTO mentions (entity_id, sentence_id, start, end, surface) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for mention in &page.mentions {
        let Some(entity_id) = entity_ids[mention.entity] else { continue };
        let Some(&sentence_id) = sentence_ids[mention.article].get(mention.sentence) else { continue };
        written += 1;
        insert.execute(params![entity_id, sentence_id, mention.start as i64, mention.end as i64, mention.surface])?;
        let entry = counts.entry(entity_id).or_default();
        entry.0 += 1;
        entry.1.insert(mention.article);
    }
    let mut update =
        tx.prepare_cached("UPDATE entities SET mentions = mentions + ?1, articles = articles + ?2 WHERE id = ?3")?;
    for (entity_id, (n, articles)) in &counts {
        update.execute(params![n, articles.len() as i64, entity_id])?;
    }
    Ok(written)
}

/// Relations. co_occurs: the page's pairs, one per sentence that mentions both entities (the
/// definition `remove_source` subtracts and evidence queries read), summed over the batch and
/// merged into the adjacency lists when it commits. Typed relations: rows with their evidence.
fn write_relations(
    tx: &rusqlite::Connection,
    page: &ResolvedPage,
    entity_ids: &[Option<i64>],
    sentence_ids: &[Vec<i64>],
    pending: &mut Pending,
) -> rusqlite::Result<()> {
    let mut evidence: BTreeMap<(i64, i64, RelationKind), BTreeSet<i64>> = BTreeMap::new();
    for relation in &page.relations {
        let (Some(from), Some(to)) = (entity_ids[relation.from], entity_ids[relation.to]) else {
            continue;
        };
        let Some(&sentence) = sentence_ids[relation.article].get(relation.sentence) else {
            continue; // a copied story: counted once, with its original
        };
        if relation.kind == RelationKind::CoOccurs {
            cooccurrence::add_pair(&mut pending.pairs, from, to);
        } else {
            evidence.entry((from, to, relation.kind)).or_default().insert(sentence);
        }
    }
    let mut upsert = tx.prepare_cached(
        "INSERT INTO edges (source, target, kind, weight) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(source, target, kind) DO UPDATE SET weight = weight + excluded.weight
         RETURNING id",
    )?;
    let mut insert_evidence = tx.prepare_cached("INSERT INTO edge_evidence (edge_id, sentence_id) VALUES (?1, ?2)")?;
    for ((from, to, kind), sentences) in &evidence {
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
