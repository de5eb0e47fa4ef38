-- Guanxi schema, version 1 (the first release). Byte offsets are into articles.body (UTF-8).
CREATE TABLE sources (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    sha256 TEXT,
    encoding TEXT,
    size INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('stored', 'skipped')),
    error TEXT,
    ingested_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX sources_sha256 ON sources(sha256);

CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    title TEXT NOT NULL,
    byline TEXT,
    body TEXT NOT NULL,
    UNIQUE (source_id, ordinal)
);

CREATE TABLE sentences (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    byline INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sentences_article ON sentences(article_id);

CREATE TABLE entities (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('person', 'organization', 'place', 'project')),
    name TEXT NOT NULL,
    pinyin TEXT NOT NULL,
    initials TEXT NOT NULL,
    mentions INTEGER NOT NULL DEFAULT 0,
    articles INTEGER NOT NULL DEFAULT 0,
    UNIQUE (kind, name)
);
CREATE INDEX entities_name ON entities(name);

CREATE TABLE entity_keys (
    key TEXT NOT NULL,
    entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    PRIMARY KEY (key, entity_id)
) WITHOUT ROWID;
CREATE INDEX entity_keys_entity ON entity_keys(entity_id);

CREATE TABLE aliases (
    alias TEXT NOT NULL,
    entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    PRIMARY KEY (alias, entity_id, source_id)
) WITHOUT ROWID;
CREATE INDEX aliases_entity ON aliases(entity_id);
CREATE INDEX aliases_source ON aliases(source_id);

CREATE TABLE roles (
    entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    PRIMARY KEY (entity_id, role, source_id)
) WITHOUT ROWID;
CREATE INDEX roles_source ON roles(source_id);

CREATE TABLE mentions (
    id INTEGER PRIMARY KEY,
    entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    sentence_id INTEGER NOT NULL REFERENCES sentences(id) ON DELETE CASCADE,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    surface TEXT NOT NULL
);
CREATE INDEX mentions_entity ON mentions(entity_id);
CREATE INDEX mentions_sentence ON mentions(sentence_id);

CREATE TABLE edges (
    id INTEGER PRIMARY KEY,
    source INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    target INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('co_occurs', 'holds_role_in', 'located_in')),
    weight INTEGER NOT NULL DEFAULT 0,
    UNIQUE (source, target, kind)
);
CREATE INDEX edges_target ON edges(target);

CREATE TABLE edge_evidence (
    edge_id INTEGER NOT NULL REFERENCES edges(id) ON DELETE CASCADE,
    sentence_id INTEGER NOT NULL REFERENCES sentences(id) ON DELETE CASCADE,
    PRIMARY KEY (edge_id, sentence_id)
) WITHOUT ROWID;
CREATE INDEX edge_evidence_sentence ON edge_evidence(sentence_id);

CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, body, content='articles', content_rowid='id', tokenize='trigram'
);
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
END;
