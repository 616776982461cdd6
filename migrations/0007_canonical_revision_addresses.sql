-- Addresses are compared in canonical form (SPEC section 6): revisions saved before that rule
-- may hold an IPv4 address in its IPv4-mapped IPv6 spelling (::ffff:10.0.0.5), as Node reported
-- it. Write those as plain IPv4, so mass rollback and admins' address lists find every edit.
UPDATE revision SET ip = substr(ip, 8)
WHERE ip LIKE '::ffff:%' AND ip NOT LIKE '::ffff:%:%' AND length(ip) - length(replace(ip, '.', '')) = 3;
