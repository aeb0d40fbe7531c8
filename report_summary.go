package billbridge

import (
	"sort"
	"strconv"
	"strings"
	"time"
)

// Summary report: what was invoiced, received and cancelled per period and
// currency (CHF and EUR are never added). "Invoiced" counts every invoice
// finalized with an issue date in the period, those cancelled later too;
// "cancelled" is the total of the invoices cancelled in the period, by the
// day of the cancellation; "received" counts payments by their paid_at.
// Days in the account's time zone. A past period's figures never change:
// issue dates, payment dates and cancellation days are immutable.

// Summary groupings.
const (
	GroupMonth   = "month"
	GroupQuarter = "quarter"
	GroupYear    = "year"
)

// MaxSummaryPeriods bounds the periods of one summary (ten years of months).
const MaxSummaryPeriods = 120

// Period is one period of a summary, both days included.
type Period struct {
	Key  string
	From Date
	To   Date
}

// SummaryPeriods cuts from…to (both included) into calendar months,
// quarters or years, the first and last clipped to the range; keys
// "2026-11", "2026-Q4" and "2026". Nil when to is before from.
func SummaryPeriods(from, to Date, groupBy string) []Period {
	var out []Period
	for d := from; !to.Before(d); {
		y, m, _ := d.Date()
		var key string
		var next time.Time
		switch groupBy {
		case GroupYear:
			key, next = strconv.Itoa(y), time.Date(y+1, 1, 1, 0, 0, 0, 0, time.UTC)
		case GroupQuarter:
			q := (int(m)-1)/3 + 1
			key, next = strconv.Itoa(y)+"-Q"+strconv.Itoa(q), time.Date(y, time.Month(q*3+1), 1, 0, 0, 0, 0, time.UTC)
		default:
			key, next = d.Format("2006-01"), time.Date(y, m+1, 1, 0, 0, 0, 0, time.UTC)
		}
		end := Date{next}.AddDays(-1)
		if to.Before(end) {
			end = to
		}
		out = append(out, Period{Key: key, From: d, To: end})
		d = Date{next}
	}
	return out
}

// SummaryFacts is what the store sums for a summary, per currency and day
// (or instant, for cancellations): invoices issued, their VAT by rate,
// payments received and invoices cancelled.
type SummaryFacts struct {
	Invoiced  []InvoicedDay
	VAT       []VATDay
	Received  []ReceivedDay
	Cancelled []CancelledInvoice
}

// InvoicedDay sums the invoices of one currency issued on one day.
type InvoicedDay struct {
	Currency string
	Day      Date
	Net      Money
	VAT      Money
	Gross    Money
	Count    int
}

// VATDay sums the VAT of one rate on the invoices of one currency issued on one day.
type VATDay struct {
	Currency string
	Day      Date
	Rate     VATRate
	Net      Money
	VAT      Money
}

// ReceivedDay sums the payments of one currency paid on one day.
type ReceivedDay struct {
	Currency string
	Day      Date
	Amount   Money
	Count    int
}

// CancelledInvoice is one invoice cancelled in the range: its total and when.
type CancelledInvoice struct {
	Currency string
	At       time.Time
	Total    Money
}

// SummaryLine is the summary of one currency in one period (or the whole range).
type SummaryLine struct {
	Currency string `json:"currency" enums:"CHF,EUR" example:"CHF"`
	// Sum of the subtotals (before VAT) of the invoices finalized with an issue date in the period, those cancelled later included.
	InvoicedNet Money `json:"invoiced_net" swaggertype:"number" example:"10000.00"`
	// Their VAT per rate, lowest rate first.
	VATByRate []VATLine `json:"vat_by_rate"`
	// Their VAT added over all rates.
	VATTotal Money `json:"vat_total" swaggertype:"number" example:"810.00"`
	// Sum of their totals (net + VAT).
	InvoicedGross Money `json:"invoiced_gross" swaggertype:"number" example:"10810.00"`
	// How many invoices were issued.
	InvoicedCount int `json:"invoiced_count" example:"12"`
	// Payments with a paid_at in the period.
	Received      Money `json:"received" swaggertype:"number" example:"7500.00"`
	ReceivedCount int   `json:"received_count" example:"9"`
	// Totals of the invoices cancelled in the period (by the day of cancellation, whatever their issue date).
	Cancelled      Money `json:"cancelled" swaggertype:"number" example:"540.50"`
	CancelledCount int   `json:"cancelled_count" example:"1"`
}

// SummaryPeriod is one period of the summary.
type SummaryPeriod struct {
	// "2026-11" (month), "2026-Q4" (quarter) or "2026" (year).
	Period string `json:"period" example:"2026-11"`
	// The period's first and last day within the report's range.
	From Date `json:"from" swaggertype:"string" format:"date" example:"2026-11-01"`
	To   Date `json:"to" swaggertype:"string" format:"date" example:"2026-11-30"`
	// One line per currency with anything in the period, CHF before EUR; empty when nothing happened.
	Currencies []SummaryLine `json:"currencies"`
}

// Summary is the summary report.
type Summary struct {
	From    Date   `json:"from" swaggertype:"string" format:"date" example:"2026-01-01"`
	To      Date   `json:"to" swaggertype:"string" format:"date" example:"2026-12-02"`
	GroupBy string `json:"group_by" enums:"month,quarter,year" example:"month"`
	// Every period of the range in order, those without activity too.
	Periods []SummaryPeriod `json:"periods"`
	// The whole range per currency.
	Totals []SummaryLine `json:"totals"`
}

// SummaryOf folds the store's facts into the periods of from…to; loc is
// the account's time zone, in which a cancellation's day is counted.
func SummaryOf(from, to Date, groupBy string, loc *time.Location, f SummaryFacts) Summary {
	periods := SummaryPeriods(from, to, groupBy)
	lines := make([]map[string]*SummaryLine, len(periods))
	totals := map[string]*SummaryLine{}
	// at returns the lines of day's period and of the totals, nil outside the range.
	at := func(day Date, cur string) (*SummaryLine, *SummaryLine) {
		i := sort.Search(len(periods), func(i int) bool { return !periods[i].To.Before(day) })
		if i == len(periods) || day.Before(periods[i].From) {
			return nil, nil
		}
		return lineOf(&lines[i], cur), lineOf(&totals, cur)
	}
	for _, r := range f.Invoiced {
		p, t := at(r.Day, r.Currency)
		for _, l := range []*SummaryLine{p, t} {
			if l != nil {
				l.InvoicedNet, l.VATTotal, l.InvoicedGross, l.InvoicedCount = l.InvoicedNet+r.Net, l.VATTotal+r.VAT, l.InvoicedGross+r.Gross, l.InvoicedCount+r.Count
			}
		}
	}
	for _, r := range f.VAT {
		p, t := at(r.Day, r.Currency)
		for _, l := range []*SummaryLine{p, t} {
			if l != nil {
				l.VATByRate = addVAT(l.VATByRate, VATLine{Rate: r.Rate, Net: r.Net, VAT: r.VAT})
			}
		}
	}
	for _, r := range f.Received {
		p, t := at(r.Day, r.Currency)
		for _, l := range []*SummaryLine{p, t} {
			if l != nil {
				l.Received, l.ReceivedCount = l.Received+r.Amount, l.ReceivedCount+r.Count
			}
		}
	}
	for _, r := range f.Cancelled {
		p, t := at(Today(r.At, loc), r.Currency)
		for _, l := range []*SummaryLine{p, t} {
			if l != nil {
				l.Cancelled, l.CancelledCount = l.Cancelled+r.Total, l.CancelledCount+1
			}
		}
	}
	out := Summary{From: from, To: to, GroupBy: groupBy, Periods: make([]SummaryPeriod, len(periods)), Totals: sortedLines(totals)}
	for i, p := range periods {
		out.Periods[i] = SummaryPeriod{Period: p.Key, From: p.From, To: p.To, Currencies: sortedLines(lines[i])}
	}
	return out
}

func lineOf(m *map[string]*SummaryLine, cur string) *SummaryLine {
	if *m == nil {
		*m = map[string]*SummaryLine{}
	}
	l := (*m)[cur]
	if l == nil {
		l = &SummaryLine{Currency: cur, VATByRate: []VATLine{}}
		(*m)[cur] = l
	}
	return l
}

// addVAT adds v to the line of its rate, keeping the rates in order.
func addVAT(lines []VATLine, v VATLine) []VATLine {
	i := sort.Search(len(lines), func(i int) bool { return lines[i].Rate >= v.Rate })
	if i < len(lines) && lines[i].Rate == v.Rate {
		lines[i].Net += v.Net
		lines[i].VAT += v.VAT
		return lines
	}
	lines = append(lines, VATLine{})
	copy(lines[i+1:], lines[i:])
	lines[i] = v
	return lines
}

func sortedLines(m map[string]*SummaryLine) []SummaryLine {
	out := make([]SummaryLine, 0, len(m))
	for _, l := range m {
		out = append(out, *l)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Currency < out[j].Currency })
	return out
}

// SummaryRow is one line of the summary as CSV: a currency in a period.
type SummaryRow struct {
	Period string
	From   Date
	To     Date
	SummaryLine
}

// SummaryColumns are the columns of the summary as CSV; vat_by_rate lists
// rate:net:vat per rate, separated by semicolons ("2.6:500.00:13.00;8.1:1000.00:81.00").
var SummaryColumns = []Column[SummaryRow]{
	{"period", "Periode", "Période", CellText, func(r *SummaryRow) string { return r.Period }},
	{"from", "Von", "Du", CellDate, func(r *SummaryRow) string { return r.From.String() }},
	{"to", "Bis", "Au", CellDate, func(r *SummaryRow) string { return r.To.String() }},
	{"currency", "Währung", "Monnaie", CellText, func(r *SummaryRow) string { return r.Currency }},
	{"invoiced_net", "Fakturiert netto", "Facturé net", CellNumber, func(r *SummaryRow) string { return r.InvoicedNet.String() }},
	{"vat_total", "MWST", "TVA", CellNumber, func(r *SummaryRow) string { return r.VATTotal.String() }},
	{"vat_by_rate", "MWST nach Satz", "TVA par taux", CellText, func(r *SummaryRow) string {
		parts := make([]string, len(r.VATByRate))
		for i, v := range r.VATByRate {
			parts[i] = v.Rate.String() + ":" + v.Net.String() + ":" + v.VAT.String()
		}
		return strings.Join(parts, ";")
	}},
	{"invoiced_gross", "Fakturiert brutto", "Facturé brut", CellNumber, func(r *SummaryRow) string { return r.InvoicedGross.String() }},
	{"invoiced_count", "Rechnungen", "Factures", CellNumber, func(r *SummaryRow) string { return itoa(r.InvoicedCount) }},
	{"received", "Eingegangen", "Encaissé", CellNumber, func(r *SummaryRow) string { return r.Received.String() }},
	{"received_count", "Zahlungen", "Paiements", CellNumber, func(r *SummaryRow) string { return itoa(r.ReceivedCount) }},
	{"cancelled", "Storniert", "Annulé", CellNumber, func(r *SummaryRow) string { return r.Cancelled.String() }},
	{"cancelled_count", "Stornierungen", "Annulations", CellNumber, func(r *SummaryRow) string { return itoa(r.CancelledCount) }},
}

// Rows returns the summary as CSV rows: every currency of every period.
func (s Summary) Rows() []SummaryRow {
	var out []SummaryRow
	for _, p := range s.Periods {
		for _, l := range p.Currencies {
			out = append(out, SummaryRow{Period: p.Period, From: p.From, To: p.To, SummaryLine: l})
		}
	}
	return out
}
