package actions

import (
	"context"
	"net/http"
	"strings"

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
	start, end := billbridge.DayBounds(asOf, loc)
	rows, err := h.Store.AgingRows(ctx, acct.ID, asOf, start, end)
	if err != nil {
		return err
	}
	rep := billbridge.ReceivablesOf(asOf, rows)
	if wantsCSV(c) {
		lines := rep.Rows()
		return export(c, h, "receivables", billbridge.SheetFormat{Format: billbridge.SheetCSV}, "", billbridge.ReceivablesColumns,
			func(context.Context, string) (billbridge.Page[billbridge.ReceivablesRow], error) {
				return billbridge.Page[billbridge.ReceivablesRow]{Data: lines}, nil
			},
			func(r *billbridge.ReceivablesRow) string { return r.Currency + r.Bucket })
	}
	return web.JSON(c, http.StatusOK, rep)
}

// wantsCSV reports whether the request's Accept asks for text/csv.
func wantsCSV(c *gin.Context) bool {
	return strings.Contains(strings.ToLower(c.GetHeader("Accept")), "text/csv")
}
