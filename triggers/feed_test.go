package triggers_test

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"slices"
	"testing"

	"billbridge"
	"billbridge/internal/apitest"
	"billbridge/triggers"
)

// changes makes a known history on the server's first account and returns
// the ids of its customers: 5 customer.created, 2 customer.updated, an
// invoice created, finalized and paid (invoice.created, invoice.finalized,
// payment.received, invoice.paid) and one created and cancelled.
func changes(t *testing.T, s *apitest.Server) []string {
	t.Helper()
	var ids []string
	for i := range 5 {
		var c billbridge.Customer
		s.Must(t, 201, "POST", "/v1/customers", s.Key, map[string]any{"name": fmt.Sprintf("Feed %d AG", i)}).Decode(t, &c)
		ids = append(ids, c.ID)
	}
	for _, id := range ids[:2] {
		s.Must(t, 200, "PATCH", "/v1/customers/"+id, s.Key, map[string]any{"phone": "+41 44 000 00 00"})
	}
	item := []map[string]any{{"description": "Work", "quantity": 1, "unit_price": 50, "vat_rate": 0}}
	var paid billbridge.Invoice
	s.Must(t, 201, "POST", "/v1/invoices", s.Key, map[string]any{"customer_id": ids[0], "currency": "CHF", "items": item, "finalize": true}).Decode(t, &paid)
	s.Must(t, 201, "POST", "/v1/invoices/"+paid.ID+"/payments", s.Key, map[string]any{"amount": 50})
	var cancelled billbridge.Invoice
	s.Must(t, 201, "POST", "/v1/invoices", s.Key, map[string]any{"customer_id": ids[1], "currency": "EUR", "items": item}).Decode(t, &cancelled)
	s.Must(t, 200, "POST", "/v1/invoices/"+cancelled.ID+"/cancel", s.Key, nil)
	return ids
}

// seqs returns the seq of every event of a page.
func seqs(es []billbridge.Event) []int64 {
	out := make([]int64, len(es))
	for i, e := range es {
		out[i] = e.Seq
	}
	return out
}

// TestFeed checks the event feed at the HTTP level on both stores: order,
// limits, both walking directions, type filters, cursors and latest_cursor.
func TestFeed(t *testing.T) {
	for _, store := range apitest.Stores {
		t.Run(store, func(t *testing.T) {
			t.Parallel()
			s := apitest.Start(t, apitest.Options{Store: store})
			ids := changes(t, s)
			const total = 13

			t.Run("page 1 is newest first", func(t *testing.T) {
				f := events(t, s, s.Key, "")
				got := seqs(f.Data)
				want := []int64{13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1}
				if !slices.Equal(got, want) || f.HasMore || f.NextCursor != nil {
					t.Fatalf("default page: seqs %v has_more %v next %v, want %v and no more", got, f.HasMore, f.NextCursor, want)
				}
				if f.LatestCursor != triggers.EncodeCursor(total) {
					t.Errorf("latest_cursor %q is not the position of seq %d", f.LatestCursor, total)
				}
				wantTypes := []string{"invoice.cancelled", "invoice.created", "invoice.paid", "payment.received", "invoice.finalized", "invoice.created",
					"customer.updated", "customer.updated", "customer.created", "customer.created", "customer.created", "customer.created", "customer.created"}
				seen := map[string]bool{}
				for i, e := range f.Data {
					if e.Type != wantTypes[i] && !(i == 2 || i == 3) { // paid and received commit together, in either order
						t.Errorf("event %d: type %s, want %s", e.Seq, e.Type, wantTypes[i])
					}
					if seen[e.ID] || e.OccurredAt.IsZero() {
						t.Errorf("event %d: id %q repeated or no occurred_at", e.Seq, e.ID)
					}
					seen[e.ID] = true
				}
				// An update is a new event about the same resource.
				upd, created := f.Data[6], f.Data[12]
				if dataID(t, upd) != ids[1] || dataID(t, created) != ids[0] || upd.ID == created.ID {
					t.Errorf("update event %s about %s, create event %s about %s", upd.ID, dataID(t, upd), created.ID, dataID(t, created))
				}
			})

			t.Run("limit", func(t *testing.T) {
				f := events(t, s, s.Key, "?limit=1")
				if len(f.Data) != 1 || f.Data[0].Seq != total || !f.HasMore || f.NextCursor == nil {
					t.Fatalf("limit=1: %v has_more %v next %v", seqs(f.Data), f.HasMore, f.NextCursor)
				}
				if f := events(t, s, s.Key, "?limit=100"); len(f.Data) != total || f.HasMore {
					t.Errorf("limit=100: %d events, has_more %v", len(f.Data), f.HasMore)
				}
				if f := events(t, s, s.Key, "?limit=13"); len(f.Data) != total || f.HasMore || f.NextCursor != nil {
					t.Errorf("limit=13 (exactly all): %d events, has_more %v, next %v", len(f.Data), f.HasMore, f.NextCursor)
				}
				for _, bad := range []string{"0", "101", "-1"} {
					code, fields := problemCode(t, s.Do(t, "GET", "/v1/events?limit="+bad, s.Key, nil), 422)
					if code != billbridge.EINVALID || !slices.Contains(fields, "limit") {
						t.Errorf("limit=%s: %s %v, want validation_failed naming limit", bad, code, fields)
					}
				}
			})

			t.Run("desc walk with before", func(t *testing.T) {
				var got []int64
				query := "?limit=4"
				for page := 0; ; page++ {
					if page > total {
						t.Fatal("walk does not end")
					}
					f := events(t, s, s.Key, query)
					got = append(got, seqs(f.Data)...)
					if !f.HasMore {
						if f.NextCursor != nil {
							t.Errorf("last page with a next_cursor")
						}
						break
					}
					query = "?limit=4&before=" + url.QueryEscape(*f.NextCursor)
				}
				if want := []int64{13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1}; !slices.Equal(got, want) {
					t.Errorf("desc walk %v, want %v", got, want)
				}
			})

			t.Run("asc walk with after", func(t *testing.T) {
				var got []int64
				query, cursor := "?order=asc&limit=5", ""
				for page := 0; ; page++ {
					if page > total {
						t.Fatal("walk does not end")
					}
					f := events(t, s, s.Key, query)
					got = append(got, seqs(f.Data)...)
					if f.NextCursor == nil {
						t.Fatal("asc page without next_cursor")
					}
					cursor = *f.NextCursor
					query = "?order=asc&limit=5&after=" + url.QueryEscape(cursor)
					if !f.HasMore {
						break
					}
				}
				if want := []int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13}; !slices.Equal(got, want) {
					t.Errorf("asc walk %v, want %v", got, want)
				}
				// At the head: nothing new, and the cursor stays where it was.
				f := events(t, s, s.Key, query)
				if len(f.Data) != 0 || f.HasMore || f.NextCursor == nil || *f.NextCursor != cursor || f.LatestCursor != cursor {
					t.Errorf("at the head: %v has_more %v next %v latest %s, want empty with next = latest = %s", seqs(f.Data), f.HasMore, f.NextCursor, f.LatestCursor, cursor)
				}
			})

			t.Run("type filter", func(t *testing.T) {
				f := events(t, s, s.Key, "?type=customer.created")
				if len(f.Data) != 5 || f.LatestCursor != triggers.EncodeCursor(total) {
					t.Errorf("one type: %d events, latest %s", len(f.Data), f.LatestCursor)
				}
				for _, e := range f.Data {
					if e.Type != "customer.created" {
						t.Errorf("type filter let %s through", e.Type)
					}
				}
				f = events(t, s, s.Key, "?type="+url.QueryEscape("invoice.paid,payment.received, invoice.cancelled"))
				types := map[string]int{}
				for _, e := range f.Data {
					types[e.Type]++
				}
				if len(f.Data) != 3 || types["invoice.paid"] != 1 || types["payment.received"] != 1 || types["invoice.cancelled"] != 1 {
					t.Errorf("three types: %v", types)
				}
				// Walking one type forward in pages of 2 sees each of its events once.
				var walked []int64
				q := "?type=customer.created&order=asc&limit=2"
				for page := 0; page < 10; page++ {
					f := events(t, s, s.Key, q)
					walked = append(walked, seqs(f.Data)...)
					q = "?type=customer.created&order=asc&limit=2&after=" + url.QueryEscape(*f.NextCursor)
					if !f.HasMore {
						break
					}
				}
				if want := []int64{1, 2, 3, 4, 5}; !slices.Equal(walked, want) {
					t.Errorf("typed asc walk %v, want %v", walked, want)
				}
				code, fields := problemCode(t, s.Do(t, "GET", "/v1/events?type=invoice.exploded", s.Key, nil), 422)
				if code != billbridge.EINVALID || !slices.Contains(fields, "type") {
					t.Errorf("unknown type: %s %v", code, fields)
				}
			})

			t.Run("bad cursors are 400", func(t *testing.T) {
				raw := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
				for _, c := range []string{"garbage", "bbc1.5", raw("bbc1.-1"), raw("bbc1.05"), raw("bbc2.5"), raw("bbc1."), raw("bbc1.99999999999999999999"), "%00"} {
					for _, param := range []string{"after", "before"} {
						code, fields := problemCode(t, s.Do(t, "GET", "/v1/events?order=asc&"+param+"="+url.QueryEscape(c), s.Key, nil), 400)
						if code != billbridge.ECURSORINVALID || !slices.Contains(fields, param) {
							t.Errorf("%s=%q: %s %v, want cursor_invalid naming %s", param, c, code, fields, param)
						}
					}
				}
				code, fields := problemCode(t, s.Do(t, "GET", "/v1/events?order=sideways", s.Key, nil), 422)
				if code != billbridge.EINVALID || !slices.Contains(fields, "order") {
					t.Errorf("order=sideways: %s %v", code, fields)
				}
			})

			t.Run("latest_cursor starts from now", func(t *testing.T) {
				other, key := s.NewAccount("Latest AG")
				f := events(t, s, key, "?type=invoice.paid")
				if len(f.Data) != 0 || f.LatestCursor != triggers.EncodeCursor(0) {
					t.Fatalf("new account %s: %d events, latest %s", other, len(f.Data), f.LatestCursor)
				}
				start := f.LatestCursor
				s.Must(t, 201, "POST", "/v1/customers", key, map[string]any{"name": "After Now AG"})
				f = events(t, s, key, "?order=asc&after="+url.QueryEscape(start))
				if len(f.Data) != 1 || f.Data[0].Type != "customer.created" || f.Data[0].Seq != 1 {
					t.Fatalf("after latest_cursor: %v", seqs(f.Data))
				}
				// A filtered read moves latest_cursor too: it is the account's head.
				if f := events(t, s, key, "?type=invoice.paid"); f.LatestCursor != triggers.EncodeCursor(1) || len(f.Data) != 0 {
					t.Errorf("filtered latest_cursor %s, want the head", f.LatestCursor)
				}
				// Accounts never see each other's events.
				if f := events(t, s, key, "?limit=100"); len(f.Data) != 1 {
					t.Errorf("second account sees %d events, want its 1", len(f.Data))
				}
				if f := events(t, s, s.Key, "?limit=100"); len(f.Data) != total {
					t.Errorf("first account sees %d events, want %d", len(f.Data), total)
				}
			})
		})
	}
}
