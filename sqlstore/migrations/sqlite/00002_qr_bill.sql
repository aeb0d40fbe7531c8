-- +goose Up
-- SQLite twin of ../postgres/00002_qr_bill.sql. QR-bill: each account's settings, and the payment reference every invoice
-- gets at finalize (unique per account when set, never changed).
CREATE TABLE qr_bill_settings (
    account_id          TEXT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    iban                TEXT NOT NULL,
    eur_iban            TEXT NOT NULL,
    creditor            TEXT NOT NULL,
    reference_type      TEXT NOT NULL,
    qrr_prefix          TEXT NOT NULL,
    language            TEXT NOT NULL,
    billing_information INTEGER NOT NULL,
    vat_number          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);

ALTER TABLE invoices ADD COLUMN payment_reference TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX invoices_payment_reference ON invoices (account_id, payment_reference) WHERE payment_reference <> '';

-- +goose Down
DROP INDEX invoices_payment_reference;
ALTER TABLE invoices DROP COLUMN payment_reference;
DROP TABLE qr_bill_settings;
