-- Version 3: co_occurs weights move from one `edges` row per entity pair to one adjacency list per
-- entity (see store/cooccurrence.rs for the blob format). The migration's Rust step converts the
-- existing co_occurs rows and deletes them; `edges` keeps the typed relations.
CREATE TABLE cooccurrences (
    entity_id INTEGER PRIMARY KEY REFERENCES entities(id) ON DELETE CASCADE,
    degree INTEGER NOT NULL,
    neighbours BLOB NOT NULL
);

-- The full-text index keeps no positions (detail=none, columnsize=0): substring search goes
-- through LIKE '%…%', which FTS5 answers from the trigram index and then checks; segments are
-- merged only when 64 pile up on one level (automerge off). Together these halve its share of
-- ingest time. Articles are indexed by one statement per batch, just before it commits, rather than
-- by a trigger (FTS5 flushes at every statement savepoint, so a trigger's rows were flushed by the
-- next write: tiny segments and constant merging).
DROP TRIGGER articles_fts_insert;
DROP TABLE articles_fts;
CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, body, content='articles', content_rowid='id', tokenize='trigram', detail=none, columnsize=0
);
INSERT INTO articles_fts(articles_fts, rank) VALUES ('automerge', 0);
INSERT INTO articles_fts(articles_fts, rank) VALUES ('crisismerge', 64);
INSERT INTO articles_fts(articles_fts) VALUES ('rebuild');
