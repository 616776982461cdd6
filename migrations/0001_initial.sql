-- Peerwiki's first schema: accounts, pages, immutable revisions, content stored once per text,
-- link and category tables, the search index and the render cache.

-- Every author is an account: registered users, temporary accounts of anonymous editors, and the
-- system account that writes the starter pages.
CREATE TABLE actor (
  id             INTEGER PRIMARY KEY,
  name           TEXT    NOT NULL UNIQUE,
  kind           TEXT    NOT NULL CHECK (kind IN ('user', 'temp', 'system')),
  role           TEXT    NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),
  password_hash  TEXT,
  token_version  INTEGER NOT NULL DEFAULT 0,
  edit_count     INTEGER NOT NULL DEFAULT 0,
  created_at     TEXT    NOT NULL
);

-- One row per distinct text, addressed by its SHA-1; only server/db/content.ts reads or writes it.
CREATE TABLE content (
  id        INTEGER PRIMARY KEY,
  sha1      TEXT    NOT NULL UNIQUE,
  size      INTEGER NOT NULL,
  encoding  TEXT    NOT NULL CHECK (encoding IN ('raw', 'deflate')),
  data      BLOB    NOT NULL
);

-- A page is identity plus a pointer to its latest revision. `touched` changes whenever output that
-- depends on other pages (red and blue links) may have changed; it is part of cache keys and ETags.
CREATE TABLE page (
  id           INTEGER PRIMARY KEY,
  title        TEXT    NOT NULL UNIQUE,
  namespace    TEXT    NOT NULL DEFAULT '',
  latest_id    INTEGER REFERENCES revision (id),
  is_redirect  INTEGER NOT NULL DEFAULT 0,
  touched      INTEGER NOT NULL DEFAULT 0,
  created_at   TEXT    NOT NULL
);
CREATE INDEX page_namespace ON page (namespace, title);

-- Revisions never change once written.
CREATE TABLE revision (
  id          INTEGER PRIMARY KEY,
  page_id     INTEGER NOT NULL REFERENCES page (id),
  parent_id   INTEGER REFERENCES revision (id),
  actor_id    INTEGER NOT NULL REFERENCES actor (id),
  content_id  INTEGER NOT NULL REFERENCES content (id),
  comment     TEXT    NOT NULL DEFAULT '',
  minor       INTEGER NOT NULL DEFAULT 0,
  size        INTEGER NOT NULL,
  sha1        TEXT    NOT NULL,
  timestamp   TEXT    NOT NULL,
  ip          TEXT
);
CREATE INDEX revision_page ON revision (page_id, id);
CREATE INDEX revision_actor ON revision (actor_id, id);
CREATE INDEX revision_page_sha1 ON revision (page_id, sha1);

CREATE TABLE revision_tag (
  revision_id  INTEGER NOT NULL REFERENCES revision (id),
  tag          TEXT    NOT NULL,
  PRIMARY KEY (revision_id, tag)
) WITHOUT ROWID;
CREATE INDEX revision_tag_tag ON revision_tag (tag, revision_id);

-- Wiki links of each page's latest revision, by normalised target title (the target may not exist).
CREATE TABLE link (
  from_page  INTEGER NOT NULL REFERENCES page (id) ON DELETE CASCADE,
  to_title   TEXT    NOT NULL,
  PRIMARY KEY (from_page, to_title)
) WITHOUT ROWID;
CREATE INDEX link_to ON link (to_title, from_page);

CREATE TABLE category_link (
  page_id   INTEGER NOT NULL REFERENCES page (id) ON DELETE CASCADE,
  category  TEXT    NOT NULL,
  PRIMARY KEY (page_id, category)
) WITHOUT ROWID;
CREATE INDEX category_link_category ON category_link (category, page_id);

-- Full-text index of each page's latest text; rowid is the page id.
CREATE VIRTUAL TABLE search_index USING fts5 (title, body, tokenize = 'porter unicode61 remove_diacritics 2');

-- Rendered HTML per revision and renderer version; valid while the page's `touched` is unchanged.
CREATE TABLE render_cache (
  revision_id  INTEGER NOT NULL REFERENCES revision (id),
  version      INTEGER NOT NULL,
  variant      TEXT    NOT NULL,
  touched      INTEGER NOT NULL,
  html         TEXT    NOT NULL,
  PRIMARY KEY (revision_id, version, variant)
) WITHOUT ROWID;

-- Small facts of the installation, such as the generated token secret.
CREATE TABLE setting (
  key    TEXT PRIMARY KEY,
  value  TEXT NOT NULL
) WITHOUT ROWID;
