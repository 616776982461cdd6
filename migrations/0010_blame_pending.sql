-- Revisions whose line authorship (blame_cache) is still to be derived after their save committed:
-- a big text's is worked out on a worker thread after the commit, not inside the write transaction
-- (as links_pending does for link rows). Rows a crash left are finished when the wiki next opens.
CREATE TABLE blame_pending (
  revision_id  INTEGER PRIMARY KEY REFERENCES revision (id)
);
