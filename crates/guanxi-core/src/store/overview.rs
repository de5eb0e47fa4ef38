//! What the overview reads besides the graph: articles per publication date (the histogram), and
//! the articles that mention a group of entities most (a community's top articles).

use super::read::ArticleOfEntity;
use super::Store;
use crate::error::{Error, Result};
use crate::vocab::{DateRange, EntityId};
use rusqlite::params;

impl Store {
    /// Articles per publication date, by date; undated articles last, under `None`.
    pub fn articles_per_date(&self) -> Result<Vec<(Option<String>, i64)>> {
        let context = "counting articles per date";
        let mut statement = self
            .conn
            .prepare(
                "SELECT published_date, count(*) FROM articles GROUP BY published_date
                 ORDER BY published_date IS NULL, published_date",
            )
            .map_err(Error::sql(context))?;
        let rows = statement.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).map_err(Error::sql(context))?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(Error::sql(context))
    }

    /// The articles in `range` with the most mentions of `ids` (at most `limit`; ties by id):
    /// (article, title, source path, date, mentions of `ids`).
    pub fn articles_mentioning(
        &self,
        ids: &[EntityId],
        range: &DateRange,
        limit: usize,
    ) -> Result<Vec<ArticleOfEntity>> {
        let context = "reading the articles of a group of entities";
        if ids.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let list = ids.iter().map(|id| id.0.to_string()).collect::<Vec<_>>().join(",");
        let dates =
            if range.is_all() { "?1 = ?1 AND ?2 = ?2" } else { "a.published_date >= ?1 AND a.published_date <= ?2" };
        let sql = format!(
            "SELECT a.id, a.title, so.path, a.published_date, count(*),
                    (SELECT count(*) FROM articles c WHERE c.duplicate_of = a.id)
             FROM mentions m
             JOIN sentences s ON s.id = m.sentence_id
             JOIN articles a ON a.id = s.article_id
             JOIN sources so ON so.id = a.source_id
             WHERE m.entity_id IN ({list}) AND {dates}
             GROUP BY a.id ORDER BY count(*) DESC, a.id LIMIT ?3"
        );
        let mut statement = self.conn.prepare(&sql).map_err(Error::sql(context))?;
        let rows = statement
            .query_map(params![range.lower(), range.upper(), limit as i64], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?))
            })
            .map_err(Error::sql(context))?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(Error::sql(context))
    }
}
