-- Version 8: the full-text index is built off the critical path. Ingest commits a batch's graph
-- without indexing its articles; `Store::index_pending` indexes them afterwards in transactions of
-- their own (resumable after a kill, idempotent), and `indexed` says which articles the index holds.
-- The delete trigger removes only what was indexed (deleting an unindexed row from an external-
-- content FTS5 table would corrupt it). Articles stored before version 9 were indexed at ingest.
ALTER TABLE articles ADD COLUMN indexed INTEGER NOT NULL DEFAULT 0;
UPDATE articles SET indexed = 1;
CREATE INDEX articles_unindexed ON articles(id) WHERE indexed = 0;
DROP TRIGGER articles_fts_delete;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles WHEN old.indexed = 1 BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
END;
