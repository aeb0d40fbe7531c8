package actions_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"billbridge"
	"billbridge/internal/apitest"
)

// TestAPIProtocolErrors: unknown routes, wrong methods and oversized
// bodies are problems too, and every response carries its request id.
func TestAPIProtocolErrors(t *testing.T) {
	apitest.EachStore(t, apitest.Options{}, func(t *testing.T, s *apitest.Server) {
		c := apitest.NewClient(t, s)
		for _, path := range []string{"/v1/nothing", "/v1/customers/cus_1/nothing", "/nothing"} {
			apitest.Problem(t, c.Do(t, "GET", path, nil), 404, billbridge.ENOTFOUND)
		}
		for _, mp := range [][2]string{{"PUT", "/v1/customers"}, {"DELETE", "/v1/me"}, {"POST", "/v1/invoices/inv_1"}, {"PATCH", "/v1/invoices/inv_1"}, {"GET", "/v1/deals/won"}} {
			apitest.Problem(t, c.Do(t, mp[0], mp[1], nil), 405, billbridge.EMETHOD)
		}

		// Over 1 MiB: 413 whether the length is declared or the body is streamed; nothing written.
		before := apitest.CountRows(t, c)
		big := `{"name":"` + strings.Repeat("x", 1<<20) + `"}`
		apitest.Problem(t, c.Do(t, "POST", "/v1/customers", big), 413, billbridge.ETOOLARGE)
		req, err := http.NewRequest("POST", s.URL+"/v1/customers/upsert", io.MultiReader(strings.NewReader(big)))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+c.Key)
		req.Header.Set("Content-Type", "application/json")
		if req.ContentLength != 0 {
			t.Fatalf("want a streamed body without Content-Length")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		apitest.Problem(t, &apitest.Response{Status: resp.StatusCode, Header: resp.Header, Body: body}, 413, billbridge.ETOOLARGE)
		if after := apitest.CountRows(t, c); after != before {
			t.Errorf("413 wrote: %+v → %+v", before, after)
		}
		// Just under the limit is read (and here refused for the name's length, not the size).
		under := `{"name":"` + strings.Repeat("x", 1<<20-20) + `"}`
		apitest.Invalid(t, c.Do(t, "POST", "/v1/customers", under), "name")

		// Request ids: a sane one is echoed, anything else replaced by a fresh one.
		r := c.Do(t, "GET", "/v1/me", nil, "X-Request-Id", "zap-run.42:a_b-c")
		if got := r.Header.Get("X-Request-Id"); got != "zap-run.42:a_b-c" {
			t.Errorf("echoed request id %q", got)
		}
		if p := apitest.Problem(t, c.Do(t, "GET", "/v1/customers/cus_nope", nil, "X-Request-Id", "trace-7"), 404, billbridge.ENOTFOUND); p.RequestID != "trace-7" {
			t.Errorf("problem request_id %q, want trace-7", p.RequestID)
		}
		seen := map[string]bool{}
		for _, sent := range []string{"", "has spaces", strings.Repeat("a", 65), "ünïcode", "", "x\ty"} {
			var r *apitest.Response
			if sent == "" {
				r = c.Do(t, "GET", "/v1/me", nil)
			} else {
				r = c.Do(t, "GET", "/v1/me", nil, "X-Request-Id", sent)
			}
			got := r.Header.Get("X-Request-Id")
			if got == "" || got == sent || seen[got] {
				t.Errorf("sent %q: request id %q, want a fresh one", sent, got)
			}
			seen[got] = true
		}
		apitest.Problem(t, s.Do(t, "GET", "/v1/me", "", nil, "X-Request-Id", "no-key-1"), 401, billbridge.EUNAUTHORIZED)
	})
}

// TestAPIBadInput sends refused bodies and queries: each gets its documented
// status and a problem naming the field by its JSON path, and nothing is written.
func TestAPIBadInput(t *testing.T) {
	long := func(n int) string { return strings.Repeat("a", n) }
	line := func(kv ...any) map[string]any {
		it := map[string]any{"description": "Work", "quantity": 1, "unit_price": "10.00", "vat_rate": 8.1}
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i+1] == nil {
				delete(it, kv[i].(string))
			} else {
				it[kv[i].(string)] = kv[i+1]
			}
		}
		return it
	}
	apitest.EachStore(t, apitest.Options{}, func(t *testing.T, s *apitest.Server) {
		c := apitest.NewClient(t, s)
		cust := c.Customer(t, "Existing AG", "email", "existing@ag.ch")
		open := c.OpenInvoice(t, cust.ID, "100.00")
		hookPath := "/v1/hooks"
		invoice := func(kv ...any) map[string]any {
			in := map[string]any{"customer_id": cust.ID, "currency": "CHF", "items": []any{line()}}
			for i := 0; i+1 < len(kv); i += 2 {
				if kv[i+1] == nil {
					delete(in, kv[i].(string))
				} else {
					in[kv[i].(string)] = kv[i+1]
				}
			}
			return in
		}
		for _, tc := range []struct {
			name   string
			method string
			path   string
			body   any
			status int
			field  string // for 422
		}{
			// Malformed JSON: 400.
			{"truncated", "POST", "/v1/customers", `{"name": "Dupont`, 400, ""},
			{"not json", "POST", "/v1/customers/upsert", `name=Dupont`, 400, ""},
			{"empty body", "POST", "/v1/customers", ``, 400, ""},
			{"array", "POST", "/v1/invoices", `[]`, 400, ""},
			{"two values", "POST", "/v1/customers", `{"name":"A"}{"name":"B"}`, 400, ""},
			{"trailing comma", "POST", "/v1/invoices", `{"customer_id":"x",}`, 400, ""},
			{"payment truncated", "POST", "/v1/invoices/" + open.ID + "/payments", `{"amount":`, 400, ""},
			{"deal not json", "POST", "/v1/deals/won", `deal`, 400, ""},
			{"patch truncated", "PATCH", "/v1/customers/" + cust.ID, `{"name"`, 400, ""},

			// Customers.
			{"name missing", "POST", "/v1/customers", map[string]any{"email": "a@b.ch"}, 422, "name"},
			{"name blank", "POST", "/v1/customers/upsert", map[string]any{"name": "   "}, 422, "name"},
			{"name number", "POST", "/v1/customers", map[string]any{"name": 42}, 422, "name"},
			{"name too long", "POST", "/v1/customers", map[string]any{"name": long(201)}, 422, "name"},
			{"email invalid", "POST", "/v1/customers", map[string]any{"name": "A", "email": "not-an-email"}, 422, "email"},
			{"email two ats", "POST", "/v1/customers/upsert", map[string]any{"name": "A", "email": "a@b@c.ch"}, 422, "email"},
			{"email too long", "POST", "/v1/customers", map[string]any{"name": "A", "email": long(250) + "@b.ch"}, 422, "email"},
			{"country alpha-3", "POST", "/v1/customers", map[string]any{"name": "A", "address": map[string]any{"country": "CHE"}}, 422, "address.country"},
			{"country unknown", "POST", "/v1/customers/upsert", map[string]any{"name": "A", "address": map[string]any{"country": "XX"}}, 422, "address.country"},
			{"country digits", "POST", "/v1/customers", map[string]any{"name": "A", "address": map[string]any{"country": "12"}}, 422, "address.country"},
			{"shipping country", "POST", "/v1/customers", map[string]any{"name": "A", "shipping_address": map[string]any{"country": "ZZ"}}, 422, "shipping_address.country"},
			{"country number", "POST", "/v1/customers", map[string]any{"name": "A", "address": map[string]any{"country": 756}}, 422, "address.country"},
			{"address string", "POST", "/v1/customers", map[string]any{"name": "A", "address": "Bahnhofstrasse 1"}, 422, "address"},
			{"city too long", "POST", "/v1/customers", map[string]any{"name": "A", "address": map[string]any{"city": long(36)}}, 422, "address.city"},
			{"kind", "POST", "/v1/customers", map[string]any{"name": "A", "kind": "robot"}, 422, "kind"},
			{"language", "POST", "/v1/customers", map[string]any{"name": "A", "language": "es"}, 422, "language"},
			{"terms negative", "POST", "/v1/customers", map[string]any{"name": "A", "payment_terms_days": -1}, 422, "payment_terms_days"},
			{"terms string", "POST", "/v1/customers", map[string]any{"name": "A", "payment_terms_days": "ten"}, 422, "payment_terms_days"},
			{"terms fraction", "POST", "/v1/customers", map[string]any{"name": "A", "payment_terms_days": 1.5}, 422, "payment_terms_days"},
			{"external_id too long", "POST", "/v1/customers/upsert", map[string]any{"name": "A", "external_id": long(256)}, 422, "external_id"},
			{"patch email", "PATCH", "/v1/customers/" + cust.ID, map[string]any{"email": "nope"}, 422, "email"},
			{"patch name too long", "PATCH", "/v1/customers/" + cust.ID, map[string]any{"name": long(201)}, 422, "name"},
			{"patch country", "PATCH", "/v1/customers/" + cust.ID, map[string]any{"address": map[string]any{"country": "Schweiz"}}, 422, "address.country"},

			// Invoices.
			{"customer_id missing", "POST", "/v1/invoices", invoice("customer_id", nil), 422, "customer_id"},
			{"currency unknown", "POST", "/v1/invoices", invoice("currency", "USD"), 422, "currency"},
			{"currency missing", "POST", "/v1/invoices", invoice("currency", nil), 422, "currency"},
			{"currency number", "POST", "/v1/invoices", invoice("currency", 756), 422, "currency"},
			{"items missing", "POST", "/v1/invoices", invoice("items", nil), 422, "items"},
			{"items empty", "POST", "/v1/invoices", invoice("items", []any{}), 422, "items"},
			{"items object", "POST", "/v1/invoices", invoice("items", map[string]any{}), 422, "items"},
			{"unit_price negative", "POST", "/v1/invoices", invoice("items", []any{line("unit_price", -1)}), 422, "items[0].unit_price"},
			{"unit_price negative string", "POST", "/v1/invoices", invoice("items", []any{line("unit_price", "-0.01")}), 422, "items[0].unit_price"},
			{"unit_price three digits", "POST", "/v1/invoices", invoice("items", []any{line("unit_price", 10.001)}), 422, "items[0].unit_price"},
			{"unit_price three digits string", "POST", "/v1/invoices", invoice("items", []any{line("unit_price", "10.001")}), 422, "items[0].unit_price"},
			{"unit_price exponent", "POST", "/v1/invoices", invoice("items", []any{line("unit_price", 1e21)}), 422, "items[0].unit_price"},
			{"unit_price word", "POST", "/v1/invoices", invoice("items", []any{line("unit_price", "ten")}), 422, "items[0].unit_price"},
			{"unit_price bool", "POST", "/v1/invoices", invoice("items", []any{line("unit_price", true)}), 422, "items[0].unit_price"},
			{"unit_price too big", "POST", "/v1/invoices", invoice("items", []any{line("unit_price", "1000000000.00")}), 422, "items[0].unit_price"},
			{"quantity zero", "POST", "/v1/invoices", invoice("items", []any{line("quantity", 0)}), 422, "items[0].quantity"},
			{"quantity negative", "POST", "/v1/invoices", invoice("items", []any{line(), line("quantity", -2)}), 422, "items[1].quantity"},
			{"quantity four digits", "POST", "/v1/invoices", invoice("items", []any{line("quantity", "1.0001")}), 422, "items[0].quantity"},
			{"quantity missing", "POST", "/v1/invoices", invoice("items", []any{line("quantity", nil)}), 422, "items[0].quantity"},
			{"vat_rate negative", "POST", "/v1/invoices", invoice("items", []any{line("vat_rate", -8.1)}), 422, "items[0].vat_rate"},
			{"vat_rate three digits", "POST", "/v1/invoices", invoice("items", []any{line("vat_rate", 8.125)}), 422, "items[0].vat_rate"},
			{"vat_rate over 100", "POST", "/v1/invoices", invoice("items", []any{line("vat_rate", 100.01)}), 422, "items[0].vat_rate"},
			{"description missing", "POST", "/v1/invoices", invoice("items", []any{line("description", nil)}), 422, "items[0].description"},
			{"description too long", "POST", "/v1/invoices", invoice("items", []any{line(), line(), line("description", long(501))}), 422, "items[2].description"},
			{"total too big", "POST", "/v1/invoices", invoice("items", []any{line("unit_price", "999999999.99", "vat_rate", 8.1)}), 422, "items"},
			{"due_in_days negative", "POST", "/v1/invoices", invoice("due_in_days", -1), 422, "due_in_days"},
			{"due_in_days string", "POST", "/v1/invoices", invoice("due_in_days", "soon"), 422, "due_in_days"},
			{"notes too long", "POST", "/v1/invoices", invoice("notes", long(2001)), 422, "notes"},
			{"reference too long", "POST", "/v1/invoices", invoice("reference", long(141)), 422, "reference"},
			{"finalize string", "POST", "/v1/invoices", invoice("finalize", "yes"), 422, "finalize"},
			{"unknown customer", "POST", "/v1/invoices", invoice("customer_id", "cus_nope"), 422, "customer_id"},

			// Payments.
			{"amount negative", "POST", "/v1/invoices/" + open.ID + "/payments", map[string]any{"amount": -5}, 422, "amount"},
			{"amount zero", "POST", "/v1/invoices/" + open.ID + "/payments", map[string]any{"amount": "0.00"}, 422, "amount"},
			{"amount missing", "POST", "/v1/invoices/" + open.ID + "/payments", map[string]any{"method": "cash"}, 422, "amount"},
			{"amount three digits", "POST", "/v1/invoices/" + open.ID + "/payments", map[string]any{"amount": 1.001}, 422, "amount"},
			{"amount over due", "POST", "/v1/invoices/" + open.ID + "/payments", map[string]any{"amount": "100.01"}, 422, "amount"},
			{"paid_at month 13", "POST", "/v1/invoices/" + open.ID + "/payments", map[string]any{"amount": 1, "paid_at": "2026-13-01"}, 422, "paid_at"},
			{"paid_at words", "POST", "/v1/invoices/" + open.ID + "/payments", map[string]any{"amount": 1, "paid_at": "yesterday"}, 422, "paid_at"},
			{"method", "POST", "/v1/invoices/" + open.ID + "/payments", map[string]any{"amount": 1, "method": "bitcoin"}, 422, "method"},
			{"payment reference too long", "POST", "/v1/invoices/" + open.ID + "/payments", map[string]any{"amount": 1, "reference": long(141)}, 422, "reference"},

			// Deals.
			{"deal_id too long for the invoice reference", "POST", "/v1/deals/won", map[string]any{"deal_id": long(141), "customer": map[string]any{"name": "A"}, "currency": "CHF", "items": []any{line()}}, 422, "deal_id"},
			{"deal_id missing", "POST", "/v1/deals/won", map[string]any{"customer": map[string]any{"name": "A"}, "currency": "CHF", "items": []any{line()}}, 422, "deal_id"},
			{"deal customer name", "POST", "/v1/deals/won", map[string]any{"deal_id": "d1", "customer": map[string]any{"email": "a@b.ch"}, "currency": "CHF", "items": []any{line()}}, 422, "customer.name"},
			{"deal customer email", "POST", "/v1/deals/won", map[string]any{"deal_id": "d1", "customer": map[string]any{"name": "A", "email": "x"}, "currency": "CHF", "items": []any{line()}}, 422, "customer.email"},
			{"deal customer country", "POST", "/v1/deals/won", map[string]any{"deal_id": "d1", "customer": map[string]any{"name": "A", "address": map[string]any{"country": "EU"}}, "currency": "CHF", "items": []any{line()}}, 422, "customer.address.country"},
			{"deal currency", "POST", "/v1/deals/won", map[string]any{"deal_id": "d1", "customer": map[string]any{"name": "A"}, "currency": "GBP", "items": []any{line()}}, 422, "currency"},
			{"deal unit_price", "POST", "/v1/deals/won", map[string]any{"deal_id": "d1", "customer": map[string]any{"name": "A"}, "currency": "CHF", "items": []any{line("unit_price", "-3")}}, 422, "items[0].unit_price"},

			// Hooks.
			{"hook url", "POST", hookPath, map[string]any{"target_url": "not a url", "events": []string{"invoice.paid"}}, 422, "target_url"},
			{"hook events", "POST", hookPath, map[string]any{"target_url": "https://hooks.example.com/x", "events": []string{"invoice.eaten"}}, 422, "events[0]"},
			{"hook events empty", "POST", hookPath, map[string]any{"target_url": "https://hooks.example.com/x", "events": []string{}}, 422, "events"},

			// Queries.
			{"customer query too long", "GET", "/v1/customers?q=" + long(201), nil, 422, "q"},
			{"invoice status", "GET", "/v1/invoices?status=late", nil, 422, "status"},
			{"event type", "GET", "/v1/events?type=invoice.eaten", nil, 422, "type"},
			{"event order", "GET", "/v1/events?order=sideways", nil, 422, "order"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before := apitest.CountRows(t, c)
				r := c.Do(t, tc.method, tc.path, tc.body)
				switch tc.status {
				case 400:
					apitest.Problem(t, r, 400, billbridge.EMALFORMED)
				default:
					apitest.Invalid(t, r, tc.field)
				}
				if after := apitest.CountRows(t, c); after != before {
					t.Errorf("refused request wrote: %+v → %+v", before, after)
				}
			})
		}
		var got billbridge.Invoice
		c.Must(t, 200, "GET", "/v1/invoices/"+open.ID, nil, &got)
		if got.AmountPaid != 0 || got.Status != "open" {
			t.Errorf("refused payments counted: %+v", got)
		}
		if l := apitest.GetList[billbridge.Payment](t, c, "/v1/invoices/"+open.ID+"/payments"); len(l.Data) != 0 {
			t.Errorf("refused payments stored: %+v", l.Data)
		}
		var stored billbridge.Customer
		c.Must(t, 200, "GET", "/v1/customers/"+cust.ID, nil, &stored)
		if stored.Email != "existing@ag.ch" || stored.Name != "Existing AG" || stored.Address != nil {
			t.Errorf("refused patches changed the customer: %+v", stored)
		}
		if l := apitest.GetList[billbridge.Hook](t, c, "/v1/hooks"); len(l.Data) != 0 {
			t.Errorf("refused hooks stored: %+v", l.Data)
		}
	})
}

// TestAPIWrongTypeInArrayNamesIndex: a value of the wrong JSON type inside an
// array is named with its index, like every other refused field
// ("items[1].description", not "items.description").
func TestAPIWrongTypeInArrayNamesIndex(t *testing.T) {
	apitest.EachStore(t, apitest.Options{}, func(t *testing.T, s *apitest.Server) {
		c := apitest.NewClient(t, s)
		cust := c.Customer(t, "Index AG")
		before := apitest.CountRows(t, c)
		apitest.Invalid(t, c.Do(t, "POST", "/v1/invoices", map[string]any{"customer_id": cust.ID, "currency": "CHF", "items": []any{
			map[string]any{"description": "ok", "quantity": 1, "unit_price": 1, "vat_rate": 0},
			map[string]any{"description": 5, "quantity": 1, "unit_price": 1, "vat_rate": 0},
		}}), "items[1].description")
		if after := apitest.CountRows(t, c); after != before {
			t.Errorf("refused request wrote: %+v → %+v", before, after)
		}
	})
}
