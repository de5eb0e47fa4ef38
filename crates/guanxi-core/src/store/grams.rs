//! The full-text index: for every pair of adjacent characters (a *gram*, case-folded) the
//! articles whose body holds it, without positions. find-text (store/text.rs) asks it for the
//! articles that hold every gram of a text and reads those to check.
//!
//! Layout (migration 13): articles are indexed in *chunks* (`text_chunks`: up to a few thousand
//! articles, the id range they span, whether one of them was deleted since). A chunk's postings
//! are spread over [`BUCKETS`] rows of `text_grams`, keyed (chunk, bucket); a bucket's blob lists
//! its grams in order, each with its article ids (ascending, delta-coded varints). So a chunk is
//! a few thousand rows however many grams it holds, and looking a gram up reads one small blob per
//! chunk.
//!
//! Building a chunk is mostly counting, done in parallel (rayon) on every core; the writer then
//! inserts the blobs in key order. An index chunk smaller than the pass's chunk size is rebuilt
//! together with the next articles (small ingests do not pile up small chunks), and a chunk that
//! lost an article (a file replaced or deleted) is rebuilt from the articles still there before
//! anything new is indexed, so postings never name an article that no longer holds the gram for
//! longer than until the next pass; until then find-text checks every candidate ([`GramIndex`]).

use super::Store;
use crate::error::{Error, Result};
use rayon::prelude::*;
use rusqlite::{params, OptionalExtension};

/// Rows one chunk's postings are spread over (a power of two).
pub const BUCKETS: u64 = 4096;

/// A pair of adjacent characters, case-folded: the first in the high half.
pub type Gram = u64;

/// The grams of a text: each pair of adjacent characters once, in order of [`Gram`] value.
pub fn grams(text: &str) -> Vec<Gram> {
    let mut out: Vec<Gram> = Vec::with_capacity(text.len() / 3 + 1);
    let mut previous: Option<u32> = None;
    for c in text.chars() {
        let folded = fold(c);
        if let Some(first) = previous {
            out.push(gram(first, folded));
        }
        previous = Some(folded);
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The grams of a text in the order they occur (repeats kept), for a query.
pub fn query_grams(text: &str) -> Vec<Gram> {
    let folded: Vec<u32> = text.chars().map(fold).collect();
    folded.windows(2).map(|pair| gram(pair[0], pair[1])).collect()
}

fn fold(c: char) -> u32 {
    u32::from(c.to_lowercase().next().unwrap_or(c))
}

fn gram(first: u32, second: u32) -> Gram {
    (u64::from(first) << 32) | u64::from(second)
}

/// Which bucket row holds a gram (a multiplicative hash: grams of one script spread evenly).
pub fn bucket(gram: Gram) -> u64 {
    gram.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - BUCKETS.trailing_zeros())
}

fn put_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// Reads a varint at `*at`, moving past it; `None` when the blob ends inside it.
fn take_varint(blob: &[u8], at: &mut usize) -> Option<u64> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let byte = *blob.get(*at)?;
        *at += 1;
        value |= u64::from(byte & 0x7F) << shift;
        if byte < 0x80 {
            return Some(value);
        }
    }
    None
}

/// One bucket's blob: for each gram in ascending order, the gram's distance from the previous
/// one, its count of articles, the byte length of its ids, then the ids as distances from the
/// previous id (the first from 0). `postings` is sorted by gram, then id, without repeats.
fn encode_bucket(postings: &[(Gram, u64)]) -> Vec<u8> {
    let mut out = Vec::with_capacity(postings.len() * 2 + 16);
    let mut ids = Vec::new();
    let mut previous_gram = 0u64;
    let mut start = 0;
    while start < postings.len() {
        let gram = postings[start].0;
        let end = start + postings[start..].iter().take_while(|(g, _)| *g == gram).count();
        ids.clear();
        let mut previous_id = 0u64;
        for &(_, id) in &postings[start..end] {
            put_varint(&mut ids, id - previous_id);
            previous_id = id;
        }
        put_varint(&mut out, gram - previous_gram);
        put_varint(&mut out, (end - start) as u64);
        put_varint(&mut out, ids.len() as u64);
        out.extend_from_slice(&ids);
        previous_gram = gram;
        start = end;
    }
    out
}

/// The article ids a bucket's blob lists for `wanted`, passed to `add`; an error names what is
/// wrong with a blob that does not decode.
fn decode_gram(blob: &[u8], wanted: Gram, mut add: impl FnMut(i64)) -> std::result::Result<(), &'static str> {
    let mut at = 0;
    let mut gram = 0u64;
    while at < blob.len() {
        gram = gram.checked_add(take_varint(blob, &mut at).ok_or("a gram is cut short")?).ok_or("a gram overflows")?;
        let count = take_varint(blob, &mut at).ok_or("a count is cut short")?;
        let length = usize::try_from(take_varint(blob, &mut at).ok_or("a length is cut short")?)
            .map_err(|_| "a length overflows")?;
        let end = at.checked_add(length).filter(|&end| end <= blob.len()).ok_or("ids run past the end")?;
        if gram > wanted {
            return Ok(());
        }
        if gram == wanted {
            let mut id = 0u64;
            for _ in 0..count {
                id += take_varint(&blob[..end], &mut at).ok_or("an id is cut short")?;
                add(i64::try_from(id).map_err(|_| "an id overflows")?);
            }
            return Ok(());
        }
        at = end;
    }
    Ok(())
}

/// The postings of a batch of articles, bucket by bucket, ready to insert in key order.
fn build_chunk(articles: &[(i64, String)]) -> Vec<(u64, Vec<u8>)> {
    let per_article: Vec<Vec<Gram>> = articles.par_iter().map(|(_, body)| grams(body)).collect();
    let mut buckets: Vec<Vec<(Gram, u64)>> = vec![Vec::new(); BUCKETS as usize];
    for ((id, _), grams) in articles.iter().zip(&per_article) {
        // Row ids are numbered from 1.
        let id = id.unsigned_abs();
        for &gram in grams {
            buckets[bucket(gram) as usize].push((gram, id));
        }
    }
    drop(per_article);
    buckets
        .into_par_iter()
        .enumerate()
        .filter(|(_, postings)| !postings.is_empty())
        .map(|(number, mut postings)| {
            postings.sort_unstable();
            postings.dedup();
            (number as u64, encode_bucket(&postings))
        })
        .collect()
}

/// How find-text may use the index now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GramIndex {
    /// The chunks, oldest first.
    chunks: Vec<i64>,
    /// Whether some chunk lost an article since it was built: its postings may name an article
    /// id that now belongs to another article, so every candidate must be read to check.
    pub stale: bool,
}

impl Store {
    /// The index's chunks as find-text sees them.
    pub(super) fn gram_index(&self) -> Result<GramIndex> {
        let context = "reading the full-text index's chunks";
        let mut statement = self
            .conn
            .prepare_cached("SELECT chunk, stale FROM text_chunks ORDER BY chunk")
            .map_err(Error::sql(context))?;
        let rows = statement
            .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, bool>(1)?)))
            .map_err(Error::sql(context))?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(Error::sql(context))?;
        Ok(GramIndex {
            stale: rows.iter().any(|(_, stale)| *stale),
            chunks: rows.into_iter().map(|(c, _)| c).collect(),
        })
    }

    /// Passes to `add` every article id the index lists for `gram` (an id may come twice when
    /// chunks overlap).
    pub(super) fn gram_postings(&self, index: &GramIndex, gram: Gram, add: &mut dyn FnMut(i64)) -> Result<()> {
        let context = "looking a text up in the full-text index";
        let mut statement = self
            .conn
            .prepare_cached("SELECT postings FROM text_grams WHERE chunk = ?1 AND bucket = ?2")
            .map_err(Error::sql(context))?;
        let number = bucket(gram) as i64;
        for &chunk in &index.chunks {
            let mut rows = statement.query(params![chunk, number]).map_err(Error::sql(context))?;
            if let Some(row) = rows.next().map_err(Error::sql(context))? {
                let blob = row.get_ref(0).map_err(Error::sql(context))?.as_blob().map_err(|e| {
                    Error::sql(context)(rusqlite::Error::FromSqlConversionFailure(
                        0,
                        rusqlite::types::Type::Blob,
                        Box::new(e),
                    ))
                })?;
                decode_gram(blob, gram, &mut *add).map_err(|reason| Error::Internal {
                    context: format!("reading bucket {number} of full-text index chunk {chunk}"),
                    reason: format!("{reason}; `guanxi` rebuilds the index when its tables are emptied"),
                })?;
            }
        }
        Ok(())
    }

    /// Adds up to `limit` articles that the full-text index does not hold yet to it, in a
    /// transaction of their own, oldest first; returns by how much the count of articles still
    /// to index went down (0 when it is up to date). Chunks that lost an article are rebuilt
    /// first, and a last chunk smaller than `limit` is rebuilt together with the new articles.
    /// Safe to run beside an ingest (the two take turns) and after a kill (it goes on from where
    /// the index is). The pinyin search keys the graph's new entities and aliases owe are made
    /// in the same transaction, while the postings are counted (store/keys.rs).
    pub fn index_pending(&mut self, limit: usize) -> Result<usize> {
        self.check_before_writing()?;
        let context = "adding articles to the full-text index";
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(Error::sql(context))?;
        let count_pending = |tx: &rusqlite::Transaction<'_>| -> Result<usize> {
            tx.query_row("SELECT count(*) FROM articles WHERE indexed = 0", [], |r| r.get::<_, i64>(0))
                .map(|n| usize::try_from(n).unwrap_or(0))
                .map_err(Error::sql(context))
        };
        let before = count_pending(&tx)?;
        // Chunks to rebuild: every stale one; the last when it is small and there is news.
        let mut rebuild: Vec<(i64, i64, i64)> = {
            let mut statement = tx
                .prepare_cached("SELECT chunk, first_id, last_id FROM text_chunks WHERE stale = 1")
                .map_err(Error::sql(context))?;
            let rows =
                statement.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).map_err(Error::sql(context))?;
            rows.collect::<rusqlite::Result<_>>().map_err(Error::sql(context))?
        };
        if before > 0 {
            let last: Option<(i64, i64, i64, i64)> = tx
                .query_row(
                    "SELECT chunk, first_id, last_id, articles FROM text_chunks WHERE stale = 0
                     ORDER BY chunk DESC LIMIT 1",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )
                .optional()
                .map_err(Error::sql(context))?;
            if let Some((chunk, first, last, _)) = last.filter(|l| usize::try_from(l.3).unwrap_or(0) < limit) {
                rebuild.push((chunk, first, last));
            }
        }
        for (chunk, first, last) in &rebuild {
            tx.execute(
                "UPDATE articles SET indexed = 0 WHERE id BETWEEN ?1 AND ?2 AND indexed = 1",
                params![first, last],
            )
            .map_err(Error::sql(context))?;
            tx.execute("DELETE FROM text_grams WHERE chunk = ?1", [chunk]).map_err(Error::sql(context))?;
            tx.execute("DELETE FROM text_chunks WHERE chunk = ?1", [chunk]).map_err(Error::sql(context))?;
        }
        let articles: Vec<(i64, String)> = {
            let mut statement = tx
                .prepare_cached(
                    "SELECT id, body FROM articles WHERE id IN
                     (SELECT id FROM articles WHERE indexed = 0 ORDER BY id LIMIT ?1) ORDER BY id",
                )
                .map_err(Error::sql(context))?;
            let rows =
                statement.query_map([limit as i64], |r| Ok((r.get(0)?, r.get(1)?))).map_err(Error::sql(context))?;
            rows.collect::<rusqlite::Result<_>>().map_err(Error::sql(context))?
        };
        // The chunk's postings are counted on every core while this thread makes the search keys.
        let blobs = std::thread::scope(|scope| -> Result<Vec<(u64, Vec<u8>)>> {
            let counting = scope.spawn(|| if articles.is_empty() { Vec::new() } else { build_chunk(&articles) });
            let keyed = super::keys::make_pending(&tx).map_err(Error::sql("making pinyin search keys"));
            let blobs = counting.join().map_err(|panic| Error::from_panic(context, panic.as_ref()))?;
            keyed.map(|_| blobs)
        })?;
        if let (Some((first, _)), Some((last, _))) = (articles.first(), articles.last()) {
            tx.execute(
                "INSERT INTO text_chunks (articles, first_id, last_id) VALUES (?1, ?2, ?3)",
                params![articles.len() as i64, first, last],
            )
            .map_err(Error::sql(context))?;
            let chunk = tx.last_insert_rowid();
            {
                let mut insert = tx
                    .prepare_cached("INSERT INTO text_grams (chunk, bucket, postings) VALUES (?1, ?2, ?3)")
                    .map_err(Error::sql(context))?;
                for (number, blob) in blobs {
                    insert.execute(params![chunk, number as i64, blob]).map_err(Error::sql(context))?;
                }
            }
            tx.execute(
                "UPDATE articles SET indexed = 1 WHERE indexed = 0 AND id BETWEEN ?1 AND ?2",
                params![first, last],
            )
            .map_err(Error::sql(context))?;
        }
        let after = count_pending(&tx)?;
        tx.commit().map_err(Error::sql(context))?;
        Ok(before.saturating_sub(after))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grams_are_folded_pairs_listed_once() {
        let text = "江海区GDp江海";
        let expected: Vec<Gram> = {
            let mut g = query_grams("江海区gdp江海");
            g.sort_unstable();
            g.dedup();
            g
        };
        assert_eq!(grams(text), expected);
        assert_eq!(expected.len(), 6, "江海 twice, 海区 区g gd dp p江");
        assert!(grams("江").is_empty() && grams("").is_empty());
    }

    #[test]
    fn a_bucket_lists_each_grams_articles_and_nothing_else() {
        let mut postings: Vec<(Gram, u64)> = vec![(5, 1), (5, 300), (5, 70_000), (9, 2), (1 << 40, 4)];
        postings.sort_unstable();
        let blob = encode_bucket(&postings);
        let ids = |gram| {
            let mut out = Vec::new();
            decode_gram(&blob, gram, |id| out.push(id)).unwrap();
            out
        };
        assert_eq!(ids(5), vec![1, 300, 70_000]);
        assert_eq!(ids(9), vec![2]);
        assert_eq!(ids(1 << 40), vec![4]);
        assert!(ids(6).is_empty() && ids(1 << 41).is_empty());
        assert!(decode_gram(&blob[..blob.len() - 1], 1 << 40, |_| {}).is_err(), "a cut blob is an error");
    }

    #[test]
    fn buckets_spread_grams_evenly() {
        let text: String = (0x4E00u32..0x4E00 + 3000).filter_map(char::from_u32).collect();
        let mut counts = vec![0u32; BUCKETS as usize];
        for gram in grams(&text) {
            counts[bucket(gram) as usize] += 1;
        }
        assert!(counts.iter().all(|&n| n <= 6), "max {}", counts.iter().max().unwrap());
    }
}
