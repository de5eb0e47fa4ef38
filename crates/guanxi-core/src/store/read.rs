//! Reading: the rows the query layer assembles into answers.

use super::{cooccurrence, Store};
use crate::error::{Error, Result};
use crate::ingest::ArticleMeta;
use crate::vocab::{EntityId, EntityKind, RelationKind};
use rusqlite::{params, OptionalExtension, Row};

/// An entity as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityRow {
    /// Row id.
    pub id: EntityId,
    /// Kind.
    pub kind: EntityKind,
    /// Canonical name.
    pub name: String,
    /// Tone-less pinyin, space separated.
    pub pinyin: String,
    /// Pinyin initials.
    pub initials: String,
    /// Number of mentions.
    pub mentions: i64,
    /// Number of articles it is mentioned in.
    pub articles: i64,
}

/// An edge: a typed relation row, or a co_occurs pair from the adjacency lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct EdgeRow {
    /// Source entity (the smaller id for co_occurs).
    pub source: EntityId,
    /// Target entity.
    pub target: EntityId,
    /// Kind.
    pub kind: RelationKind,
    /// Number of evidence sentences.
    pub weight: i64,
}

/// An article as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleRow {
    /// Row id.
    pub id: i64,
    /// Source file path.
    pub source: String,
    /// Position in its file.
    pub ordinal: i64,
    /// Headline.
    pub title: String,
    /// Byline, if any.
    pub byline: Option<String>,
    /// Full text.
    pub body: String,
    /// Where the article came from and when, as its source gave it.
    pub meta: ArticleMeta,
}

/// An article that mentions an entity: (article id, title, source path, date, mentions in it,
/// other places the same story appeared).
pub type ArticleOfEntity = (i64, String, String, Option<String>, i64, i64);

/// Another place an article's story appeared: (article id, title, source path, date, site, URL).
pub type StoryCopy = (i64, String, String, Option<String>, Option<String>, Option<String>);

/// An article found by its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundArticle {
    /// Row id.
    pub id: i64,
    /// Headline.
    pub title: String,
    /// Source file path.
    pub source: String,
    /// Publication date.
    pub date: Option<String>,
    /// Full text.
    pub body: String,
}

/// A mention as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MentionRow {
    /// Entity id.
    pub entity_id: EntityId,
    /// Entity kind.
    pub kind: EntityKind,
    /// Sentence id.
    pub sentence_id: i64,
    /// Byte range in the article body.
    pub start: usize,
    /// End of the byte range.
    pub end: usize,
}

/// One evidence sentence of an edge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceRow {
    /// Sentence id.
    pub sentence_id: i64,
    /// Article id.
    pub article_id: i64,
    /// Byte range of the sentence in the article body.
    pub start: usize,
    /// End of the byte range.
    pub end: usize,
    /// Kind of the edge this sentence supports.
    pub kind: RelationKind,
}

/// A source file as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceRow {
    /// Path as given at ingest.
    pub path: String,
    /// `stored` or `skipped`.
    pub status: String,
    /// Detected encoding.
    pub encoding: Option<String>,
    /// Why it was skipped.
    pub error: Option<String>,
}

/// Counts for `guanxi stats`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatsRow {
    /// Files stored.
    pub files: i64,
    /// Files skipped (recorded with their reason).
    pub skipped: i64,
    /// Articles.
    pub articles: i64,
    /// Articles that are copies of a story stored before them.
    pub copies: i64,
    /// Sentences.
    pub sentences: i64,
    /// Mentions.
    pub mentions: i64,
    /// Entities per kind.
    pub entities: Vec<(EntityKind, i64)>,
    /// Edges per kind.
    pub edges: Vec<(RelationKind, i64)>,
}

const ENTITY_COLUMNS: &str = "e.id, e.kind, e.name, e.pinyin, e.initials, e.mentions, e.articles";

/// Reads an entity from the columns of [`ENTITY_COLUMNS`] (or any query with them in that order).
pub(super) fn entity_row(row: &Row<'_>) -> rusqlite::Result<EntityRow> {
    Ok(EntityRow {
        id: row.get(0)?,
        kind: row.get(1)?,
        name: row.get(2)?,
        pinyin: row.get(3)?,
        initials: row.get(4)?,
        mentions: row.get(5)?,
        articles: row.get(6)?,
    })
}

/// Reads a typed relation from `SELECT source, target, kind, weight FROM edges`.
fn edge_row(row: &Row<'_>) -> rusqlite::Result<EdgeRow> {
    Ok(EdgeRow { source: row.get(0)?, target: row.get(1)?, kind: row.get(2)?, weight: row.get(3)? })
}

/// The co_occurs edge between `entity` and `neighbour`, the smaller id as source.
fn co_occurs(entity: EntityId, neighbour: EntityId, weight: i64) -> EdgeRow {
    EdgeRow { source: entity.min(neighbour), target: entity.max(neighbour), kind: RelationKind::CoOccurs, weight }
}

/// The co_occurs edges of `entity`'s stored list to larger ids: each pair is in both entities'
/// lists, and this reads it once (from the smaller id's list).
fn co_occurs_upward(entity: EntityId, list: &[u8]) -> impl Iterator<Item = EdgeRow> + '_ {
    cooccurrence::decode_entities(list)
        .filter(move |&(other, _)| other > entity)
        .map(move |(other, weight)| co_occurs(entity, other, weight))
}

impl Store {
    fn entities_where(&self, clause: &str, params: impl rusqlite::Params, context: &str) -> Result<Vec<EntityRow>> {
        let sql = format!("SELECT {ENTITY_COLUMNS} FROM entities e {clause}");
        let mut statement = self.conn.prepare_cached(&sql).map_err(Error::sql(context))?;
        let rows = statement.query_map(params, entity_row).map_err(Error::sql(context))?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(Error::sql(context))
    }

    /// One entity by id.
    pub fn entity(&self, id: EntityId) -> Result<Option<EntityRow>> {
        Ok(self.entities_where("WHERE e.id = ?1", [id], "reading an entity")?.into_iter().next())
    }

    /// Entities whose name or alias is exactly `name`, most mentioned first.
    pub fn entities_named(&self, name: &str) -> Result<Vec<EntityRow>> {
        self.entities_where(
            "WHERE e.name = ?1 OR e.id IN (SELECT n.entity_id FROM alias_names n WHERE n.alias = ?1
                AND EXISTS (SELECT 1 FROM aliases a WHERE a.alias = n.alias AND a.entity_id = n.entity_id))
             ORDER BY e.name = ?1 DESC, e.mentions DESC, e.id",
            [name],
            "finding an entity by name",
        )
    }

    /// Entities whose name or an alias contains `text` (ASCII letters in either case), most
    /// mentioned first.
    pub fn entities_containing(&self, text: &str, limit: usize) -> Result<Vec<EntityRow>> {
        let pattern = format!("%{}%", text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
        // The aliases are looked for among the distinct (alias, entity) pairs (`alias_names`,
        // migration 10), each still stated by some file.
        self.entities_where(
            "WHERE e.name LIKE ?1 ESCAPE '\\'
                OR e.id IN (SELECT n.entity_id FROM alias_names n WHERE n.alias LIKE ?1 ESCAPE '\\'
                    AND EXISTS (SELECT 1 FROM aliases a WHERE a.alias = n.alias AND a.entity_id = n.entity_id))
             ORDER BY e.mentions DESC, e.id LIMIT ?2",
            params![pattern, limit as i64],
            "searching names",
        )
    }

    /// Entities with a pinyin key starting with `prefix`, with their least matching key, those
    /// with the shortest matching key first (then the most mentioned). Entities whose keys the
    /// index pass has not made yet are matched on keys computed now (store/keys.rs).
    pub fn entities_by_key_prefix(&self, prefix: &str, limit: usize) -> Result<Vec<(EntityRow, String)>> {
        let context = "searching pinyin";
        // The entities still owing keys first: should the index pass commit between the two
        // reads, an entity is then found twice (merged below), never missed.
        let unkeyed = super::keys::unkeyed_matches(&self.conn, prefix).map_err(Error::sql(context))?;
        let sql = format!(
            "SELECT {ENTITY_COLUMNS}, min(k.key), min(length(k.key)) FROM entity_keys k JOIN entities e ON e.id = k.entity_id
             WHERE k.key >= ?1 AND k.key < ?1 || '{{'
             GROUP BY e.id ORDER BY min(length(k.key)), e.mentions DESC, e.id LIMIT ?2"
        );
        let mut statement = self.conn.prepare_cached(&sql).map_err(Error::sql(context))?;
        let rows = statement
            .query_map(params![prefix, limit as i64], |row| {
                Ok((entity_row(row)?, row.get::<_, String>(7)?, row.get::<_, i64>(8)?))
            })
            .map_err(Error::sql(context))?;
        let mut found: Vec<(EntityRow, String, i64)> =
            rows.collect::<rusqlite::Result<Vec<_>>>().map_err(Error::sql(context))?;
        for unkeyed in unkeyed {
            let shortest = i64::try_from(unkeyed.shortest).unwrap_or(i64::MAX);
            if let Some(stored) = found.iter_mut().find(|(e, _, _)| i64::from(e.id.0) == unkeyed.id) {
                stored.1 = stored.1.clone().min(unkeyed.key);
                stored.2 = stored.2.min(shortest);
            } else if let Some(entity) =
                self.entities_where("WHERE e.id = ?1", [unkeyed.id], context)?.into_iter().next()
            {
                found.push((entity, unkeyed.key, shortest));
            }
        }
        found.sort_by(|a, b| a.2.cmp(&b.2).then(b.0.mentions.cmp(&a.0.mentions)).then(a.0.id.cmp(&b.0.id)));
        found.truncate(limit);
        Ok(found.into_iter().map(|(entity, key, _)| (entity, key)).collect())
    }

    /// Distinct aliases of an entity, sorted.
    pub fn aliases(&self, entity_id: EntityId) -> Result<Vec<String>> {
        self.strings(
            "SELECT DISTINCT alias FROM aliases WHERE entity_id = ?1 ORDER BY alias",
            entity_id,
            "reading aliases",
        )
    }

    /// Distinct roles of an entity, sorted.
    pub fn roles(&self, entity_id: EntityId) -> Result<Vec<String>> {
        self.strings("SELECT DISTINCT role FROM roles WHERE entity_id = ?1 ORDER BY role", entity_id, "reading roles")
    }

    fn strings(&self, sql: &str, id: EntityId, context: &str) -> Result<Vec<String>> {
        let mut statement = self.conn.prepare_cached(sql).map_err(Error::sql(context))?;
        let rows = statement.query_map([id], |r| r.get(0)).map_err(Error::sql(context))?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(Error::sql(context))
    }

    /// Edges touching an entity, heaviest first (then by the other end and kind).
    pub fn edges_of(&self, entity_id: EntityId, limit: usize) -> Result<Vec<EdgeRow>> {
        let context = "reading neighbours";
        let mut statement = self
            .conn
            .prepare_cached(
                "SELECT source, target, kind, weight FROM edges WHERE source = ?1
                 UNION ALL
                 SELECT source, target, kind, weight FROM edges WHERE target = ?1",
            )
            .map_err(Error::sql(context))?;
        let rows = statement.query_map([entity_id], edge_row).map_err(Error::sql(context))?;
        let mut edges = rows.collect::<rusqlite::Result<Vec<_>>>().map_err(Error::sql(context))?;
        if let Some(list) = self.neighbour_list(entity_id)? {
            edges.extend(
                cooccurrence::decode_entities(&list).map(|(other, weight)| co_occurs(entity_id, other, weight)),
            );
        }
        let other = |e: &EdgeRow| if e.source == entity_id { e.target } else { e.source };
        edges.sort_by(|a, b| b.weight.cmp(&a.weight).then(other(a).cmp(&other(b))).then(a.kind.cmp(&b.kind)));
        edges.truncate(limit);
        Ok(edges)
    }

    /// An entity's stored co_occurs list, if it has neighbours.
    fn neighbour_list(&self, entity_id: EntityId) -> Result<Option<Vec<u8>>> {
        self.conn
            .prepare_cached("SELECT neighbours FROM cooccurrences WHERE entity_id = ?1")
            .and_then(|mut s| s.query_row([entity_id], |r| r.get(0)).optional())
            .map_err(Error::sql("reading co-occurrences"))
    }

    /// Every edge (to build the graph in memory), sorted.
    pub fn all_edges(&self) -> Result<Vec<EdgeRow>> {
        let context = "reading edges";
        let mut statement =
            self.conn.prepare_cached("SELECT source, target, kind, weight FROM edges").map_err(Error::sql(context))?;
        let rows = statement.query_map([], edge_row).map_err(Error::sql(context))?;
        let mut edges = rows.collect::<rusqlite::Result<Vec<_>>>().map_err(Error::sql(context))?;
        let mut lists =
            self.conn.prepare_cached("SELECT entity_id, neighbours FROM cooccurrences").map_err(Error::sql(context))?;
        let mut rows = lists.query([]).map_err(Error::sql(context))?;
        while let Some(row) = rows.next().map_err(Error::sql(context))? {
            let entity: EntityId = row.get(0).map_err(Error::sql(context))?;
            let list = row.get_ref(1).and_then(|v| v.as_blob().map_err(Into::into)).map_err(Error::sql(context))?;
            edges.extend(co_occurs_upward(entity, list));
        }
        edges.sort();
        Ok(edges)
    }

    /// Every entity, by id.
    pub fn all_entities(&self) -> Result<Vec<EntityRow>> {
        self.entities_where("ORDER BY e.id", [], "reading entities")
    }

    /// Entities by ids (missing ids are skipped), in id order.
    pub fn entities_by_ids(&self, ids: &[EntityId]) -> Result<Vec<EntityRow>> {
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(500) {
            let list = chunk.iter().map(|id| id.0.to_string()).collect::<Vec<_>>().join(",");
            out.extend(self.entities_where(&format!("WHERE e.id IN ({list})"), [], "reading entities")?);
        }
        out.sort_by_key(|e| e.id);
        Ok(out)
    }

    /// Edges among a set of entities, sorted.
    pub fn edges_among(&self, ids: &[EntityId]) -> Result<Vec<EdgeRow>> {
        let set: std::collections::HashSet<EntityId> = ids.iter().copied().collect();
        let mut out = Vec::new();
        for chunk in ids.chunks(500) {
            let list = chunk.iter().map(|id| id.0.to_string()).collect::<Vec<_>>().join(",");
            let sql = format!("SELECT source, target, kind, weight FROM edges WHERE source IN ({list})");
            let mut statement = self.conn.prepare(&sql).map_err(Error::sql("reading edges"))?;
            let rows = statement.query_map([], edge_row).map_err(Error::sql("reading edges"))?;
            for row in rows {
                let row = row.map_err(Error::sql("reading edges"))?;
                if set.contains(&row.target) {
                    out.push(row);
                }
            }
        }
        for &entity in &set {
            if let Some(list) = self.neighbour_list(entity)? {
                out.extend(co_occurs_upward(entity, &list).filter(|e| set.contains(&e.target)));
            }
        }
        out.sort();
        Ok(out)
    }

    /// Evidence sentences of the edges between two entities (any kind, either direction), by
    /// article and position. A co_occurs sentence counts only if it links the two (a list
    /// sentence links neighbours in the list, not every pair: see `resolve::co_occurs_pairs`), so
    /// an edge's evidence is exactly the sentences its weight counts.
    pub fn evidence_between(&self, a: EntityId, b: EntityId, limit: usize) -> Result<Vec<EvidenceRow>> {
        let context = "reading evidence";
        // Sentence ids follow (article, position): an article's sentences are inserted with it,
        // after every earlier article. So the typed relations' sentences (few) and the shared
        // sentences (streamed in id order from the rarer entity's mentions, stopping at `limit`:
        // two hubs share tens of thousands) merge by (sentence, kind) into the stated order.
        let mut typed_statement = self
            .conn
            .prepare_cached(
                "SELECT s.id, s.article_id, s.start, s.end, e.kind FROM edges e
                 JOIN edge_evidence ev ON ev.edge_id = e.id
                 JOIN sentences s ON s.id = ev.sentence_id
                 WHERE (e.source = ?1 AND e.target = ?2) OR (e.source = ?2 AND e.target = ?1)",
            )
            .map_err(Error::sql(context))?;
        // (sentence id, article id, start, end) from the first four columns.
        let sentence_of = |r: &Row<'_>, kind: RelationKind| -> rusqlite::Result<EvidenceRow> {
            Ok(EvidenceRow {
                sentence_id: r.get(0)?,
                article_id: r.get(1)?,
                start: r.get::<_, i64>(2)? as usize,
                end: r.get::<_, i64>(3)? as usize,
                kind,
            })
        };
        let mut typed: Vec<EvidenceRow> = typed_statement
            .query_map(params![a, b], |r| sentence_of(r, r.get(4)?))
            .map_err(Error::sql(context))?
            .collect::<rusqlite::Result<_>>()
            .map_err(Error::sql(context))?;
        typed.sort_by(|x, y| (x.sentence_id, x.kind.as_str()).cmp(&(y.sentence_id, y.kind.as_str())));
        let mentions_of = |id: EntityId| -> Result<i64> {
            self.conn
                .query_row("SELECT coalesce(max(mentions), 0) FROM entities WHERE id = ?1", [id], |r| r.get(0))
                .map_err(Error::sql(context))
        };
        let (rare, other) = if mentions_of(a)? <= mentions_of(b)? { (a, b) } else { (b, a) };
        let mut shared_statement = self
            .conn
            .prepare_cached(
                "SELECT s.id, s.article_id, s.start, s.end,
                        (SELECT count(DISTINCT entity_id) FROM mentions WHERE sentence_id = s.id)
                 FROM (SELECT DISTINCT sentence_id FROM mentions WHERE entity_id = ?1 ORDER BY sentence_id) m
                 JOIN sentences s ON s.id = m.sentence_id
                 WHERE EXISTS (SELECT 1 FROM mentions o WHERE o.sentence_id = m.sentence_id AND o.entity_id = ?2)",
            )
            .map_err(Error::sql(context))?;
        let mut shared = shared_statement.query(params![rare, other]).map_err(Error::sql(context))?;
        let mut next_shared = || -> Result<Option<EvidenceRow>> {
            loop {
                let Some(row) = shared.next().map_err(Error::sql(context))? else { return Ok(None) };
                let (evidence, entities): (EvidenceRow, i64) = sentence_of(row, RelationKind::CoOccurs)
                    .and_then(|evidence| Ok((evidence, row.get(4)?)))
                    .map_err(Error::sql(context))?;
                let list = usize::try_from(entities).unwrap_or(usize::MAX) > crate::resolve::LIST_SENTENCE_ENTITIES;
                if !list || self.sentence_links(evidence.sentence_id, a, b)? {
                    return Ok(Some(evidence));
                }
            }
        };
        let mut out = Vec::new();
        let mut typed = typed.into_iter().peekable();
        let mut pending = next_shared()?;
        while out.len() < limit {
            let take_shared = match (&pending, typed.peek()) {
                (None, None) => break,
                (Some(_), None) => true,
                (None, Some(_)) => false,
                // co_occurs sorts before the typed kinds within a sentence, as kinds sort by name.
                (Some(co), Some(t)) => (co.sentence_id, co.kind.as_str()) <= (t.sentence_id, t.kind.as_str()),
            };
            if take_shared {
                out.extend(pending.take());
                pending = next_shared()?;
            } else {
                out.extend(typed.next());
            }
        }
        Ok(out)
    }

    /// Whether a sentence's co_occurs pairs link `a` and `b`.
    fn sentence_links(&self, sentence: i64, a: EntityId, b: EntityId) -> Result<bool> {
        let pair = (a.as_i64().min(b.as_i64()), a.as_i64().max(b.as_i64()));
        let mut linked = false;
        let sql = format!("{} WHERE m.sentence_id = ?1", cooccurrence::MENTION_PAIRS_SQL);
        cooccurrence::sentence_pairs(&self.conn, &sql, [sentence], |_, _, pairs| linked = pairs.contains(&pair))
            .map_err(Error::sql("reading a list sentence"))?;
        Ok(linked)
    }

    /// One article.
    pub fn article(&self, id: i64) -> Result<Option<ArticleRow>> {
        self.conn
            .query_row(
                "SELECT a.id, s.path, a.ordinal, a.title, a.byline, a.body,
                        a.published_date, a.published_time, a.url, a.site, a.author
                 FROM articles a JOIN sources s ON s.id = a.source_id WHERE a.id = ?1",
                [id],
                |r| {
                    Ok(ArticleRow {
                        id: r.get(0)?,
                        source: r.get(1)?,
                        ordinal: r.get(2)?,
                        title: r.get(3)?,
                        byline: r.get(4)?,
                        body: r.get(5)?,
                        meta: ArticleMeta {
                            date: r.get(6)?,
                            time: r.get(7)?,
                            url: r.get(8)?,
                            site: r.get(9)?,
                            author: r.get(10)?,
                        },
                    })
                },
            )
            .optional()
            .map_err(Error::sql("reading an article"))
    }

    /// Articles mentioning an entity: (article id, title, source path, date, mentions in it), most
    /// first.
    pub fn articles_of(&self, entity_id: EntityId, limit: usize) -> Result<Vec<ArticleOfEntity>> {
        let context = "reading an entity's articles";
        let mut statement = self
            .conn
            .prepare_cached(
                "SELECT a.id, a.title, so.path, a.published_date, count(*),
                        (SELECT count(*) FROM articles c WHERE c.duplicate_of = a.id)
                 FROM mentions m
                 JOIN sentences s ON s.id = m.sentence_id
                 JOIN articles a ON a.id = s.article_id
                 JOIN sources so ON so.id = a.source_id
                 WHERE m.entity_id = ?1 GROUP BY a.id ORDER BY count(*) DESC, a.id LIMIT ?2",
            )
            .map_err(Error::sql(context))?;
        let rows = statement
            .query_map(params![entity_id, limit as i64], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?))
            })
            .map_err(Error::sql(context))?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(Error::sql(context))
    }

    /// The other articles of an article's story (its original and the original's other copies),
    /// by id.
    pub fn story_copies(&self, article_id: i64) -> Result<Vec<StoryCopy>> {
        let context = "reading where a story appeared";
        let mut statement = self
            .conn
            .prepare_cached(
                "SELECT a.id, a.title, s.path, a.published_date, a.site, a.url FROM articles a
                 JOIN sources s ON s.id = a.source_id,
                      (SELECT coalesce(duplicate_of, id) AS root FROM articles WHERE id = ?1) AS story
                 WHERE (a.id = story.root OR a.duplicate_of = story.root) AND a.id <> ?1 ORDER BY a.id",
            )
            .map_err(Error::sql(context))?;
        let rows = statement
            .query_map([article_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))
            .map_err(Error::sql(context))?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(Error::sql(context))
    }

    /// The article an article is a copy of, if it is one.
    pub fn duplicate_of(&self, article_id: i64) -> Result<Option<i64>> {
        self.conn
            .query_row("SELECT duplicate_of FROM articles WHERE id = ?1", [article_id], |r| r.get(0))
            .optional()
            .map(Option::flatten)
            .map_err(Error::sql("reading an article's original"))
    }

    /// How many other articles hold the same story as this original.
    pub fn copy_count(&self, article_id: i64) -> Result<i64> {
        self.conn
            .query_row("SELECT count(*) FROM articles WHERE duplicate_of = ?1", [article_id], |r| r.get(0))
            .map_err(Error::sql("counting an article's copies"))
    }

    /// Mentions in an article, by position.
    pub fn mentions_in_article(&self, article_id: i64) -> Result<Vec<MentionRow>> {
        let context = "reading an article's mentions";
        let mut statement = self
            .conn
            .prepare_cached(
                "SELECT m.entity_id, e.kind, m.sentence_id, m.start, m.end FROM mentions m
                 JOIN sentences s ON s.id = m.sentence_id JOIN entities e ON e.id = m.entity_id
                 WHERE s.article_id = ?1 ORDER BY m.start, m.end DESC",
            )
            .map_err(Error::sql(context))?;
        let rows = statement
            .query_map([article_id], |r| {
                Ok(MentionRow {
                    entity_id: r.get(0)?,
                    kind: r.get(1)?,
                    sentence_id: r.get(2)?,
                    start: r.get::<_, i64>(3)? as usize,
                    end: r.get::<_, i64>(4)? as usize,
                })
            })
            .map_err(Error::sql(context))?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(Error::sql(context))
    }

    /// Source files, stored and skipped, by path.
    pub fn sources(&self) -> Result<Vec<SourceRow>> {
        let context = "reading sources";
        let mut statement = self
            .conn
            .prepare_cached("SELECT path, status, encoding, error FROM sources ORDER BY path")
            .map_err(Error::sql(context))?;
        let rows = statement
            .query_map([], |r| {
                Ok(SourceRow { path: r.get(0)?, status: r.get(1)?, encoding: r.get(2)?, error: r.get(3)? })
            })
            .map_err(Error::sql(context))?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(Error::sql(context))
    }

    /// How many articles the full-text index does not hold yet (see [`Store::index_pending`]).
    pub fn unindexed_count(&self) -> Result<i64> {
        self.conn
            .query_row("SELECT count(*) FROM articles WHERE indexed = 0", [], |r| r.get(0))
            .map_err(Error::sql("counting articles still to index"))
    }

    /// `PRAGMA wal_checkpoint(TRUNCATE)`: the write-ahead log copied into the database file and
    /// cut to nothing. False when a reader still needed part of it (SQLite then leaves the log).
    pub fn truncate_log(&self) -> Result<bool> {
        let busy: i64 = self
            .conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))
            .map_err(Error::sql("emptying the write-ahead log"))?;
        Ok(busy == 0)
    }

    /// How many times the graph has changed (`graph_version`, migration 11): a cached graph of
    /// another version is stale. The full-text index's commits leave it as it is.
    pub fn graph_version(&self) -> Result<i64> {
        self.conn
            .query_row("SELECT version FROM graph_version WHERE id = 1", [], |r| r.get(0))
            .map_err(Error::sql("reading the graph version"))
    }

    /// SQLite's `PRAGMA data_version` of this connection: it changes when another connection
    /// (an ingest, another process) commits, so a cached graph knows it is stale.
    pub fn data_version(&self) -> Result<i64> {
        self.conn.query_row("PRAGMA data_version", [], |r| r.get(0)).map_err(Error::sql("reading the data version"))
    }

    /// Counts of everything.
    pub fn stats(&self) -> Result<StatsRow> {
        let count =
            |sql: &str| -> Result<i64> { self.conn.query_row(sql, [], |r| r.get(0)).map_err(Error::sql("counting")) };
        let mut stats = StatsRow {
            files: count("SELECT count(*) FROM sources WHERE status = 'stored'")?,
            skipped: count("SELECT count(*) FROM sources WHERE status = 'skipped'")?,
            articles: count("SELECT count(*) FROM articles")?,
            copies: count("SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL")?,
            sentences: count("SELECT count(*) FROM sentences")?,
            mentions: count("SELECT count(*) FROM mentions")?,
            ..Default::default()
        };
        for kind in EntityKind::ALL {
            let n = self
                .conn
                .query_row("SELECT count(*) FROM entities WHERE kind = ?1", [kind], |r| r.get(0))
                .map_err(Error::sql("counting entities"))?;
            stats.entities.push((kind, n));
        }
        for kind in RelationKind::ALL {
            let n = if kind == RelationKind::CoOccurs {
                count("SELECT coalesce(sum(degree), 0) / 2 FROM cooccurrences")?
            } else {
                self.conn
                    .query_row("SELECT count(*) FROM edges WHERE kind = ?1", [kind], |r| r.get(0))
                    .map_err(Error::sql("counting edges"))?
            };
            stats.edges.push((kind, n));
        }
        Ok(stats)
    }
}
