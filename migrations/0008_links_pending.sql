-- Pages whose link and category rows are being brought up to date after their save committed
-- (a save that changes more rows than one transaction should hold, as MediaWiki's LinksUpdate
-- batches them). revision_id is the revision the rows are being made to match; a newer save takes
-- the row over. Rows left by a crash are finished when the wiki next opens.
CREATE TABLE links_pending (
  page_id      INTEGER PRIMARY KEY REFERENCES page (id),
  revision_id  INTEGER NOT NULL REFERENCES revision (id)
);
