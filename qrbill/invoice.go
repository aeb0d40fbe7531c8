package qrbill

import (
	"context"
	"fmt"
	"io"

	"billbridge"
)

// A4 invoice geometry, in millimetres. The address sits where a Swiss
// window envelope (C5, window on the right) shows it; the QR-bill takes the
// bottom 105 mm of the last page.
const (
	pageWidth    = 210.0
	pageHeight   = 297.0
	left         = 20.0
	right        = 190.0
	top          = 20.0
	addressX     = 118.0
	addressY     = 48.0
	titleY       = 78.0
	contentLimit = pageHeight - 20         // where text stops on a page without slip
	slipTop      = pageHeight - slipHeight // 192
	slipLimit    = slipTop - 6             // where text stops above the slip
	bodySize     = 9.0
	rowHeight    = 4.2
	descWidth    = 86.0
	colQuantity  = left + 106
	colPrice     = left + 131
	colVAT       = left + 147
)

// RenderInvoice writes the A4 PDF of an invoice in d.Language: creditor,
// customer address, number and dates, the lines, VAT per rate, totals, and
// the QR-bill (when something is left to pay) at the bottom of the last
// page, on a page of its own when the lines leave no room.
func (Renderer) RenderInvoice(ctx context.Context, w io.Writer, d *billbridge.InvoiceDocument) error {
	var s *slip
	if d.Bill != nil {
		var err error
		if s, err = newSlip(d.Bill, d.Language); err != nil {
			return err
		}
	}
	t := textsFor(d.Language)
	// A first pass on a canvas that draws nothing counts the pages, so
	// that each can say "page n of m".
	count := &invoiceLayout{p: &nopCanvas{}, t: t, d: d, slip: s}
	count.draw()
	p := newPDF(t.Invoice+" "+d.Invoice.Number, d.Language, d.Created)
	l := &invoiceLayout{p: p, t: t, d: d, slip: s, total: count.pages}
	l.draw()
	return p.output(w)
}

// pageCanvas is a canvas with pages.
type pageCanvas interface {
	canvas
	addPage(w, h float64)
}

// nopCanvas draws nothing: the layout's counting pass.
type nopCanvas struct{}

func (nopCanvas) text(x, y, size float64, bold bool, s string) {}
func (nopCanvas) rect(x, y, w, h float64, white bool)          {}
func (nopCanvas) line(x1, y1, x2, y2, width float64)           {}
func (nopCanvas) addPage(w, h float64)                         {}

// invoiceLayout draws an invoice from top to bottom, starting new pages
// when the text reaches the bottom.
type invoiceLayout struct {
	p     pageCanvas
	t     *texts
	d     *billbridge.InvoiceDocument
	slip  *slip // nil when nothing is left to pay
	y     float64
	pages int // pages begun so far
	total int // pages in all, 0 while counting
}

func (l *invoiceLayout) draw() {
	l.page()
	l.header()
	l.lines()
	l.totals()
	l.closing()
	if l.slip != nil {
		if l.y > slipLimit {
			l.page()
		}
		t := l.t.SeparateBeforePaying
		l.p.text(pageWidth/2-textWidth(t, 7, false)/2, slipTop-1.5, 7, false, t)
		l.p.line(0, slipTop, pageWidth, slipTop, separatorWidth)
		l.slip.draw(l.p, 0, slipTop)
	}
}

// page begins a page, numbered "page n of m" at its foot (above the slip
// on the last page) when the invoice has several.
func (l *invoiceLayout) page() {
	l.p.addPage(pageWidth, pageHeight)
	l.pages++
	l.y = top
	if l.total > 1 {
		y := pageHeight - 10.0
		if l.pages == l.total && l.slip != nil {
			y = slipTop - 4
		}
		l.textRight(right, y, 7, false, fmt.Sprintf(l.t.Page, l.pages, l.total))
	}
}

// room starts a new page unless h millimetres fit below y.
func (l *invoiceLayout) room(h float64) bool {
	if l.y+h <= contentLimit {
		return false
	}
	l.page()
	return true
}

func (l *invoiceLayout) textRight(x, y, size float64, bold bool, s string) {
	l.p.text(x-textWidth(s, size, bold), y, size, bold, s)
}

func (l *invoiceLayout) header() {
	d, t, p := l.d, l.t, l.p
	y := top + ascender(11, true)
	p.text(left, y, 11, true, d.Creditor.Name)
	y += 5
	for _, line := range addressLines(d.Creditor, d.Creditor.Country != "CH")[1:] {
		p.text(left, y, bodySize, false, line)
		y += rowHeight
	}
	if d.VATNumber != "" {
		p.text(left, y, bodySize, false, t.VATNumber+" "+d.VATNumber)
	}

	y = addressY + ascender(10, false)
	for _, line := range customerLines(d.Customer) {
		p.text(addressX, y, 10, false, line)
		y += 4.6
	}

	inv := d.Invoice
	p.text(left, titleY, 15, true, t.Invoice+" "+inv.Number)
	y = titleY + 8
	rows := [][2]string{{t.IssueDate, formatDate(inv.IssueDate, d.Language)}, {t.DueDate, formatDate(inv.DueDate, d.Language)}}
	if d.Customer != nil && d.Customer.CustomerNumber != "" {
		rows = append(rows, [2]string{t.CustomerNumber, d.Customer.CustomerNumber})
	}
	if inv.Reference != "" {
		rows = append(rows, [2]string{t.YourReference, inv.Reference})
	}
	for _, r := range rows {
		p.text(left, y, bodySize, false, r[0])
		p.text(left+40, y, bodySize, false, r[1])
		y += rowHeight
	}
	if inv.Status == billbridge.StatusCancelled {
		y += 2
		p.text(left, y, 11, true, t.Cancelled)
		y += rowHeight
	}
	l.y = y + 4
}

// customerLines is the customer's postal address as the window shows it.
func customerLines(c *billbridge.Customer) []string {
	if c == nil {
		return nil
	}
	lines := []string{c.Name}
	if c.ContactPerson != "" && c.Kind == billbridge.KindCompany {
		lines = append(lines, c.ContactPerson)
	}
	if c.Address != nil {
		lines = append(lines, addressLines(billbridge.Party{Name: c.Name, Address: *c.Address}, c.Address.Country != "" && c.Address.Country != "CH")[1:]...)
	}
	return lines
}

func (l *invoiceLayout) tableHeader() {
	t, p := l.t, l.p
	y := l.y + ascender(bodySize, true)
	p.text(left, y, bodySize, true, t.Description)
	l.textRight(colQuantity, y, bodySize, true, t.Quantity)
	l.textRight(colPrice, y, bodySize, true, t.UnitPrice)
	l.textRight(colVAT, y, bodySize, true, t.VAT+" %")
	l.textRight(right, y, bodySize, true, t.LineAmount+" "+l.d.Invoice.Currency)
	p.line(left, y+1.6, right, y+1.6, 0.2)
	l.y = y + 1.6 + 1
}

func (l *invoiceLayout) lines() {
	l.tableHeader()
	for _, it := range l.d.Invoice.Items {
		desc := wrapText(it.Description, descWidth, bodySize, false)
		if l.room(float64(len(desc))*rowHeight + 2) {
			l.tableHeader()
		}
		y := l.y + ascender(bodySize, false) + 0.8
		l.textRight(colQuantity, y, bodySize, false, it.Quantity.String())
		l.textRight(colPrice, y, bodySize, false, billbridge.FormatQRAmount(it.UnitPrice))
		l.textRight(colVAT, y, bodySize, false, it.VATRate.String())
		l.textRight(right, y, bodySize, false, billbridge.FormatQRAmount(it.Amount))
		for _, line := range desc {
			l.p.text(left, y, bodySize, false, line)
			y += rowHeight
		}
		l.y = y - ascender(bodySize, false)
	}
	l.p.line(left, l.y+1, right, l.y+1, 0.2)
	l.y += 2
}

func (l *invoiceLayout) totals() {
	inv, t := l.d.Invoice, l.t
	type row struct {
		label, value string
		bold         bool
	}
	rows := []row{{t.Subtotal, billbridge.FormatQRAmount(inv.Subtotal), false}}
	for _, v := range inv.VATBreakdown {
		rows = append(rows, row{fmt.Sprintf(t.VATAt, v.Rate, billbridge.FormatQRAmount(v.Net)), billbridge.FormatQRAmount(v.VAT), false})
	}
	rows = append(rows, row{t.Total + " " + inv.Currency, billbridge.FormatQRAmount(inv.Total), true})
	if inv.AmountPaid > 0 {
		rows = append(rows, row{t.Paid, "-" + billbridge.FormatQRAmount(inv.AmountPaid), false},
			row{t.AmountDue + " " + inv.Currency, billbridge.FormatQRAmount(inv.AmountDueNow()), true})
	}
	l.room(float64(len(rows))*rowHeight + 4)
	y := l.y + ascender(bodySize, false) + 2
	for _, r := range rows {
		l.p.text(left+84, y, bodySize, r.bold, r.label)
		l.textRight(right, y, bodySize, r.bold, r.value)
		y += rowHeight
	}
	l.y = y
}

func (l *invoiceLayout) closing() {
	inv, t := l.d.Invoice, l.t
	var paras []string
	switch {
	case inv.Status == billbridge.StatusPaid:
		paras = append(paras, t.Paid0)
	case inv.Status != billbridge.StatusCancelled && inv.DueInDays > 0:
		paras = append(paras, fmt.Sprintf(t.PayableWithin, inv.DueInDays))
	}
	if inv.Notes != "" {
		paras = append(paras, inv.Notes)
	}
	l.y += 3
	for _, para := range paras {
		for _, line := range wrapText(para, right-left, bodySize, false) {
			l.room(rowHeight)
			l.p.text(left, l.y+ascender(bodySize, false), bodySize, false, line)
			l.y += rowHeight
		}
		l.y += 1.5
	}
}

// formatDate writes a date as the language does: 03.12.2026, or
// 3 December 2026 in English.
func formatDate(d *billbridge.Date, lang string) string {
	if d == nil {
		return ""
	}
	if lang == "en" {
		return d.Format("2 January 2006")
	}
	return d.Format("02.01.2006")
}
