-- Version 10: find-text answers from the full-text index for any text of two characters or more
-- (store/text.rs). A two-character text is the start of the three-character pieces the index
-- lists (articles_fts_terms, a view of its terms in order), or the end of a body (the tail index;
-- a title is a body's first line, so it is followed by a line break there). Before, such a text
-- was looked for by reading every article.
CREATE VIRTUAL TABLE articles_fts_terms USING fts5vocab(articles_fts, row);
CREATE INDEX articles_body_tail ON articles(substr(body, -2));

-- Entity search looks for the query inside every distinct alias. An alias has a row per file that
-- states it (×100 copies of a month: 410,000 rows, 812 distinct), so the distinct (alias, entity)
-- pairs are kept apart, added by a trigger. A pair whose last row goes stays: search checks that
-- some file still states it.
CREATE TABLE alias_names (
    alias TEXT NOT NULL,
    entity_id INTEGER NOT NULL,
    PRIMARY KEY (alias, entity_id)
) WITHOUT ROWID;
INSERT INTO alias_names SELECT DISTINCT alias, entity_id FROM aliases;
CREATE TRIGGER alias_names_insert AFTER INSERT ON aliases BEGIN
    INSERT OR IGNORE INTO alias_names(alias, entity_id) VALUES (new.alias, new.entity_id);
END;
