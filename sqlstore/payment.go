package sqlstore

import (
	"context"
	"fmt"

	"billbridge"
)

const paymentColumns = `id, account_id, invoice_id, customer_id, external_id, amount, currency, paid_at, method, reference, created_at`

func scanPayment(r rowScanner) (*billbridge.Payment, error) {
	var p billbridge.Payment
	err := r.Scan(&p.ID, &p.AccountID, &p.InvoiceID, &p.CustomerID, strCol{&p.ExternalID}, &p.Amount, &p.Currency,
		dateCol{&p.PaidAt}, &p.Method, &p.Reference, timeCol{&p.CreatedAt})
	if err != nil {
		return nil, notFound(err, "payment")
	}
	return &p, nil
}

// FindPaymentByExternalID returns the payment with that external_id; ENOTFOUND if none.
func (r reader) FindPaymentByExternalID(ctx context.Context, accountID, externalID string) (*billbridge.Payment, error) {
	if externalID == "" {
		return nil, billbridge.NotFound("payment")
	}
	return scanPayment(r.q.QueryRowContext(ctx, `SELECT `+paymentColumns+` FROM payments
		WHERE account_id = $1 AND external_id = $2`, accountID, externalID))
}

// FindPayments lists the payments of one invoice, newest first.
func (r reader) FindPayments(ctx context.Context, accountID, invoiceID string, p billbridge.PageParams) (billbridge.Page[billbridge.Payment], error) {
	if err := checkCursor(ctx, r.q, "payments", accountID, p.StartingAfter); err != nil {
		return billbridge.Page[billbridge.Payment]{}, err
	}
	w := newWhere(accountID)
	w.add("invoice_id = ?", invoiceID)
	w.after(p.StartingAfter)
	limit := pageLimit(p.Limit)
	rows, err := r.q.QueryContext(ctx, `SELECT `+paymentColumns+` FROM payments WHERE `+w.sql()+
		` ORDER BY id DESC LIMIT `+fmt.Sprint(limit+1), w.args...)
	if err != nil {
		return billbridge.Page[billbridge.Payment]{}, err
	}
	return collect(rows, limit, r.pageBytes, scanPayment)
}

// FindAccountPayments lists the account's payments newest first.
func (r reader) FindAccountPayments(ctx context.Context, accountID string, f billbridge.PaymentFilter) (billbridge.Page[billbridge.Payment], error) {
	if err := checkCursor(ctx, r.q, "payments", accountID, f.StartingAfter); err != nil {
		return billbridge.Page[billbridge.Payment]{}, err
	}
	query, args, limit := paymentListQuery(accountID, f)
	rows, err := r.q.QueryContext(ctx, query, args...)
	if err != nil {
		return billbridge.Page[billbridge.Payment]{}, err
	}
	return collect(rows, limit, r.pageBytes, scanPayment)
}

// paymentListQuery returns the query of FindAccountPayments and its page size.
func paymentListQuery(accountID string, f billbridge.PaymentFilter) (string, []any, int) {
	w := newWhere(accountID)
	if !f.RecordedSince.IsZero() {
		w.add("created_at >= ?", ts(f.RecordedSince))
	}
	w.after(f.StartingAfter)
	limit := pageLimit(f.Limit)
	return `SELECT ` + paymentColumns + ` FROM payments WHERE ` + w.sql() +
		` ORDER BY id DESC LIMIT ` + fmt.Sprint(limit+1), w.args, limit
}

// InsertPayment stores a new payment; an error matching ErrRetry when its
// external_id is taken.
func (tx *Tx) InsertPayment(ctx context.Context, p *billbridge.Payment) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO payments (`+paymentColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		p.ID, p.AccountID, p.InvoiceID, p.CustomerID, strOrNil(p.ExternalID), p.Amount, p.Currency,
		p.PaidAt.String(), p.Method, p.Reference, ts(p.CreatedAt))
	return dbError(err)
}
