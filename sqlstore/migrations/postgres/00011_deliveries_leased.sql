-- +goose Up
-- Fair claims count each account's live leases (locked_until in the future).
CREATE INDEX deliveries_leased ON deliveries (locked_until, account_id);

-- +goose Down
DROP INDEX deliveries_leased;
