-- +goose Up
-- Console sessions (issue 17): a sign-in with an API key, kept in the database so every instance knows it. Only the
-- token's hash is stored, like a key's. Revoking the key deletes its sessions; a rotated key's sessions end with it
-- (FindSession joins the key). Expiry (idle, absolute) is checked against last_seen_at and created_at.
CREATE TABLE console_sessions (
    token_hash   TEXT PRIMARY KEY,
    account_id   TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    key_id       TEXT NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
    created_at   TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX console_sessions_account ON console_sessions (account_id, last_seen_at);
CREATE INDEX console_sessions_key ON console_sessions (key_id);

-- +goose Down
DROP TABLE console_sessions;
