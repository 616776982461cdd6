-- Risk scores and patrol marks of edits, and room in the log for rollbacks and patrols.

-- One row per revision, written in the save's transaction. Only the patrol columns ever change.
CREATE TABLE review (
  revision_id   INTEGER PRIMARY KEY REFERENCES revision (id),
  risk          INTEGER NOT NULL CHECK (risk BETWEEN 0 AND 100),
  reasons       TEXT    NOT NULL DEFAULT '[]',
  patrolled_by  INTEGER REFERENCES actor (id),
  patrolled_at  TEXT
);
-- The review queue: unreviewed edits, riskiest first.
CREATE INDEX review_queue ON review (risk DESC, revision_id DESC) WHERE patrolled_by IS NULL;
CREATE INDEX review_risk ON review (risk, revision_id);

-- Mass rollback of an IP address's edits, and the recent-edits-by-address signal.
CREATE INDEX revision_ip ON revision (ip, id) WHERE ip IS NOT NULL;

-- The log's type list grows: SQLite cannot alter a CHECK, so the table is rebuilt (nothing references it).
CREATE TABLE log_new (
  id         INTEGER PRIMARY KEY,
  type       TEXT    NOT NULL CHECK (type IN ('protect', 'block', 'delete', 'move', 'rollback', 'patrol')),
  action     TEXT    NOT NULL,
  timestamp  TEXT    NOT NULL,
  actor_id   INTEGER NOT NULL REFERENCES actor (id),
  target     TEXT    NOT NULL,
  reason     TEXT    NOT NULL DEFAULT '',
  details    TEXT    NOT NULL DEFAULT '{}'
);
INSERT INTO log_new SELECT id, type, action, timestamp, actor_id, target, reason, details FROM log;
DROP TABLE log;
ALTER TABLE log_new RENAME TO log;
CREATE INDEX log_type ON log (type, id);
