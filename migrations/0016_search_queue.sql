-- Pages whose search entry waits to be written (wiki/searchQueue.ts): a save queues its page
-- instead of writing FTS5 rows in its own transaction, and the queue is indexed in batches, one
-- FTS5 segment for many saves. A search indexes what is queued before it runs, so nobody misses
-- a save; what a crash leaves queued is indexed at start-up. `revision_id` is the latest revision
-- when queued: a later save of the page replaces the row.
CREATE TABLE search_queue (
  page_id INTEGER PRIMARY KEY,
  revision_id INTEGER NOT NULL
) WITHOUT ROWID;
