-- +goose Up
-- Customers by exact name key (an import matches rows without natural keys by name).
CREATE INDEX customers_name_key ON customers (account_id, name_key, id);

-- +goose Down
DROP INDEX customers_name_key;
