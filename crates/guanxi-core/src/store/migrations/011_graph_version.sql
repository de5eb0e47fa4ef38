-- Version 11: a counter of the graph's changes. Readers cache the graph (and the day index and
-- ranks built on it) per database version; the background full-text index commits too, and those
-- commits made every cached graph stale although the graph had not changed. Every transaction
-- that changes entities, mentions or relations (a batch of files, a file on its own, a correction
-- or its undo) adds one; the full-text index does not.
CREATE TABLE graph_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO graph_version (id, version) VALUES (1, 0);
