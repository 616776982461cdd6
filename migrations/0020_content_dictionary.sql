-- Deflate dictionaries trained on the wiki's own common words and phrases (server/db/dictionary.ts):
-- whole texts deflated with one are a quarter smaller. A content row names the dictionary it was
-- deflated with (NULL: none). A dictionary is never changed or deleted while a row names it;
-- `trained_at` is the highest content id when it was made: the packer trains a new one once the
-- wiki holds eight times as many texts, and texts compressed before keep theirs.
CREATE TABLE content_dictionary (
  id          INTEGER PRIMARY KEY,
  data        BLOB    NOT NULL,
  trained_at  INTEGER NOT NULL
);
ALTER TABLE content ADD COLUMN dictionary_id INTEGER REFERENCES content_dictionary (id);
-- Every whole text already deflated is compressed again, with the dictionary, by the background
-- packer (or all at once by `npm run wiki -- migrate`), the way saves' raw texts are: a crash
-- loses nothing, the rows not yet done are still queued.
INSERT OR IGNORE INTO content_fresh (content_id)
  SELECT id FROM content WHERE base_id IS NULL AND encoding = 'deflate' AND size >= 256;
