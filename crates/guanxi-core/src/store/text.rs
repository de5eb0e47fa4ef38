//! Full-text search: the articles whose title or body contains a text, newest first, answered
//! from the character-pair index (store/grams.rs) for any text of two characters or more.
//!
//! The index knows which articles hold each pair of adjacent characters, case-folded, without
//! positions. So:
//! - a text of two characters is one pair: its articles are exactly the pair's (when the text has
//!   no letter case to fold, and no chunk of the index is stale);
//! - a longer text's articles hold all of its pairs: candidates, each read to check;
//! - a single character is looked for by reading the articles.
//!
//! Candidates are put in date order from `articles_date` and read in that order until the page
//! is full: a few are looked up one by one and sorted; many (or every article, when there are no
//! candidates) are met by walking the date index newest first, which stops as soon as the page is
//! full when the count is already known (no date range: the candidates are counted in the index).
//! The count is exact when the candidates are exact or all of them were read; otherwise it is
//! estimated from the first ones read ([`ReadingLimits`]), and says so. A title is its body's
//! first line, so looking in bodies finds titles too.

use super::grams::{self, GramIndex};
use super::read::FoundArticle;
use super::Store;
use crate::error::{Error, Result};
use crate::vocab::DateRange;
use rusqlite::params;
use rusqlite::types::ValueRef;

/// How far find-text reads before it estimates (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadingLimits {
    /// Candidates read to check them beyond a full page before the count becomes an estimate.
    pub verify: usize,
    /// Above this many candidates, they are put in order by walking the date index newest first
    /// (stopping once the page is full, when the count is already known) rather than by looking
    /// up each one's date.
    pub walk_dates_above: usize,
}

impl Default for ReadingLimits {
    fn default() -> Self {
        ReadingLimits { verify: 500, walk_dates_above: 500 }
    }
}

/// At most this many pairs of a long text are asked of the index (the rest are checked by
/// reading): a pasted paragraph must not become thousands of lookups.
const MAX_PIECES: usize = 16;

/// How many articles contain the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextTotal {
    /// The count.
    pub count: i64,
    /// False when `count` is estimated: more candidates than [`ReadingLimits::verify`] would
    /// have had to be read to count them exactly.
    pub exact: bool,
}

/// Article ids as a bit per id (ids are small and dense: rows are numbered from 1).
#[derive(Default)]
struct IdSet {
    bits: Vec<u64>,
    len: usize,
}

impl IdSet {
    fn insert(&mut self, id: i64) {
        let Ok(id) = usize::try_from(id) else { return };
        if self.bits.len() <= id / 64 {
            self.bits.resize(id / 64 + 1, 0);
        }
        let bit = 1u64 << (id % 64);
        if self.bits[id / 64] & bit == 0 {
            self.bits[id / 64] |= bit;
            self.len += 1;
        }
    }

    fn contains(&self, id: i64) -> bool {
        usize::try_from(id).ok().and_then(|id| self.bits.get(id / 64).map(|word| word & (1 << (id % 64)) != 0))
            == Some(true)
    }

    /// Keeps only the ids `other` holds too.
    fn retain_in(&mut self, other: &IdSet) {
        self.bits.truncate(other.bits.len());
        for (word, theirs) in self.bits.iter_mut().zip(&other.bits) {
            *word &= theirs;
        }
        self.len = self.bits.iter().map(|word| word.count_ones() as usize).sum();
    }

    fn ids(&self) -> impl Iterator<Item = i64> + '_ {
        self.bits.iter().enumerate().flat_map(|(k, &word)| {
            (0..64).filter(move |bit| word & (1u64 << bit) != 0).map(move |bit| (k * 64 + bit) as i64)
        })
    }
}

/// Whether the index's case folding could make a piece of `text` stand for other text.
fn has_case(text: &str) -> bool {
    text.chars().any(|c| c.is_lowercase() || c.is_uppercase())
}

impl Store {
    /// Articles whose title or body contains `text` exactly, published in `range` (undated ones
    /// too when it has no bound): dated ones newest first, then undated ones, at most `limit`,
    /// with how many there are in all. Articles the background index has not reached yet are not
    /// looked at (see [`Store::unindexed_count`]).
    pub fn find_text(&self, text: &str, range: &DateRange, limit: usize) -> Result<(Vec<FoundArticle>, TextTotal)> {
        self.find_text_reading(text, range, limit, &ReadingLimits::default())
    }

    /// [`Store::find_text`] within other reading limits.
    pub fn find_text_reading(
        &self,
        text: &str,
        range: &DateRange,
        limit: usize,
        limits: &ReadingLimits,
    ) -> Result<(Vec<FoundArticle>, TextTotal)> {
        let context = "searching the articles' text";
        let index = self.gram_index()?;
        let (candidates, sure) = match text.chars().count() {
            0 => return Ok((Vec::new(), TextTotal { count: 0, exact: true })),
            1 => (None, false),
            n => (Some(self.pair_candidates(text, &index)?), n == 2 && !has_case(text) && !index.stale),
        };
        // How many candidates there are, when known without reading them in order: every
        // candidate is in an unbounded range (the index holds indexed articles only, and none
        // that was deleted unless a chunk is stale).
        let known = match (&candidates, range.is_all()) {
            (Some(set), true) if !index.stale => Some(set.len),
            (None, true) => Some(self.indexed_articles()?),
            _ => None,
        };
        let mut statement = self
            .conn
            .prepare_cached(
                "SELECT a.id, a.title, s.path, a.published_date, a.body FROM articles a
                 JOIN sources s ON s.id = a.source_id WHERE a.id = ?1",
            )
            .map_err(Error::sql(context))?;
        let mut read = |id: i64| {
            statement
                .query_row([id], |r| {
                    Ok(FoundArticle {
                        id: r.get(0)?,
                        title: r.get(1)?,
                        source: r.get(2)?,
                        date: r.get(3)?,
                        body: r.get(4)?,
                    })
                })
                .map_err(Error::sql(context))
        };
        let mut found = Vec::new();
        let (mut seen, mut checked, mut matched) = (0usize, 0usize, 0usize);
        // Each candidate in result order; false once nothing more is needed from the walk.
        let mut visit = |id: i64| -> Result<bool> {
            seen += 1;
            if sure {
                if found.len() < limit {
                    found.push(read(id)?);
                }
                return Ok(found.len() < limit || known.is_none());
            }
            if found.len() >= limit && checked >= limits.verify {
                return Ok(known.is_none()); // counting the candidates only
            }
            let article = read(id)?;
            checked += 1;
            if article.body.contains(text) {
                matched += 1;
                if found.len() < limit {
                    found.push(article);
                }
            }
            Ok(true)
        };
        self.visit_by_date(range, candidates.as_ref(), limits.walk_dates_above, &mut visit)?;
        let total = known.unwrap_or(seen);
        if sure {
            return Ok((found, TextTotal { count: total as i64, exact: true }));
        }
        let unread = total.saturating_sub(checked);
        let count = if unread == 0 {
            matched
        } else {
            matched + (unread as f64 * matched as f64 / checked as f64).round() as usize
        };
        Ok((found, TextTotal { count: count as i64, exact: unread == 0 }))
    }

    /// How many articles the full-text index holds.
    fn indexed_articles(&self) -> Result<usize> {
        let all: i64 = self
            .conn
            .query_row("SELECT count(*) FROM articles", [], |r| r.get(0))
            .map_err(Error::sql("counting the articles"))?;
        Ok(usize::try_from(all - self.unindexed_count()?).unwrap_or(0))
    }

    /// Articles holding every pair of adjacent characters of a text of two characters or more
    /// (at most [`MAX_PIECES`] of them, spread over the text).
    fn pair_candidates(&self, text: &str, index: &GramIndex) -> Result<IdSet> {
        let mut pairs = grams::query_grams(text);
        pairs.sort_unstable();
        pairs.dedup();
        let step = pairs.len().div_ceil(MAX_PIECES).max(1);
        let mut found: Option<IdSet> = None;
        for &pair in pairs.iter().step_by(step) {
            let mut set = IdSet::default();
            self.gram_postings(index, pair, &mut |id| set.insert(id))?;
            if let Some(previous) = &found {
                set.retain_in(previous);
            }
            let empty = set.len == 0;
            found = Some(set);
            if empty {
                break;
            }
        }
        Ok(found.unwrap_or_default())
    }

    /// Adds to `set` the ids that `sql` (one column) gives for `params`.
    fn add_ids(&self, set: &mut IdSet, sql: &str, params: impl rusqlite::Params, context: &str) -> Result<()> {
        let mut statement = self.conn.prepare_cached(sql).map_err(Error::sql(context))?;
        let mut rows = statement.query(params).map_err(Error::sql(context))?;
        while let Some(row) = rows.next().map_err(Error::sql(context))? {
            set.insert(row.get(0).map_err(Error::sql(context))?);
        }
        Ok(())
    }

    /// Hands `visit` the indexed articles of `range` (of `only` when given) in result order,
    /// until it returns false: dated ones newest first, then undated ones, each by id. Up to
    /// `walk_above` candidates are looked up one by one and sorted; more, or no candidates, are
    /// met by walking the date index newest first, which a full page can stop early.
    fn visit_by_date(
        &self,
        range: &DateRange,
        only: Option<&IdSet>,
        walk_above: usize,
        visit: &mut dyn FnMut(i64) -> Result<bool>,
    ) -> Result<()> {
        let context = "ordering the found articles by date";
        let (lower, upper) = (range.lower(), range.upper());
        if let Some(set) = only.filter(|set| set.len <= walk_above) {
            let mut statement = self
                .conn
                .prepare_cached(
                    "SELECT published_date FROM articles WHERE id = ?1 AND indexed = 1
                     AND (?2 OR published_date BETWEEN ?3 AND ?4)",
                )
                .map_err(Error::sql(context))?;
            let mut dated: Vec<(i64, Option<String>)> = Vec::with_capacity(set.len);
            for id in set.ids() {
                let mut rows =
                    statement.query(params![id, range.is_all(), lower, upper]).map_err(Error::sql(context))?;
                if let Some(row) = rows.next().map_err(Error::sql(context))? {
                    dated.push((id, row.get(0).map_err(Error::sql(context))?));
                }
            }
            dated.sort_by(|(a, da), (b, db)| da.is_none().cmp(&db.is_none()).then(db.cmp(da)).then(a.cmp(b)));
            for (id, _) in dated {
                if !visit(id)? {
                    break;
                }
            }
            return Ok(());
        }
        // Without candidates every indexed article is one.
        let mut pending = IdSet::default();
        if only.is_none() {
            let sql = "SELECT id FROM articles WHERE indexed = 0";
            self.add_ids(&mut pending, sql, [], "reading the articles still to index")?;
        }
        let wanted = |id: i64| only.map_or(!pending.contains(id), |set| set.contains(id));
        // The date index walked backwards gives one day's articles by descending id: each day is
        // gathered and handed over by ascending id.
        let sql = if range.is_all() {
            "SELECT id, published_date FROM articles INDEXED BY articles_date
             WHERE published_date IS NOT NULL ORDER BY published_date DESC"
        } else {
            "SELECT id, published_date FROM articles INDEXED BY articles_date
             WHERE published_date BETWEEN ?1 AND ?2 ORDER BY published_date DESC"
        };
        let mut statement = self.conn.prepare_cached(sql).map_err(Error::sql(context))?;
        let mut rows = if range.is_all() { statement.query([]) } else { statement.query(params![lower, upper]) }
            .map_err(Error::sql(context))?;
        let (mut day, mut day_ids): (Vec<u8>, Vec<i64>) = (Vec::new(), Vec::new());
        loop {
            let row = rows.next().map_err(Error::sql(context))?;
            let date = match row {
                Some(row) => match row.get_ref(1).map_err(Error::sql(context))? {
                    ValueRef::Text(date) => Some(date),
                    _ => Some(&[][..]),
                },
                None => None,
            };
            if date != Some(day.as_slice()) {
                while let Some(id) = day_ids.pop() {
                    if !visit(id)? {
                        return Ok(());
                    }
                }
            }
            let (Some(row), Some(date)) = (row, date) else { break };
            let id: i64 = row.get(0).map_err(Error::sql(context))?;
            if date != day.as_slice() {
                day.clear();
                day.extend_from_slice(date);
            }
            if wanted(id) {
                day_ids.push(id);
            }
        }
        if !range.is_all() {
            return Ok(());
        }
        let mut statement = self
            .conn
            .prepare_cached("SELECT id FROM articles INDEXED BY articles_date WHERE published_date IS NULL ORDER BY id")
            .map_err(Error::sql(context))?;
        let mut rows = statement.query([]).map_err(Error::sql(context))?;
        while let Some(row) = rows.next().map_err(Error::sql(context))? {
            let id: i64 = row.get(0).map_err(Error::sql(context))?;
            if wanted(id) && !visit(id)? {
                break;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_sets_count_each_id_once_and_list_them_in_order() {
        let mut set = IdSet::default();
        for id in [5, 130, 5, 64, 200, -1] {
            set.insert(id);
        }
        assert_eq!(set.len, 4);
        assert_eq!(set.ids().collect::<Vec<_>>(), vec![5, 64, 130, 200]);
        assert!(set.contains(64) && !set.contains(63) && !set.contains(100_000) && !set.contains(-1));
    }

    #[test]
    fn id_sets_intersect() {
        let (mut a, mut b) = (IdSet::default(), IdSet::default());
        [1, 64, 65, 500].into_iter().for_each(|id| a.insert(id));
        [64, 500, 9000].into_iter().for_each(|id| b.insert(id));
        a.retain_in(&b);
        assert_eq!((a.len, a.ids().collect::<Vec<_>>()), (2, vec![64, 500]));
    }

    #[test]
    fn case_is_noticed() {
        assert!(has_case("GDP增长") && !has_case("江海区2024"));
    }
}
