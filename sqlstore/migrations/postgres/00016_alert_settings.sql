-- +goose Up
-- Alert settings (issue 17): the recipients of an account's alert mails (emails, JSON array), the quiet hours
-- after a mail while an alert keeps firing, and the optional no-API-call alert.
CREATE TABLE alert_settings (
    account_id        TEXT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    emails            TEXT NOT NULL,
    silence_hours     INTEGER NOT NULL,
    no_api_call_hours INTEGER,
    updated_at        TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE alert_settings;
