package sqlstore

import (
	"context"
	"fmt"
	"time"

	"billbridge"
)

// dateParam is a bound date parameter usable in date arithmetic: PostgreSQL
// needs its type spelled out, SQLite compares the text.
func (d dialect) dateParam(p string) string {
	if d.name == "postgres" {
		return "CAST(" + p + " AS DATE)"
	}
	return p
}

// agingQuery returns the receivables query of d. The candidates are the
// union of three index ranges (invoices_unpaid, invoices_paid_at,
// invoices_cancelled_at), never the invoices settled before the day; each
// candidate's payments and reminders up to the day are summed over
// payments_invoice and reminders_invoice_level.
func agingQuery(d dialect) string {
	asOf := d.dateParam("$2")
	past := d.days("i.due_date", asOf)
	return `WITH cand AS (
		SELECT id FROM invoices WHERE account_id = $1 AND unpaid = 1
		UNION SELECT id FROM invoices WHERE account_id = $1 AND paid_at >= $3
		UNION SELECT id FROM invoices WHERE account_id = $1 AND cancelled_at >= $4
	), open AS (
		SELECT i.currency, i.due_date, i.total
			+ COALESCE((SELECT ` + sum("r.fee + r.fee_vat + r.interest") + ` FROM reminders r
				WHERE r.account_id = $1 AND r.invoice_id = i.id AND r.sent_on <= ` + asOf + `), 0)
			- COALESCE((SELECT ` + sum("p.amount") + ` FROM payments p
				WHERE p.account_id = $1 AND p.invoice_id = i.id AND p.paid_at <= ` + asOf + `), 0) AS amount
		FROM cand JOIN invoices i ON i.account_id = $1 AND i.id = cand.id
		WHERE i.finalized_at IS NOT NULL AND i.issue_date <= ` + asOf + ` AND (i.cancelled_at IS NULL OR i.cancelled_at >= $4)
	)
	SELECT currency, CASE WHEN ` + past + ` <= 0 THEN 'current' WHEN ` + past + ` <= 30 THEN '1_30'
		WHEN ` + past + ` <= 60 THEN '31_60' WHEN ` + past + ` <= 90 THEN '61_90' ELSE 'over_90' END AS bucket,
		` + sum("amount") + `, COUNT(*)
	FROM open i WHERE amount > 0 GROUP BY 1, 2 ORDER BY 1, 2`
}

// AgingRows counts the receivables on asOf per currency and aging bucket.
func (r reader) AgingRows(ctx context.Context, accountID string, asOf billbridge.Date, asOfStart, asOfEnd time.Time) ([]billbridge.AgingRow, error) {
	rows, err := r.q.QueryContext(ctx, agingQuery(r.d), accountID, asOf.String(), ts(asOfStart), ts(asOfEnd))
	if err != nil {
		return nil, fmt.Errorf("receivables: %w", err)
	}
	defer rows.Close()
	var out []billbridge.AgingRow
	for rows.Next() {
		var a billbridge.AgingRow
		if err := rows.Scan(&a.Currency, &a.Bucket, &a.Amount, &a.Count); err != nil {
			return nil, fmt.Errorf("receivables: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
