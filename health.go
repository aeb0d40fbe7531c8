package billbridge

import (
	"context"
	"slices"
	"sort"
	"strconv"
	"time"
)

// Payment health: how a customer pays, per currency (CHF and EUR are never
// added up), for the CRM's "Zahlungsmoral" field and a warning before a
// sales rep calls a customer who is late.
//
// The store counts (PaymentStats, in SQL over indexed columns); HealthOf
// turns the counts into averages, a rating and warnings, so both stores give
// the same answer to the centime and the day.
//
// What counts: finalized invoices (open, partially paid, paid); drafts and
// cancelled invoices are left out. Days are calendar days in the account's
// time zone. An invoice is paid on the paid_at date of the payment that
// settled it.
//
// Ratings, per currency, the first rule that holds:
//
//	poor               ≥ 3 invoices overdue, or the oldest overdue more than 60 days past due,
//	                   or an unpaid invoice reminded at level 2 (1. Mahnung) or higher
//	watch              anything overdue, or paid on average more than 10 days late
//	insufficient_data  fewer than 3 paid invoices
//	good               otherwise
//
// The customer's rating is the worst of its currencies' (poor, watch, good,
// insufficient_data from worst to best: a currency without enough history
// says nothing against a good one); insufficient_data without invoices.
const (
	// PoorOverdueCount invoices overdue make a currency poor.
	PoorOverdueCount = 3
	// PoorOldestOverdueDays: an invoice more days than this past due makes a currency poor.
	PoorOldestOverdueDays = 60
	// PoorReminderLevel: an unpaid invoice reminded at this level or higher makes a currency poor.
	PoorReminderLevel = 2
	// WatchAvgDaysLate: paying on average more days late than this makes a currency watch.
	WatchAvgDaysLate = 10
	// MinPaidInvoices paid invoices are needed for a rating of good.
	MinPaidInvoices = 3
)

// Payment ratings, from best to worst.
const (
	RatingInsufficientData = "insufficient_data"
	RatingGood             = "good"
	RatingWatch            = "watch"
	RatingPoor             = "poor"
)

// PaymentRatings lists the ratings in documentation order.
var PaymentRatings = []string{RatingGood, RatingWatch, RatingPoor, RatingInsufficientData}

// ratingRank orders ratings from best (0) to worst for the customer's rating.
func ratingRank(r string) int {
	switch r {
	case RatingGood:
		return 1
	case RatingWatch:
		return 2
	case RatingPoor:
		return 3
	}
	return 0
}

// IncludePaymentHealth is the include value that adds payment_health to
// customer reads and to deal won.
const IncludePaymentHealth = "payment_health"

// CustomerIncludes lists the values of include on customer reads.
var CustomerIncludes = []string{IncludePaymentHealth}

// PaymentStats is what the store counts for one customer in one currency,
// over its finalized invoices (open, partially paid, paid), with overdue
// meaning unpaid and due before Today.
type PaymentStats struct {
	CustomerID    string
	Currency      string
	InvoiceCount  int
	Invoiced      Money // sum of totals
	Paid          Money // sum of amounts paid
	OpenAmount    Money // sum of amounts due of unpaid invoices
	OpenCount     int
	OverdueAmount Money
	OverdueCount  int
	// OldestDueDate is the earliest due date of an overdue invoice.
	OldestDueDate *Date
	// PaidCount invoices are paid in full; PaidTotal is the sum of their totals.
	PaidCount int
	PaidTotal Money
	// DaysToPayWeighted sums, over paid invoices, the days from issue date to
	// settlement (at least 0) times the invoice total; DaysLateWeighted the
	// days from due date to settlement (at least 0) times the total.
	DaysToPayWeighted int64
	DaysLateWeighted  int64
	// OnTimeCount paid invoices were settled on or before their due date.
	OnTimeCount int
	// LastPaymentAt is the latest paid_at of a payment.
	LastPaymentAt *Date
	// MaxReminderLevel is the highest reminder level sent on an unpaid invoice, 0 for none.
	MaxReminderLevel int
}

// CurrencyHealth is the payment health of a customer in one currency.
type CurrencyHealth struct {
	Currency string `json:"currency" enums:"CHF,EUR" example:"CHF"`
	// Finalized invoices (open, partially paid, paid; drafts and cancelled left out).
	InvoiceCount int `json:"invoice_count" example:"12"`
	// Sum of their totals.
	Invoiced Money `json:"invoiced" swaggertype:"number" example:"18400.00"`
	// Sum of what was paid on them.
	Paid Money `json:"paid" swaggertype:"number" example:"13900.00"`
	// What is still due on unpaid invoices, overdue included.
	OpenAmount Money `json:"open_amount" swaggertype:"number" example:"4500.00"`
	OpenCount  int   `json:"open_count" example:"3"`
	// What is due on invoices past their due date.
	OverdueAmount Money `json:"overdue_amount" swaggertype:"number" example:"4500.00"`
	OverdueCount  int   `json:"overdue_count" example:"3"`
	// Days the oldest overdue invoice is past due; null when nothing is overdue.
	OldestOverdueDays *int `json:"oldest_overdue_days" example:"47"`
	// Days from issue date to the payment that settled the invoice, averaged over paid invoices weighted by their totals, to 0.1 day; null before the first paid invoice.
	AvgDaysToPay *float64 `json:"avg_days_to_pay" example:"34.5"`
	// Days paid after the due date (0 when on time), averaged like avg_days_to_pay.
	AvgDaysLate *float64 `json:"avg_days_late" example:"4.5"`
	// Share of paid invoices settled on or before their due date, 0–1 to 0.01; null before the first paid invoice.
	OnTimeRatio *float64 `json:"on_time_ratio" example:"0.75"`
	// Paid invoices (in full).
	PaidCount int `json:"paid_count" example:"9"`
	// The latest paid_at of a payment.
	LastPaymentAt *Date `json:"last_payment_at" swaggertype:"string" format:"date" example:"2026-11-28"`
	// The highest reminder level sent on an invoice still unpaid (1 Zahlungserinnerung, 2 1. Mahnung…), 0 when none.
	MaxReminderLevel int `json:"max_reminder_level" example:"2"`
	// The currency's rating (see the customer's rating).
	Rating string `json:"rating" enums:"good,watch,poor,insufficient_data" example:"poor"`
}

// PaymentHealth is how a customer pays: its rating, readable warnings and
// the figures per currency.
type PaymentHealth struct {
	CustomerID string `json:"customer_id" example:"cus_01JDZ8M3W6T4X9Y2Q5R7V1N0KE"`
	// The day the figures are counted to, in the account's time zone.
	AsOf Date `json:"as_of" swaggertype:"string" format:"date" example:"2026-12-02"`
	// poor: ≥ 3 invoices overdue or the oldest more than 60 days past due or an unpaid invoice reminded at level 2 or higher; watch: anything overdue or paid on average more than 10 days late; insufficient_data: fewer than 3 paid invoices; good: otherwise. The worst of the currencies' ratings (insufficient_data counts as best).
	Rating string `json:"rating" enums:"good,watch,poor,insufficient_data" example:"poor"`
	// Sentences for the CRM, e.g. "3 unpaid invoices, CHF 4 500.00 overdue, oldest 47 days"; empty when there is nothing to warn about.
	Warnings []string `json:"warnings" example:"3 unpaid invoices, CHF 4 500.00 overdue, oldest 47 days"`
	// One entry per currency invoiced, CHF before EUR; empty without finalized invoices.
	Currencies []CurrencyHealth `json:"currencies"`
}

// HealthOf computes the payment health of customerID at today from its
// stats (one per currency; others' stats are ignored).
func HealthOf(customerID string, stats []PaymentStats, today Date) PaymentHealth {
	h := PaymentHealth{CustomerID: customerID, AsOf: today, Rating: RatingInsufficientData, Warnings: []string{}, Currencies: []CurrencyHealth{}}
	for i := range stats {
		if stats[i].CustomerID == customerID {
			h.Currencies = append(h.Currencies, currencyHealth(&stats[i], today))
		}
	}
	sort.Slice(h.Currencies, func(i, j int) bool { return h.Currencies[i].Currency < h.Currencies[j].Currency })
	for _, c := range h.Currencies {
		if ratingRank(c.Rating) > ratingRank(h.Rating) {
			h.Rating = c.Rating
		}
		h.Warnings = append(h.Warnings, warnings(&c)...)
	}
	return h
}

// currencyHealth derives the averages and the rating from s.
func currencyHealth(s *PaymentStats, today Date) CurrencyHealth {
	c := CurrencyHealth{
		Currency: s.Currency, InvoiceCount: s.InvoiceCount, Invoiced: s.Invoiced, Paid: s.Paid,
		OpenAmount: s.OpenAmount, OpenCount: s.OpenCount, OverdueAmount: s.OverdueAmount, OverdueCount: s.OverdueCount,
		PaidCount: s.PaidCount, LastPaymentAt: s.LastPaymentAt, MaxReminderLevel: s.MaxReminderLevel,
	}
	if s.OldestDueDate != nil {
		d := DaysBetween(*s.OldestDueDate, today)
		c.OldestOverdueDays = &d
	}
	if s.PaidCount > 0 {
		c.AvgDaysToPay = tenths(s.DaysToPayWeighted, s.PaidTotal)
		c.AvgDaysLate = tenths(s.DaysLateWeighted, s.PaidTotal)
		r, _ := roundDiv(uint64(s.OnTimeCount), 100, uint64(s.PaidCount))
		ratio := float64(r) / 100
		c.OnTimeRatio = &ratio
	}
	switch {
	case c.OverdueCount >= PoorOverdueCount || (c.OldestOverdueDays != nil && *c.OldestOverdueDays > PoorOldestOverdueDays) ||
		c.MaxReminderLevel >= PoorReminderLevel:
		c.Rating = RatingPoor
	case c.OverdueCount > 0 || (c.AvgDaysLate != nil && *c.AvgDaysLate > WatchAvgDaysLate):
		c.Rating = RatingWatch
	case c.PaidCount < MinPaidInvoices:
		c.Rating = RatingInsufficientData
	default:
		c.Rating = RatingGood
	}
	return c
}

// tenths returns sum/weight rounded half-up to a tenth, nil for no weight.
func tenths(sum int64, weight Money) *float64 {
	if weight <= 0 {
		return nil
	}
	if sum < 0 {
		sum = 0
	}
	t, ok := roundDiv(uint64(sum), 10, uint64(weight))
	if !ok {
		return nil
	}
	v := float64(t) / 10
	return &v
}

// warnings returns the readable warnings of one currency.
func warnings(c *CurrencyHealth) []string {
	var out []string
	if c.OverdueCount > 0 {
		unpaid := plural(c.OpenCount, "unpaid invoice")
		if c.OverdueCount != c.OpenCount {
			unpaid += " (" + strconv.Itoa(c.OverdueCount) + " overdue)"
		}
		out = append(out, unpaid+", "+c.Currency+" "+FormatQRAmount(c.OverdueAmount)+" overdue, oldest "+plural(*c.OldestOverdueDays, "day"))
	}
	if c.MaxReminderLevel > 0 {
		out = append(out, c.Currency+" reminder level "+strconv.Itoa(c.MaxReminderLevel)+" sent on an unpaid invoice")
	}
	if c.AvgDaysLate != nil && *c.AvgDaysLate > WatchAvgDaysLate {
		out = append(out, c.Currency+" invoices paid on average "+strconv.FormatFloat(*c.AvgDaysLate, 'f', -1, 64)+" days late")
	}
	return out
}

// plural writes "1 day" or "3 days".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// DaysBetween returns the calendar days from a to b (negative when b is before a).
func DaysBetween(a, b Date) int {
	return int(b.Time.Sub(a.Time).Hours() / 24)
}

// PaymentRatingChange is the data of customer.payment_rating_changed.
type PaymentRatingChange struct {
	CustomerID string `json:"customer_id" example:"cus_01JDZ8M3W6T4X9Y2Q5R7V1N0KE"`
	// The customer's external_id (the CRM's id), empty when it has none.
	ExternalID string `json:"external_id" example:"hubspot-4711"`
	// The rating before: insufficient_data when none was recorded.
	From string `json:"from" enums:"good,watch,poor,insufficient_data" example:"watch"`
	To   string `json:"to" enums:"good,watch,poor,insufficient_data" example:"poor"`
	// The warnings of the new rating.
	Warnings []string `json:"warnings" example:"3 unpaid invoices, CHF 4 500.00 overdue, oldest 47 days"`
}

// CustomerHealth reads the payment health of one customer at now in loc.
func CustomerHealth(ctx context.Context, r Reader, accountID, customerID string, now time.Time, loc *time.Location) (PaymentHealth, error) {
	today := Today(now, loc)
	stats, err := r.PaymentStats(ctx, accountID, []string{customerID}, today)
	if err != nil {
		return PaymentHealth{}, err
	}
	return HealthOf(customerID, stats, today), nil
}

// RefreshPaymentRating recomputes the customer's payment rating inside tx
// after a change (a payment, an invoice falling overdue, a cancellation)
// and, when it differs from the rating recorded before, records it and
// appends customer.payment_rating_changed in the same transaction. Call it
// after the change's own events and after the change has locked the rows
// it writes (its invoices), so the rating row is taken after them, as by
// every other writer. Refreshes of one customer in concurrent transactions
// run one after the other (Tx.SwapPaymentRating), so a change is told once.
func RefreshPaymentRating(ctx context.Context, tx Tx, acct *Account, customerID string, now time.Time) error {
	h, err := CustomerHealth(ctx, tx, acct.ID, customerID, now, acct.Location())
	if err != nil {
		return err
	}
	before, err := tx.SwapPaymentRating(ctx, acct.ID, customerID, h.Rating)
	if err != nil || before == h.Rating {
		return err
	}
	cust, err := tx.FindCustomer(ctx, acct.ID, customerID)
	if err != nil {
		return err
	}
	_, err = tx.AppendEvent(ctx, acct.ID, CustomerPaymentRatingChanged, PaymentRatingChange{
		CustomerID: customerID, ExternalID: cust.ExternalID, From: before, To: h.Rating, Warnings: h.Warnings,
	})
	return err
}

// RefreshPaymentRatings is RefreshPaymentRating once for each customer of
// customerIDs (repeats ignored), in the order of their ids, for a write
// that changed several invoices (an import, a bank file, a batch of the
// overdue job): each rating is computed once from the write's end state, so
// a customer gets at most one customer.payment_rating_changed per write
// (good → poor, not good → watch → poor) and its invoices are read once,
// not once per changed invoice. Two such writes take the customers' rating
// rows in the same order.
func RefreshPaymentRatings(ctx context.Context, tx Tx, acct *Account, customerIDs []string, now time.Time) error {
	ids := slices.Clone(customerIDs)
	slices.Sort(ids)
	for _, id := range slices.Compact(ids) {
		if err := RefreshPaymentRating(ctx, tx, acct, id, now); err != nil {
			return err
		}
	}
	return nil
}
