-- bench/scale/grow.sql: makes a PostgreSQL account seeded by bench/seed
-- -events :copies times as large, inside PostgreSQL. Seeding 1,000,000
-- invoices through the store takes about 45 minutes on PostgreSQL (one
-- round trip per row, ~1.3 ms each on the shared machine), so bench/scale
-- seeds a hundredth through the store and copies it here: each copy of an
-- invoice gets a new id (the original's plus the copy's number) and number,
-- each copy of an invoice.created event a new id and the next seqs, so the
-- feed stays gapless (seq 1 to the counter, which is set to the newest);
-- the customers and their customer.created events are not copied. Rows are
-- inserted in seq (and id) order, as an account appends them: the heap
-- pages of a page of the feed are then few and adjacent (copied in any other
-- order, a deep page read 53 heap pages instead of a handful).
--
--   psql -v acct=acct_… -v copies=100 -f bench/scale/grow.sql DSN
\set ON_ERROR_STOP on
BEGIN;
CREATE TEMP TABLE base_inv ON COMMIT DROP AS SELECT * FROM invoices WHERE account_id = :'acct';
CREATE TEMP TABLE base_ev ON COMMIT DROP AS
    SELECT * FROM events WHERE account_id = :'acct' AND type = 'invoice.created';
SELECT count(*) AS n FROM base_ev \gset
INSERT INTO invoices
SELECT (jsonb_populate_record(i, jsonb_build_object(
        'id', i.id || lpad(g::text, 3, '0'),
        'number', CASE WHEN i.number <> '' THEN i.number || '-' || g ELSE '' END))).*
FROM base_inv i CROSS JOIN generate_series(1, :copies - 1) g
ORDER BY g, i.id;
INSERT INTO events
SELECT (jsonb_populate_record(e, jsonb_build_object(
        'id', e.id || lpad(g::text, 3, '0'),
        'seq', e.seq + g * :n))).*
FROM base_ev e CROSS JOIN generate_series(1, :copies - 1) g
ORDER BY g, e.seq;
UPDATE counters SET value = (SELECT max(seq) FROM events WHERE account_id = :'acct')
WHERE account_id = :'acct' AND name = 'event';
COMMIT;
