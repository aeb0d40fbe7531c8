-- +goose Up
-- Payment health and reports (issue 14). customer_payment_ratings holds the rating last announced by
-- customer.payment_rating_changed, so a change is told once. The indexes let the health of a customer,
-- the receivables as of a day and the summary of a period read index ranges, not the whole ledger.
CREATE TABLE customer_payment_ratings (
    account_id  TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    rating      TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (account_id, customer_id)
);
CREATE INDEX payments_customer ON payments (account_id, customer_id, invoice_id, paid_at);
CREATE INDEX payments_paid_at ON payments (account_id, paid_at, invoice_id);
CREATE INDEX invoices_issue_date ON invoices (account_id, issue_date) WHERE issue_date IS NOT NULL;
CREATE INDEX invoices_cancelled_at ON invoices (account_id, cancelled_at) WHERE cancelled_at IS NOT NULL;
CREATE INDEX invoices_unpaid_customer ON invoices (account_id, unpaid, customer_id, currency, due_date, amount_due);

-- +goose Down
DROP INDEX invoices_unpaid_customer;
DROP INDEX invoices_cancelled_at;
DROP INDEX invoices_issue_date;
DROP INDEX payments_paid_at;
DROP INDEX payments_customer;
DROP TABLE customer_payment_ratings;
