-- A text can be replaced more than once (reverted to, then replaced again): only its last
-- replacement says which text it now sits beside, so content.ts looks for a later one by this index.
CREATE INDEX content_pack_content ON content_pack (content_id, seq);
