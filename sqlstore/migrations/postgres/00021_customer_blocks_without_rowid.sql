-- +goose Up
-- Nothing on PostgreSQL: ../sqlite/00021_customer_blocks_without_rowid.sql clusters SQLite's customer_blocks on its
-- primary key; PostgreSQL has no rowid tables. The number keeps the two schemas' versions alike.
SELECT 1;

-- +goose Down
SELECT 1;
