package sqlstore

import (
	"context"
	"fmt"

	"billbridge"
)

// customerReportQuery returns the customers report query for f ($1
// account, $2 today, then the currency and cursor): the unpaid invoices
// (index invoices_unpaid_customer) summed per customer and currency, joined
// with the customer, ordered by the sort amount descending, then customer
// id and currency (the keyset the cursor continues from). Only the page's
// rows look their customer up (CROSS JOIN keeps SQLite from walking the
// account's customers instead).
func customerReportQuery(accountID string, f billbridge.CustomerReportFilter) (string, []any) {
	args := []any{accountID, f.Today.String()}
	overdue := "i.due_date < $2"
	where := "i.account_id = $1 AND i.unpaid = 1"
	if f.Currency != "" {
		args = append(args, f.Currency)
		where += fmt.Sprintf(" AND i.currency = $%d", len(args))
	}
	key := "a.overdue"
	if f.Sort == billbridge.SortOutstandingDesc {
		key = "a.outstanding"
	}
	after := ""
	if c := f.After; c != nil {
		args = append(args, int64(c.Amount), c.CustomerID, c.Currency)
		n := len(args)
		after = fmt.Sprintf(" WHERE (%[1]s < $%[2]d OR (%[1]s = $%[2]d AND (a.customer_id > $%[3]d OR (a.customer_id = $%[3]d AND a.currency > $%[4]d))))",
			key, n-2, n-1, n)
	}
	order := key + " DESC, a.customer_id, a.currency"
	return `WITH a AS (
		SELECT i.customer_id, i.currency, ` + sum("i.amount_due") + ` AS outstanding, COUNT(*) AS outstanding_count,
			` + sum("CASE WHEN "+overdue+" THEN i.amount_due ELSE 0 END") + ` AS overdue,
			` + sum("CASE WHEN "+overdue+" THEN 1 ELSE 0 END") + ` AS overdue_count,
			MIN(CASE WHEN ` + overdue + ` THEN i.due_date END) AS oldest_due, MAX(i.dunning_level) AS max_level
		FROM invoices i WHERE ` + where + ` GROUP BY i.customer_id, i.currency
	), page AS (SELECT * FROM a` + after + ` ORDER BY ` + order + ` LIMIT ` + fmt.Sprint(pageLimit(f.Limit)+1) + `)
	SELECT a.customer_id, c.name, COALESCE(c.external_id, ''), COALESCE(c.customer_number, ''), a.currency,
		a.outstanding, a.outstanding_count, a.overdue, a.overdue_count, a.oldest_due, a.max_level, c.dunning_paused
	FROM page a CROSS JOIN customers c WHERE c.account_id = $1 AND c.id = a.customer_id
	ORDER BY ` + order, args
}

// CustomerReceivables pages through what each customer owes today per
// currency (see billbridge.Store).
func (r reader) CustomerReceivables(ctx context.Context, accountID string, f billbridge.CustomerReportFilter) (billbridge.Page[billbridge.CustomerReceivables], error) {
	query, args := customerReportQuery(accountID, f)
	rows, err := r.q.QueryContext(ctx, query, args...)
	if err != nil {
		return billbridge.Page[billbridge.CustomerReceivables]{}, fmt.Errorf("customers report: %w", err)
	}
	return collect(rows, pageLimit(f.Limit), r.pageBytes, func(row rowScanner) (*billbridge.CustomerReceivables, error) {
		var x billbridge.CustomerReceivables
		var paused int
		err := row.Scan(&x.CustomerID, &x.CustomerName, &x.ExternalID, &x.CustomerNumber, &x.Currency, &x.Outstanding,
			&x.OutstandingCount, &x.Overdue, &x.OverdueCount, nullDateCol{&x.OldestDueDate}, &x.MaxReminderLevel, &paused)
		if x.OldestDueDate != nil {
			x.OldestOverdueDays = int(f.Today.Sub(x.OldestDueDate.Time).Hours()/24 + 0.5)
		}
		x.DunningPaused = paused != 0
		return &x, err
	})
}
