-- Version 2: a co_occurs edge's evidence is the sentences that mention both entities, read from
-- `mentions` instead of being stored again in edge_evidence (which halves the database and the
-- ingest time); edge_evidence keeps the evidence of typed relations. The mentions index covers
-- (entity, sentence) so that the intersection is read from the index alone.
DROP INDEX mentions_entity;
CREATE INDEX mentions_entity ON mentions(entity_id, sentence_id);
DELETE FROM edge_evidence WHERE edge_id IN (SELECT id FROM edges WHERE kind = 'co_occurs');
