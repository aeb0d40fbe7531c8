-- +goose Up
-- Sync health (issue 17), per account in the database (Prometheus stays free of account labels).
-- api_usage: the account's authenticated /v1 requests per hour, upserted in batches by each gateway instance.
CREATE TABLE api_usage (
    account_id      TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    hour            TIMESTAMPTZ NOT NULL,
    requests        BIGINT NOT NULL,
    errors_4xx      BIGINT NOT NULL,
    errors_5xx      BIGINT NOT NULL,
    rate_limited    BIGINT NOT NULL,
    last_request_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (account_id, hour)
);
-- hook_health: one row per hook, kept after a 410 removed the hook (removed_at), deleted with DELETE /v1/hooks/{id}.
CREATE TABLE hook_health (
    hook_id              TEXT PRIMARY KEY,
    account_id           TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    target_url           TEXT NOT NULL,
    created_at           TIMESTAMPTZ NOT NULL,
    removed_at           TIMESTAMPTZ,
    last_success_at      TIMESTAMPTZ,
    last_failure_at      TIMESTAMPTZ,
    consecutive_failures INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX hook_health_account ON hook_health (account_id, hook_id);
INSERT INTO hook_health (hook_id, account_id, target_url, created_at) SELECT id, account_id, target_url, created_at FROM hooks;
-- hook_usage: a hook's delivery attempts per hour: delivered (2xx), failed (anything else), dropped (given up).
CREATE TABLE hook_usage (
    hook_id    TEXT NOT NULL,
    hour       TIMESTAMPTZ NOT NULL,
    account_id TEXT NOT NULL,
    delivered  BIGINT NOT NULL,
    failed     BIGINT NOT NULL,
    dropped    BIGINT NOT NULL,
    PRIMARY KEY (hook_id, hour)
);

-- +goose Down
DROP TABLE hook_usage;
DROP TABLE hook_health;
DROP TABLE api_usage;
