-- +goose Up
-- Alerts (issue 17): one row per (account, kind, subject). firing: the condition holds (kinds that clear) or an
-- occurrence awaits its mail; mail: the mail owed ('', 'fired', 'resolved'), due at mail_due_at; mailed_fired: the
-- fired mail of this episode went out; last_mail_at: the last fired mail (silence_hours count from it). A mail is
-- claimed like a delivery: a conditional UPDATE sets lock_token and locked_until, so one instance sends it.
CREATE TABLE alerts (
    account_id   TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,
    subject      TEXT NOT NULL,
    detail       TEXT NOT NULL DEFAULT '',
    firing       INTEGER NOT NULL DEFAULT 0,
    fired_at     TEXT,
    resolved_at  TEXT,
    occurrences  INTEGER NOT NULL DEFAULT 0,
    mail         TEXT NOT NULL DEFAULT '',
    mail_due_at  TEXT,
    mailed_fired INTEGER NOT NULL DEFAULT 0,
    last_mail_at TEXT,
    version      BIGINT NOT NULL DEFAULT 0,
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT NOT NULL DEFAULT '',
    lock_token   TEXT NOT NULL DEFAULT '',
    locked_until TEXT,
    PRIMARY KEY (account_id, kind, subject)
);
CREATE INDEX alerts_mail_due ON alerts (mail_due_at) WHERE mail <> '';
CREATE INDEX alerts_firing ON alerts (kind) WHERE firing = 1;

-- +goose Down
DROP TABLE alerts;
