-- +goose Up
-- Payments of a whole account, newest first (the payments export).
CREATE INDEX payments_account ON payments (account_id, id);

-- +goose Down
DROP INDEX payments_account;
