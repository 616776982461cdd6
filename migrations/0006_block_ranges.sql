-- Blocks of an address or a CIDR range (SPEC section 6) keep their first and last address as
-- keys that sort as the addresses do: 8 hex digits for IPv4, "v6-" and 32 for IPv6 (see
-- server/wiki/address.ts). An address is a range of one. The blocks holding an address then
-- start within one bounded stretch of the range_start index: from the widest blockable range
-- around it (IPv4 /16, IPv6 /19) up to the address itself. `ip` keeps the canonical text.
-- Rows written before this migration get their keys from BlockStore, since turning an address
-- into its key is not something SQL can do.
ALTER TABLE block ADD COLUMN range_start TEXT;
ALTER TABLE block ADD COLUMN range_end TEXT;
CREATE INDEX block_range ON block (range_start) WHERE removed_at IS NULL;
-- Exact-text address lookups are gone: they let ::ffff:10.0.0.5 past a block of 10.0.0.5.
DROP INDEX block_ip;

-- Expiries past the year 9999 were stored as "+0NNNNN-..." and, compared as text, came before
-- every date: blocks and protections meant to outlast everyone counted as already over. Keep
-- them as the latest expiry that can be stored.
UPDATE block SET expiry = '9999-12-31T23:59:59.999Z' WHERE expiry LIKE '+%';
UPDATE protection SET expiry = '9999-12-31T23:59:59.999Z' WHERE expiry LIKE '+%';
