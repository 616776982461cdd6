-- Old revisions' texts stored as deltas (server/db/content.ts, server/db/delta.ts). A content row
-- whose base_id is set holds the bytes that turn its base's text into its own; the base is a newer
-- text of the same page's history. A row without base_id holds its whole text, as before.
-- `chain` is, for a whole text, at least the longest run of deltas that ends at it: content.ts
-- packs nothing that would make a run longer than its limit, so an old text is always read in a
-- bounded number of steps, and the latest text of a page in one.
ALTER TABLE content ADD COLUMN base_id INTEGER REFERENCES content (id);
ALTER TABLE content ADD COLUMN chain INTEGER NOT NULL DEFAULT 0;

-- Texts a newer revision has replaced, in the order they were replaced: each may be stored as a
-- delta against its successor. A trigger fills it for every revision written with a parent, however
-- it is written (save, import, the benchmark's loader); content.ts empties it, in the background
-- in a running wiki and all at once in `npm run wiki -- migrate`. A crash loses nothing: the rows
-- not yet packed are still here.
CREATE TABLE content_pack (
  seq         INTEGER PRIMARY KEY,
  content_id  INTEGER NOT NULL,
  base_id     INTEGER NOT NULL,
  page_id     INTEGER NOT NULL
);

CREATE TRIGGER content_retired AFTER INSERT ON revision WHEN NEW.parent_id IS NOT NULL
BEGIN
  INSERT INTO content_pack (content_id, base_id, page_id)
  SELECT p.content_id, NEW.content_id, NEW.page_id FROM revision p
  WHERE p.id = NEW.parent_id AND p.content_id <> NEW.content_id;
END;

-- The history written before this migration: every text a later revision replaced, oldest first.
INSERT INTO content_pack (content_id, base_id, page_id)
SELECT p.content_id, r.content_id, r.page_id FROM revision r JOIN revision p ON p.id = r.parent_id
WHERE p.content_id <> r.content_id ORDER BY r.id;
