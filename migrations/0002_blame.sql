-- Line authorship per revision, computed once from the parent's and kept: runs of
-- [revision id, line count] as JSON. Rebuilt freely: it is derived data.
CREATE TABLE blame_cache (
  revision_id  INTEGER NOT NULL REFERENCES revision (id),
  version      INTEGER NOT NULL,
  runs         TEXT    NOT NULL,
  PRIMARY KEY (revision_id, version)
) WITHOUT ROWID;
