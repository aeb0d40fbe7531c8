package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"billbridge"
)

// FindDunningSettings returns the account's dunning settings, the defaults
// when it has none.
func (r reader) FindDunningSettings(ctx context.Context, accountID string) (*billbridge.DunningSettings, error) {
	s := billbridge.DunningSettings{AccountID: accountID}
	var enabled int
	var levels string
	var updated *time.Time
	err := r.q.QueryRowContext(ctx, `SELECT enabled, levels, interest_rate, pay_within_days, updated_at
		FROM dunning_settings WHERE account_id = $1`, accountID).
		Scan(&enabled, &levels, &s.InterestRate, &s.PayWithinDays, nullTimeCol{&updated})
	if billbridge.ErrorCode(notFound(err, "")) == billbridge.ENOTFOUND {
		return billbridge.DefaultDunningSettings(accountID), nil
	}
	if err != nil {
		return nil, fmt.Errorf("read dunning settings: %w", err)
	}
	if err := json.Unmarshal([]byte(levels), &s.Levels); err != nil {
		return nil, fmt.Errorf("decode dunning levels: %w", err)
	}
	s.Enabled, s.UpdatedAt = enabled != 0, updated
	return &s, nil
}

// SaveDunningSettings creates or replaces the account's dunning settings.
func (tx *Tx) SaveDunningSettings(ctx context.Context, s *billbridge.DunningSettings) error {
	levels, err := json.Marshal(s.Levels)
	if err != nil {
		return err
	}
	_, err = tx.tx.ExecContext(ctx, `INSERT INTO dunning_settings (account_id, enabled, levels, interest_rate, pay_within_days, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (account_id) DO UPDATE SET enabled = excluded.enabled,
		levels = excluded.levels, interest_rate = excluded.interest_rate, pay_within_days = excluded.pay_within_days,
		updated_at = excluded.updated_at`,
		s.AccountID, flag(s.Enabled), string(levels), s.InterestRate, s.PayWithinDays, tsOrNil(s.UpdatedAt))
	return dbError(err)
}

const reminderColumns = `id, account_id, invoice_id, customer_id, invoice_external_id, customer_external_id, invoice_number,
	level, title, currency, fee, fee_vat, fee_vat_rate, interest, interest_rate, interest_days, principal, amount_due,
	total_due, pay_by, channel, note, sent_at, sent_on, created_at`

func scanReminder(row rowScanner) (*billbridge.Reminder, error) {
	var r billbridge.Reminder
	var sentAt time.Time
	var sentOn billbridge.Date
	err := row.Scan(&r.ID, &r.AccountID, &r.InvoiceID, &r.CustomerID, &r.InvoiceExternalID, &r.CustomerExternalID,
		&r.InvoiceNumber, &r.Level, &r.Title, &r.Currency, &r.Fee, &r.FeeVAT, &r.FeeVATRate, &r.Interest, &r.InterestRate,
		&r.InterestDays, &r.Principal, &r.AmountDue, &r.TotalDue, dateCol{&r.PayBy}, &r.Channel, &r.Note,
		timeCol{&sentAt}, dateCol{&sentOn}, timeCol{&r.CreatedAt})
	if err != nil {
		return nil, notFound(err, "reminder")
	}
	r.Status, r.SentAt, r.SentOn = billbridge.ReminderSent, &sentAt, &sentOn
	return &r, nil
}

// InsertReminder stores a sent reminder; the unique index
// reminders_invoice_level makes a second reminder of one level an ErrRetry.
func (tx *Tx) InsertReminder(ctx context.Context, r *billbridge.Reminder) error {
	if r.SentAt == nil || r.SentOn == nil {
		return fmt.Errorf("insert reminder: not sent")
	}
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO reminders (`+reminderColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7,
		$8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25)`,
		r.ID, r.AccountID, r.InvoiceID, r.CustomerID, r.InvoiceExternalID, r.CustomerExternalID, r.InvoiceNumber,
		r.Level, r.Title, r.Currency, r.Fee, r.FeeVAT, r.FeeVATRate, r.Interest, r.InterestRate, r.InterestDays,
		r.Principal, r.AmountDue, r.TotalDue, r.PayBy.String(), r.Channel, r.Note, ts(*r.SentAt), r.SentOn.String(), ts(r.CreatedAt))
	return dbError(err)
}

// FindReminders pages through the account's sent reminders, newest first
// (primary key, or index reminders_customer for a customer's).
func (r reader) FindReminders(ctx context.Context, accountID string, f billbridge.ReminderFilter) (billbridge.Page[billbridge.Reminder], error) {
	if err := checkCursor(ctx, r.q, "reminders", accountID, f.StartingAfter); err != nil {
		return billbridge.Page[billbridge.Reminder]{}, err
	}
	w := newWhere(accountID)
	if f.InvoiceID != "" {
		w.add("invoice_id = ?", f.InvoiceID)
	}
	if f.CustomerID != "" {
		w.add("customer_id = ?", f.CustomerID)
	}
	w.after(f.StartingAfter)
	limit := pageLimit(f.Limit)
	rows, err := r.q.QueryContext(ctx, `SELECT `+reminderColumns+` FROM reminders WHERE `+w.sql()+
		` ORDER BY id DESC LIMIT `+fmt.Sprint(limit+1), w.args...)
	if err != nil {
		return billbridge.Page[billbridge.Reminder]{}, err
	}
	return collect(rows, limit, r.pageBytes, scanReminder)
}

// FindDueInvoices pages through the invoices whose next level is due on
// f.Today: for each level L of the ladder, the unpaid, unpaused invoices at
// level L−1 whose dunning_since is at least after_days(L) before today (one
// range of index invoices_dunning each), of customers not paused.
func (r reader) FindDueInvoices(ctx context.Context, accountID string, f billbridge.DueFilter) (billbridge.Page[billbridge.Invoice], error) {
	if err := checkCursor(ctx, r.q, "invoices", accountID, f.StartingAfter); err != nil {
		return billbridge.Page[billbridge.Invoice]{}, err
	}
	if f.Settings == nil || !f.Settings.Enabled || len(f.Settings.Levels) == 0 {
		return billbridge.Page[billbridge.Invoice]{Data: []billbridge.Invoice{}}, nil
	}
	w := newWhere(accountID)
	w.add("unpaid = 1 AND dunning_paused = 0")
	var levels []string
	for _, l := range f.Settings.Levels {
		levels = append(levels, fmt.Sprintf("(dunning_level = %d AND dunning_since <= $%d)", l.Level-1, len(w.args)+1))
		w.args = append(w.args, f.Today.AddDays(-l.AfterDays).String())
	}
	w.conds = append(w.conds, "("+strings.Join(levels, " OR ")+")")
	if f.CustomerID != "" {
		w.add("customer_id = ?", f.CustomerID)
	}
	w.add("NOT EXISTS (SELECT 1 FROM customers c WHERE c.account_id = invoices.account_id AND c.id = invoices.customer_id AND c.dunning_paused = 1)")
	w.after(f.StartingAfter)
	limit := pageLimit(f.Limit)
	rows, err := r.q.QueryContext(ctx, `SELECT `+invoiceColumns+` FROM invoices WHERE `+w.sql()+
		` ORDER BY id DESC LIMIT `+fmt.Sprint(limit+1), w.args...)
	if err != nil {
		return billbridge.Page[billbridge.Invoice]{}, err
	}
	return collect(rows, limit, r.pageBytes, scanInvoice)
}

// CustomerDunningPaused reports the customer's Mahnsperre; ENOTFOUND when
// the account has no such customer.
func (r reader) CustomerDunningPaused(ctx context.Context, accountID, customerID string) (bool, error) {
	var paused int
	err := r.q.QueryRowContext(ctx, `SELECT dunning_paused FROM customers WHERE account_id = $1 AND id = $2`,
		accountID, customerID).Scan(&paused)
	if err != nil {
		return false, notFound(err, "customer")
	}
	return paused != 0, nil
}

// SetCustomerDunningPaused stores c's Mahnsperre and updated_at.
func (tx *Tx) SetCustomerDunningPaused(ctx context.Context, c *billbridge.Customer) error {
	res, err := tx.tx.ExecContext(ctx, `UPDATE customers SET dunning_paused = $3, updated_at = $4 WHERE account_id = $1 AND id = $2`,
		c.AccountID, c.ID, flag(c.DunningPaused), ts(c.UpdatedAt))
	return affected(res, dbError(err), "customer")
}

// FindReminderDueCandidates returns up to limit unpaid, unpaused invoices
// of any account whose next level was not announced yet and whose
// dunning_since lies before day, by (dunning_since, id) after the key after
// (partial index invoices_reminder_due).
func (db *DB) FindReminderDueCandidates(ctx context.Context, day billbridge.Date, after billbridge.ReminderDueKey, limit int) ([]billbridge.Invoice, error) {
	w := `unpaid = 1 AND dunning_paused = 0 AND reminder_due_level <= dunning_level AND dunning_since < $1`
	args := []any{day.String(), limit}
	if after.ID != "" {
		w += ` AND (dunning_since > $3 OR (dunning_since = $3 AND id > $4))`
		args = append(args, after.Since.String(), after.ID)
	}
	rows, err := db.read.QueryContext(ctx, `SELECT `+invoiceColumns+` FROM invoices
		WHERE `+w+` ORDER BY dunning_since, id LIMIT $2`, args...)
	if err != nil {
		return nil, err
	}
	page, err := collect(rows, limit, 0, scanInvoice)
	return page.Data, err
}
