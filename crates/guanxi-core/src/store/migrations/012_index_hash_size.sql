-- Version 12: the full-text index gathers new terms in a smaller in-memory hash (256 KiB, FTS5's
-- default is 1 MiB) before it writes them out as a segment. FTS5 sorts the whole hash at every
-- flush, and that sort was the largest single cost of indexing; measured on bench-pd98 ×1 and
-- ×10 (every article indexed in one statement), a 256 KiB hash took 35-40 % less CPU than 1 MiB
-- (64 MiB took twice as long; 128 KiB was no faster than 256). The extra small segments are
-- merged as before (crisismerge 64).
INSERT INTO articles_fts(articles_fts, rank) VALUES ('hashsize', 262144);
