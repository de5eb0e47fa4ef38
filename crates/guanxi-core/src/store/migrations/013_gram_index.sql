-- Version 13: the full-text index is Guanxi's own (store/grams.rs) instead of FTS5 trigram: for
-- each pair of adjacent characters, the articles that hold it, in chunks of articles, each chunk's
-- postings spread over a few thousand bucket rows. Building it is counting in parallel on every
-- core plus a few thousand inserts per chunk: on bench-pd98 ×1 it took a tenth of FTS5's time
-- (which sorted and merged its in-memory hash on the single writer). Two-character texts are
-- answered exactly by the index, so the term list and the tail index that helped FTS5 with them go.
-- Every article is indexed again by the next index pass (the graph is usable meanwhile).
DROP TRIGGER articles_fts_delete;
DROP TABLE articles_fts_terms;
DROP TABLE articles_fts;
DROP INDEX articles_body_tail;
CREATE TABLE text_chunks (
    chunk INTEGER PRIMARY KEY,
    -- How many articles it was built from, and the span of their ids.
    articles INTEGER NOT NULL,
    first_id INTEGER NOT NULL,
    last_id INTEGER NOT NULL,
    -- An article of its span was deleted since: the next index pass rebuilds it.
    stale INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE text_grams (
    chunk INTEGER NOT NULL,
    bucket INTEGER NOT NULL,
    postings BLOB NOT NULL,
    PRIMARY KEY (chunk, bucket)
) WITHOUT ROWID;
CREATE TRIGGER text_chunks_stale AFTER DELETE ON articles WHEN old.indexed = 1 BEGIN
    UPDATE text_chunks SET stale = 1 WHERE old.id BETWEEN first_id AND last_id AND stale = 0;
END;
UPDATE articles SET indexed = 0;
