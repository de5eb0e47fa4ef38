-- Version 5: a sentence that names more than 12 entities (a roster, a list of attendees) links
-- each to its neighbours in the list instead of every pair. The Rust step rebuilds every
-- co_occurs list from the mentions with that rule.
DELETE FROM cooccurrences;
