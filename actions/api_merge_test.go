package actions_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"billbridge"
	"billbridge/internal/apitest"
	"billbridge/internal/testenv"
)

type mergeResult struct {
	billbridge.Customer
	MergedID string           `json:"merged_id"`
	Moved    billbridge.Moved `json:"moved"`
}

// mergeCustomers merges dup into primary and returns the answer.
func mergeCustomers(t *testing.T, c *apitest.Client, primary, dup string, headers ...string) mergeResult {
	t.Helper()
	m, err := tryMerge(t, c, primary, dup, headers...)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// tryMerge is mergeCustomers that returns its failure, for a goroutine.
func tryMerge(t *testing.T, c *apitest.Client, primary, dup string, headers ...string) (mergeResult, error) {
	t.Helper()
	var m mergeResult
	r := c.Do(t, "POST", "/v1/customers/merge", map[string]any{"primary_id": primary, "duplicate_id": dup}, headers...)
	if r.Status != 200 {
		return m, fmt.Errorf("merge %s into %s: %d %s", dup, primary, r.Status, r.Body)
	}
	return m, json.Unmarshal(r.Body, &m)
}

// pay records a payment of amount on an invoice.
func payInvoice(t *testing.T, c *apitest.Client, invoiceID, amount string) {
	t.Helper()
	c.Must(t, 201, "POST", "/v1/invoices/"+invoiceID+"/payments", map[string]any{"amount": amount}, nil)
}

// invoicesOf lists every invoice of a customer.
func invoicesOf(t *testing.T, c *apitest.Client, customerID string) []billbridge.Invoice {
	t.Helper()
	return apitest.GetList[billbridge.Invoice](t, c, "/v1/invoices?limit=100&customer_id="+customerID).Data
}

func TestAPIMerge(t *testing.T) {
	apitest.EachStore(t, apitest.Options{}, func(t *testing.T, s *apitest.Server) {
		t.Run("the duplicate's invoices, payments, keys and empty fields go to the survivor", func(t *testing.T) {
			t.Parallel()
			c := apitest.NewClient(t, s)
			primary := c.Customer(t, "Dupont GmbH", "external_id", "crm-1", "email", "billing@dupont.ch",
				"address", map[string]any{"postal_code": "8001"})
			dup := c.Customer(t, "GmbH  Dupont", "external_id", "crm-2", "customer_number", "K-2", "email", "compta@dupont.ch",
				"phone", "+41 44 123 45 67", "address", map[string]any{"postal_code": "8001", "city": "Zürich"})
			open := c.OpenInvoice(t, dup.ID, "100.00")
			payInvoice(t, c, open.ID, "40.00")
			c.Invoice(t, dup.ID, "10.00")
			mine := c.OpenInvoice(t, primary.ID, "5.00")
			before := apitest.CountRows(t, c)
			m := mergeCustomers(t, c, primary.ID, dup.ID)
			// The steps below run in order on this one merge: each names the promise it proves.
			t.Run("the answer names the survivor, the merged id and what moved", func(t *testing.T) {
				if m.ID != primary.ID || m.MergedID != dup.ID || m.Moved != (billbridge.Moved{Invoices: 2, Payments: 1}) {
					t.Errorf("merge %+v, want survivor %s, merged %s, moved 2 invoices and 1 payment", m, primary.ID, dup.ID)
				}
			})
			t.Run("the survivor keeps its keys and address and takes the empty fields", func(t *testing.T) {
				if m.ExternalID != "crm-1" || m.Email != "billing@dupont.ch" || m.CustomerNumber != "K-2" || m.Phone != "+41 44 123 45 67" ||
					m.Address.City != "" || !slices.Equal(m.MergedIDs, []string{dup.ID}) {
					t.Errorf("survivor %+v: keeps its keys and address, takes the empty customer_number and phone, lists merged_ids", m.Customer)
				}
			})
			t.Run("the merged id answers the survivor, its invoices and payment health", func(t *testing.T) {
				var got billbridge.Customer
				c.Must(t, 200, "GET", "/v1/customers/"+dup.ID, nil, &got)
				if got.ID != primary.ID || !slices.Equal(got.MergedIDs, []string{dup.ID}) {
					t.Errorf("GET of the merged id: %+v, want the survivor", got)
				}
				invs := invoicesOf(t, c, primary.ID)
				if viaMerged := invoicesOf(t, c, dup.ID); !slices.Equal(ids(viaMerged), ids(invs)) {
					t.Errorf("invoices?customer_id=<merged>: %v, want the survivor's %v", ids(viaMerged), ids(invs))
				}
				var health, healthMerged map[string]any
				c.Must(t, 200, "GET", "/v1/customers/"+primary.ID+"/payment-health", nil, &health)
				c.Must(t, 200, "GET", "/v1/customers/"+dup.ID+"/payment-health", nil, &healthMerged)
				if fmt.Sprint(health) != fmt.Sprint(healthMerged) {
					t.Errorf("payment health of the merged id %v, want the survivor's %v", healthMerged, health)
				}
			})
			t.Run("the duplicate's invoices and payments move to the survivor as they were", func(t *testing.T) {
				invs := invoicesOf(t, c, primary.ID)
				if len(invs) != 3 || !slices.Contains(ids(invs), mine.ID) {
					t.Fatalf("survivor has %v, want 3 invoices, its own %s among them", ids(invs), mine.ID)
				}
				var inv billbridge.Invoice
				c.Must(t, 200, "GET", "/v1/invoices/"+open.ID, nil, &inv)
				if inv.CustomerID != primary.ID || inv.AmountPaid != 4000 || inv.AmountDue != 6000 {
					t.Errorf("moved invoice %+v", inv)
				}
				pays := apitest.GetList[billbridge.Payment](t, c, "/v1/invoices/"+open.ID+"/payments").Data
				if len(pays) != 1 || pays[0].CustomerID != primary.ID {
					t.Errorf("moved payment %+v", pays)
				}
			})
			t.Run("a merge leaves one customer less, the same invoices and two events", func(t *testing.T) {
				after := apitest.CountRows(t, c)
				if after.Customers != before.Customers-1 || after.Invoices != before.Invoices || after.Events != before.Events+2 {
					t.Errorf("rows %+v after the merge, %+v before: one customer less, the same invoices, two events", after, before)
				}
				evs := apitest.GetList[billbridge.Event](t, c, "/v1/events?limit=2").Data
				if len(evs) != 2 || evs[0].Type != billbridge.CustomerUpdated || evs[1].Type != billbridge.CustomerMerged {
					t.Fatalf("events %+v, want customer.merged then customer.updated", evs)
				}
				merged := apitest.Numbers(t, evs[1].Data)
				if apitest.Text(merged["primary_id"]) != primary.ID || apitest.Text(merged["merged_id"]) != dup.ID || apitest.Text(merged["moved"]) != "map[invoices:2 payments:1]" {
					t.Errorf("customer.merged data %s", evs[1].Data)
				}
			})
			t.Run("the CRM's old keys reach the survivor and are never written back onto it", func(t *testing.T) {
				for _, body := range []map[string]any{
					{"name": "GmbH Dupont", "external_id": "crm-2"},
					{"name": "GmbH Dupont", "email": "Compta@dupont.ch"},
					{"name": "GmbH Dupont", "external_id": "crm-2", "email": "compta@dupont.ch", "contact_person": "Marie"},
				} {
					var up struct {
						billbridge.Customer
						MatchedBy *string `json:"matched_by"`
					}
					c.Must(t, 200, "POST", "/v1/customers/upsert", body, &up)
					if up.ID != primary.ID || up.MatchedBy == nil || *up.MatchedBy != billbridge.MatchedByAlias || up.ExternalID != "crm-1" || up.Email != "billing@dupont.ch" {
						t.Errorf("upsert %v: %+v, want the survivor matched by alias with its own keys", body, up)
					}
				}
				p := apitest.Problem(t, c.Do(t, "POST", "/v1/customers", map[string]any{"name": "X", "external_id": "crm-2"}), 409, billbridge.ECONFLICT)
				if p.ExistingID != primary.ID {
					t.Errorf("create with a merged external_id: existing_id %q, want the survivor", p.ExistingID)
				}
			})
			t.Run("a new invoice for the merged id goes to the survivor", func(t *testing.T) {
				var later billbridge.Invoice
				c.Must(t, 201, "POST", "/v1/invoices", map[string]any{"customer_id": dup.ID, "currency": "CHF",
					"items": []map[string]any{{"description": "Work", "quantity": 1, "unit_price": "1.00", "vat_rate": 0}}}, &later)
				if later.CustomerID != primary.ID {
					t.Errorf("new invoice for the merged id went to %s", later.CustomerID)
				}
			})
			t.Run("lists show the survivor only, found by any of the merged keys", func(t *testing.T) {
				if got := apitest.GetList[billbridge.Customer](t, c, "/v1/customers?limit=100").Data; len(got) != 1 || got[0].ID != primary.ID {
					t.Errorf("customer list %+v, want the survivor only", got)
				}
				// The list's key filters find what the upsert reaches: a merged customer's key lists the survivor.
				for q, want := range map[string]int{"external_id=crm-2": 1, "email=COMPTA%40dupont.ch": 1, "external_id=crm-1": 1,
					"customer_number=K-2": 1, "external_id=crm-3": 0} {
					got := apitest.GetList[billbridge.Customer](t, c, "/v1/customers?"+q).Data
					if len(got) != want || want == 1 && got[0].ID != primary.ID {
						t.Errorf("customers?%s: %+v, want %d customer (the survivor %s)", q, got, want, primary.ID)
					}
				}
			})
			t.Run("the merged pair leaves the duplicates list", func(t *testing.T) {
				if got := apitest.GetList[map[string]any](t, c, "/v1/customers/duplicates?min_score=0"); len(got.Data) != 0 {
					t.Errorf("merged pair still listed: %+v", got.Data)
				}
			})
		})
		t.Run("a merged id answers the survivor's duplicates and takes its patches", func(t *testing.T) {
			t.Parallel()
			c := apitest.NewClient(t, s)
			a := c.Customer(t, "Bernasconi Edilizia SA", "address", map[string]any{"postal_code": "6900"})
			b := c.Customer(t, "Bernasconi Edilizia Sagl", "address", map[string]any{"postal_code": "6900"})
			mergeCustomers(t, c, a.ID, b.ID)
			third := c.Customer(t, "Edilizia Bernasconi SA", "address", map[string]any{"postal_code": "6900"})
			own := apitest.GetList[billbridge.Duplicate](t, c, "/v1/customers/"+a.ID+"/duplicates").Data
			viaMerged := apitest.GetList[billbridge.Duplicate](t, c, "/v1/customers/"+b.ID+"/duplicates").Data
			if len(own) != 1 || len(viaMerged) != 1 || viaMerged[0].A.ID != own[0].A.ID || viaMerged[0].B.ID != own[0].B.ID ||
				(own[0].A.ID != third.ID && own[0].B.ID != third.ID) {
				t.Errorf("duplicates of the merged id %+v, of the survivor %+v, want the survivor's pair with %s", viaMerged, own, third.ID)
			}
			var patched billbridge.Customer
			c.Must(t, 200, "PATCH", "/v1/customers/"+b.ID, map[string]any{"phone": "+41 91 000 00 00"}, &patched)
			var got billbridge.Customer
			c.Must(t, 200, "GET", "/v1/customers/"+a.ID, nil, &got)
			if patched.ID != a.ID || got.Phone != "+41 91 000 00 00" {
				t.Errorf("PATCH of the merged id answered %s, survivor phone %q", patched.ID, got.Phone)
			}
		})
		t.Run("a repeated merge answers the same and moves nothing twice", func(t *testing.T) {
			t.Parallel()
			c := apitest.NewClient(t, s)
			a, b := c.Customer(t, "Rossi SA"), c.Customer(t, "Rossi Sagl")
			c.OpenInvoice(t, b.ID, "10.00")
			first := mergeCustomers(t, c, a.ID, b.ID, "Idempotency-Key", "merge-1")
			replay := c.Do(t, "POST", "/v1/customers/merge", map[string]any{"primary_id": a.ID, "duplicate_id": b.ID}, "Idempotency-Key", "merge-1")
			if replay.Status != 200 || replay.Header.Get("Idempotent-Replayed") != "true" {
				t.Errorf("replay %d %s", replay.Status, replay.Header)
			}
			events := apitest.CountRows(t, c).Events
			again := mergeCustomers(t, c, a.ID, b.ID)
			if again.MergedID != first.MergedID || again.Moved != first.Moved || again.ID != a.ID {
				t.Errorf("repeat %+v, first %+v", again, first)
			}
			if n := apitest.CountRows(t, c).Events; n != events {
				t.Errorf("a repeat appended %d events", n-events)
			}
		})
		t.Run("chains resolve to the final survivor", func(t *testing.T) {
			t.Parallel()
			c := apitest.NewClient(t, s)
			a, b, d := c.Customer(t, "Keller AG"), c.Customer(t, "Keller Treuhand AG"), c.Customer(t, "Keller AG Zürich")
			inv := c.OpenInvoice(t, d.ID, "10.00")
			mergeCustomers(t, c, b.ID, d.ID)
			mergeCustomers(t, c, a.ID, b.ID)
			var got billbridge.Customer
			c.Must(t, 200, "GET", "/v1/customers/"+d.ID, nil, &got)
			if got.ID != a.ID || !slices.Equal(got.MergedIDs, []string{b.ID, d.ID}) && !slices.Equal(got.MergedIDs, []string{d.ID, b.ID}) {
				t.Errorf("GET of the first merged id: %+v", got)
			}
			if invs := invoicesOf(t, c, a.ID); len(invs) != 1 || invs[0].ID != inv.ID {
				t.Errorf("final survivor's invoices %+v", invs)
			}
		})
		t.Run("what cannot be one customer is refused and nothing is written", func(t *testing.T) {
			t.Parallel()
			c := apitest.NewClient(t, s)
			co := c.Customer(t, "Dupont GmbH", "vat_number", "CHE-123.456.788")
			person := c.Customer(t, "Hans Dupont", "kind", "person")
			otherUID := c.Customer(t, "Dupont AG", "vat_number", "CHE-116.281.710 MWST")
			spare := c.Customer(t, "Dupont Sàrl")
			theirs := apitest.NewClient(t, s).Customer(t, "Dupont GmbH")
			before := apitest.CountRows(t, c)
			merge := func(p, d string) *apitest.Response {
				return c.Do(t, "POST", "/v1/customers/merge", map[string]any{"primary_id": p, "duplicate_id": d})
			}
			apitest.Invalid(t, merge(co.ID, co.ID), "duplicate_id")
			apitest.Invalid(t, merge(co.ID, person.ID), "duplicate_id")
			apitest.Invalid(t, merge(co.ID, otherUID.ID), "duplicate_id")
			apitest.Invalid(t, merge(co.ID, ""), "duplicate_id")
			apitest.Invalid(t, c.Do(t, "POST", "/v1/customers/merge", map[string]any{"duplicate_id": co.ID}), "primary_id")
			apitest.Problem(t, merge(co.ID, theirs.ID), 404, billbridge.ENOTFOUND)
			apitest.Problem(t, merge(theirs.ID, co.ID), 404, billbridge.ENOTFOUND)
			if after := apitest.CountRows(t, c); after != before {
				t.Errorf("rows %+v after refusals, want %+v", after, before)
			}
			mergeCustomers(t, c, co.ID, spare.ID)
			p := apitest.Problem(t, merge(otherUID.ID, spare.ID), 409, billbridge.ECONFLICT)
			if p.ExistingID != co.ID {
				t.Errorf("already merged: existing_id %q, want %s", p.ExistingID, co.ID)
			}
			apitest.Invalid(t, merge(spare.ID, co.ID), "duplicate_id")
		})
	})
}

// Merges under concurrency lose nothing and count nothing twice: parallel
// merges of one pair, and a merge racing payments on the duplicate's
// invoices and new invoices for the duplicate.
func TestAPIMergeConcurrency(t *testing.T) {
	apitest.EachStore(t, apitest.Options{}, func(t *testing.T, s *apitest.Server) {
		t.Run("parallel merges of one pair", func(t *testing.T) {
			t.Parallel()
			c := apitest.NewClient(t, s)
			a, b := c.Customer(t, "Meier AG"), c.Customer(t, "Meier Aktiengesellschaft")
			for range 3 {
				payInvoice(t, c, c.OpenInvoice(t, b.ID, "10.00").ID, "10.00")
			}
			results := testenv.FanOut(t, 8, func(int) (mergeResult, error) { return tryMerge(t, c, a.ID, b.ID) })
			for _, r := range results {
				if r.ID != a.ID || r.Moved != (billbridge.Moved{Invoices: 3, Payments: 3}) {
					t.Errorf("merge %+v, want 3 invoices and 3 payments moved once", r)
				}
			}
			merges := apitest.GetList[billbridge.Event](t, c, "/v1/events?type=customer.merged&limit=100").Data
			if len(merges) != 1 {
				t.Errorf("%d customer.merged events, want 1", len(merges))
			}
		})
		t.Run("a merge racing payments and new invoices on the duplicate", func(t *testing.T) {
			t.Parallel()
			c := apitest.NewClient(t, s)
			a, b := c.Customer(t, "Weber GmbH"), c.Customer(t, "Weber Gesellschaft mbH")
			var open []billbridge.Invoice
			for range 6 {
				open = append(open, c.OpenInvoice(t, b.ID, "30.00"))
			}
			// Six payments, six new invoices and the merge, released at once.
			testenv.FanOut(t, 13, func(i int) (struct{}, error) {
				var r *apitest.Response
				switch {
				case i < 6:
					r = c.Do(t, "POST", "/v1/invoices/"+open[i].ID+"/payments", map[string]any{"amount": "30.00"})
				case i < 12:
					r = c.Do(t, "POST", "/v1/invoices", map[string]any{"customer_id": b.ID, "currency": "CHF", "external_id": fmt.Sprint("late-", i),
						"items": []map[string]any{{"description": "Work", "quantity": 1, "unit_price": "1.00", "vat_rate": 0}}})
				default:
					_, err := tryMerge(t, c, a.ID, b.ID)
					return struct{}{}, err
				}
				if r.Status != 201 {
					return struct{}{}, fmt.Errorf("request %d: %d %s", i, r.Status, r.Body)
				}
				return struct{}{}, nil
			})
			invs := invoicesOf(t, c, a.ID)
			if len(invs) != 12 {
				t.Fatalf("survivor has %d invoices, want 12 (none left on the tombstone)", len(invs))
			}
			var paid, received billbridge.Money
			pays := 0
			for _, inv := range invs {
				paid += inv.AmountPaid
				for _, p := range apitest.GetList[billbridge.Payment](t, c, "/v1/invoices/"+inv.ID+"/payments").Data {
					pays++
					received += p.Amount
					if p.CustomerID != a.ID {
						t.Errorf("payment %s left on %s", p.ID, p.CustomerID)
					}
				}
			}
			if paid != 6*3000 || received != paid || pays != 6 {
				t.Errorf("%d payments of %s, paid %s over the survivor's invoices; want 6 of 180.00", pays, received, paid)
			}
		})
	})
}
