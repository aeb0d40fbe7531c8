package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"billbridge"
)

// tsLayout is how timestamps are bound: UTC with a fixed width, so on SQLite
// (TEXT columns) they compare correctly as strings, and PostgreSQL parses
// them into TIMESTAMPTZ.
const tsLayout = "2006-01-02T15:04:05.000000000Z"

// ts returns the stored form of t.
func ts(t time.Time) string { return t.UTC().Format(tsLayout) }

// tsOrNil returns the stored form of t, NULL for nil.
func tsOrNil(t *time.Time) any {
	if t == nil {
		return nil
	}
	return ts(*t)
}

// dateOrNil returns the stored form of d, NULL for nil.
func dateOrNil(d *billbridge.Date) any {
	if d == nil {
		return nil
	}
	return d.String()
}

// strOrNil stores an empty natural key as NULL, so unique indexes ignore it.
func strOrNil(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// parseTime reads a timestamp as either driver returns it: time.Time from
// PostgreSQL, text from SQLite.
func parseTime(src any) (time.Time, bool, error) {
	switch v := src.(type) {
	case nil:
		return time.Time{}, false, nil
	case time.Time:
		return v.UTC(), true, nil
	case string:
		t, err := time.Parse(time.RFC3339Nano, v)
		return t.UTC(), true, err
	case []byte:
		t, err := time.Parse(time.RFC3339Nano, string(v))
		return t.UTC(), true, err
	}
	return time.Time{}, false, fmt.Errorf("sqlstore: cannot read %T as a timestamp", src)
}

// parseDate reads a date as either driver returns it.
func parseDate(src any) (billbridge.Date, bool, error) {
	switch v := src.(type) {
	case nil:
		return billbridge.Date{}, false, nil
	case time.Time:
		y, m, d := v.Date()
		return billbridge.Date{Time: time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}, true, nil
	case string:
		d, err := billbridge.ParseDate(v)
		return d, true, err
	case []byte:
		d, err := billbridge.ParseDate(string(v))
		return d, true, err
	}
	return billbridge.Date{}, false, fmt.Errorf("sqlstore: cannot read %T as a date", src)
}

// timeCol scans a NOT NULL timestamp.
type timeCol struct{ p *time.Time }

func (c timeCol) Scan(src any) (err error) {
	*c.p, _, err = parseTime(src)
	return err
}

// nullTimeCol scans a nullable timestamp into a *time.Time.
type nullTimeCol struct{ p **time.Time }

func (c nullTimeCol) Scan(src any) error {
	t, ok, err := parseTime(src)
	if ok && err == nil {
		*c.p = &t
	} else {
		*c.p = nil
	}
	return err
}

// dateCol scans a NOT NULL date.
type dateCol struct{ p *billbridge.Date }

func (c dateCol) Scan(src any) (err error) {
	*c.p, _, err = parseDate(src)
	return err
}

// nullDateCol scans a nullable date into a *billbridge.Date.
type nullDateCol struct{ p **billbridge.Date }

func (c nullDateCol) Scan(src any) error {
	d, ok, err := parseDate(src)
	if ok && err == nil {
		*c.p = &d
	} else {
		*c.p = nil
	}
	return err
}

// strCol scans a nullable text column into a string, "" for NULL.
type strCol struct{ p *string }

func (c strCol) Scan(src any) error {
	var ns sql.NullString
	if err := ns.Scan(src); err != nil {
		return err
	}
	*c.p = ns.String
	return nil
}

// flagCol scans a 0/1 SMALLINT flag into a bool.
type flagCol struct{ p *bool }

func (c flagCol) Scan(src any) error {
	var n sql.NullInt64
	if err := n.Scan(src); err != nil {
		return err
	}
	*c.p = n.Int64 != 0
	return nil
}

// rowScanner is *sql.Row or *sql.Rows.
type rowScanner interface {
	Scan(dest ...any) error
}

// collect reads rows with scan, returning at most limit items and whether
// more were there (the query asks for limit+1). With budget > 0 the page
// also stops before the item that would take the JSON of its items past
// budget bytes (the first item is always taken), so one page of large rows
// costs bounded memory; the rows not read are never decoded.
func collect[T any](rows *sql.Rows, limit, budget int, scan func(rowScanner) (*T, error)) (billbridge.Page[T], error) {
	defer rows.Close()
	page := billbridge.Page[T]{Data: []T{}}
	var used countWriter
	enc := json.NewEncoder(&used)
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return page, err
		}
		if len(page.Data) == limit {
			page.HasMore = true
			break
		}
		if budget > 0 {
			if err := enc.Encode(v); err != nil {
				return page, err
			}
			if len(page.Data) > 0 && used > countWriter(budget) {
				page.HasMore = true
				break
			}
		}
		page.Data = append(page.Data, *v)
	}
	return page, rows.Err()
}

// countWriter counts the bytes written to it and keeps none.
type countWriter int

func (w *countWriter) Write(p []byte) (int, error) {
	*w += countWriter(len(p))
	return len(p), nil
}

// queryStrings runs query, which selects one text column, and returns its values in order.
func queryStrings(ctx context.Context, q querier, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
