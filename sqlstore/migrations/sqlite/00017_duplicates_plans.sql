-- +goose Up
-- SQLite twin of ../postgres/00017_duplicates_plans.sql, which keeps PostgreSQL from planning the
-- duplicate bookkeeping on statistics older than the account. SQLite gathers none unless asked and
-- then picks the index that matches the most columns: nothing to change.
SELECT 1;

-- +goose Down
SELECT 1;
