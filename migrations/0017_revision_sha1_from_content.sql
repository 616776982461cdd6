-- A revision's SHA-1 is its text's, and every distinct text is one content row (content.ts): the
-- copy in each revision row and its index cost 20 bytes a revision twice over (a tenth of a
-- generated wiki's size beside its texts). A revision's SHA-1 is now read from its content row,
-- and "an earlier revision of this page with this text" (reverts) is found by content id.
DROP INDEX revision_page_sha1;
CREATE INDEX revision_page_content ON revision (page_id, content_id);
ALTER TABLE revision DROP COLUMN sha1;
