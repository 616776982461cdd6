-- Rate limit counts (SPEC section 6), kept here so that a limit holds across every worker process
-- serving this database. One row per key: `times` holds the times of the key's latest events in
-- milliseconds since the epoch, oldest first, as a JSON array, never more than the limit they are
-- counted against (server/db/rateLimits.ts). `expires_at` is when the last of them leaves its
-- window: the row can be swept then, and past the table's size the soonest to expire go first.
CREATE TABLE rate_limit (
  key         TEXT    PRIMARY KEY,
  times       TEXT    NOT NULL,
  expires_at  INTEGER NOT NULL
);
CREATE INDEX rate_limit_expires ON rate_limit (expires_at);
