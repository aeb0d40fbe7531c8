-- +goose Up
-- Blocks over billbridge.MaxBlockSize (issue 11); the same in ../sqlite/00020_purged_blocks.sql. A customer write
-- that counts more than MaxBlockSize entries of a block in customer_blocks marks it here, so later writes skip the
-- block without counting it again; the mark goes as soon as an entry leaves the block (a customer's blocks change,
-- a merge forgets the merged customer's), and the next write counts it anew.
CREATE TABLE purged_blocks (
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    block      TEXT NOT NULL,
    PRIMARY KEY (account_id, block)
);

-- +goose Down
DROP TABLE purged_blocks;
