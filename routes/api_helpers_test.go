package routes_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"billbridge"
	"billbridge/internal/apitest"
	"billbridge/routes"
)

// eachStore runs fn as a parallel subtest on every store, each with its own
// gateway and fresh database.
func eachStore(t *testing.T, o apitest.Options, fn func(t *testing.T, s *apitest.Server)) {
	t.Helper()
	for _, store := range apitest.Stores {
		t.Run(store, func(t *testing.T) {
			t.Parallel()
			o := o
			o.Store = store
			fn(t, apitest.Start(t, o))
		})
	}
}

// client is one account of a test gateway.
type client struct {
	s   *apitest.Server
	id  string
	key string
}

// newClient makes a new account on s, so subtests sharing a gateway never
// see each other's rows or invoice numbers.
func newClient(t *testing.T, s *apitest.Server) *client {
	t.Helper()
	id, key := s.NewAccount(t.Name())
	return &client{s: s, id: id, key: key}
}

// do sends a request as this account.
func (c *client) do(t *testing.T, method, path string, body any, headers ...string) *apitest.Response {
	t.Helper()
	return c.s.Do(t, method, path, c.key, body, headers...)
}

// must sends a request and decodes the body into out (when not nil),
// failing unless the status is want.
func (c *client) must(t *testing.T, want int, method, path string, body, out any) *apitest.Response {
	t.Helper()
	r := c.s.Must(t, want, method, path, c.key, body)
	if out != nil {
		r.Decode(t, out)
	}
	return r
}

// customer creates a customer with the given name and extra fields.
func (c *client) customer(t *testing.T, name string, fields ...any) billbridge.Customer {
	t.Helper()
	body := map[string]any{"name": name}
	for i := 0; i+1 < len(fields); i += 2 {
		body[fields[i].(string)] = fields[i+1]
	}
	var cust billbridge.Customer
	c.must(t, 201, "POST", "/v1/customers", body, &cust)
	return cust
}

// invoice creates a draft invoice of one line of amount CHF at 8.1 % for customerID.
func (c *client) invoice(t *testing.T, customerID, amount string, fields ...any) billbridge.Invoice {
	t.Helper()
	body := map[string]any{
		"customer_id": customerID, "currency": "CHF",
		"items": []map[string]any{{"description": "Work", "quantity": 1, "unit_price": amount, "vat_rate": 8.1}},
	}
	for i := 0; i+1 < len(fields); i += 2 {
		body[fields[i].(string)] = fields[i+1]
	}
	var inv billbridge.Invoice
	c.must(t, 201, "POST", "/v1/invoices", body, &inv)
	return inv
}

// openInvoice creates and finalizes an invoice of one line of amount at 0 % VAT,
// so amount is also its total.
func (c *client) openInvoice(t *testing.T, customerID, amount string) billbridge.Invoice {
	t.Helper()
	var inv billbridge.Invoice
	c.must(t, 201, "POST", "/v1/invoices", map[string]any{
		"customer_id": customerID, "currency": "CHF", "finalize": true,
		"items": []map[string]any{{"description": "Work", "quantity": 1, "unit_price": amount, "vat_rate": 0}},
	}, &inv)
	if inv.Status != billbridge.StatusOpen {
		t.Fatalf("finalize on create: status %q", inv.Status)
	}
	return inv
}

// list is a decoded list response.
type list[T any] struct {
	Data       []T     `json:"data"`
	HasMore    bool    `json:"has_more"`
	NextCursor *string `json:"next_cursor"`
}

// getList GETs a list and decodes it.
func getList[T any](t *testing.T, c *client, path string) list[T] {
	t.Helper()
	var l list[T]
	c.must(t, 200, "GET", path, nil, &l)
	if l.Data == nil {
		t.Fatalf("GET %s: data is null, want an array", path)
	}
	return l
}

// problem checks that r is an RFC 9457 problem with status and code, whose
// request_id is the one in the X-Request-Id header, and returns it.
func problem(t *testing.T, r *apitest.Response, status int, code string) routes.Problem {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("Content-Type %q, want application/problem+json: %s", ct, r.Body)
	}
	var p routes.Problem
	r.Decode(t, &p)
	if p.Status != status || p.Code != code || p.Title == "" || p.Detail == "" || p.Type == "" {
		t.Fatalf("problem %+v, want status %d code %q with type, title and detail", p, status, code)
	}
	if p.RequestID == "" || p.RequestID != r.Header.Get("X-Request-Id") {
		t.Fatalf("problem request_id %q, header X-Request-Id %q", p.RequestID, r.Header.Get("X-Request-Id"))
	}
	return p
}

// invalid checks a 422 validation problem that names field.
func invalid(t *testing.T, r *apitest.Response, field string) routes.Problem {
	t.Helper()
	p := problem(t, r, 422, billbridge.EINVALID)
	for _, f := range p.InvalidParams {
		if f.Name == field && f.Reason != "" {
			return p
		}
	}
	t.Fatalf("invalid_params %+v do not name %q", p.InvalidParams, field)
	return p
}

// rows is what an account holds: customers, invoices and events.
type rows struct {
	customers, invoices int
	events              int64
}

// countRows counts an account's rows straight from the store.
func countRows(t *testing.T, c *client) rows {
	t.Helper()
	ctx := context.Background()
	var r rows
	for after := ""; ; {
		p, err := c.s.DB.FindCustomers(ctx, c.id, billbridge.CustomerFilter{PageParams: billbridge.PageParams{Limit: 100, StartingAfter: after}})
		if err != nil {
			t.Fatal(err)
		}
		r.customers += len(p.Data)
		if !p.HasMore {
			break
		}
		after = p.Data[len(p.Data)-1].ID
	}
	for after := ""; ; {
		p, err := c.s.DB.FindInvoices(ctx, c.id, billbridge.InvoiceFilter{PageParams: billbridge.PageParams{Limit: 100, StartingAfter: after}})
		if err != nil {
			t.Fatal(err)
		}
		r.invoices += len(p.Data)
		if !p.HasMore {
			break
		}
		after = p.Data[len(p.Data)-1].ID
	}
	seq, err := c.s.DB.LatestEventSeq(ctx, c.id)
	if err != nil {
		t.Fatal(err)
	}
	r.events = seq
	return r
}

// numbers decodes a JSON body keeping numbers as written, so "14.58" can be
// compared as the text the client receives.
func numbers(t *testing.T, body []byte) map[string]any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("decode %s: %v", body, err)
	}
	return m
}

// text renders a decoded JSON value for comparison.
func text(v any) string { return fmt.Sprint(v) }
