-- A save's text is looked for among the page's last REVERT_DEPTH revisions only (server/db/
-- revisions.ts earlierWithContent), along revision_page, and only when the save found its text
-- already stored: a save that stored a new text cannot be a revert. The index over every
-- revision's (page, text) served the unbounded look; it was a tenth of the revision table's size.
DROP INDEX revision_page_content;
