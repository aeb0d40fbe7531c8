package apitest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"billbridge"
	"billbridge/internal/testenv"
	"billbridge/routes"
)

// The client side of API tests: one account per subtest, requests as that
// account, and the checks every API test package shares (problems, rows
// written). Used by the actions, routes and triggers tests.

// EachStore runs fn as a parallel subtest on every store, each with its own
// gateway and fresh database.
func EachStore(t *testing.T, o Options, fn func(t *testing.T, s *Server)) {
	t.Helper()
	for _, store := range Stores {
		t.Run(store, func(t *testing.T) {
			t.Parallel()
			o := o
			o.Store = store
			fn(t, Start(t, o))
		})
	}
}

// EachStoreWithClock is EachStore with a fake clock of each store's own,
// starting at start: the stores' subtests run in parallel, so a clock they
// shared would move under one while the other advances it.
func EachStoreWithClock(t *testing.T, start time.Time, o Options, fn func(t *testing.T, s *Server, clk *testenv.Clock)) {
	t.Helper()
	for _, store := range Stores {
		t.Run(store, func(t *testing.T) {
			t.Parallel()
			clk := testenv.NewClock(start)
			o := o
			o.Store, o.Clock = store, clk.Now
			fn(t, Start(t, o), clk)
		})
	}
}

// Client is one account of a test gateway.
type Client struct {
	S   *Server
	ID  string
	Key string
}

// NewClient makes a new account on s, so subtests sharing a gateway never
// see each other's rows or invoice numbers.
func NewClient(t *testing.T, s *Server) *Client {
	t.Helper()
	id, key := s.NewAccount(t.Name())
	return &Client{S: s, ID: id, Key: key}
}

// Do sends a request as this account.
func (c *Client) Do(t *testing.T, method, path string, body any, headers ...string) *Response {
	t.Helper()
	return c.S.Do(t, method, path, c.Key, body, headers...)
}

// Must sends a request and decodes the body into out (when not nil),
// failing unless the status is want.
func (c *Client) Must(t *testing.T, want int, method, path string, body, out any) *Response {
	t.Helper()
	r := c.S.Must(t, want, method, path, c.Key, body)
	if out != nil {
		r.Decode(t, out)
	}
	return r
}

// Customer creates a customer with the given name and extra fields.
func (c *Client) Customer(t *testing.T, name string, fields ...any) billbridge.Customer {
	t.Helper()
	body := map[string]any{"name": name}
	for i := 0; i+1 < len(fields); i += 2 {
		body[fields[i].(string)] = fields[i+1]
	}
	var cust billbridge.Customer
	c.Must(t, 201, "POST", "/v1/customers", body, &cust)
	return cust
}

// Invoice creates a draft invoice of one line of amount CHF at 8.1 % for customerID.
func (c *Client) Invoice(t *testing.T, customerID, amount string, fields ...any) billbridge.Invoice {
	t.Helper()
	body := map[string]any{
		"customer_id": customerID, "currency": "CHF",
		"items": []map[string]any{{"description": "Work", "quantity": 1, "unit_price": amount, "vat_rate": 8.1}},
	}
	for i := 0; i+1 < len(fields); i += 2 {
		body[fields[i].(string)] = fields[i+1]
	}
	var inv billbridge.Invoice
	c.Must(t, 201, "POST", "/v1/invoices", body, &inv)
	return inv
}

// OpenInvoice creates and finalizes an invoice of one line of amount at 0 % VAT,
// so amount is also its total.
func (c *Client) OpenInvoice(t *testing.T, customerID, amount string) billbridge.Invoice {
	t.Helper()
	var inv billbridge.Invoice
	c.Must(t, 201, "POST", "/v1/invoices", map[string]any{
		"customer_id": customerID, "currency": "CHF", "finalize": true,
		"items": []map[string]any{{"description": "Work", "quantity": 1, "unit_price": amount, "vat_rate": 0}},
	}, &inv)
	if inv.Status != billbridge.StatusOpen {
		t.Fatalf("finalize on create: status %q", inv.Status)
	}
	return inv
}

// List is a decoded list response.
type List[T any] struct {
	Data       []T     `json:"data"`
	HasMore    bool    `json:"has_more"`
	NextCursor *string `json:"next_cursor"`
}

// GetList GETs a list and decodes it.
func GetList[T any](t *testing.T, c *Client, path string) List[T] {
	t.Helper()
	var l List[T]
	c.Must(t, 200, "GET", path, nil, &l)
	if l.Data == nil {
		t.Fatalf("GET %s: data is null, want an array", path)
	}
	return l
}

// Problem checks that r is an RFC 9457 problem with status and code, whose
// request_id is the one in the X-Request-Id header, and returns it.
func Problem(t *testing.T, r *Response, status int, code string) routes.Problem {
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

// Invalid checks a 422 validation problem that names field.
func Invalid(t *testing.T, r *Response, field string) routes.Problem {
	t.Helper()
	p := Problem(t, r, 422, billbridge.EINVALID)
	for _, f := range p.InvalidParams {
		if f.Name == field && f.Reason != "" {
			return p
		}
	}
	t.Fatalf("invalid_params %+v do not name %q", p.InvalidParams, field)
	return p
}

// Rows is what an account holds: customers, invoices and events.
type Rows struct {
	Customers, Invoices int
	Events              int64
}

// CountRows counts an account's rows straight from the store.
func CountRows(t *testing.T, c *Client) Rows {
	t.Helper()
	ctx := context.Background()
	var r Rows
	for after := ""; ; {
		p, err := c.S.DB.FindCustomers(ctx, c.ID, billbridge.CustomerFilter{PageParams: billbridge.PageParams{Limit: 100, StartingAfter: after}})
		if err != nil {
			t.Fatal(err)
		}
		r.Customers += len(p.Data)
		if !p.HasMore {
			break
		}
		after = p.Data[len(p.Data)-1].ID
	}
	for after := ""; ; {
		p, err := c.S.DB.FindInvoices(ctx, c.ID, billbridge.InvoiceFilter{PageParams: billbridge.PageParams{Limit: 100, StartingAfter: after}})
		if err != nil {
			t.Fatal(err)
		}
		r.Invoices += len(p.Data)
		if !p.HasMore {
			break
		}
		after = p.Data[len(p.Data)-1].ID
	}
	seq, err := c.S.DB.LatestEventSeq(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	r.Events = seq
	return r
}

// Numbers decodes a JSON body keeping numbers as written, so "14.58" can be
// compared as the text the client receives.
func Numbers(t *testing.T, body []byte) map[string]any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("decode %s: %v", body, err)
	}
	return m
}

// Text renders a decoded JSON value for comparison.
func Text(v any) string { return fmt.Sprint(v) }
