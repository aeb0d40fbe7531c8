-- +goose Up
CREATE TABLE accounts (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    timezone   TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE api_keys (
    hash       TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX api_keys_account ON api_keys (account_id);

-- counters hands out gapless per-account numbers ("invoice", "event"); the
-- row stays locked by the transaction that bumped it until it commits.
CREATE TABLE counters (
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    value      BIGINT NOT NULL,
    PRIMARY KEY (account_id, name)
);

CREATE TABLE customers (
    account_id         TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    id                 TEXT NOT NULL,
    external_id        TEXT,
    customer_number    TEXT,
    email_key          TEXT,
    kind               TEXT NOT NULL,
    name               TEXT NOT NULL,
    name_key           TEXT NOT NULL,
    contact_person     TEXT NOT NULL,
    email              TEXT NOT NULL,
    phone              TEXT NOT NULL,
    address            TEXT,
    shipping_address   TEXT,
    vat_number         TEXT NOT NULL,
    language           TEXT NOT NULL,
    payment_terms_days INTEGER NOT NULL,
    created_at         TIMESTAMPTZ NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (account_id, id)
);
CREATE UNIQUE INDEX customers_external_id ON customers (account_id, external_id);
CREATE UNIQUE INDEX customers_customer_number ON customers (account_id, customer_number);
CREATE UNIQUE INDEX customers_email_key ON customers (account_id, email_key);

CREATE TABLE invoices (
    account_id       TEXT NOT NULL,
    id               TEXT NOT NULL,
    customer_id      TEXT NOT NULL,
    external_id      TEXT,
    number           TEXT NOT NULL,
    status           TEXT NOT NULL,
    unpaid           SMALLINT NOT NULL,
    currency         TEXT NOT NULL,
    items            TEXT NOT NULL,
    vat_breakdown    TEXT NOT NULL,
    subtotal         BIGINT NOT NULL,
    vat_total        BIGINT NOT NULL,
    total            BIGINT NOT NULL,
    amount_paid      BIGINT NOT NULL,
    amount_due       BIGINT NOT NULL,
    due_in_days      INTEGER NOT NULL,
    issue_date       DATE,
    due_date         DATE,
    reference        TEXT NOT NULL,
    notes            TEXT NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    finalized_at     TIMESTAMPTZ,
    paid_at          TIMESTAMPTZ,
    cancelled_at     TIMESTAMPTZ,
    overdue_notified SMALLINT NOT NULL,
    PRIMARY KEY (account_id, id),
    FOREIGN KEY (account_id, customer_id) REFERENCES customers (account_id, id)
);
CREATE UNIQUE INDEX invoices_external_id ON invoices (account_id, external_id);
CREATE UNIQUE INDEX invoices_number ON invoices (account_id, number) WHERE number <> '';
CREATE INDEX invoices_status ON invoices (account_id, status, id);
CREATE INDEX invoices_unpaid ON invoices (account_id, unpaid, id);
CREATE INDEX invoices_customer ON invoices (account_id, customer_id, id);
CREATE INDEX invoices_overdue_candidates ON invoices (due_date) WHERE unpaid = 1 AND overdue_notified = 0;

CREATE TABLE payments (
    account_id  TEXT NOT NULL,
    id          TEXT NOT NULL,
    invoice_id  TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    external_id TEXT,
    amount      BIGINT NOT NULL,
    currency    TEXT NOT NULL,
    paid_at     DATE NOT NULL,
    method      TEXT NOT NULL,
    reference   TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (account_id, id),
    FOREIGN KEY (account_id, invoice_id) REFERENCES invoices (account_id, id)
);
CREATE UNIQUE INDEX payments_external_id ON payments (account_id, external_id);
CREATE INDEX payments_invoice ON payments (account_id, invoice_id, id);

CREATE TABLE events (
    account_id  TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    seq         BIGINT NOT NULL,
    id          TEXT NOT NULL UNIQUE,
    type        TEXT NOT NULL,
    occurred_at TIMESTAMPTZ NOT NULL,
    data        TEXT NOT NULL,
    PRIMARY KEY (account_id, seq)
);
CREATE INDEX events_type ON events (account_id, type, seq);

CREATE TABLE hooks (
    id         TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    target_url TEXT NOT NULL,
    events     TEXT NOT NULL,
    secret     TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX hooks_account ON hooks (account_id, id);

CREATE TABLE deliveries (
    id              TEXT PRIMARY KEY,
    account_id      TEXT NOT NULL,
    hook_id         TEXT NOT NULL REFERENCES hooks (id) ON DELETE CASCADE,
    event_id        TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    attempts        INTEGER NOT NULL,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    locked_until    TIMESTAMPTZ NOT NULL,
    last_error      TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX deliveries_due ON deliveries (next_attempt_at);
CREATE INDEX deliveries_hook ON deliveries (hook_id);
CREATE INDEX deliveries_event ON deliveries (event_id);

CREATE TABLE idempotency_records (
    account_id   TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    idem_key     TEXT NOT NULL,
    fingerprint  TEXT NOT NULL,
    status       INTEGER NOT NULL,
    content_type TEXT NOT NULL,
    body         BYTEA NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (account_id, idem_key)
);
CREATE INDEX idempotency_records_expires ON idempotency_records (expires_at);

-- +goose Down
DROP TABLE idempotency_records;
DROP TABLE deliveries;
DROP TABLE hooks;
DROP TABLE events;
DROP TABLE payments;
DROP TABLE invoices;
DROP TABLE customers;
DROP TABLE counters;
DROP TABLE api_keys;
DROP TABLE accounts;
