-- A community can live in the wiki (SPEC section 11): what each account keeps (preferences, what it
-- has read), the notifications saves leave for the people watching, single-use links sent by mail,
-- and blocks that hold (autoblocks) and are fair (anonymous-only address blocks, appeals).

-- The verified address only: an address becomes this after its owner followed the link sent to it
-- (account_link); until then it is only in that link's row.
ALTER TABLE actor ADD COLUMN email TEXT;
ALTER TABLE actor ADD COLUMN email_notifications INTEGER NOT NULL DEFAULT 0;
-- MediaWiki's "Add pages and files I edit to my watchlist", on by default as there: replies to a
-- thread you started reach you.
ALTER TABLE actor ADD COLUMN watch_edited INTEGER NOT NULL DEFAULT 1;
-- The first revision of the account's own user talk page that someone else saved and the owner has
-- not seen yet ("You have new messages"); NULL when there is none.
ALTER TABLE actor ADD COLUMN talk_unread INTEGER;
-- Notifications up to this revision id have been looked at (the unread count is of those above it).
ALTER TABLE actor ADD COLUMN notifications_seen INTEGER NOT NULL DEFAULT 0;
CREATE INDEX actor_email ON actor (email) WHERE email IS NOT NULL;

-- One row per person told of a revision: written in the save's transaction for everyone watching the
-- page but its author, and for the owner of a user talk page. Trimmed to the newest few hundred a person.
CREATE TABLE notification (
  actor_id     INTEGER NOT NULL REFERENCES actor (id),
  revision_id  INTEGER NOT NULL REFERENCES revision (id),
  page_id      INTEGER NOT NULL REFERENCES page (id),
  type         TEXT    NOT NULL CHECK (type IN ('user-talk', 'watched')),
  PRIMARY KEY (actor_id, revision_id)
) WITHOUT ROWID;
CREATE INDEX notification_page ON notification (actor_id, page_id, revision_id);

-- Links sent by mail (password reset, address confirmation): single use, short-lived. Only the
-- SHA-256 of the secret in the link is kept, so a copy of the database cannot use a link.
CREATE TABLE account_link (
  hash        BLOB    PRIMARY KEY,
  actor_id    INTEGER NOT NULL REFERENCES actor (id),
  purpose     TEXT    NOT NULL CHECK (purpose IN ('reset-password', 'confirm-email')),
  email       TEXT    NOT NULL,
  created_at  TEXT    NOT NULL,
  expires_at  TEXT    NOT NULL,
  used_at     TEXT
) WITHOUT ROWID;
CREATE INDEX account_link_actor ON account_link (actor_id, purpose);

-- anon_only: an address or range block that stops only people without a registered account
-- (temporary accounts count as without). Blocks made before this stopped everyone: they keep 0.
-- autoblock: blocking an account also blocks its last address for a day (rows with parent_id).
-- allow_usertalk: the blocked person may still edit their own user talk page, to appeal.
ALTER TABLE block ADD COLUMN anon_only INTEGER NOT NULL DEFAULT 0;
ALTER TABLE block ADD COLUMN autoblock INTEGER NOT NULL DEFAULT 0;
ALTER TABLE block ADD COLUMN allow_usertalk INTEGER NOT NULL DEFAULT 1;
ALTER TABLE block ADD COLUMN parent_id INTEGER REFERENCES block (id);
CREATE INDEX block_parent ON block (parent_id) WHERE parent_id IS NOT NULL AND removed_at IS NULL;
