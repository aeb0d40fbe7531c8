-- +goose Up
-- Key management (issue 10, defect 13): every key gets an id, a label, the first characters of
-- the key (prefix), when it was last used (to the minute) and, once rotated, when it stops working.
-- Keys made before this migration get an id that sorts before every new one and the prefix "bb_".
ALTER TABLE api_keys ADD COLUMN id TEXT;
ALTER TABLE api_keys ADD COLUMN label TEXT NOT NULL DEFAULT '';
ALTER TABLE api_keys ADD COLUMN prefix TEXT NOT NULL DEFAULT 'bb_';
ALTER TABLE api_keys ADD COLUMN last_used_at TEXT;
ALTER TABLE api_keys ADD COLUMN expires_at TEXT;
UPDATE api_keys SET id = 'key_00' || upper(substr(hash, 1, 24));
-- (SQLite cannot add NOT NULL to a column: every insert sets id, and the unique index keeps it one per key.)
CREATE UNIQUE INDEX api_keys_id ON api_keys (id);
DROP INDEX api_keys_account;
CREATE INDEX api_keys_account ON api_keys (account_id, id);

-- +goose Down
DROP INDEX api_keys_account;
CREATE INDEX api_keys_account ON api_keys (account_id);
DROP INDEX api_keys_id;
ALTER TABLE api_keys DROP COLUMN expires_at;
ALTER TABLE api_keys DROP COLUMN last_used_at;
ALTER TABLE api_keys DROP COLUMN prefix;
ALTER TABLE api_keys DROP COLUMN label;
ALTER TABLE api_keys DROP COLUMN id;
