package actions_test

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"billbridge"
	"billbridge/internal/apitest"
	"billbridge/triggers"
)

// TestAPIPagination walks every list with every page size: each page has
// min(limit, left) items, has_more and next_cursor say whether more follow,
// and starting_after walks all items, newest first, without gaps or repeats.
func TestAPIPagination(t *testing.T) {
	apitest.EachStore(t, apitest.Options{}, func(t *testing.T, s *apitest.Server) {
		c := apitest.NewClient(t, s)
		const n = 7
		var customers, invoices, payments []string
		for i := range n {
			customers = append(customers, c.Customer(t, fmt.Sprintf("Customer %d", i)).ID)
		}
		for range n {
			invoices = append(invoices, c.OpenInvoice(t, customers[0], "100").ID)
		}
		for range n {
			var p billbridge.Payment
			c.Must(t, 201, "POST", "/v1/invoices/"+invoices[0]+"/payments", map[string]any{"amount": 1}, &p)
			payments = append(payments, p.ID)
		}
		for _, tc := range []struct {
			path string
			want []string
			ids  func(t *testing.T, path string) (ids []string, more bool, next *string)
		}{
			{"/v1/customers", customers, pageIDs(c, func(x billbridge.Customer) string { return x.ID })},
			{"/v1/invoices", invoices, pageIDs(c, func(x billbridge.Invoice) string { return x.ID })},
			{"/v1/invoices?status=unpaid", invoices, pageIDs(c, func(x billbridge.Invoice) string { return x.ID })},
			{"/v1/invoices/" + invoices[0] + "/payments", payments, pageIDs(c, func(x billbridge.Payment) string { return x.ID })},
		} {
			t.Run(strings.Split(tc.path, "?")[0], func(t *testing.T) {
				all, more, next := tc.ids(t, withQuery(tc.path, "limit=100"))
				if !sameSet(all, tc.want) || more || next != nil {
					t.Fatalf("limit=100: %v (has_more %v, next %v), want %v", all, more, next, tc.want)
				}
				if !slices.IsSortedFunc(all, func(a, b string) int { return strings.Compare(b, a) }) {
					t.Errorf("not newest first (ids descending): %v", all)
				}
				def, _, _ := tc.ids(t, tc.path)
				if !slices.Equal(def, all) {
					t.Errorf("default limit: %v, want %v", def, all)
				}
				for limit := 1; limit <= 100; limit++ {
					got, more, next := tc.ids(t, withQuery(tc.path, fmt.Sprintf("limit=%d", limit)))
					wantMore := n > limit
					if !slices.Equal(got, all[:min(limit, n)]) || more != wantMore || (next == nil) == wantMore {
						t.Fatalf("limit=%d: %v has_more %v next %v; want %v has_more %v", limit, got, more, next, all[:min(limit, n)], wantMore)
					}
					if next != nil && *next != got[len(got)-1] {
						t.Errorf("limit=%d: next_cursor %q is not the last id %q", limit, *next, got[len(got)-1])
					}
				}
				for _, limit := range []int{1, 2, 3, n - 1, n, n + 1} {
					var walked []string
					after := ""
					for pages := 0; ; pages++ {
						if pages > n {
							t.Fatalf("limit=%d: no end after %d pages", limit, pages)
						}
						q := fmt.Sprintf("limit=%d", limit)
						if after != "" {
							q += "&starting_after=" + url.QueryEscape(after)
						}
						got, more, next := tc.ids(t, withQuery(tc.path, q))
						walked = append(walked, got...)
						if !more {
							if next != nil {
								t.Errorf("limit=%d: last page has next_cursor %q", limit, *next)
							}
							break
						}
						if next == nil || len(got) != limit {
							t.Fatalf("limit=%d: page of %d with has_more and next_cursor %v", limit, len(got), next)
						}
						after = *next
					}
					if !slices.Equal(walked, all) {
						t.Errorf("limit=%d walk: %v, want %v", limit, walked, all)
					}
				}
				// Past the last item: an empty last page.
				got, more, next := tc.ids(t, withQuery(tc.path, "starting_after="+all[n-1]))
				if len(got) != 0 || more || next != nil {
					t.Errorf("after the last: %v %v %v", got, more, next)
				}
				for _, bad := range []string{"0", "101", "-1", "abc", "1.5"} {
					apitest.Invalid(t, c.Do(t, "GET", withQuery(tc.path, "limit="+bad), nil), "limit")
				}
			})
		}

		t.Run("the event feed pages without gaps or repeats in both directions at every limit", func(t *testing.T) {
			var head triggers.Feed
			c.Must(t, 200, "GET", "/v1/events?limit=100", nil, &head)
			// 7 customers, 7 × (created, finalized), 7 payments received.
			total := int64(n + 2*n + n)
			if int64(len(head.Data)) != total || head.HasMore || head.NextCursor != nil {
				t.Fatalf("%d events, has_more %v, next %v; want %d", len(head.Data), head.HasMore, head.NextCursor, total)
			}
			for i, e := range head.Data {
				if e.Seq != total-int64(i) {
					t.Fatalf("desc event %d has seq %d, want %d", i, e.Seq, total-int64(i))
				}
			}
			for _, limit := range []int{1, 2, 5, 27, 28, 100} {
				// Forward from the start with after, as n8n does.
				var seqs []int64
				after := triggers.EncodeCursor(0)
				for {
					var f triggers.Feed
					c.Must(t, 200, "GET", fmt.Sprintf("/v1/events?order=asc&limit=%d&after=%s", limit, after), nil, &f)
					for _, e := range f.Data {
						seqs = append(seqs, e.Seq)
					}
					if f.NextCursor == nil {
						t.Fatalf("asc page without next_cursor")
					}
					after = *f.NextCursor
					if !f.HasMore {
						break
					}
				}
				// Backward from the newest with before, as a paging UI does.
				var back []int64
				before := ""
				for {
					var f triggers.Feed
					q := fmt.Sprintf("/v1/events?limit=%d", limit)
					if before != "" {
						q += "&before=" + before
					}
					c.Must(t, 200, "GET", q, nil, &f)
					for _, e := range f.Data {
						back = append(back, e.Seq)
					}
					if !f.HasMore {
						if f.NextCursor != nil {
							t.Errorf("limit=%d: last desc page has next_cursor", limit)
						}
						break
					}
					before = *f.NextCursor
				}
				for i := range total {
					if int64(len(seqs)) != total || seqs[i] != i+1 || int64(len(back)) != total || back[i] != total-i {
						t.Fatalf("limit=%d: asc walk %v, desc walk %v; want 1..%d each way", limit, seqs, back, total)
					}
				}
			}
			for _, bad := range []string{"limit=0", "limit=101"} {
				apitest.Invalid(t, c.Do(t, "GET", "/v1/events?"+bad, nil), "limit")
			}
			apitest.Problem(t, c.Do(t, "GET", "/v1/events?after=bogus", nil), 400, billbridge.ECURSORINVALID)
		})
	})
}

// pageIDs returns a function that GETs a list of T and returns its ids,
// has_more and next_cursor.
func pageIDs[T any](c *apitest.Client, id func(T) string) func(t *testing.T, path string) ([]string, bool, *string) {
	return func(t *testing.T, path string) ([]string, bool, *string) {
		t.Helper()
		l := apitest.GetList[T](t, c, path)
		out := []string{}
		for _, x := range l.Data {
			out = append(out, id(x))
		}
		return out, l.HasMore, l.NextCursor
	}
}

func withQuery(path, q string) string {
	if strings.Contains(path, "?") {
		return path + "&" + q
	}
	return path + "?" + q
}
