-- One number that moves whenever any page's stamp may have changed (PageStore.stamp: id, latest
-- revision and touched, by title): a page made, deleted, moved, saved or touched. A view kept as
-- bytes notes it, read before its pages' stamps; while it has not moved, none of those stamps has,
-- and the view cache serves the view without looking each page up (db/stamps.ts). Triggers, so
-- that no write to a page, by any path, can leave it behind.
CREATE TABLE stamp_epoch (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  n  INTEGER NOT NULL
);
INSERT INTO stamp_epoch (id, n) VALUES (1, 0);
CREATE TRIGGER stamp_epoch_page_insert AFTER INSERT ON page BEGIN
  UPDATE stamp_epoch SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER stamp_epoch_page_delete AFTER DELETE ON page BEGIN
  UPDATE stamp_epoch SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER stamp_epoch_page_update AFTER UPDATE OF title, latest_id, touched ON page BEGIN
  UPDATE stamp_epoch SET n = n + 1 WHERE id = 1;
END;
