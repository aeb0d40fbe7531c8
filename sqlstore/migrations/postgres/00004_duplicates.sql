-- +goose Up
-- Possible duplicate customers (issue 12). customer_blocks holds each customer's blocking keys
-- (billbridge.DuplicateBlocks): a write compares the customer only with those sharing a block.
-- customer_duplicates holds the scored pairs (a_id < b_id, score in hundredths), kept up to date by
-- every customer write, so listing them costs one index range whatever the number of customers.
-- keys_version says which billbridge.KeysVersion keyed the row; older rows are rekeyed at open.
CREATE TABLE customer_blocks (
    account_id  TEXT NOT NULL,
    block       TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    PRIMARY KEY (account_id, block, customer_id)
);
CREATE INDEX customer_blocks_customer ON customer_blocks (account_id, customer_id);

CREATE TABLE customer_duplicates (
    account_id TEXT NOT NULL,
    a_id       TEXT NOT NULL,
    b_id       TEXT NOT NULL,
    score      INTEGER NOT NULL,
    reasons    TEXT NOT NULL,
    PRIMARY KEY (account_id, a_id, b_id)
);
CREATE INDEX customer_duplicates_score ON customer_duplicates (account_id, score DESC, a_id, b_id);
CREATE INDEX customer_duplicates_b ON customer_duplicates (account_id, b_id);

ALTER TABLE customers ADD COLUMN keys_version INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE customers DROP COLUMN keys_version;
DROP TABLE customer_duplicates;
DROP TABLE customer_blocks;
