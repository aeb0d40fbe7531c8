package actions_test

import (
	"testing"
	"time"

	"billbridge"
	"billbridge/internal/apitest"
	"billbridge/internal/testenv"
)

// TestAPIIssueDate dates invoices back on create and on finalize: today in
// the account's time zone by default, a past date accepted (the due date
// follows, so the invoice is overdue at once), a future one refused with
// 422 naming issue_date and nothing written.
func TestAPIIssueDate(t *testing.T) {
	// 23:30 UTC on 28 November is already 29 November in Zurich.
	now := time.Date(2026, 11, 28, 23, 30, 0, 0, time.UTC)
	for _, store := range apitest.Stores {
		t.Run(store, func(t *testing.T) {
			t.Parallel()
			s := apitest.Start(t, apitest.Options{Store: store, Clock: testenv.NewClock(now).Now})
			item := []map[string]any{{"description": "Work", "quantity": 1, "unit_price": 100, "vat_rate": 0}}
			body := func(cust string, fields ...any) map[string]any {
				b := map[string]any{"customer_id": cust, "currency": "CHF", "items": item, "due_in_days": 30}
				for i := 0; i+1 < len(fields); i += 2 {
					b[fields[i].(string)] = fields[i+1]
				}
				return b
			}

			t.Run("create finalized with a past date is due and overdue in the past", func(t *testing.T) {
				c := apitest.NewClient(t, s)
				cust := c.Customer(t, "Migrated AG")
				var inv billbridge.Invoice
				c.Must(t, 201, "POST", "/v1/invoices", body(cust.ID, "finalize", true, "issue_date", "2026-09-01"), &inv)
				if inv.IssueDate.String() != "2026-09-01" || inv.DueDate.String() != "2026-10-01" || inv.Status != "overdue" || inv.Number != "INV-000001" {
					t.Fatalf("issue %v due %v status %s number %s, want 2026-09-01, 2026-10-01, overdue, INV-000001", inv.IssueDate, inv.DueDate, inv.Status, inv.Number)
				}
				if l := apitest.GetList[billbridge.Invoice](t, c, "/v1/invoices?status=overdue"); len(l.Data) != 1 || l.Data[0].ID != inv.ID {
					t.Errorf("status=overdue lists %v, want the back-dated invoice", ids(l.Data))
				}
			})

			t.Run("no date is today in the account's time zone", func(t *testing.T) {
				c := apitest.NewClient(t, s)
				cust := c.Customer(t, "Today AG")
				var inv billbridge.Invoice
				c.Must(t, 201, "POST", "/v1/invoices", body(cust.ID, "finalize", true), &inv)
				if inv.IssueDate.String() != "2026-11-29" || inv.DueDate.String() != "2026-12-29" || inv.Status != "open" {
					t.Errorf("issue %v due %v status %s, want Zurich's 2026-11-29, 2026-12-29, open", inv.IssueDate, inv.DueDate, inv.Status)
				}
				// Zurich's today is not the future, though UTC is still on the 28th.
				c.Must(t, 201, "POST", "/v1/invoices", body(cust.ID, "finalize", true, "issue_date", "2026-11-29"), &inv)
				if inv.IssueDate.String() != "2026-11-29" {
					t.Errorf("issue %v, want 2026-11-29", inv.IssueDate)
				}
			})

			t.Run("a draft keeps its date until finalize, which may set another", func(t *testing.T) {
				c := apitest.NewClient(t, s)
				cust := c.Customer(t, "Draft AG")
				var draft, fin billbridge.Invoice
				c.Must(t, 201, "POST", "/v1/invoices", body(cust.ID, "issue_date", "2026-06-30"), &draft)
				if draft.Status != "draft" || draft.IssueDate.String() != "2026-06-30" || draft.DueDate != nil || draft.Number != "" {
					t.Fatalf("draft %+v, want issue_date 2026-06-30 and no due date or number", draft)
				}
				c.Must(t, 200, "POST", "/v1/invoices/"+draft.ID+"/finalize", nil, &fin)
				if fin.IssueDate.String() != "2026-06-30" || fin.DueDate.String() != "2026-07-30" {
					t.Errorf("finalized issue %v due %v, want the draft's 2026-06-30 and 2026-07-30", fin.IssueDate, fin.DueDate)
				}
				other := c.Invoice(t, cust.ID, "10", "issue_date", "2026-06-30")
				c.Must(t, 200, "POST", "/v1/invoices/"+other.ID+"/finalize", map[string]any{"issue_date": "2026-11-01"}, &fin)
				if fin.IssueDate.String() != "2026-11-01" || fin.Number != "INV-000002" {
					t.Errorf("finalize body: issue %v number %s, want 2026-11-01 and INV-000002", fin.IssueDate, fin.Number)
				}
				// An empty JSON object is no date: today.
				third := c.Invoice(t, cust.ID, "10")
				c.Must(t, 200, "POST", "/v1/invoices/"+third.ID+"/finalize", map[string]any{}, &fin)
				if fin.IssueDate.String() != "2026-11-29" {
					t.Errorf("finalize {}: issue %v, want 2026-11-29", fin.IssueDate)
				}
			})

			t.Run("future and malformed dates are refused and write nothing", func(t *testing.T) {
				c := apitest.NewClient(t, s)
				cust := c.Customer(t, "Future AG")
				before := apitest.CountRows(t, c)
				for _, d := range []any{"2026-11-30", "1999-12-31", "30.11.2026", 20261130} {
					apitest.Invalid(t, c.Do(t, "POST", "/v1/invoices", body(cust.ID, "finalize", true, "issue_date", d)), "issue_date")
					apitest.Invalid(t, c.Do(t, "POST", "/v1/invoices", body(cust.ID, "issue_date", d)), "issue_date")
				}
				if after := apitest.CountRows(t, c); after != before {
					t.Errorf("refused creates wrote: %+v → %+v", before, after)
				}
				draft := c.Invoice(t, cust.ID, "10")
				before = apitest.CountRows(t, c)
				apitest.Invalid(t, c.Do(t, "POST", "/v1/invoices/"+draft.ID+"/finalize", map[string]any{"issue_date": "2027-01-01"}), "issue_date")
				apitest.Invalid(t, c.Do(t, "POST", "/v1/invoices/"+draft.ID+"/finalize", map[string]any{"issue_date": "soon"}), "issue_date")
				apitest.Problem(t, c.Do(t, "POST", "/v1/invoices/"+draft.ID+"/finalize", `{"issue_date":`), 400, billbridge.EMALFORMED)
				if after := apitest.CountRows(t, c); after != before {
					t.Errorf("refused finalizes wrote: %+v → %+v", before, after)
				}
				// The refused finalizes took no number: the next one is the first.
				var fin billbridge.Invoice
				c.Must(t, 200, "POST", "/v1/invoices/"+draft.ID+"/finalize", map[string]any{"issue_date": "2026-11-28"}, &fin)
				if fin.Number != "INV-000001" || fin.IssueDate.String() != "2026-11-28" {
					t.Errorf("finalized %s on %v, want INV-000001 on 2026-11-28", fin.Number, fin.IssueDate)
				}
			})
		})
	}
}
