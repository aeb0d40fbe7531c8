-- +goose Up
-- The receivables report (issue 14) reads the invoices settled since its day by this range, never those settled before.
CREATE INDEX invoices_paid_at ON invoices (account_id, paid_at) WHERE paid_at IS NOT NULL;

-- +goose Down
DROP INDEX invoices_paid_at;
