-- Texts stored raw by a save and not yet compressed (content.ts): a save no longer deflates its
-- text on the request's thread (a third of a millisecond for an article, a fifth of the save); the
-- background packer deflates what is still whole here and takes it off the queue. A text that is
-- replaced first becomes a delta instead and is never deflated at all.
CREATE TABLE content_fresh (
  content_id INTEGER PRIMARY KEY
);
