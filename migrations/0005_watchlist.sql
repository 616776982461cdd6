-- Finding knowledge: the watchlist, and the derived tables that keep the link lists (wanted,
-- orphaned, category members) index-only. Both derived tables are kept by triggers, so every
-- writer of `link`, `category_link` and `page` (saves, moves, deletions, the CLI) keeps them right
-- without knowing about them; server/db/lists.ts can rebuild them from scratch.

-- Pages a registered account follows. A page keeps its id through moves, so a watch moves with it.
CREATE TABLE watchlist (
  actor_id    INTEGER NOT NULL REFERENCES actor (id),
  page_id     INTEGER NOT NULL REFERENCES page (id),
  created_at  TEXT    NOT NULL,
  PRIMARY KEY (actor_id, page_id)
) WITHOUT ROWID;
CREATE INDEX watchlist_page ON watchlist (page_id, actor_id);

-- One row per title that is linked to or is a live page: how many pages link to it, and whether a
-- page has it. Wanted pages are linked titles with no page; orphaned pages are live pages with no
-- links. (MediaWiki computes these with expensive, cached queries; a counter keeps them cheap.)
CREATE TABLE link_target (
  title  TEXT    PRIMARY KEY,
  links  INTEGER NOT NULL,
  live   INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX link_target_wanted ON link_target (links DESC, title) WHERE live = 0;
CREATE INDEX link_target_orphans ON link_target (title) WHERE live = 1 AND links = 0;

INSERT INTO link_target (title, links, live) SELECT to_title, count(*), 0 FROM link GROUP BY to_title;
UPDATE link_target SET live = 1
  WHERE title IN (SELECT title FROM page WHERE latest_id IS NOT NULL AND title NOT LIKE '#%');
INSERT INTO link_target (title, links, live)
  SELECT title, 0, 1 FROM page
  WHERE latest_id IS NOT NULL AND title NOT LIKE '#%' AND title NOT IN (SELECT title FROM link_target);

CREATE TRIGGER link_target_link_added AFTER INSERT ON link BEGIN
  INSERT INTO link_target (title, links, live)
    VALUES (new.to_title, 1, EXISTS (SELECT 1 FROM page WHERE title = new.to_title AND latest_id IS NOT NULL))
    ON CONFLICT (title) DO UPDATE SET links = links + 1;
END;

CREATE TRIGGER link_target_link_removed AFTER DELETE ON link BEGIN
  UPDATE link_target SET links = links - 1 WHERE title = old.to_title;
  DELETE FROM link_target WHERE title = old.to_title AND links <= 0 AND live = 0;
END;

CREATE TRIGGER link_target_page_added AFTER INSERT ON page
  WHEN new.latest_id IS NOT NULL AND new.title NOT LIKE '#%' BEGIN
  INSERT INTO link_target (title, links, live) VALUES (new.title, 0, 1) ON CONFLICT (title) DO UPDATE SET live = 1;
END;

-- Fires when a page gets its first revision, is moved, deleted (tombstone title) or undeleted;
-- not on ordinary saves, which only move latest_id from one revision to another.
CREATE TRIGGER link_target_page_changed AFTER UPDATE OF title, latest_id ON page
  WHEN old.title IS NOT new.title OR (old.latest_id IS NULL) <> (new.latest_id IS NULL) BEGIN
  UPDATE link_target SET live = 0 WHERE title = old.title;
  DELETE FROM link_target WHERE title = old.title AND links <= 0;
  INSERT INTO link_target (title, links, live)
    SELECT new.title, 0, 1 WHERE new.latest_id IS NOT NULL AND new.title NOT LIKE '#%'
    ON CONFLICT (title) DO UPDATE SET live = 1;
END;

-- Category members listed in title order from an index (MediaWiki's cl_sortkey): each membership
-- row carries its page's title, set when the row is written and when the page is renamed.
ALTER TABLE category_link ADD COLUMN title TEXT;
UPDATE category_link SET title = (SELECT title FROM page WHERE page.id = category_link.page_id);
CREATE INDEX category_link_members ON category_link (category, title);

CREATE TRIGGER category_link_title AFTER INSERT ON category_link BEGIN
  UPDATE category_link SET title = (SELECT title FROM page WHERE id = new.page_id)
    WHERE page_id = new.page_id AND category = new.category;
END;

CREATE TRIGGER category_link_page_renamed AFTER UPDATE OF title ON page
  WHEN old.title IS NOT new.title BEGIN
  UPDATE category_link SET title = new.title WHERE page_id = new.id;
END;
