-- Version 6: the same story stored twice (a wire story reprinted by several sites, a page ingested
-- both as HTML and in an export) counts once. body_hash identifies an original article's story
-- (SHA-256 of its text after the headline, whitespace removed); a later article with the same
-- story is stored with duplicate_of = the original, without sentences or mentions, so that weights
-- and mention counts count the story once. When the original goes, its copies' files are marked
-- for reading again (sources.sha256 = NULL) and the next ingest makes one of them the original.
ALTER TABLE articles ADD COLUMN body_hash TEXT;
ALTER TABLE articles ADD COLUMN duplicate_of INTEGER REFERENCES articles(id) ON DELETE SET NULL;
CREATE INDEX articles_body_hash ON articles(body_hash) WHERE body_hash IS NOT NULL;
CREATE INDEX articles_duplicate_of ON articles(duplicate_of) WHERE duplicate_of IS NOT NULL;
