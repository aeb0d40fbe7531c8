package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"billbridge"
)

// vatLines returns the FROM clause joining each invoice i with the lines of
// its vat_breakdown (JSON [{rate, net, vat}] as decimals) as j, and the SQL
// of a line's field in minor units (hundredths): SQLite's json_each gives
// REALs, rounded back exactly; PostgreSQL casts the text to NUMERIC.
func (d dialect) vatLines() (from string, field func(name string) string) {
	if d.name == "postgres" {
		return "invoices i CROSS JOIN LATERAL jsonb_array_elements(CAST(i.vat_breakdown AS jsonb)) AS j(value)",
			func(name string) string {
				return "CAST(ROUND(CAST(j.value->>'" + name + "' AS NUMERIC) * 100) AS BIGINT)"
			}
	}
	return "invoices i, json_each(i.vat_breakdown) j",
		func(name string) string {
			return "CAST(ROUND(json_extract(j.value, '$." + name + "') * 100) AS INTEGER)"
		}
}

// summaryQueries returns the four queries of SummaryFacts ($1 account,
// $2 from, $3 to; for cancellations $2 start, $3 end): invoices issued per currency and day
// (index invoices_issue_date), their VAT per rate, payments per currency
// and day (payments_paid_at), and invoices cancelled (invoices_cancelled_at).
func summaryQueries(d dialect) (invoiced, vat, received, cancelled string) {
	issued := `i.account_id = $1 AND i.issue_date >= ` + d.dateParam("$2") + ` AND i.issue_date <= ` + d.dateParam("$3") +
		` AND i.finalized_at IS NOT NULL`
	invoiced = `SELECT i.currency, i.issue_date, ` + sum("i.subtotal") + `, ` + sum("i.vat_total") + `, ` + sum("i.total") + `, COUNT(*)
		FROM invoices i WHERE ` + issued + ` GROUP BY i.currency, i.issue_date`
	from, field := d.vatLines()
	vat = `SELECT i.currency, i.issue_date, ` + field("rate") + `, ` + sum(field("net")) + `, ` + sum(field("vat")) + `
		FROM ` + from + ` WHERE ` + issued + ` GROUP BY i.currency, i.issue_date, 3`
	received = `SELECT p.currency, p.paid_at, ` + sum("p.amount") + `, COUNT(*) FROM payments p
		WHERE p.account_id = $1 AND p.paid_at >= ` + d.dateParam("$2") + ` AND p.paid_at <= ` + d.dateParam("$3") + `
		GROUP BY p.currency, p.paid_at`
	cancelled = `SELECT i.currency, i.cancelled_at, i.total FROM invoices i
		WHERE i.account_id = $1 AND i.cancelled_at >= $2 AND i.cancelled_at < $3 AND i.finalized_at IS NOT NULL`
	return
}

// SummaryFacts sums the summary's invoices, VAT, payments and
// cancellations of from…to (see billbridge.Store).
func (r reader) SummaryFacts(ctx context.Context, accountID string, from, to billbridge.Date, start, end time.Time) (billbridge.SummaryFacts, error) {
	var f billbridge.SummaryFacts
	invoiced, vat, received, cancelled := summaryQueries(r.d)
	days := []any{accountID, from.String(), to.String()}
	each := func(query string, args []any, scan func(*sql.Rows) error) error {
		rows, err := r.q.QueryContext(ctx, query, args...)
		if err != nil {
			return fmt.Errorf("summary: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			if err := scan(rows); err != nil {
				return fmt.Errorf("summary: %w", err)
			}
		}
		return rows.Err()
	}
	err := each(invoiced, days, func(rows *sql.Rows) error {
		var x billbridge.InvoicedDay
		err := rows.Scan(&x.Currency, dateCol{&x.Day}, &x.Net, &x.VAT, &x.Gross, &x.Count)
		f.Invoiced = append(f.Invoiced, x)
		return err
	})
	if err == nil {
		err = each(vat, days, func(rows *sql.Rows) error {
			var x billbridge.VATDay
			err := rows.Scan(&x.Currency, dateCol{&x.Day}, &x.Rate, &x.Net, &x.VAT)
			f.VAT = append(f.VAT, x)
			return err
		})
	}
	if err == nil {
		err = each(received, days, func(rows *sql.Rows) error {
			var x billbridge.ReceivedDay
			err := rows.Scan(&x.Currency, dateCol{&x.Day}, &x.Amount, &x.Count)
			f.Received = append(f.Received, x)
			return err
		})
	}
	if err == nil {
		err = each(cancelled, []any{accountID, ts(start), ts(end)}, func(rows *sql.Rows) error {
			var x billbridge.CancelledInvoice
			err := rows.Scan(&x.Currency, timeCol{&x.At}, &x.Total)
			f.Cancelled = append(f.Cancelled, x)
			return err
		})
	}
	return f, err
}
