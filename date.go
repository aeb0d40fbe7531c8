package billbridge

import (
	"strings"
	"time"
)

// Date is a calendar date without time or zone, written "2006-01-02".
type Date struct{ time.Time }

// DateLayout is how dates are written in JSON and stored.
const DateLayout = "2006-01-02"

// Today returns the current date in loc.
func Today(now time.Time, loc *time.Location) Date {
	y, m, d := now.In(loc).Date()
	return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

// ParseDate parses "2006-01-02".
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(DateLayout, s)
	return Date{t}, err
}

// AddDays returns the date n days later.
func (d Date) AddDays(n int) Date { return Date{d.Time.AddDate(0, 0, n)} }

// Before reports whether d is an earlier day than o.
func (d Date) Before(o Date) bool { return d.Time.Before(o.Time) }

// String renders the date as "2006-01-02".
func (d Date) String() string { return d.Time.Format(DateLayout) }

// MarshalJSON writes the date as a "2006-01-02" string.
func (d Date) MarshalJSON() ([]byte, error) { return []byte(`"` + d.String() + `"`), nil }

// UnmarshalJSON reads a "2006-01-02" string between MinDate and MaxDate.
func (d *Date) UnmarshalJSON(b []byte) error {
	t, err := time.Parse(`"`+DateLayout+`"`, strings.TrimSpace(string(b)))
	if err != nil {
		return ErrDate
	}
	if t.Before(MinDate.Time) || t.After(MaxDate.Time) {
		return ErrDateRange
	}
	d.Time = t
	return nil
}

// MinDate and MaxDate bound every date a request may carry: a ledger has
// no business before 1900 or after 2999, and every database stores the
// dates between (PostgreSQL refuses year 0, which time.Parse accepts).
var (
	MinDate = Date{time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)}
	MaxDate = Date{time.Date(2999, 12, 31, 0, 0, 0, 0, time.UTC)}
)

// ErrDate is returned for a date that is not "YYYY-MM-DD".
var ErrDate = Errorf(EINVALID, "must be a date written YYYY-MM-DD")

// ErrDateRange is returned for a date before MinDate or after MaxDate.
var ErrDateRange = Errorf(EINVALID, "must be a date between 1900-01-01 and 2999-12-31")
