-- Version 14: pinyin search keys are derived data, made after the graph with the full-text index
-- (store/keys.rs) instead of by the writer as it stores each page: every reading of every name and
-- alias was a sixth of the writer's time on bench-pd98 ×1 (138,000 keys for 16,000 entities).
-- `keyed` = 0 marks an entity whose keys are not all made yet (new, or given a new alias); search
-- computes the keys of those few on the fly, so no entity is ever unreachable by pinyin.
-- Entities stored before version 14 were keyed as they were written.
ALTER TABLE entities ADD COLUMN keyed INTEGER NOT NULL DEFAULT 1;
CREATE INDEX entities_unkeyed ON entities(id) WHERE keyed = 0;
