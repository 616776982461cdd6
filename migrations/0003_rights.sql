-- Protection, blocks, deletion archive and the public log of admin acts.

CREATE TABLE protection (
  page_id     INTEGER PRIMARY KEY REFERENCES page (id),
  level       TEXT    NOT NULL CHECK (level IN ('semi', 'full')),
  expiry      TEXT,               -- ISO 8601; NULL is infinite
  reason      TEXT    NOT NULL DEFAULT '',
  actor_id    INTEGER NOT NULL REFERENCES actor (id),
  created_at  TEXT    NOT NULL
);

-- A block names an account or an IP address (exactly one).
CREATE TABLE block (
  id          INTEGER PRIMARY KEY,
  actor_id    INTEGER REFERENCES actor (id),
  ip          TEXT,
  target      TEXT    NOT NULL,
  expiry      TEXT,               -- NULL is infinite
  reason      TEXT    NOT NULL DEFAULT '',
  by_actor    INTEGER NOT NULL REFERENCES actor (id),
  created_at  TEXT    NOT NULL,
  removed_at  TEXT,
  CHECK ((actor_id IS NULL) <> (ip IS NULL))
);
CREATE INDEX block_actor ON block (actor_id) WHERE removed_at IS NULL;
CREATE INDEX block_ip ON block (ip) WHERE removed_at IS NULL;

-- A deleted page keeps its row and revisions; its title moves here and the page row gets a
-- tombstone title ("#deleted:ID", never a valid title), so the title is free for a new page.
CREATE TABLE deletion (
  id          INTEGER PRIMARY KEY,
  page_id     INTEGER NOT NULL REFERENCES page (id),
  title       TEXT    NOT NULL,
  deleted_at  TEXT    NOT NULL,
  actor_id    INTEGER NOT NULL REFERENCES actor (id),
  reason      TEXT    NOT NULL DEFAULT '',
  restored_at TEXT
);
CREATE INDEX deletion_title ON deletion (title, id);

CREATE TABLE log (
  id         INTEGER PRIMARY KEY,
  type       TEXT    NOT NULL CHECK (type IN ('protect', 'block', 'delete', 'move')),
  action     TEXT    NOT NULL,
  timestamp  TEXT    NOT NULL,
  actor_id   INTEGER NOT NULL REFERENCES actor (id),
  target     TEXT    NOT NULL,
  reason     TEXT    NOT NULL DEFAULT '',
  details    TEXT    NOT NULL DEFAULT '{}'
);
CREATE INDEX log_type ON log (type, id);
