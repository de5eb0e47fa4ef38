-- Version 3: co_occurs weights move from one `edges` row per entity pair to one adjacency list per
-- entity (see store/cooccurrence.rs for the blob format). The migration's Rust step converts the
-- existing co_occurs rows and deletes them; `edges` keeps the typed relations.
CREATE TABLE cooccurrences (
    entity_id INTEGER PRIMARY KEY REFERENCES entities(id) ON DELETE CASCADE,
    degree INTEGER NOT NULL,
    neighbours BLOB NOT NULL
);
