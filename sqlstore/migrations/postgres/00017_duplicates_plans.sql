-- +goose Up
-- Duplicate bookkeeping is planned without statistics on account_id (issue 12). With statistics
-- taken before an account existed PostgreSQL estimates it at one row and reads customer_blocks
-- through customer_blocks_customer and the pairs through customer_duplicates_b or _score, i.e.
-- the account's whole range on every write (seeding fell from 66 to 8 customers/s by 18,000; an
-- import into a new account is one transaction that autovacuum cannot analyze meanwhile). Without
-- them every statement takes the index that matches all its columns. Retyping the column to its
-- own type drops the statistics already gathered; target 0 keeps ANALYZE from gathering them again.
ALTER TABLE customer_blocks ALTER COLUMN account_id SET STATISTICS 0, ALTER COLUMN account_id TYPE TEXT;
ALTER TABLE customer_duplicates ALTER COLUMN account_id SET STATISTICS 0, ALTER COLUMN account_id TYPE TEXT;

-- +goose Down
ALTER TABLE customer_blocks ALTER COLUMN account_id SET STATISTICS -1;
ALTER TABLE customer_duplicates ALTER COLUMN account_id SET STATISTICS -1;
