-- +goose Up
-- customer_blocks without rowid (issue 11); ../postgres/00021_customer_blocks_without_rowid.sql changes nothing. As a
-- rowid table each block row of a customer write was three b-tree inserts (the rows, the primary key's index and
-- customer_blocks_customer); clustered on its primary key it is two, and so are the pages the commit writes.
CREATE TABLE customer_blocks_clustered (
    account_id  TEXT NOT NULL,
    block       TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    PRIMARY KEY (account_id, block, customer_id)
) WITHOUT ROWID;
INSERT INTO customer_blocks_clustered (account_id, block, customer_id) SELECT account_id, block, customer_id FROM customer_blocks;
DROP TABLE customer_blocks;
ALTER TABLE customer_blocks_clustered RENAME TO customer_blocks;
CREATE INDEX customer_blocks_customer ON customer_blocks (account_id, customer_id);

-- +goose Down
CREATE TABLE customer_blocks_rowid (
    account_id  TEXT NOT NULL,
    block       TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    PRIMARY KEY (account_id, block, customer_id)
);
INSERT INTO customer_blocks_rowid (account_id, block, customer_id) SELECT account_id, block, customer_id FROM customer_blocks;
DROP TABLE customer_blocks;
ALTER TABLE customer_blocks_rowid RENAME TO customer_blocks;
CREATE INDEX customer_blocks_customer ON customer_blocks (account_id, customer_id);
