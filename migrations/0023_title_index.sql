-- Page titles in a full-text index of their own (server/db/search.ts). FTS5 keeps one list of
-- documents per word across all columns, so finding the pages with a common word in their title
-- read the word's whole list of body matches: 56,649 pages for "network" at 100,000 pages, where
-- 1,825 have it in the title, and the first tier of results needs only those. Here a title search
-- reads only titles. Rows are keyed by page id, like chunk 0 of search_index; a page has a row
-- here exactly when it is in search_index.
CREATE VIRTUAL TABLE title_index USING fts5 (title, content = '', contentless_delete = 1, tokenize = 'porter unicode61 remove_diacritics 2');
INSERT INTO title_index (rowid, title)
  SELECT p.id, p.title FROM page p WHERE p.id IN (SELECT rowid FROM search_index WHERE rowid < 1099511627776);
