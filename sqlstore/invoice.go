package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"

	"billbridge"
)

const invoiceColumns = `id, account_id, customer_id, external_id, number, status, currency, items, vat_breakdown,
	subtotal, vat_total, total, amount_paid, amount_due, due_in_days, issue_date, due_date, reference, notes,
	created_at, updated_at, finalized_at, paid_at, cancelled_at, overdue_notified, payment_reference,
	fees, fees_vat, interest, dunning_level, last_reminder_on, dunning_paused, reminder_due_level`

// invoiceInsertColumns are the columns invoiceValues returns.
const invoiceInsertColumns = invoiceColumns + `, unpaid, dunning_since`

func scanInvoice(r rowScanner) (*billbridge.Invoice, error) {
	var inv billbridge.Invoice
	var items, vat string
	var notified, paused int
	err := r.Scan(&inv.ID, &inv.AccountID, &inv.CustomerID, strCol{&inv.ExternalID}, &inv.Number, &inv.Status,
		&inv.Currency, &items, &vat, &inv.Subtotal, &inv.VATTotal, &inv.Total, &inv.AmountPaid, &inv.AmountDue,
		&inv.DueInDays, nullDateCol{&inv.IssueDate}, nullDateCol{&inv.DueDate}, &inv.Reference, &inv.Notes,
		timeCol{&inv.CreatedAt}, timeCol{&inv.UpdatedAt}, nullTimeCol{&inv.FinalizedAt}, nullTimeCol{&inv.PaidAt},
		nullTimeCol{&inv.CancelledAt}, &notified, &inv.PaymentReference,
		&inv.Fees, &inv.FeesVAT, &inv.Interest, &inv.DunningLevel, nullDateCol{&inv.LastReminderOn}, &paused, &inv.ReminderDueLevel)
	if err != nil {
		return nil, notFound(err, "invoice")
	}
	if err := json.Unmarshal([]byte(items), &inv.Items); err != nil {
		return nil, fmt.Errorf("decode invoice items: %w", err)
	}
	if err := json.Unmarshal([]byte(vat), &inv.VATBreakdown); err != nil {
		return nil, fmt.Errorf("decode vat breakdown: %w", err)
	}
	inv.OverdueNotified, inv.DunningPaused = notified != 0, paused != 0
	return &inv, nil
}

// invoiceValues returns the stored columns of inv in the order of
// invoiceColumns followed by the derived unpaid flag and dunning_since.
func invoiceValues(inv *billbridge.Invoice) ([]any, error) {
	items := inv.Items
	if items == nil {
		items = []billbridge.LineItem{}
	}
	vat := inv.VATBreakdown
	if vat == nil {
		vat = []billbridge.VATLine{}
	}
	itemsJSON, err := json.Marshal(items)
	if err != nil {
		return nil, err
	}
	vatJSON, err := json.Marshal(vat)
	if err != nil {
		return nil, err
	}
	return []any{inv.ID, inv.AccountID, inv.CustomerID, strOrNil(inv.ExternalID), inv.Number, inv.Status,
		inv.Currency, string(itemsJSON), string(vatJSON), inv.Subtotal, inv.VATTotal, inv.Total, inv.AmountPaid,
		inv.AmountDue, inv.DueInDays, dateOrNil(inv.IssueDate), dateOrNil(inv.DueDate), inv.Reference, inv.Notes,
		ts(inv.CreatedAt), ts(inv.UpdatedAt), tsOrNil(inv.FinalizedAt), tsOrNil(inv.PaidAt), tsOrNil(inv.CancelledAt),
		flag(inv.OverdueNotified), inv.PaymentReference,
		inv.Fees, inv.FeesVAT, inv.Interest, inv.DunningLevel, dateOrNil(inv.LastReminderOn), flag(inv.DunningPaused), inv.ReminderDueLevel,
		flag(inv.Unpaid()), dunningSince(inv)}, nil
}

// dunningSince is the stored dunning_since: the day the next level and the
// interest count from, NULL before finalize.
func dunningSince(inv *billbridge.Invoice) any {
	if inv.DueDate == nil {
		return nil
	}
	return inv.DunningSince().String()
}

func flag(b bool) int {
	if b {
		return 1
	}
	return 0
}

// FindInvoice returns the invoice with its stored (not derived) status.
func (r reader) FindInvoice(ctx context.Context, accountID, id string) (*billbridge.Invoice, error) {
	return scanInvoice(r.q.QueryRowContext(ctx, `SELECT `+invoiceColumns+` FROM invoices
		WHERE account_id = $1 AND id = $2`, accountID, id))
}

// FindInvoiceByExternalID returns the invoice with that external_id; ENOTFOUND if none.
func (r reader) FindInvoiceByExternalID(ctx context.Context, accountID, externalID string) (*billbridge.Invoice, error) {
	if externalID == "" {
		return nil, billbridge.NotFound("invoice")
	}
	return scanInvoice(r.q.QueryRowContext(ctx, `SELECT `+invoiceColumns+` FROM invoices
		WHERE account_id = $1 AND external_id = $2`, accountID, externalID))
}

// FindInvoiceByPaymentReference returns the invoice whose payment
// reference is ref (spaces and case ignored); ENOTFOUND if none.
func (r reader) FindInvoiceByPaymentReference(ctx context.Context, accountID, ref string) (*billbridge.Invoice, error) {
	ref = billbridge.NormalizeReference(ref)
	if ref == "" {
		return nil, billbridge.NotFound("invoice")
	}
	return scanInvoice(r.q.QueryRowContext(ctx, `SELECT `+invoiceColumns+` FROM invoices
		WHERE account_id = $1 AND payment_reference = $2`, accountID, ref))
}

// FindInvoices lists the account's invoices newest first. Status "unpaid"
// uses the stored unpaid flag and its index (account_id, unpaid, id);
// "overdue" is unpaid with a due date before f.Today; "open" and
// "partially_paid" exclude those overdue; the others compare the stored status.
func (r reader) FindInvoices(ctx context.Context, accountID string, f billbridge.InvoiceFilter) (billbridge.Page[billbridge.Invoice], error) {
	if err := checkCursor(ctx, r.q, "invoices", accountID, f.StartingAfter); err != nil {
		return billbridge.Page[billbridge.Invoice]{}, err
	}
	query, args, limit := invoiceListQuery(accountID, f)
	rows, err := r.q.QueryContext(ctx, query, args...)
	if err != nil {
		return billbridge.Page[billbridge.Invoice]{}, err
	}
	return collect(rows, limit, r.pageBytes, scanInvoice)
}

// invoiceListQuery returns the query of FindInvoices and its page size.
func invoiceListQuery(accountID string, f billbridge.InvoiceFilter) (string, []any, int) {
	w := newWhere(accountID)
	today := f.Today.String()
	switch f.Status {
	case "":
	case billbridge.StatusUnpaid:
		w.add("unpaid = 1")
	case billbridge.StatusOverdue:
		w.add("unpaid = 1 AND due_date < ?", today)
	case billbridge.StatusOpen, billbridge.StatusPartiallyPaid:
		w.add("status = ? AND due_date >= ?", f.Status, today)
	default:
		w.add("status = ?", f.Status)
	}
	if f.CustomerID != "" {
		w.add("customer_id = ?", f.CustomerID)
	}
	if f.ExternalID != "" {
		w.add("external_id = ?", f.ExternalID)
	}
	// Number and payment reference have partial indexes (WHERE … <> ''):
	// the planner uses one only when the query says so too (SQLite cannot
	// tell that "number = ?" excludes ''), else it scans the account's invoices.
	if f.Number != "" {
		w.add("number = ? AND number <> ''", f.Number)
	}
	if f.PaymentReference != "" {
		w.add("payment_reference = ? AND payment_reference <> ''", billbridge.NormalizeReference(f.PaymentReference))
	}
	if !f.UpdatedSince.IsZero() {
		w.add("updated_at >= ?", ts(f.UpdatedSince))
	}
	w.after(f.StartingAfter)
	limit := pageLimit(f.Limit)
	return `SELECT ` + invoiceColumns + ` FROM invoices WHERE ` + w.sql() +
		` ORDER BY id DESC LIMIT ` + fmt.Sprint(limit+1), w.args, limit
}

// LockInvoice is FindInvoice holding the row until the transaction ends:
// SELECT … FOR UPDATE on PostgreSQL; on SQLite the transaction already holds
// the database's write lock.
func (tx *Tx) LockInvoice(ctx context.Context, accountID, id string) (*billbridge.Invoice, error) {
	return scanInvoice(tx.tx.QueryRowContext(ctx, `SELECT `+invoiceColumns+` FROM invoices
		WHERE account_id = $1 AND id = $2`+tx.d.forUpdate, accountID, id))
}

// InsertInvoice stores a new invoice; an error matching ErrRetry when its
// external_id is taken.
func (tx *Tx) InsertInvoice(ctx context.Context, inv *billbridge.Invoice) error {
	vals, err := invoiceValues(inv)
	if err != nil {
		return err
	}
	_, err = tx.tx.ExecContext(ctx, `INSERT INTO invoices (`+invoiceInsertColumns+`) VALUES ($1, $2, $3, $4,
		$5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26,
		$27, $28, $29, $30, $31, $32, $33, $34, $35)`, vals...)
	tx.grew("invoices")
	return dbError(err)
}

// UpdateInvoice stores every field of inv; ENOTFOUND when it does not exist
// in inv's account.
func (tx *Tx) UpdateInvoice(ctx context.Context, inv *billbridge.Invoice) error {
	vals, err := invoiceValues(inv)
	if err != nil {
		return err
	}
	res, err := tx.tx.ExecContext(ctx, `UPDATE invoices SET customer_id = $3, external_id = $4, number = $5,
		status = $6, currency = $7, items = $8, vat_breakdown = $9, subtotal = $10, vat_total = $11, total = $12,
		amount_paid = $13, amount_due = $14, due_in_days = $15, issue_date = $16, due_date = $17, reference = $18,
		notes = $19, created_at = $20, updated_at = $21, finalized_at = $22, paid_at = $23, cancelled_at = $24,
		overdue_notified = $25, payment_reference = $26, fees = $27, fees_vat = $28, interest = $29,
		dunning_level = $30, last_reminder_on = $31, dunning_paused = $32, reminder_due_level = $33, unpaid = $34,
		dunning_since = $35
		WHERE id = $1 AND account_id = $2`, vals...)
	return affected(res, dbError(err), "invoice")
}

// FindOverdueCandidates returns up to limit unpaid invoices of any account,
// not yet notified as overdue, whose due date lies before day, ordered by
// (due date, id) after the key after (index invoices_overdue_candidates).
func (db *DB) FindOverdueCandidates(ctx context.Context, day billbridge.Date, after billbridge.OverdueKey, limit int) ([]billbridge.Invoice, error) {
	w := `unpaid = 1 AND overdue_notified = 0 AND due_date < $1`
	args := []any{day.String(), limit}
	if after.ID != "" {
		w += ` AND (due_date > $3 OR (due_date = $3 AND id > $4))`
		args = append(args, after.DueDate.String(), after.ID)
	}
	rows, err := db.read.QueryContext(ctx, `SELECT `+invoiceColumns+` FROM invoices
		WHERE `+w+` ORDER BY due_date, id LIMIT $2`, args...)
	if err != nil {
		return nil, err
	}
	page, err := collect(rows, limit, 0, scanInvoice)
	return page.Data, err
}
