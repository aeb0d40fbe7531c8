-- +goose Up
-- Dunning (issue 14). Reminder fees, their VAT and interest are owed on top of an invoice's total (in
-- amount_due); dunning_level is the highest level sent, dunning_since the day the next level and the interest
-- count from (the last reminder's day, else the due date), reminder_due_level the highest level announced by
-- invoice.reminder_due. dunning_paused on invoices and customers is the Mahnsperre.
ALTER TABLE invoices ADD COLUMN fees BIGINT NOT NULL DEFAULT 0;
ALTER TABLE invoices ADD COLUMN fees_vat BIGINT NOT NULL DEFAULT 0;
ALTER TABLE invoices ADD COLUMN interest BIGINT NOT NULL DEFAULT 0;
ALTER TABLE invoices ADD COLUMN dunning_level INTEGER NOT NULL DEFAULT 0;
ALTER TABLE invoices ADD COLUMN last_reminder_on DATE;
ALTER TABLE invoices ADD COLUMN dunning_since DATE;
ALTER TABLE invoices ADD COLUMN dunning_paused SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE invoices ADD COLUMN reminder_due_level INTEGER NOT NULL DEFAULT 0;
UPDATE invoices SET dunning_since = due_date;
ALTER TABLE customers ADD COLUMN dunning_paused SMALLINT NOT NULL DEFAULT 0;
-- The due reminders of an account: one index range per level.
CREATE INDEX invoices_dunning ON invoices (account_id, unpaid, dunning_paused, dunning_level, dunning_since);
-- The candidates of invoice.reminder_due across accounts.
CREATE INDEX invoices_reminder_due ON invoices (dunning_since, id) WHERE unpaid = 1 AND dunning_paused = 0 AND reminder_due_level <= dunning_level;

CREATE TABLE dunning_settings (
    account_id      TEXT PRIMARY KEY,
    enabled         SMALLINT NOT NULL,
    levels          TEXT NOT NULL,
    interest_rate   BIGINT NOT NULL,
    pay_within_days INTEGER NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);

CREATE TABLE reminders (
    account_id           TEXT NOT NULL,
    id                   TEXT NOT NULL,
    invoice_id           TEXT NOT NULL,
    customer_id          TEXT NOT NULL,
    invoice_external_id  TEXT NOT NULL,
    customer_external_id TEXT NOT NULL,
    invoice_number       TEXT NOT NULL,
    level                INTEGER NOT NULL,
    title                TEXT NOT NULL,
    currency             TEXT NOT NULL,
    fee                  BIGINT NOT NULL,
    fee_vat              BIGINT NOT NULL,
    fee_vat_rate         BIGINT NOT NULL,
    interest             BIGINT NOT NULL,
    interest_rate        BIGINT NOT NULL,
    interest_days        INTEGER NOT NULL,
    principal            BIGINT NOT NULL,
    amount_due           BIGINT NOT NULL,
    total_due            BIGINT NOT NULL,
    pay_by               DATE NOT NULL,
    channel              TEXT NOT NULL,
    note                 TEXT NOT NULL,
    sent_at              TIMESTAMPTZ NOT NULL,
    sent_on              DATE NOT NULL,
    created_at           TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (account_id, id),
    FOREIGN KEY (account_id, invoice_id) REFERENCES invoices (account_id, id)
);
-- Never two reminders of one level for an invoice, whatever races.
CREATE UNIQUE INDEX reminders_invoice_level ON reminders (account_id, invoice_id, level);
CREATE INDEX reminders_customer ON reminders (account_id, customer_id, id);

-- +goose Down
DROP TABLE reminders;
DROP TABLE dunning_settings;
DROP INDEX invoices_reminder_due;
DROP INDEX invoices_dunning;
ALTER TABLE customers DROP COLUMN dunning_paused;
ALTER TABLE invoices DROP COLUMN reminder_due_level;
ALTER TABLE invoices DROP COLUMN dunning_paused;
ALTER TABLE invoices DROP COLUMN dunning_since;
ALTER TABLE invoices DROP COLUMN last_reminder_on;
ALTER TABLE invoices DROP COLUMN dunning_level;
ALTER TABLE invoices DROP COLUMN interest;
ALTER TABLE invoices DROP COLUMN fees_vat;
ALTER TABLE invoices DROP COLUMN fees;
