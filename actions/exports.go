package actions

import (
	"context"
	"net/http"
	"time"

	"billbridge"
	"billbridge/internal/web"

	"github.com/gin-gonic/gin"
)

// exportPageSize is how many rows an export reads from the store at once;
// an export holds one page in memory, whatever the table's size.
const exportPageSize = 500

// SheetQuery chooses what an export holds and the language of its header.
type SheetQuery struct {
	// Only rows changed at or after this instant (RFC 3339) or day (YYYY-MM-DD, from midnight in the account's time zone). Payments never change: for them it is when they were recorded.
	UpdatedSince string `form:"updated_since" json:"updated_since" binding:"max=40" example:"2026-11-01T00:00:00Z"`
	// The language of the header row: en (the field names, which an import reads back), de or fr.
	Lang string `form:"lang" json:"lang" binding:"omitempty,oneof=en de fr" enums:"en,de,fr" example:"de"`
}

// ExportQuery is the query of a CSV export: what it holds and how it is written.
type ExportQuery struct {
	SheetQuery
	// excel: UTF-8 with a byte order mark, ";" between cells and CRLF, as Swiss and German Excel open it. rfc4180 (default): UTF-8, "," and CRLF.
	Profile string `form:"profile" json:"profile" binding:"omitempty,oneof=rfc4180 excel" enums:"rfc4180,excel" example:"excel"`
}

// InvoiceStatusQuery filters an invoice export by status.
type InvoiceStatusQuery struct {
	// "unpaid" is open, partially paid and overdue together; "overdue" is derived from the due date in the account's time zone.
	Status string `form:"status" json:"status" binding:"omitempty,oneof=draft open partially_paid paid overdue cancelled unpaid" enums:"draft,open,partially_paid,paid,overdue,cancelled,unpaid"`
}

// InvoiceExportQuery is the query of the invoice CSV export.
type InvoiceExportQuery struct {
	InvoiceStatusQuery
	ExportQuery
}

// InvoiceXLSXQuery is the query of the invoice XLSX export.
type InvoiceXLSXQuery struct {
	InvoiceStatusQuery
	SheetQuery
}

// xlsxType is the media type of XLSX workbooks.
const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// since reads updated_since: an RFC 3339 instant, or a day from midnight in loc.
func (q SheetQuery) since(loc *time.Location) (time.Time, error) {
	if q.UpdatedSince == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, q.UpdatedSince); err == nil {
		return t, nil
	}
	if d, err := time.ParseInLocation(billbridge.DateLayout, q.UpdatedSince, loc); err == nil {
		return d, nil
	}
	return time.Time{}, billbridge.Invalid("updated_since", "must be an RFC 3339 time (2026-11-01T00:00:00Z) or a date (2026-11-01)")
}

func (q ExportQuery) format() billbridge.SheetFormat {
	f := billbridge.SheetFormat{Format: billbridge.SheetCSV}
	if q.Profile == billbridge.ProfileExcel {
		f.Profile = billbridge.ProfileExcel
	}
	return f
}

var xlsxFormat = billbridge.SheetFormat{Format: billbridge.SheetXLSX}

// ExportCustomersCSV streams the account's customers as CSV.
//
//	@Summary		Export customers as CSV
//	@Description	Every customer of the account (or those changed since updated_since), newest first, one row each, streamed page by page. profile=excel writes what Swiss and German Excel open directly (UTF-8 BOM, ";", CRLF); the default is RFC 4180. Amounts and dates are written 1234.50 and 2026-12-01 in every profile; a text cell starting with = + - @ TAB or CR gets a leading ' so no spreadsheet runs it as a formula. Headers: the field names (lang=en, read back by the import) or German or French labels.
//	@Tags			Exports
//	@ID				exportCustomersCSV
//	@Produce		text/csv
//	@Param			query	query	actions.ExportQuery	false	"Filter, profile and header language."
//	@Success		200		{file}	file				"The customers as CSV."
//	@Failure		422		{object}	routes.Problem	"A query parameter failed validation, named in invalid_params (code validation_failed)."
//	@Router			/v1/exports/customers.csv [get]
func (h *Handler) ExportCustomersCSV(c *gin.Context) error {
	var q ExportQuery
	if err := web.BindQuery(c, &q); err != nil {
		return err
	}
	return h.exportCustomers(c, q.SheetQuery, q.format())
}

// ExportCustomersXLSX streams the account's customers as an XLSX workbook.
//
//	@Summary		Export customers as XLSX
//	@Description	The customer export as an Excel workbook (one worksheet, header row first): text cells are text formatted "@" (postcodes and customer numbers keep their leading zeros; a cell starting with = + - @ is text, never a formula), numbers are numbers. Rows are read from the store page by page and the worksheet spills to a temporary file past 16 MiB, so memory stays bounded; the workbook is sent once complete. Filter and header languages as for the CSV export.
//	@Tags			Exports
//	@ID				exportCustomersXLSX
//	@Produce		application/vnd.openxmlformats-officedocument.spreadsheetml.sheet
//	@Param			query	query	actions.SheetQuery	false	"Filter and header language."
//	@Success		200		{file}	file				"The customers as an XLSX workbook."
//	@Failure		422		{object}	routes.Problem	"A query parameter failed validation, named in invalid_params (code validation_failed)."
//	@Router			/v1/exports/customers.xlsx [get]
func (h *Handler) ExportCustomersXLSX(c *gin.Context) error {
	var q SheetQuery
	if err := web.BindQuery(c, &q); err != nil {
		return err
	}
	return h.exportCustomers(c, q, xlsxFormat)
}

func (h *Handler) exportCustomers(c *gin.Context, q SheetQuery, f billbridge.SheetFormat) error {
	acct := web.Account(c)
	since, err := q.since(acct.Location())
	if err != nil {
		return err
	}
	return export(c, h, "customers", f, q.Lang, billbridge.CustomerColumns,
		func(ctx context.Context, after string) (billbridge.Page[billbridge.Customer], error) {
			return h.Store.FindCustomers(ctx, acct.ID, billbridge.CustomerFilter{
				UpdatedSince: since, PageParams: billbridge.PageParams{Limit: exportPageSize, StartingAfter: after},
			})
		},
		func(c *billbridge.Customer) string { return c.ID })
}

// ExportInvoicesCSV streams the account's invoices as CSV.
//
//	@Summary		Export invoices as CSV
//	@Description	Every invoice of the account (filtered by status and updated_since), newest first, one row per invoice with its totals, streamed page by page. The status is the one clients see (overdue derived from the due date in the account's time zone). Profiles, number and date formats, formula neutralisation and header languages as for the customer export.
//	@Tags			Exports
//	@ID				exportInvoicesCSV
//	@Produce		text/csv
//	@Param			query	query	actions.InvoiceExportQuery	false	"Filters, profile and header language."
//	@Success		200		{file}	file						"The invoices as CSV."
//	@Failure		422		{object}	routes.Problem			"A query parameter failed validation, named in invalid_params (code validation_failed)."
//	@Router			/v1/exports/invoices.csv [get]
func (h *Handler) ExportInvoicesCSV(c *gin.Context) error {
	var q InvoiceExportQuery
	if err := web.BindQuery(c, &q); err != nil {
		return err
	}
	return h.exportInvoices(c, q.Status, q.SheetQuery, q.format())
}

// ExportInvoicesXLSX streams the account's invoices as an XLSX workbook.
//
//	@Summary		Export invoices as XLSX
//	@Description	The invoice export as an Excel workbook: amounts are numbers shown with two decimals, dates are dates (yyyy-mm-dd), text cells are text. Filters and header languages as for the CSV export; memory as for the customer workbook.
//	@Tags			Exports
//	@ID				exportInvoicesXLSX
//	@Produce		application/vnd.openxmlformats-officedocument.spreadsheetml.sheet
//	@Param			query	query	actions.InvoiceXLSXQuery	false	"Filters and header language."
//	@Success		200		{file}	file					"The invoices as an XLSX workbook."
//	@Failure		422		{object}	routes.Problem		"A query parameter failed validation, named in invalid_params (code validation_failed)."
//	@Router			/v1/exports/invoices.xlsx [get]
func (h *Handler) ExportInvoicesXLSX(c *gin.Context) error {
	var q InvoiceXLSXQuery
	if err := web.BindQuery(c, &q); err != nil {
		return err
	}
	return h.exportInvoices(c, q.Status, q.SheetQuery, xlsxFormat)
}

func (h *Handler) exportInvoices(c *gin.Context, status string, q SheetQuery, f billbridge.SheetFormat) error {
	acct := web.Account(c)
	since, err := q.since(acct.Location())
	if err != nil {
		return err
	}
	now, loc := h.Clock.Now(), acct.Location()
	return export(c, h, "invoices", f, q.Lang, billbridge.InvoiceColumns,
		func(ctx context.Context, after string) (billbridge.Page[billbridge.Invoice], error) {
			p, err := h.Store.FindInvoices(ctx, acct.ID, billbridge.InvoiceFilter{
				Status: status, Today: billbridge.Today(now, loc), UpdatedSince: since,
				PageParams: billbridge.PageParams{Limit: exportPageSize, StartingAfter: after},
			})
			for i := range p.Data {
				p.Data[i] = p.Data[i].WithDerivedStatus(now, loc)
			}
			return p, err
		},
		func(inv *billbridge.Invoice) string { return inv.ID })
}

// ExportPaymentsCSV streams the account's payments as CSV.
//
//	@Summary		Export payments as CSV
//	@Description	Every payment of the account (or those recorded since updated_since), newest first, streamed page by page. Profiles, number and date formats, formula neutralisation and header languages as for the customer export.
//	@Tags			Exports
//	@ID				exportPaymentsCSV
//	@Produce		text/csv
//	@Param			query	query	actions.ExportQuery	false	"Filter, profile and header language."
//	@Success		200		{file}	file				"The payments as CSV."
//	@Failure		422		{object}	routes.Problem	"A query parameter failed validation, named in invalid_params (code validation_failed)."
//	@Router			/v1/exports/payments.csv [get]
func (h *Handler) ExportPaymentsCSV(c *gin.Context) error {
	var q ExportQuery
	if err := web.BindQuery(c, &q); err != nil {
		return err
	}
	return h.exportPayments(c, q.SheetQuery, q.format())
}

// ExportPaymentsXLSX streams the account's payments as an XLSX workbook.
//
//	@Summary		Export payments as XLSX
//	@Description	The payment export as an Excel workbook: amounts are numbers, dates are dates, text cells are text. Filter and header languages as for the CSV export; memory as for the customer workbook.
//	@Tags			Exports
//	@ID				exportPaymentsXLSX
//	@Produce		application/vnd.openxmlformats-officedocument.spreadsheetml.sheet
//	@Param			query	query	actions.SheetQuery	false	"Filter and header language."
//	@Success		200		{file}	file				"The payments as an XLSX workbook."
//	@Failure		422		{object}	routes.Problem	"A query parameter failed validation, named in invalid_params (code validation_failed)."
//	@Router			/v1/exports/payments.xlsx [get]
func (h *Handler) ExportPaymentsXLSX(c *gin.Context) error {
	var q SheetQuery
	if err := web.BindQuery(c, &q); err != nil {
		return err
	}
	return h.exportPayments(c, q, xlsxFormat)
}

func (h *Handler) exportPayments(c *gin.Context, q SheetQuery, f billbridge.SheetFormat) error {
	acct := web.Account(c)
	since, err := q.since(acct.Location())
	if err != nil {
		return err
	}
	return export(c, h, "payments", f, q.Lang, billbridge.PaymentColumns,
		func(ctx context.Context, after string) (billbridge.Page[billbridge.Payment], error) {
			return h.Store.FindAccountPayments(ctx, acct.ID, billbridge.PaymentFilter{
				RecordedSince: since, PageParams: billbridge.PageParams{Limit: exportPageSize, StartingAfter: after},
			})
		},
		func(p *billbridge.Payment) string { return p.ID })
}

// export streams a table page by page. The first page is read before
// anything is sent, so a failing store still answers a problem; a failure
// after the first bytes aborts the connection, so a client never takes a
// cut-off file for a whole one.
func export[T any](c *gin.Context, h *Handler, name string, f billbridge.SheetFormat, lang string, cols []billbridge.Column[T],
	page func(ctx context.Context, after string) (billbridge.Page[T], error), id func(*T) string,
) error {
	ctx := c.Request.Context()
	p, err := page(ctx, "")
	if err != nil {
		return err
	}
	mediaType, ext := "text/csv; charset=utf-8", ".csv"
	if f.Format == billbridge.SheetXLSX {
		mediaType, ext = xlsxType, ".xlsx"
	}
	c.Header("Content-Type", mediaType)
	c.Header("Content-Disposition", `attachment; filename="`+name+"-"+billbridge.Today(h.Clock.Now(), web.Account(c).Location()).String()+ext+`"`)
	c.Status(http.StatusOK)
	w, err := h.Sheets.NewWriter(ctx, c.Writer, f, billbridge.Kinds(cols))
	if err != nil {
		return err
	}
	if lang == "" {
		lang = "en"
	}
	abort := func() { panic(http.ErrAbortHandler) }
	if err := w.WriteRow(billbridge.Headers(cols, lang)); err != nil {
		abort()
	}
	var cells []string
	for {
		for i := range p.Data {
			cells = billbridge.Cells(cols, &p.Data[i], cells)
			if err := w.WriteRow(cells); err != nil {
				abort()
			}
		}
		if err := w.Flush(); err != nil {
			abort()
		}
		c.Writer.Flush()
		if !p.HasMore || len(p.Data) == 0 {
			break
		}
		if p, err = page(ctx, id(&p.Data[len(p.Data)-1])); err != nil {
			abort()
		}
	}
	if err := w.Close(); err != nil {
		abort()
	}
	return nil
}
