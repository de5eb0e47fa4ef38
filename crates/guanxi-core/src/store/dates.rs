//! Time: the graph of the articles published in a date range (entities, weights and evidence all
//! restricted), and the first and last dates of entities and edges.
//!
//! Weights in a range are counted the way the whole graph's are: a typed edge by its evidence
//! sentences, a co_occurs pair by the sentences that link it (the list-sentence rule included).

use super::read::EdgeRow;
use super::{cooccurrence, Store};
use crate::error::{Error, Result};
use crate::vocab::{DateRange, EntityId, RelationKind};
use rusqlite::params;
use std::collections::HashMap;

/// The first and last publication dates (`YYYY-MM-DD`) of what an entity or edge rests on.
pub type DateSpan = (String, String);

/// The SQL condition on `ar.published_date` for a range (`?1`, `?2` are its bounds).
const IN_RANGE: &str = "ar.published_date >= ?1 AND ar.published_date <= ?2";

impl Store {
    /// Counts of the range: files with an article in it, skipped files (all), and its articles,
    /// copies, sentences and mentions (entity and edge counts come from the range's graph).
    pub fn stats_in_range(&self, range: &DateRange) -> Result<super::StatsRow> {
        let bounds = params![range.lower(), range.upper()];
        let count = |sql: &str| -> Result<i64> {
            self.conn.query_row(sql, bounds, |r| r.get(0)).map_err(Error::sql("counting a date range"))
        };
        Ok(super::StatsRow {
            files: count(&format!("SELECT count(DISTINCT ar.source_id) FROM articles ar WHERE {IN_RANGE}"))?,
            skipped: count("SELECT count(*) FROM sources WHERE status = 'skipped' AND ?1 = ?1 AND ?2 = ?2")?,
            articles: count(&format!("SELECT count(*) FROM articles ar WHERE {IN_RANGE}"))?,
            copies: count(&format!(
                "SELECT count(*) FROM articles ar WHERE {IN_RANGE} AND ar.duplicate_of IS NOT NULL"
            ))?,
            sentences: count(&format!(
                "SELECT count(*) FROM sentences s JOIN articles ar ON ar.id = s.article_id WHERE {IN_RANGE}"
            ))?,
            mentions: count(&format!(
                "SELECT count(*) FROM mentions m JOIN sentences s ON s.id = m.sentence_id
                 JOIN articles ar ON ar.id = s.article_id WHERE {IN_RANGE}"
            ))?,
            entities: Vec::new(),
            edges: Vec::new(),
        })
    }

    /// Number of articles without a publication date.
    pub fn undated_articles(&self) -> Result<i64> {
        self.conn
            .query_row("SELECT count(*) FROM articles WHERE published_date IS NULL", [], |r| r.get(0))
            .map_err(Error::sql("counting undated articles"))
    }

    /// What every date holds, for [`crate::graph::DayIndex`]: each entity's mentions and
    /// articles per publication date, sorted by (date, entity); undated articles left out.
    pub fn entity_counts_by_date(&self) -> Result<Vec<(String, EntityId, i64, i64)>> {
        let context = "reading entity counts per date";
        let mut statement = self
            .conn
            .prepare("SELECT day, entity_id, mentions, articles FROM entity_days ORDER BY day, entity_id")
            .map_err(Error::sql(context))?;
        let rows = statement
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .map_err(Error::sql(context))?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(Error::sql(context))
    }

    /// Every edge's weight per publication date (weights counted as the whole graph's
    /// are): the dates in order, each with its edges sorted; undated articles left out.
    pub fn edges_by_date(&self) -> Result<Vec<(String, Vec<EdgeRow>)>> {
        let context = "reading edges per date";
        // Each dated article's date, from the date index in date order (not the article rows: see
        // `every_sentence_pairs`), as its position in `dates`.
        let mut dates: Vec<String> = Vec::new();
        let mut article_dates: HashMap<i64, usize> = HashMap::new();
        {
            let mut statement = self
                .conn
                .prepare(
                    "SELECT id, published_date FROM articles INDEXED BY articles_date
                     WHERE published_date IS NOT NULL ORDER BY published_date",
                )
                .map_err(Error::sql(context))?;
            let mut rows = statement.query([]).map_err(Error::sql(context))?;
            while let Some(row) = rows.next().map_err(Error::sql(context))? {
                let date: String = row.get(1).map_err(Error::sql(context))?;
                if dates.last() != Some(&date) {
                    dates.push(date);
                }
                article_dates.insert(row.get(0).map_err(Error::sql(context))?, dates.len() - 1);
            }
        }
        let mut by_date: Vec<Vec<EdgeRow>> = vec![Vec::new(); dates.len()];
        {
            let mut statement = self
                .conn
                .prepare(
                    "SELECT s.article_id, e.source, e.target, e.kind, count(*) FROM edges e
                     JOIN edge_evidence ev ON ev.edge_id = e.id JOIN sentences s ON s.id = ev.sentence_id
                     GROUP BY s.article_id, e.id",
                )
                .map_err(Error::sql(context))?;
            let mut typed: HashMap<(usize, EntityId, EntityId, RelationKind), i64> = HashMap::new();
            let mut rows = statement.query([]).map_err(Error::sql(context))?;
            while let Some(row) = rows.next().map_err(Error::sql(context))? {
                let article: i64 = row.get(0).map_err(Error::sql(context))?;
                let Some(&number) = article_dates.get(&article) else { continue };
                let key = (
                    number,
                    row.get(1).map_err(Error::sql(context))?,
                    row.get(2).map_err(Error::sql(context))?,
                    row.get(3).map_err(Error::sql(context))?,
                );
                *typed.entry(key).or_default() += row.get::<_, i64>(4).map_err(Error::sql(context))?;
            }
            for ((number, source, target, kind), weight) in typed {
                by_date[number].push(EdgeRow { source, target, kind, weight });
            }
        }
        let mut pairs: HashMap<(usize, i64, i64), i64> = HashMap::new();
        cooccurrence::every_sentence_pairs(&self.conn, |article, found| {
            let Some(&number) = article_dates.get(&article) else { return };
            for (a, b) in found {
                *pairs.entry((number, a, b)).or_default() += 1;
            }
        })
        .map_err(Error::sql(context))?;
        for ((number, a, b), weight) in pairs {
            by_date[number].push(EdgeRow {
                source: entity(a)?,
                target: entity(b)?,
                kind: RelationKind::CoOccurs,
                weight,
            });
        }
        let mut out: Vec<(String, Vec<EdgeRow>)> = dates.into_iter().zip(by_date).collect();
        for (_, edges) in &mut out {
            edges.sort();
        }
        Ok(out)
    }

    /// The first and last dates of the articles in `range` mentioning each of `ids` (undated
    /// articles left out; an entity only in undated articles has no entry).
    pub fn entity_dates(&self, ids: &[EntityId], range: &DateRange) -> Result<HashMap<EntityId, DateSpan>> {
        let context = "reading entity dates";
        let mut out = HashMap::new();
        for chunk in ids.chunks(500) {
            let list = chunk.iter().map(|id| id.0.to_string()).collect::<Vec<_>>().join(",");
            let sql = format!(
                "SELECT entity_id, min(day), max(day) FROM entity_days
                 WHERE entity_id IN ({list}) AND day >= ?1 AND day <= ?2 GROUP BY entity_id"
            );
            let mut statement = self.conn.prepare(&sql).map_err(Error::sql(context))?;
            let rows = statement
                .query_map(params![range.lower(), range.upper()], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))
                .map_err(Error::sql(context))?;
            for row in rows {
                let (id, span) = row.map_err(Error::sql(context))?;
                out.insert(id, span);
            }
        }
        Ok(out)
    }

    /// The first and last dates of the evidence in `range` of every edge among `ids`, keyed by
    /// (source, target, kind) as the edges are.
    pub fn edge_dates(
        &self,
        ids: &[EntityId],
        range: &DateRange,
    ) -> Result<HashMap<(EntityId, EntityId, RelationKind), DateSpan>> {
        let context = "reading edge dates";
        let wanted: std::collections::HashSet<i64> = ids.iter().map(|id| id.as_i64()).collect();
        let mut out: HashMap<(EntityId, EntityId, RelationKind), DateSpan> = HashMap::new();
        let mut widen = |key, date: &str| {
            let span = out.entry(key).or_insert_with(|| (date.to_string(), date.to_string()));
            if date < span.0.as_str() {
                span.0 = date.to_string();
            }
            if date > span.1.as_str() {
                span.1 = date.to_string();
            }
        };
        let typed_sql = format!(
            "SELECT e.source, e.target, e.kind, min(ar.published_date), max(ar.published_date) FROM edges e
             JOIN edge_evidence ev ON ev.edge_id = e.id
             JOIN sentences s ON s.id = ev.sentence_id JOIN articles ar ON ar.id = s.article_id
             WHERE {IN_RANGE} GROUP BY e.id"
        );
        let mut typed = self.conn.prepare(&typed_sql).map_err(Error::sql(context))?;
        let bounds = params![range.lower(), range.upper()];
        let rows = typed
            .query_map(bounds, |r| {
                Ok((r.get::<_, EntityId>(0)?, r.get::<_, EntityId>(1)?, r.get(2)?, r.get::<_, String>(3)?, r.get(4)?))
            })
            .map_err(Error::sql(context))?;
        for row in rows {
            let (source, target, kind, first, last): (_, _, RelationKind, String, String) =
                row.map_err(Error::sql(context))?;
            if wanted.contains(&source.as_i64()) && wanted.contains(&target.as_i64()) {
                widen((source, target, kind), &first);
                widen((source, target, kind), &last);
            }
        }
        let sql = format!("{} WHERE {IN_RANGE} ORDER BY m.sentence_id", cooccurrence::MENTION_PAIRS_SQL);
        let mut pairs: Vec<((i64, i64), String)> = Vec::new();
        cooccurrence::sentence_pairs(&self.conn, &sql, bounds, |_, date, found| {
            let Some(date) = date else { return };
            pairs.extend(
                found
                    .into_iter()
                    .filter(|(a, b)| wanted.contains(a) && wanted.contains(b))
                    .map(|pair| (pair, date.to_string())),
            );
        })
        .map_err(Error::sql(context))?;
        for ((a, b), date) in pairs {
            widen((entity(a)?, entity(b)?, RelationKind::CoOccurs), &date);
        }
        Ok(out)
    }
}

/// An entity id read from a co_occurs pair (always a stored id).
fn entity(id: i64) -> Result<EntityId> {
    u32::try_from(id).map(EntityId).map_err(|_| Error::Internal {
        context: "reading co-occurrences".to_string(),
        reason: format!("entity id {id} out of range"),
    })
}
