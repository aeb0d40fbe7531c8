-- +goose Up
-- Duplicate rules per account (issue 12): auto_merge off (the default when no row) or exact (identical UID).
CREATE TABLE duplicate_settings (
    account_id TEXT PRIMARY KEY,
    auto_merge TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE duplicate_settings;
