-- Version 7 (6 is reserved for another change; see MIGRATIONS in store/mod.rs): corrections.
--
-- A person's corrections of the graph (merge, rename, set kind, ban, split) live in
-- `corrections`, in the order they were made. The graph rows (entities, mentions.entity_id,
-- aliases, roles, edges, co-occurrence lists) become what the recogniser found *after* the
-- corrections; what it found before them is kept beside them, so that an undo is exact and a
-- re-ingest applies the corrections again:
-- - `recognised_entities`: every (kind, name) the resolver produced; `mentions.recognised` is the
--   recognised entity of each mention;
-- - `held_mentions`: mentions a ban took out of the graph (kept to come back on undo);
-- - `recognised_aliases`, `recognised_roles`, `recognised_relations`: aliases, roles and typed
--   relations as the resolver made them, by recognised entity.
-- An older database had no corrections: what is stored is what was recognised.
-- (AUTOINCREMENT: an undone correction's id is never given to another.)
CREATE TABLE corrections (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    action TEXT NOT NULL CHECK (action IN ('merge', 'rename', 'set_kind', 'ban', 'split')),
    detail TEXT NOT NULL,
    author TEXT NOT NULL,
    made_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE TABLE recognised_entities (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('person', 'organization', 'place', 'project')),
    name TEXT NOT NULL,
    UNIQUE (kind, name)
);
INSERT INTO recognised_entities (id, kind, name) SELECT id, kind, name FROM entities;

ALTER TABLE mentions ADD COLUMN recognised INTEGER REFERENCES recognised_entities(id);
UPDATE mentions SET recognised = entity_id;

CREATE TABLE held_mentions (
    id INTEGER PRIMARY KEY,
    sentence_id INTEGER NOT NULL REFERENCES sentences(id) ON DELETE CASCADE,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    surface TEXT NOT NULL,
    recognised INTEGER NOT NULL REFERENCES recognised_entities(id)
);
CREATE INDEX held_mentions_sentence ON held_mentions(sentence_id);
CREATE INDEX held_mentions_recognised ON held_mentions(recognised);

CREATE TABLE recognised_aliases (
    recognised INTEGER NOT NULL REFERENCES recognised_entities(id),
    alias TEXT NOT NULL,
    source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    PRIMARY KEY (recognised, alias, source_id)
) WITHOUT ROWID;
CREATE INDEX recognised_aliases_source ON recognised_aliases(source_id);
INSERT INTO recognised_aliases (recognised, alias, source_id) SELECT entity_id, alias, source_id FROM aliases;

CREATE TABLE recognised_roles (
    recognised INTEGER NOT NULL REFERENCES recognised_entities(id),
    role TEXT NOT NULL,
    source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    PRIMARY KEY (recognised, role, source_id)
) WITHOUT ROWID;
CREATE INDEX recognised_roles_source ON recognised_roles(source_id);
INSERT INTO recognised_roles (recognised, role, source_id) SELECT entity_id, role, source_id FROM roles;

CREATE TABLE recognised_relations (
    source INTEGER NOT NULL REFERENCES recognised_entities(id),
    target INTEGER NOT NULL REFERENCES recognised_entities(id),
    kind TEXT NOT NULL CHECK (kind IN ('holds_role_in', 'located_in')),
    sentence_id INTEGER NOT NULL REFERENCES sentences(id) ON DELETE CASCADE,
    PRIMARY KEY (source, target, kind, sentence_id)
) WITHOUT ROWID;
CREATE INDEX recognised_relations_target ON recognised_relations(target);
CREATE INDEX recognised_relations_sentence ON recognised_relations(sentence_id);
INSERT INTO recognised_relations (source, target, kind, sentence_id)
    SELECT e.source, e.target, e.kind, ev.sentence_id FROM edges e JOIN edge_evidence ev ON ev.edge_id = e.id;
