package actions

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"billbridge"
	"billbridge/internal/web"

	"github.com/gin-gonic/gin"
)

// ReceivablesQuery asks for the receivables on a day.
type ReceivablesQuery struct {
	// The day, in the account's time zone; default today. Never in the future.
	AsOf string `form:"as_of" json:"as_of" format:"date" example:"2026-11-30"`
}

// GetReceivables answers the receivables report.
//
//	@Summary		Receivables report
//	@Description	What customers owe on as_of, per currency (CHF and EUR never added): outstanding and overdue amounts and counts, and aging buckets by days past due (current: not past due, due on the day included; 1_30, 31_60, 61_90, over_90). Counted from finalized invoices issued on or before as_of and not cancelled by its end: their totals plus the reminder fees and interest sent by then, less the payments whose paid_at is on or before as_of; days in the account's time zone. A past as_of reproduces what was open then. With Accept: text/csv the same figures as CSV, one row per currency and bucket (as_of, currency, bucket, amount, count). Reads only invoices unpaid now or paid or cancelled since as_of, over indexes.
//	@Tags			Reports
//	@ID				getReceivables
//	@Produce		json
//	@Produce		text/csv
//	@Param		query	query	actions.ReceivablesQuery	false	"The day."
//	@Success		200	{object}	billbridge.Receivables	"The report."
//	@Failure		422	{object}	routes.Problem	"as_of is not a date or in the future (code validation_failed)."
//	@Router			/v1/reports/receivables [get]
func (h *Handler) GetReceivables(c *gin.Context) error {
	var q ReceivablesQuery
	if err := web.BindQuery(c, &q); err != nil {
		return err
	}
	ctx, acct := c.Request.Context(), web.Account(c)
	loc := acct.Location()
	today := billbridge.Today(h.Clock.Now(), loc)
	asOf := today
	if q.AsOf != "" {
		d, err := billbridge.ParseDate(q.AsOf)
		switch {
		case err != nil || d.Before(billbridge.MinDate):
			return billbridge.Invalid("as_of", "must be a date written YYYY-MM-DD")
		case today.Before(d):
			return billbridge.Invalid("as_of", "must not be in the future (today is "+today.String()+" in the account's time zone)")
		}
		asOf = d
	}
	rep, err := h.Receivables(ctx, acct, asOf)
	if err != nil {
		return err
	}
	if wantsCSV(c) {
		return csvReport(c, h, "receivables", billbridge.ReceivablesColumns, rep.Rows(), func(r *billbridge.ReceivablesRow) string { return r.Currency + r.Bucket })
	}
	return web.JSON(c, http.StatusOK, rep)
}

// Receivables counts what the account's customers owe on asOf (see
// billbridge.Receivables). GET /v1/reports/receivables and the console
// show it.
func (h *Handler) Receivables(ctx context.Context, acct *billbridge.Account, asOf billbridge.Date) (billbridge.Receivables, error) {
	start, end := billbridge.DayBounds(asOf, acct.Location())
	rows, err := h.Store.AgingRows(ctx, acct.ID, asOf, start, end)
	if err != nil {
		return billbridge.Receivables{}, err
	}
	return billbridge.ReceivablesOf(asOf, rows), nil
}

// wantsCSV reports whether the request's Accept asks for text/csv.
func wantsCSV(c *gin.Context) bool {
	return strings.Contains(strings.ToLower(c.GetHeader("Accept")), "text/csv")
}

// SummaryQuery asks for the summary of a range of days.
type SummaryQuery struct {
	// The first day, in the account's time zone; default the first of January of to's year.
	From string `form:"from" json:"from" format:"date" example:"2026-01-01"`
	// The last day (included); default today.
	To string `form:"to" json:"to" format:"date" example:"2026-12-31"`
	// The periods: calendar months (default), quarters or years, the first and last clipped to from and to; at most 120 periods.
	GroupBy string `form:"group_by" json:"group_by" binding:"omitempty,oneof=month quarter year" enums:"month,quarter,year" example:"month"`
}

// GetSummary answers the summary report.
//
//	@Summary		Summary report
//	@Description	Per period (month, quarter or year) and currency (CHF and EUR never added): invoiced_net, vat_by_rate, vat_total, invoiced_gross and invoiced_count of the invoices finalized with an issue date in the period (those cancelled later included); received (payments by paid_at); cancelled (totals of the invoices cancelled in the period, by the day of the cancellation). Every period of from…to is listed, those without activity with no currencies; totals add the whole range per currency. Days in the account's time zone; a past period never changes. With Accept: text/csv one row per period and currency (period, from, to, currency, invoiced_net, vat_total, vat_by_rate as rate:net:vat separated by semicolons, invoiced_gross, invoiced_count, received, received_count, cancelled, cancelled_count). Reads only the range's invoices and payments, over indexes.
//	@Tags			Reports
//	@ID				getSummary
//	@Produce		json
//	@Produce		text/csv
//	@Param		query	query	actions.SummaryQuery	false	"The range and grouping."
//	@Success		200	{object}	billbridge.Summary	"The report."
//	@Failure		422	{object}	routes.Problem	"from or to is not a date, to is before from, more than 120 periods, or group_by is not month, quarter or year (code validation_failed)."
//	@Router			/v1/reports/summary [get]
func (h *Handler) GetSummary(c *gin.Context) error {
	var q SummaryQuery
	if err := web.BindQuery(c, &q); err != nil {
		return err
	}
	ctx, acct := c.Request.Context(), web.Account(c)
	loc := acct.Location()
	to, err := queryDate("to", q.To, billbridge.Today(h.Clock.Now(), loc))
	if err != nil {
		return err
	}
	y, _, _ := to.Date()
	from, err := queryDate("from", q.From, billbridge.Date{Time: time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		return err
	}
	if to.Before(from) {
		return billbridge.Invalid("to", "must not be before from ("+from.String()+")")
	}
	if q.GroupBy == "" {
		q.GroupBy = billbridge.GroupMonth
	}
	if n := len(billbridge.SummaryPeriods(from, to, q.GroupBy)); n > billbridge.MaxSummaryPeriods {
		return billbridge.Invalid("from", "the range makes "+strconv.Itoa(n)+" periods, at most 120: shorten it or group by quarter or year")
	}
	start, _ := billbridge.DayBounds(from, loc)
	_, end := billbridge.DayBounds(to, loc)
	facts, err := h.Store.SummaryFacts(ctx, acct.ID, from, to, start, end)
	if err != nil {
		return err
	}
	rep := billbridge.SummaryOf(from, to, q.GroupBy, loc, facts)
	if wantsCSV(c) {
		return csvReport(c, h, "summary", billbridge.SummaryColumns, rep.Rows(), func(r *billbridge.SummaryRow) string { return r.Period + r.Currency })
	}
	return web.JSON(c, http.StatusOK, rep)
}

// queryDate reads the date query parameter name, def when empty.
func queryDate(name, s string, def billbridge.Date) (billbridge.Date, error) {
	if s == "" {
		return def, nil
	}
	d, err := billbridge.ParseDate(s)
	if err != nil || d.Before(billbridge.MinDate) || billbridge.MaxDate.Before(d) {
		return d, billbridge.Invalid(name, "must be a date written YYYY-MM-DD between 1900-01-01 and 2999-12-31")
	}
	return d, nil
}

// csvReport answers rows, a report already computed, as one CSV page.
func csvReport[T any](c *gin.Context, h *Handler, name string, cols []billbridge.Column[T], rows []T, id func(*T) string) error {
	return export(c, h, name, billbridge.SheetFormat{Format: billbridge.SheetCSV}, "", cols,
		func(context.Context, string) (billbridge.Page[T], error) { return billbridge.Page[T]{Data: rows}, nil }, id)
}

// CustomerReportQuery selects a page of the customers report.
type CustomerReportQuery struct {
	// overdue_desc (default): the largest overdue amount first; outstanding_desc: the largest outstanding amount first. Ties by customer id, then currency. Amounts of different currencies are compared as numbers: filter by currency to rank one.
	Sort string `form:"sort" json:"sort" binding:"omitempty,oneof=overdue_desc outstanding_desc" enums:"overdue_desc,outstanding_desc" example:"overdue_desc"`
	// Only this currency.
	Currency string `form:"currency" json:"currency" binding:"omitempty,oneof=CHF EUR" enums:"CHF,EUR" example:"CHF"`
	PageQuery
}

// GetCustomerReport answers the customers report.
//
//	@Summary		Customers report
//	@Description	What each customer owes today, one row per customer and currency (CHF and EUR never added): outstanding (amount_due of its unpaid invoices, reminder fees and interest included) and overdue (past the due date in the account's time zone) with counts, oldest_overdue_days, the highest reminder level sent on an unpaid invoice and the customer's Mahnsperre. Customers owing nothing are not listed. Sorted by sort, paged with next_cursor (pass it as starting_after). With Accept: text/csv every row in order as CSV (no paging). Reads only the unpaid invoices, over an index.
//	@Tags			Reports
//	@ID				getCustomerReport
//	@Produce		json
//	@Produce		text/csv
//	@Param		query	query	actions.CustomerReportQuery	false	"Order, currency and paging."
//	@Success		200	{object}	web.List[billbridge.CustomerReceivables]	"A page of the report."
//	@Failure		400	{object}	routes.Problem	"starting_after is not a next_cursor of this report (code cursor_invalid)."
//	@Failure		422	{object}	routes.Problem	"A query parameter failed validation, named in invalid_params (code validation_failed)."
//	@Router			/v1/reports/customers [get]
func (h *Handler) GetCustomerReport(c *gin.Context) error {
	var q CustomerReportQuery
	if err := web.BindQuery(c, &q); err != nil {
		return err
	}
	ctx, acct := c.Request.Context(), web.Account(c)
	if q.Sort == "" {
		q.Sort = billbridge.SortOverdueDesc
	}
	f := billbridge.CustomerReportFilter{Today: billbridge.Today(h.Clock.Now(), acct.Location()), Currency: q.Currency, Sort: q.Sort, Limit: q.page().Limit}
	page := func(ctx context.Context, after string) (billbridge.Page[billbridge.CustomerReceivables], error) {
		f.After = nil
		if after != "" {
			cur, err := billbridge.ParseCustomerReportCursor(after)
			if err != nil {
				return billbridge.Page[billbridge.CustomerReceivables]{}, err
			}
			f.After = cur
		}
		return h.Store.CustomerReceivables(ctx, acct.ID, f)
	}
	cursor := func(r billbridge.CustomerReceivables) string { return r.Cursor(q.Sort) }
	if wantsCSV(c) {
		f.Limit = 100
		return export(c, h, "customers-report", billbridge.SheetFormat{Format: billbridge.SheetCSV}, "", billbridge.CustomerReceivablesColumns,
			page, func(r *billbridge.CustomerReceivables) string { return cursor(*r) })
	}
	p, err := page(ctx, q.StartingAfter)
	if err != nil {
		return err
	}
	return web.JSON(c, http.StatusOK, web.NewList(p, cursor))
}
