-- +goose Up
-- Merged customers (issue 12). A merged customer stays as a tombstone: merged_into names its survivor
-- (always the final one: a later merge of the survivor re-points its tombstones), its natural keys are
-- cleared and kept in customer_aliases, so the CRM's old external_id, customer_number and email still
-- reach the survivor. customer_merges keeps each merge's outcome, so a repeated merge answers the same.
ALTER TABLE customers ADD COLUMN merged_into TEXT;
CREATE INDEX customers_merged_into ON customers (account_id, merged_into) WHERE merged_into IS NOT NULL;

CREATE TABLE customer_aliases (
    account_id  TEXT NOT NULL,
    key         TEXT NOT NULL,
    value       TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    PRIMARY KEY (account_id, key, value)
);
CREATE INDEX customer_aliases_customer ON customer_aliases (account_id, customer_id);

CREATE TABLE customer_merges (
    account_id TEXT NOT NULL,
    merged_id  TEXT NOT NULL,
    primary_id TEXT NOT NULL,
    invoices   INTEGER NOT NULL,
    payments   INTEGER NOT NULL,
    merged_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (account_id, merged_id)
);

-- +goose Down
DROP TABLE customer_merges;
DROP TABLE customer_aliases;
DROP INDEX customers_merged_into;
ALTER TABLE customers DROP COLUMN merged_into;
