package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"billbridge"
)

// days returns the SQL for the calendar days from date a to date b (b − a),
// two date expressions: PostgreSQL subtracts DATEs; SQLite keeps dates as
// "YYYY-MM-DD" text, whose Julian day numbers differ by whole days.
func (d dialect) days(a, b string) string {
	if d.name == "postgres" {
		return "(" + b + " - " + a + ")"
	}
	return "CAST(julianday(" + b + ") - julianday(" + a + ") AS INTEGER)"
}

// atLeast0 clamps an integer SQL expression at 0 on both databases.
func atLeast0(x string) string { return "(CASE WHEN " + x + " < 0 THEN 0 ELSE " + x + " END)" }

// sum is SUM(x) as a BIGINT on both databases (PostgreSQL's SUM of a
// BIGINT is NUMERIC).
func sum(x string) string { return "CAST(SUM(" + x + ") AS BIGINT)" }

// PaymentStats counts the payment health of customerIDs per customer and
// currency: one pass over each customer's finalized invoices (index
// invoices_customer) joined with the settlement date of each paid invoice,
// the latest paid_at of its payments (index payments_customer, covering).
// SQLite is told those indexes: left to itself, it read the account's
// invoices by status (invoices_status) for one customer, so its cost grew
// with the account, and every payment of an import paid it again.
func (r reader) PaymentStats(ctx context.Context, accountID string, customerIDs []string, today billbridge.Date) ([]billbridge.PaymentStats, error) {
	if len(customerIDs) == 0 {
		return nil, nil
	}
	query, args := paymentStatsQuery(r.d, accountID, customerIDs, today)
	rows, err := r.q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("payment stats: %w", err)
	}
	defer rows.Close()
	var out []billbridge.PaymentStats
	for rows.Next() {
		var s billbridge.PaymentStats
		if err := rows.Scan(&s.CustomerID, &s.Currency, &s.InvoiceCount, &s.Invoiced, &s.Paid, &s.OpenAmount, &s.OpenCount,
			&s.OverdueAmount, &s.OverdueCount, nullDateCol{&s.OldestDueDate}, &s.PaidCount, &s.PaidTotal,
			&s.DaysToPayWeighted, &s.DaysLateWeighted, &s.OnTimeCount, nullDateCol{&s.LastPaymentAt}, &s.MaxReminderLevel); err != nil {
			return nil, fmt.Errorf("payment stats: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// paymentStatsQuery is PaymentStats' query and its arguments.
func paymentStatsQuery(d dialect, accountID string, customerIDs []string, today billbridge.Date) (string, []any) {
	args := []any{accountID, today.String()}
	in := make([]string, len(customerIDs))
	for i, id := range customerIDs {
		args = append(args, id)
		in[i] = fmt.Sprintf("$%d", len(args))
	}
	ids := strings.Join(in, ", ")
	overdue := "i.unpaid = 1 AND i.due_date < $2"
	paid := "i.status = 'paid'"
	query := `SELECT i.customer_id, i.currency, COUNT(*), ` + sum("i.total") + `, ` + sum("i.amount_paid") + `,
		` + sum("CASE WHEN i.unpaid = 1 THEN i.amount_due ELSE 0 END") + `, ` + sum("i.unpaid") + `,
		` + sum("CASE WHEN "+overdue+" THEN i.amount_due ELSE 0 END") + `, ` + sum("CASE WHEN "+overdue+" THEN 1 ELSE 0 END") + `,
		MIN(CASE WHEN ` + overdue + ` THEN i.due_date END),
		` + sum("CASE WHEN "+paid+" THEN 1 ELSE 0 END") + `, ` + sum("CASE WHEN "+paid+" THEN i.total ELSE 0 END") + `,
		` + sum("CASE WHEN "+paid+" THEN "+atLeast0(d.days("i.issue_date", "p.settled"))+" * i.total ELSE 0 END") + `,
		` + sum("CASE WHEN "+paid+" THEN "+atLeast0(d.days("i.due_date", "p.settled"))+" * i.total ELSE 0 END") + `,
		` + sum("CASE WHEN "+paid+" AND p.settled <= i.due_date THEN 1 ELSE 0 END") + `,
		MAX(p.settled), MAX(CASE WHEN i.unpaid = 1 THEN i.dunning_level ELSE 0 END)
		FROM invoices i` + d.indexedBy("invoices_customer") + `
		LEFT JOIN (SELECT invoice_id, MAX(paid_at) AS settled FROM payments` + d.indexedBy("payments_customer") + `
			WHERE account_id = $1 AND customer_id IN (` + ids + `) GROUP BY invoice_id) p ON p.invoice_id = i.id
		WHERE i.account_id = $1 AND i.customer_id IN (` + ids + `) AND i.status IN ('open', 'partially_paid', 'paid')
		GROUP BY i.customer_id, i.currency
		ORDER BY i.customer_id, i.currency`
	return query, args
}

// SwapPaymentRating records rating as the customer's and returns the one
// recorded before, RatingInsufficientData when none. The customer's rating
// row is locked before it is read (SELECT … FOR UPDATE on PostgreSQL;
// SQLite writes one at a time), so two transactions that swap one
// customer's rating run one after the other, the second reading what the
// first committed: a change is returned, and so told, once, and the next
// one starts from it. (The account's event counter does not order them:
// it is taken at the commit.) When there is no row yet, a transaction
// whose insert meets one inserted meanwhile reads that one under its lock.
func (tx *Tx) SwapPaymentRating(ctx context.Context, accountID, customerID, rating string) (string, error) {
	for {
		var before string
		err := tx.tx.QueryRowContext(ctx, `SELECT rating FROM customer_payment_ratings
			WHERE account_id = $1 AND customer_id = $2`+tx.d.forUpdate, accountID, customerID).Scan(&before)
		switch {
		case err == nil:
			if before == rating {
				return before, nil
			}
			_, err = tx.tx.ExecContext(ctx, `UPDATE customer_payment_ratings SET rating = $3, updated_at = $4
				WHERE account_id = $1 AND customer_id = $2`, accountID, customerID, rating, ts(tx.clock.Now()))
			if err != nil {
				return "", dbError(fmt.Errorf("save payment rating: %w", err))
			}
			return before, nil
		case !errors.Is(err, sql.ErrNoRows):
			return "", fmt.Errorf("read payment rating: %w", err)
		case rating == billbridge.RatingInsufficientData:
			return rating, nil
		}
		res, err := tx.tx.ExecContext(ctx, `INSERT INTO customer_payment_ratings (account_id, customer_id, rating, updated_at)
			VALUES ($1, $2, $3, $4) ON CONFLICT (account_id, customer_id) DO NOTHING`,
			accountID, customerID, rating, ts(tx.clock.Now()))
		if err != nil {
			return "", dbError(fmt.Errorf("save payment rating: %w", err))
		}
		if n, err := res.RowsAffected(); err != nil || n == 1 {
			return billbridge.RatingInsufficientData, err
		}
	}
}
