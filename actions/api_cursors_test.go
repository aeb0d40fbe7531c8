package actions_test

import (
	"fmt"
	"net/url"
	"slices"
	"testing"

	"billbridge"
	"billbridge/internal/apitest"
	"billbridge/triggers"
)

// TestAPICursorsBoundToAccount: a cursor billbridge did not issue to this
// account is a 400 cursor_invalid naming the parameter, never an empty or
// foreign page that a poller would take for "nothing new".
func TestAPICursorsBoundToAccount(t *testing.T) {
	apitest.EachStore(t, apitest.Options{AllowPrivate: true}, func(t *testing.T, s *apitest.Server) {
		mine, other := apitest.NewClient(t, s), apitest.NewClient(t, s)
		cust := mine.Customer(t, "Cursor AG")
		inv := mine.OpenInvoice(t, cust.ID, "100")
		var pay billbridge.Payment
		mine.Must(t, 201, "POST", "/v1/invoices/"+inv.ID+"/payments", map[string]any{"amount": 1}, &pay)
		var hook billbridge.Hook
		mine.Must(t, 201, "POST", "/v1/hooks", map[string]any{"target_url": "http://127.0.0.1:9/hook", "events": []string{"*"}}, &hook)
		// The other account is further ahead: its head is beyond mine.
		oc := other.Customer(t, "Other AG")
		for i := range 5 {
			other.Must(t, 200, "PATCH", "/v1/customers/"+oc.ID, map[string]any{"phone": fmt.Sprintf("+41 44 000 00 0%d", i)}, nil)
		}
		var head triggers.Feed
		mine.Must(t, 200, "GET", "/v1/events?limit=1", nil, &head)
		var otherHead triggers.Feed
		other.Must(t, 200, "GET", "/v1/events?limit=1", nil, &otherHead)

		t.Run("a feed cursor at the head is accepted", func(t *testing.T) {
			var f triggers.Feed
			mine.Must(t, 200, "GET", "/v1/events?order=asc&after="+url.QueryEscape(head.LatestCursor), nil, &f)
			if len(f.Data) != 0 || f.LatestCursor != head.LatestCursor {
				t.Fatalf("after the head: %d events, latest %s, want none and %s", len(f.Data), f.LatestCursor, head.LatestCursor)
			}
		})
		t.Run("a feed cursor beyond the account's newest event is 400", func(t *testing.T) {
			seq := head.Data[0].Seq
			for _, c := range []string{triggers.EncodeCursor(seq + 1), triggers.EncodeCursor(1 << 40), otherHead.LatestCursor} {
				for _, q := range []string{"order=asc&after=", "after=", "before="} {
					param := "after"
					if q == "before=" {
						param = "before"
					}
					p := apitest.Problem(t, mine.Do(t, "GET", "/v1/events?"+q+url.QueryEscape(c), nil), 400, billbridge.ECURSORINVALID)
					if !slices.ContainsFunc(p.InvalidParams, func(f billbridge.FieldError) bool { return f.Name == param }) {
						t.Errorf("%s%s: invalid_params %+v do not name %s", q, c, p.InvalidParams, param)
					}
				}
			}
		})
		t.Run("an unknown starting_after is 400 naming it", func(t *testing.T) {
			foreign := other.Customer(t, "Foreign AG").ID
			for _, path := range []string{"/v1/customers", "/v1/invoices", "/v1/invoices/" + inv.ID + "/payments", "/v1/hooks", "/v1/customers/duplicates"} {
				for _, after := range []string{"cus_01JZZZZZZZZZZZZZZZZZZZZZZZ", foreign, "x"} {
					p := apitest.Problem(t, mine.Do(t, "GET", path+"?starting_after="+url.QueryEscape(after), nil), 400, billbridge.ECURSORINVALID)
					if len(p.InvalidParams) != 1 || p.InvalidParams[0].Name != "starting_after" {
						t.Errorf("%s starting_after=%s: invalid_params %+v, want starting_after", path, after, p.InvalidParams)
					}
				}
			}
		})
		t.Run("a listed item's id is a cursor", func(t *testing.T) {
			for path, id := range map[string]string{
				"/v1/customers": cust.ID, "/v1/invoices": inv.ID, "/v1/invoices/" + inv.ID + "/payments": pay.ID, "/v1/hooks": hook.ID,
			} {
				if l := apitest.GetList[map[string]any](t, mine, path+"?starting_after="+id); len(l.Data) != 0 || l.HasMore {
					t.Errorf("%s after its only item: %d items", path, len(l.Data))
				}
			}
		})
	})
}
