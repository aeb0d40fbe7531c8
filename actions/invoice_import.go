package actions

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"billbridge"
	"billbridge/internal/web"

	"github.com/gin-gonic/gin"
)

// ImportInvoices creates invoices, as drafts or finalized, with the payments
// already received, from a CSV or XLSX file.
//
//	@Summary		Import invoices from CSV or XLSX
//	@Description	Creates invoices from a CSV file or the first worksheet of an XLSX workbook (sent like the customer import: the body as text/csv or the XLSX media type, or the field file of a multipart form), e.g. when moving from another tool. One row is one line of an invoice (description, quantity default 1, unit_price, vat_rate default 0); rows with the same external_id, or without one the same number, are the lines of one invoice, and its other cells (customer, number, status, currency default CHF, issue_date, due_in_days, reference, notes, amount_paid, paid_at) must agree between them. The customer is named by customer_id, customer_external_id or customer_number (a merged customer's keys reach its survivor). status says what to create: draft (or empty), open (finalized: numbered, dated, due; offen, ouverte, overdue… also count) or paid (finalized and paid in full). A finalized invoice keeps its original number when the file has one (not an INV-… number, those are billbridge's own) and its issue_date, which may lie in the past (never in the future), so it is overdue, reminded and reported like any other. amount_paid (with paid_at, the day the money arrived) records a payment already received; status paid without amount_paid pays the whole total. An invoice whose external_id or number is already in the account is matched and left as it is, so importing a file again creates nothing new. Headers may be the field names or German, French and English labels (Kundennummer, Rechnungsnummer, Rechnungsdatum / Date de facture, Beschreibung / Libellé, Menge / Quantité, Preis / Prix unitaire, MWST-Satz / Taux TVA, Bezahlt / Payé, Bezahlt am / Payé le…); other columns, such as the export's totals, are ignored and listed. Amounts may be written 1234.50, 1'234.50 or 1234,50; dates 2026-12-01 or 1.12.2026. Every row of an invoice shares its result and id; when one row is invalid the whole invoice is, its other rows naming the row at fault. Dry run, atomic, the Idempotency-Key and the limits are the customer import's.
//	@Tags			Imports
//	@ID				importInvoices
//	@Accept			text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,multipart/form-data
//	@Produce		json
//	@Param			query	query		actions.ImportQuery	false	"Dry run and atomicity."
//	@Param			body	body		string				true	"The CSV or XLSX file as the body, or a multipart form with the file in the field file."
//	@Success		200		{object}	actions.ImportResult	"What the import did (or would do) with every row."
//	@Failure		400		{object}	routes.Problem		"The file is not valid CSV (the problem names the line) or not a readable XLSX workbook (code malformed_request)."
//	@Failure		413		{object}	routes.Problem		"The file is over 16 MiB or 50,000 rows (code request_too_large)."
//	@Failure		422		{object}	routes.Problem		"Not a CSV or XLSX body, no column holds the unit price or the customer, or (atomic=true) invalid rows, named rows[N].field in invalid_params (code validation_failed)."
//	@Router			/v1/imports/invoices [post]
func (h *Handler) ImportInvoices(c *gin.Context) error {
	return h.runImport(c, func(t *billbridge.Table) (importer, []string, error) {
		groups, ignored, err := invoiceGroups(t)
		if err != nil {
			return nil, nil, err
		}
		acct := web.Account(c)
		return func(ctx context.Context, tx billbridge.Tx, res *ImportResult) error {
			later := ratings{}
			for _, g := range groups {
				rows, err := h.importInvoice(ctx, tx, acct, g, later)
				if err != nil {
					return err
				}
				for _, r := range rows {
					res.add(r)
				}
			}
			return later.refresh(ctx, tx, acct, h.Clock.Now())
		}, ignored, nil
	})
}

// invoiceGroup is one invoice of an import: the rows holding its lines,
// read into the input of create invoice, or the fields each row breaks.
type invoiceGroup struct {
	rows     []int // the file's row numbers, in order
	in       InvoiceInput
	customer struct{ key, value string } // "id", external_id or customer_number
	number   string
	status   string
	paid     *billbridge.Money
	paidAt   *billbridge.Date
	invalid  map[int][]billbridge.FieldError // by row number
	header   map[string]string               // field → the file's header
}

// invoiceGroups reads the table's rows into invoices, in the order of
// their first rows. Blank rows are left out. The header must hold the unit
// price and a customer column and no field twice (422 naming header).
func invoiceGroups(t *billbridge.Table) ([]*invoiceGroup, []string, error) {
	fields, seen, ignored, err := headerFields(t.Header, billbridge.InvoiceImportField)
	if err != nil {
		return nil, nil, err
	}
	if seen["unit_price"] == "" {
		return nil, nil, billbridge.Invalid("header", "no column holds the unit price (unit_price, Preis, Einzelpreis, Prix unitaire…)")
	}
	if seen["customer_id"]+seen["customer_external_id"]+seen["customer_number"] == "" {
		return nil, nil, billbridge.Invalid("header", "no column names the customer (customer_id, customer_external_id, customer_number, Kundennummer…)")
	}
	var groups []*invoiceGroup
	byKey := map[string]*invoiceGroup{}
	first := map[*invoiceGroup]map[string]string{}
	for i, cells := range t.Rows {
		if blank(cells) {
			continue
		}
		row := t.RowNumbers[i]
		v, bad := rowValues(fields, cells)
		key := "row:" + strconv.Itoa(row)
		if v["external_id"] != "" {
			key = "external_id:" + v["external_id"]
		} else if v["number"] != "" {
			key = "number:" + v["number"]
		}
		g := byKey[key]
		if g == nil {
			g = &invoiceGroup{invalid: map[int][]billbridge.FieldError{}}
			byKey[key], first[g] = g, v
			groups = append(groups, g)
			g.readInvoice(row, v)
		} else {
			for _, f := range billbridge.InvoiceImportInvoiceFields {
				if v[f] != "" && v[f] != first[g][f] {
					g.invalid[row] = append(g.invalid[row], billbridge.FieldError{Name: f,
						Reason: "differs from row " + strconv.Itoa(g.rows[0]) + " of the same invoice"})
				}
			}
		}
		g.rows = append(g.rows, row)
		g.invalid[row] = append(g.invalid[row], bad...)
		g.readLine(row, v)
	}
	for _, g := range groups {
		g.validate(seen)
	}
	return groups, ignored, nil
}

// readInvoice reads the invoice's own cells from its first row.
func (g *invoiceGroup) readInvoice(row int, v map[string]string) {
	bad := func(field, reason string) {
		g.invalid[row] = append(g.invalid[row], billbridge.FieldError{Name: field, Reason: reason})
	}
	for _, k := range []string{"customer_id", "customer_external_id", "customer_number"} {
		if v[k] != "" {
			g.customer.key, g.customer.value = k, v[k]
			break
		}
	}
	if g.customer.key == "" {
		bad("customer_id", "is required: name the customer by customer_id, customer_external_id or customer_number")
	}
	in := &g.in
	in.ExternalID, in.Reference, in.Notes = v["external_id"], v["reference"], v["notes"]
	in.Currency = strings.ToUpper(strings.TrimSpace(v["currency"])) // a file may say "chf"; the API takes the ISO code only
	if in.Currency == "" {
		in.Currency = "CHF"
	}
	g.number = v["number"]
	var ok bool
	if g.status, ok = billbridge.ImportInvoiceStatus(v["status"]); !ok {
		bad("status", "must be draft, open or paid (Entwurf, offen, bezahlt; brouillon, ouverte, payée); cancelled invoices are not imported")
	}
	if g.number != "" {
		if err := billbridge.CheckImportedNumber(g.number); err != nil {
			g.invalid[row] = append(g.invalid[row], fieldErrors(err)...)
		} else if g.status == billbridge.ImportDraft {
			bad("number", "a draft has no number yet: set status to open or paid to keep the original number, or leave it out")
		}
	}
	if s := v["issue_date"]; s != "" {
		if d, err := billbridge.ImportDate(s); err != nil {
			bad("issue_date", "must be a date such as 2026-12-01 or 1.12.2026")
		} else {
			in.IssueDate = &d
		}
	}
	if s := v["due_in_days"]; s != "" {
		if n, err := strconv.Atoi(s); err != nil {
			bad("due_in_days", "must be a whole number of days")
		} else {
			in.DueInDays = &n
		}
	}
	if s := v["amount_paid"]; s != "" {
		if n, err := billbridge.ImportDecimal(s, 2); err != nil {
			bad("amount_paid", err.Error())
		} else if m := billbridge.Money(n); m > 0 {
			g.paid = &m
		} else if m < 0 {
			bad("amount_paid", "must not be negative")
		}
	}
	if s := v["paid_at"]; s != "" {
		if d, err := billbridge.ImportDate(s); err != nil {
			bad("paid_at", "must be a date such as 2026-12-01 or 1.12.2026")
		} else {
			g.paidAt = &d
		}
	}
	switch {
	case g.status == billbridge.ImportDraft && g.paid != nil:
		bad("amount_paid", "a draft has no payments: set status to open or paid")
	case (g.paid != nil || g.status == billbridge.ImportPaid) && g.paidAt == nil:
		bad("paid_at", "is required with amount_paid or status paid: the day the money arrived")
	}
}

// readLine reads one line of the invoice from a row.
func (g *invoiceGroup) readLine(row int, v map[string]string) {
	line := LineItemInput{Description: v["description"]}
	for _, f := range []struct {
		name, def string
		scale     int
		set       func(int64)
	}{
		{"quantity", "1", 3, func(n int64) { line.Quantity = billbridge.Quantity(n) }},
		{"unit_price", "", 2, func(n int64) { line.UnitPrice = billbridge.Money(n) }},
		{"vat_rate", "0", 2, func(n int64) { line.VATRate = billbridge.VATRate(n) }},
	} {
		s := v[f.name]
		if s == "" {
			s = f.def
		}
		if s == "" {
			g.invalid[row] = append(g.invalid[row], billbridge.FieldError{Name: f.name, Reason: "is required"})
			continue
		}
		n, err := billbridge.ImportDecimal(s, f.scale)
		if err != nil {
			g.invalid[row] = append(g.invalid[row], billbridge.FieldError{Name: f.name, Reason: err.Error()})
			continue
		}
		f.set(n)
	}
	g.in.Items = append(g.in.Items, line)
}

// validate checks the invoice as create invoice would and files each
// refused field under its row: items[i].x under the row of line i.
func (g *invoiceGroup) validate(header map[string]string) {
	g.in.CustomerID = "-" // resolved in the transaction; required by the binding
	g.in.Normalize()
	g.header = header
	var e *billbridge.Error
	if errors.As(web.Validate(&g.in), &e) {
		g.file(e.Fields)
	}
	for row, fs := range g.invalid {
		if len(fs) == 0 {
			delete(g.invalid, row)
		}
	}
}

// file adds refused fields to their rows, naming their columns: a line's
// field (items[i].x) under the row of line i, the invoice's under its
// first row.
func (g *invoiceGroup) file(fields []billbridge.FieldError) {
	for _, f := range fields {
		row := g.rows[0]
		if rest, ok := strings.CutPrefix(f.Name, "items["); ok {
			if end := strings.Index(rest, "]."); end > 0 {
				if i, err := strconv.Atoi(rest[:end]); err == nil && i < len(g.rows) {
					row, f.Name = g.rows[i], rest[end+2:]
				}
			}
		}
		g.invalid[row] = append(g.invalid[row], f)
	}
	for row, fs := range g.invalid {
		for i := range fs {
			if h := g.header[fs[i].Name]; h != "" && h != fs[i].Name && !strings.HasSuffix(fs[i].Reason, `")`) {
				fs[i].Reason += ` (column "` + h + `")`
			}
		}
		g.invalid[row] = fs
	}
}

// matchedByNumber is how an import matched an invoice already in the
// account by its number.
const matchedByNumber = "number"

// importInvoice applies one invoice inside the import's transaction and
// answers one result per row. An invoice the rules refuse is invalid in
// every row, and nothing of it is written; any other error ends the import.
func (h *Handler) importInvoice(ctx context.Context, tx billbridge.Tx, acct *billbridge.Account, g *invoiceGroup, later ratings) ([]ImportRow, error) {
	if len(g.invalid) == 0 {
		existing, by, err := h.existingInvoice(ctx, tx, acct.ID, g)
		if err != nil {
			return nil, err
		}
		if existing != nil {
			return g.results(ImportRow{Result: billbridge.ImportMatched, ID: existing.ID, MatchedBy: &by}), nil
		}
		plan, err := h.checkImported(ctx, tx, acct, g)
		if billbridge.ErrorCode(err) == billbridge.EINVALID {
			g.file(fieldErrors(err))
		} else if err != nil {
			return nil, err
		} else {
			inv, err := h.writeImported(ctx, tx, acct, g, plan, later)
			if err != nil {
				return nil, err
			}
			return g.results(ImportRow{Result: billbridge.ImportCreated, ID: inv.ID}), nil
		}
	}
	out := make([]ImportRow, len(g.rows))
	var faulty int
	for _, row := range g.rows {
		if len(g.invalid[row]) > 0 {
			faulty = row
			break
		}
	}
	for i, row := range g.rows {
		out[i] = ImportRow{Row: row, Result: billbridge.ImportInvalid, InvalidParams: g.invalid[row]}
		if len(out[i].InvalidParams) == 0 {
			out[i].InvalidParams = []billbridge.FieldError{{Name: "row", Reason: "is a line of the invoice of row " + strconv.Itoa(faulty) + ", which is invalid"}}
		}
	}
	return out, nil
}

// results is r for every row of the invoice.
func (g *invoiceGroup) results(r ImportRow) []ImportRow {
	out := make([]ImportRow, len(g.rows))
	for i, row := range g.rows {
		out[i] = r
		out[i].Row = row
	}
	return out
}

// existingInvoice is the account's invoice with the group's external_id,
// or else its number; nil when there is none.
func (h *Handler) existingInvoice(ctx context.Context, tx billbridge.Tx, accountID string, g *invoiceGroup) (*billbridge.Invoice, string, error) {
	if g.in.ExternalID != "" {
		inv, err := tx.FindInvoiceByExternalID(ctx, accountID, g.in.ExternalID)
		if billbridge.ErrorCode(err) != billbridge.ENOTFOUND {
			return inv, billbridge.MatchedByExternalID, err
		}
	}
	if g.number != "" {
		page, err := tx.FindInvoices(ctx, accountID, billbridge.InvoiceFilter{Number: g.number, PageParams: billbridge.PageParams{Limit: 1}})
		if err != nil {
			return nil, "", err
		}
		if len(page.Data) > 0 {
			return &page.Data[0], matchedByNumber, nil
		}
	}
	return nil, "", nil
}

// importPlan is what checkImported found: the customer and the payment to record.
type importPlan struct {
	customer *billbridge.Customer
	payment  billbridge.Money // 0: none
}

// checkImported makes every refusal of the group's invoice (EINVALID
// naming the field) before anything is written, so an invalid invoice
// leaves nothing behind: the customer, the dates, the totals, the payment
// and the payment reference its original number gives.
func (h *Handler) checkImported(ctx context.Context, tx billbridge.Tx, acct *billbridge.Account, g *invoiceGroup) (*importPlan, error) {
	cust, err := h.importCustomerOf(ctx, tx, acct.ID, g)
	if err != nil {
		return nil, err
	}
	now, loc := h.Clock.Now(), acct.Location()
	if g.in.IssueDate != nil {
		if err := billbridge.CheckIssueDate(*g.in.IssueDate, now, loc); err != nil {
			return nil, err
		}
	}
	probe := billbridge.Invoice{Items: g.in.items(), Currency: g.in.Currency, Number: g.number}
	if err := probe.ComputeTotals(); err != nil {
		return nil, err
	}
	if g.status == billbridge.ImportDraft {
		return &importPlan{customer: cust}, nil
	}
	if probe.Total <= 0 {
		return nil, billbridge.Invalid("unit_price", "an invoice with a total of zero cannot be finalized: import it as a draft")
	}
	if g.number != "" {
		qr, err := qrBillSettings(ctx, tx, acct.ID)
		if err != nil {
			return nil, err
		}
		if !qr.UsesSequence(probe.Currency) {
			if err := probe.AssignPaymentReference(qr, 0); err != nil {
				return nil, billbridge.Invalid("number", "gives no payment reference: "+err.Error())
			}
		}
	}
	plan := &importPlan{customer: cust}
	switch {
	case g.paid != nil && *g.paid > probe.Total:
		return nil, billbridge.Invalid("amount_paid", "exceeds the invoice's total of "+probe.Total.String())
	case g.paid != nil:
		plan.payment = *g.paid
	case g.status == billbridge.ImportPaid:
		plan.payment = probe.Total
	}
	if plan.payment > 0 {
		if g.paidAt.Time.After(billbridge.Today(now, loc).Time) {
			return nil, billbridge.Invalid("paid_at", "must not be in the future")
		}
		if g.in.IssueDate != nil && g.paidAt.Before(*g.in.IssueDate) {
			return nil, billbridge.Invalid("paid_at", "is before the issue date "+g.in.IssueDate.String())
		}
	}
	return plan, nil
}

// writeImported creates the group's invoice as checkImported planned it,
// finalizes it under its original number when the file says so, and
// records the payment already received, with the events each step emits.
func (h *Handler) writeImported(ctx context.Context, tx billbridge.Tx, acct *billbridge.Account, g *invoiceGroup, plan *importPlan, later ratings) (*billbridge.Invoice, error) {
	in := g.in
	in.CustomerID = plan.customer.ID
	inv, _, err := h.createInvoice(ctx, tx, acct, plan.customer, &in)
	if err != nil || g.status == billbridge.ImportDraft {
		return inv, err
	}
	if err := h.finalizeAs(ctx, tx, acct, inv, g.number); err != nil {
		return nil, err
	}
	if plan.payment == 0 {
		return inv, nil
	}
	p := &billbridge.Payment{
		ID: billbridge.NewID(billbridge.PrefixPayment), AccountID: acct.ID, InvoiceID: inv.ID, CustomerID: inv.CustomerID,
		Amount: plan.payment, Currency: inv.Currency, PaidAt: *g.paidAt, Method: "bank_transfer", CreatedAt: h.Clock.Now(),
	}
	return inv, h.countPayment(ctx, tx, acct, inv, p, later)
}

// importCustomerOf locks the customer the group names; EINVALID naming the
// column when there is none.
func (h *Handler) importCustomerOf(ctx context.Context, tx billbridge.Tx, accountID string, g *invoiceGroup) (*billbridge.Customer, error) {
	id := g.customer.value
	if g.customer.key != "customer_id" {
		key := billbridge.MatchedByCustomerNumber
		if g.customer.key == "customer_external_id" {
			key = billbridge.MatchedByExternalID
		}
		found, _, err := tx.FindCustomerByKeyOrAlias(ctx, accountID, key, g.customer.value)
		if billbridge.ErrorCode(err) == billbridge.ENOTFOUND {
			return nil, billbridge.Invalid(g.customer.key, "no customer has "+key+" "+strconv.Quote(g.customer.value))
		} else if err != nil {
			return nil, err
		}
		id = found.ID
	}
	cust, err := tx.LockCustomer(ctx, accountID, id)
	if billbridge.ErrorCode(err) == billbridge.ENOTFOUND {
		return nil, billbridge.Invalid("customer_id", "no such customer")
	}
	return cust, err
}

// fieldErrors are the fields an EINVALID error names, or one "row" entry
// with its message.
func fieldErrors(err error) []billbridge.FieldError {
	var e *billbridge.Error
	if errors.As(err, &e) && len(e.Fields) > 0 {
		return e.Fields
	}
	return []billbridge.FieldError{{Name: "row", Reason: err.Error()}}
}
