-- The search index keeps no copy of the text it indexes (an FTS5 contentless table that can still
-- delete by id): that copy was 4.6 MiB of the benchmark's 20 MiB 1,000-page wiki. Excerpts are
-- made from each page's latest text, which is stored whole anyway (wiki/searchExcerpt.ts).
-- Deleting from a contentless index needs nothing but the id, so the index can never be damaged
-- by taking out a row whose text has changed.
CREATE VIRTUAL TABLE search_index_contentless USING fts5 (title, body, content = '', contentless_delete = 1, tokenize = 'porter unicode61 remove_diacritics 2');
INSERT INTO search_index_contentless (rowid, title, body) SELECT rowid, title, body FROM search_index;
DROP TABLE search_index;
ALTER TABLE search_index_contentless RENAME TO search_index;
