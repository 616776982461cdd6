-- Link rows name their target by id, not by title: each link was its target's title twice over
-- (the row and the to-title index), 55 bytes a link; by id it is about 20. Titles are kept once,
-- in link_target, which every linked title already had a row in (migration 0005).
--
-- `link` stays what every reader and writer knows: a view of (from_page, to_title) over the new
-- page_link table, whose INSTEAD OF triggers turn a write by title into one by id. So saves,
-- moves, imports and the CLI write links as before, and the counts of link_target are still kept
-- by triggers (now on page_link).
DROP TRIGGER link_target_link_added;
DROP TRIGGER link_target_link_removed;
-- The page triggers of 0005 name link_target: made again, unchanged, once it is back.
DROP TRIGGER link_target_page_added;
DROP TRIGGER link_target_page_changed;

-- link_target, with an id; its rows are those of before.
CREATE TABLE link_target_by_id (
  id     INTEGER PRIMARY KEY,
  title  TEXT    NOT NULL UNIQUE,
  links  INTEGER NOT NULL,
  live   INTEGER NOT NULL
);
INSERT INTO link_target_by_id (title, links, live) SELECT title, links, live FROM link_target ORDER BY title;
DROP TABLE link_target;
ALTER TABLE link_target_by_id RENAME TO link_target;
CREATE INDEX link_target_wanted ON link_target (links DESC, title) WHERE live = 0;
CREATE INDEX link_target_orphans ON link_target (title) WHERE live = 1 AND links = 0;

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

-- No foreign key on target_id: the triggers below keep it, and a count gone wrong must never make
-- a save fail (`check --reindex` recounts).
CREATE TABLE page_link (
  from_page  INTEGER NOT NULL REFERENCES page (id) ON DELETE CASCADE,
  target_id  INTEGER NOT NULL,
  PRIMARY KEY (from_page, target_id)
) WITHOUT ROWID;
INSERT INTO page_link (from_page, target_id)
  SELECT l.from_page, t.id FROM link l JOIN link_target t ON t.title = l.to_title ORDER BY l.from_page, t.id;
CREATE INDEX page_link_to ON page_link (target_id, from_page);
DROP TABLE link;

CREATE VIEW link (from_page, to_title) AS
  SELECT l.from_page, t.title FROM page_link l JOIN link_target t ON t.id = l.target_id;

CREATE TRIGGER link_insert INSTEAD OF INSERT ON link BEGIN
  INSERT INTO link_target (title, links, live)
    VALUES (new.to_title, 0, EXISTS (SELECT 1 FROM page WHERE title = new.to_title AND latest_id IS NOT NULL))
    ON CONFLICT (title) DO NOTHING;
  INSERT INTO page_link (from_page, target_id) SELECT new.from_page, id FROM link_target WHERE title = new.to_title;
END;

CREATE TRIGGER link_delete INSTEAD OF DELETE ON link BEGIN
  DELETE FROM page_link WHERE from_page = old.from_page AND target_id = (SELECT id FROM link_target WHERE title = old.to_title);
END;

CREATE TRIGGER page_link_added AFTER INSERT ON page_link BEGIN
  UPDATE link_target SET links = links + 1 WHERE id = new.target_id;
END;

CREATE TRIGGER page_link_removed AFTER DELETE ON page_link BEGIN
  UPDATE link_target SET links = links - 1 WHERE id = old.target_id;
  DELETE FROM link_target WHERE id = old.target_id AND links <= 0 AND live = 0;
END;
