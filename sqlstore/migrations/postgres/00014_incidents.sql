-- +goose Up
-- Sync incidents (issue 17): failures an automation's error handler reported (POST /v1/sync/incidents),
-- counted per week into the account's sync health.
CREATE TABLE incidents (
    account_id    TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    id            TEXT NOT NULL,
    source        TEXT NOT NULL,
    workflow      TEXT NOT NULL,
    execution_url TEXT NOT NULL,
    message       TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (account_id, id)
);
CREATE INDEX incidents_created ON incidents (account_id, created_at);

-- +goose Down
DROP TABLE incidents;
