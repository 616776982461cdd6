-- SHA-1s kept as their 20 bytes, not 40 hex digits: in the content and revision rows and in the
-- two indexes over them, 80 bytes less a revision (0.8 MiB of the 1,000-page benchmark wiki's 15).
-- The stores read them back as hex (lower(hex(...))) and look them up by unhex(?), so nothing
-- above db/ sees the change.
UPDATE content SET sha1 = unhex(sha1) WHERE typeof(sha1) = 'text' AND length(sha1) = 40;
UPDATE revision SET sha1 = unhex(sha1) WHERE typeof(sha1) = 'text' AND length(sha1) = 40;
