package billbridge

import (
	"sort"
	"time"
)

// Receivables report: what customers owe on a day, per currency (CHF and
// EUR are never added), aged by days past due. Counted from invoices
// finalized with an issue date on or before the day and not cancelled by
// its end, their totals plus the reminder charges sent by then, less the
// payments whose paid_at is on or before it; days in the account's time
// zone. A day in the past reproduces the figures from the immutable
// payments and reminders.

// Aging buckets by days past due. An invoice due on the day itself is
// current: it is not overdue yet.
const (
	BucketCurrent = "current"
	Bucket1To30   = "1_30"
	Bucket31To60  = "31_60"
	Bucket61To90  = "61_90"
	BucketOver90  = "over_90"
)

// AgingBuckets lists the buckets from current to oldest.
var AgingBuckets = []string{BucketCurrent, Bucket1To30, Bucket31To60, Bucket61To90, BucketOver90}

// AgingBucket returns the bucket of an invoice daysPastDue days past its due date.
func AgingBucket(daysPastDue int) string {
	switch {
	case daysPastDue <= 0:
		return BucketCurrent
	case daysPastDue <= 30:
		return Bucket1To30
	case daysPastDue <= 60:
		return Bucket31To60
	case daysPastDue <= 90:
		return Bucket61To90
	}
	return BucketOver90
}

// AgingRow is what the store counts: the open amount and number of
// invoices of one currency in one bucket.
type AgingRow struct {
	Currency string
	Bucket   string
	Amount   Money
	Count    int
}

// Bucket is one aging bucket of a currency.
type Bucket struct {
	Amount Money `json:"amount" swaggertype:"number" example:"1250.00"`
	Count  int   `json:"count" example:"3"`
}

// Aging is a currency's open amount by days past due.
type Aging struct {
	// Not past due (due on the day or later).
	Current Bucket `json:"current"`
	// 1–30 days past due.
	Days1To30 Bucket `json:"1_30"`
	// 31–60 days past due.
	Days31To60 Bucket `json:"31_60"`
	// 61–90 days past due.
	Days61To90 Bucket `json:"61_90"`
	// More than 90 days past due.
	Over90 Bucket `json:"over_90"`
}

// ReceivablesLine is the receivables of one currency.
type ReceivablesLine struct {
	Currency string `json:"currency" enums:"CHF,EUR" example:"CHF"`
	// Everything open on the day: the buckets added.
	Outstanding      Money `json:"outstanding" swaggertype:"number" example:"8200.00"`
	OutstandingCount int   `json:"outstanding_count" example:"7"`
	// What is past due: every bucket but current.
	Overdue      Money `json:"overdue" swaggertype:"number" example:"4500.00"`
	OverdueCount int   `json:"overdue_count" example:"3"`
	Aging        Aging `json:"aging"`
}

// Receivables is the receivables report.
type Receivables struct {
	// The day counted to, in the account's time zone.
	AsOf Date `json:"as_of" swaggertype:"string" format:"date" example:"2026-12-02"`
	// One line per currency with anything open, CHF before EUR.
	Currencies []ReceivablesLine `json:"currencies"`
}

// ReceivablesOf builds the report from the store's rows.
func ReceivablesOf(asOf Date, rows []AgingRow) Receivables {
	byCur := map[string]*ReceivablesLine{}
	for _, r := range rows {
		l := byCur[r.Currency]
		if l == nil {
			l = &ReceivablesLine{Currency: r.Currency}
			byCur[r.Currency] = l
		}
		b := map[string]*Bucket{BucketCurrent: &l.Aging.Current, Bucket1To30: &l.Aging.Days1To30,
			Bucket31To60: &l.Aging.Days31To60, Bucket61To90: &l.Aging.Days61To90, BucketOver90: &l.Aging.Over90}[r.Bucket]
		if b == nil {
			continue
		}
		b.Amount += r.Amount
		b.Count += r.Count
		l.Outstanding += r.Amount
		l.OutstandingCount += r.Count
		if r.Bucket != BucketCurrent {
			l.Overdue += r.Amount
			l.OverdueCount += r.Count
		}
	}
	out := Receivables{AsOf: asOf, Currencies: []ReceivablesLine{}}
	for _, l := range byCur {
		out.Currencies = append(out.Currencies, *l)
	}
	sort.Slice(out.Currencies, func(i, j int) bool { return out.Currencies[i].Currency < out.Currencies[j].Currency })
	return out
}

// DayBounds returns the instants the day d begins and ends (the next day
// begins) in loc, for comparing timestamps with a calendar day.
func DayBounds(d Date, loc *time.Location) (start, end time.Time) {
	y, m, dd := d.Date()
	start = time.Date(y, m, dd, 0, 0, 0, 0, loc)
	return start.UTC(), time.Date(y, m, dd+1, 0, 0, 0, 0, loc).UTC()
}

// ReceivablesRow is one line of the receivables report as CSV: a currency's bucket.
type ReceivablesRow struct {
	AsOf     Date
	Currency string
	Bucket   string
	Amount   Money
	Count    int
}

// ReceivablesColumns are the columns of the receivables report as CSV.
var ReceivablesColumns = []Column[ReceivablesRow]{
	{"as_of", "Stichtag", "Date", CellDate, func(r *ReceivablesRow) string { return r.AsOf.String() }},
	{"currency", "Währung", "Monnaie", CellText, func(r *ReceivablesRow) string { return r.Currency }},
	{"bucket", "Fälligkeit", "Échéance", CellText, func(r *ReceivablesRow) string { return r.Bucket }},
	{"amount", "Betrag", "Montant", CellNumber, func(r *ReceivablesRow) string { return r.Amount.String() }},
	{"count", "Anzahl", "Nombre", CellNumber, func(r *ReceivablesRow) string { return itoa(r.Count) }},
}

// Rows returns the report as CSV rows: every bucket of every currency.
func (r Receivables) Rows() []ReceivablesRow {
	var out []ReceivablesRow
	for _, l := range r.Currencies {
		for i, b := range []Bucket{l.Aging.Current, l.Aging.Days1To30, l.Aging.Days31To60, l.Aging.Days61To90, l.Aging.Over90} {
			out = append(out, ReceivablesRow{AsOf: r.AsOf, Currency: l.Currency, Bucket: AgingBuckets[i], Amount: b.Amount, Count: b.Count})
		}
	}
	return out
}
