package clienttest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"billbridge/internal/apitest"
	"billbridge/internal/contract"
	client "github.com/billbridge/billbridge/client"

	"github.com/oapi-codegen/runtime/types"
)

// checkedDoer sends requests and validates each exchange against the spec,
// so the generated client is held to the contract like every API test.
type checkedDoer struct {
	t *testing.T
	c *contract.Checker
}

func (d checkedDoer) Do(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		var err error
		if body, err = io.ReadAll(req.Body); err != nil {
			return nil, err
		}
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	out, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(out))
	check := req.Clone(req.Context())
	check.Body = io.NopCloser(bytes.NewReader(body))
	if err := d.c.Validate(check, body, &apitest.Response{Status: resp.StatusCode, Header: resp.Header, Body: out}); err != nil {
		d.t.Errorf("contract: %s %s: %v", req.Method, req.URL.Path, err)
	}
	return resp, nil
}

func ptr[T any](v T) *T { return &v }

// TestReadmeWalkthrough is the README's curl walkthrough with the client a
// user generates from /openapi.json: upsert a customer twice, create and
// finalize an invoice, pay it in two parts (one retried with its
// Idempotency-Key), and read invoice.paid from the event feed.
func TestReadmeWalkthrough(t *testing.T) {
	for _, store := range apitest.Stores {
		t.Run(store, func(t *testing.T) { walkthrough(t, apitest.Start(t, apitest.Options{Store: store})) })
	}
}

func walkthrough(t *testing.T, s *apitest.Server) {
	ctx := context.Background()
	checker, err := contract.New()
	if err != nil {
		t.Fatal(err)
	}
	auth := func(_ context.Context, req *http.Request) error {
		req.Header.Set("Authorization", "Bearer "+s.Key)
		return nil
	}
	c, err := client.NewClientWithResponses(s.URL, client.WithHTTPClient(checkedDoer{t, checker}), client.WithRequestEditorFn(auth))
	if err != nil {
		t.Fatal(err)
	}
	must := func(status int, what string, r interface{ StatusCode() int }, body []byte, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if r.StatusCode() != status {
			t.Fatalf("%s: status %d, want %d: %s", what, r.StatusCode(), status, body)
		}
	}

	me, err := c.GetMeWithResponse(ctx)
	must(200, "me", me, me.Body, err)
	if me.JSON200.AccountId != s.AccountID {
		t.Errorf("me: account %s, want %s", me.JSON200.AccountId, s.AccountID)
	}

	// Upsert a customer twice: one customer, created then matched by email.
	first, err := c.UpsertCustomerWithResponse(ctx, nil, client.CustomerInput{
		Name: "Dupont GmbH", Email: ptr(types.Email("Billing@Dupont.ch")),
		Address: &client.AddressInput{Street: ptr("Bahnhofstrasse"), BuildingNumber: ptr("1"), PostalCode: ptr("8001"), City: ptr("Zürich"), Country: ptr("CH")},
	})
	must(201, "upsert", first, first.Body, err)
	again, err := c.UpsertCustomerWithResponse(ctx, nil, client.CustomerInput{Name: "Dupont GmbH", Email: ptr(types.Email(" billing@dupont.ch "))})
	must(200, "upsert again", again, again.Body, err)
	if again.JSON200.Id != first.JSON201.Id || again.JSON200.MatchedBy == nil || *again.JSON200.MatchedBy != "email" {
		t.Fatalf("upsert again: %s, want customer %s matched by email", again.Body, first.JSON201.Id)
	}
	found, err := c.ListCustomersWithResponse(ctx, &client.ListCustomersParams{Email: ptr("billing@dupont.ch")})
	must(200, "find customer", found, found.Body, err)
	if len(found.JSON200.Data) != 1 {
		t.Fatalf("find customer: %s", found.Body)
	}
	cus := found.JSON200.Data[0].Id

	// Create an invoice (a repeat with the same external_id returns it) and finalize it.
	invIn := client.InvoiceInput{CustomerId: cus, ExternalId: ptr("deal-42"), Currency: client.InvoiceInputCurrencyCHF,
		Items: []client.LineItemInput{{Description: "Consulting", Quantity: decimal[client.LineItemInput_Quantity](1.5),
			UnitPrice: ptr(decimal[client.LineItemInput_UnitPrice](120)), VatRate: ptr(decimal[client.LineItemInput_VatRate](8.1))}}}
	created, err := c.CreateInvoiceWithResponse(ctx, nil, invIn)
	must(201, "create invoice", created, created.Body, err)
	inv := created.JSON201.Id
	repeat, err := c.CreateInvoiceWithResponse(ctx, nil, invIn)
	must(200, "create invoice again", repeat, repeat.Body, err)
	if repeat.JSON200.Id != inv {
		t.Fatalf("repeat created %s, want %s", repeat.JSON200.Id, inv)
	}
	fin, err := c.FinalizeInvoiceWithResponse(ctx, inv, nil, client.FinalizeInput{})
	must(200, "finalize", fin, fin.Body, err)
	if fin.JSON200.Number == nil || *fin.JSON200.Number != "INV-000001" || fin.JSON200.Total != 194.58 {
		t.Fatalf("finalized: %s, want INV-000001 with total 194.58", fin.Body)
	}

	// Pay part, retried with its Idempotency-Key, then the rest.
	key := &client.RecordPaymentParams{IdempotencyKey: ptr("pay-1")}
	p1, err := c.RecordPaymentWithResponse(ctx, inv, key, client.PaymentInput{Amount: decimal[client.PaymentInput_Amount](100)})
	must(201, "pay 100", p1, p1.Body, err)
	retry, err := c.RecordPaymentWithResponse(ctx, inv, key, client.PaymentInput{Amount: decimal[client.PaymentInput_Amount](100)})
	must(201, "pay 100 again", retry, retry.Body, err)
	if retry.HTTPResponse.Header.Get("Idempotent-Replayed") != "true" || !bytes.Equal(retry.Body, p1.Body) {
		t.Fatalf("retry not replayed: %v %s", retry.HTTPResponse.Header, retry.Body)
	}
	unpaid, err := c.ListInvoicesWithResponse(ctx, &client.ListInvoicesParams{Status: ptr(client.ListInvoicesParamsStatus("unpaid"))})
	must(200, "unpaid", unpaid, unpaid.Body, err)
	if len(unpaid.JSON200.Data) != 1 || unpaid.JSON200.Data[0].Status != "partially_paid" || unpaid.JSON200.Data[0].AmountDue != 94.58 {
		t.Fatalf("unpaid: %s, want one partially paid with 94.58 due", unpaid.Body)
	}
	p2, err := c.RecordPaymentWithResponse(ctx, inv, &client.RecordPaymentParams{IdempotencyKey: ptr("pay-2")}, client.PaymentInput{Amount: decimal[client.PaymentInput_Amount]("94.58")}) // as the README sends it
	must(201, "pay the rest", p2, p2.Body, err)

	// Nothing unpaid; invoice.paid is in the feed, typed.
	unpaid, err = c.ListInvoicesWithResponse(ctx, &client.ListInvoicesParams{Status: ptr(client.ListInvoicesParamsStatus("unpaid"))})
	must(200, "unpaid after", unpaid, unpaid.Body, err)
	if len(unpaid.JSON200.Data) != 0 {
		t.Fatalf("unpaid after paying: %s", unpaid.Body)
	}
	feed, err := c.ListEventsWithResponse(ctx, &client.ListEventsParams{Type: ptr("invoice.paid,payment.received")})
	must(200, "events", feed, feed.Body, err)
	var paid *client.InvoicePaidEvent
	payments := 0
	for _, ev := range feed.JSON200.Data {
		v, err := ev.ValueByDiscriminator()
		if err != nil {
			t.Fatalf("event: %v", err)
		}
		switch e := v.(type) {
		case client.InvoicePaidEvent:
			paid = &e
		case client.PaymentReceivedEvent:
			payments++
			if e.Data.InvoiceId != inv {
				t.Errorf("payment.received for %s, want %s", e.Data.InvoiceId, inv)
			}
		default:
			t.Errorf("feed filtered to invoice.paid,payment.received returned %T", v)
		}
	}
	if paid == nil || paid.Data.Id != inv || paid.Data.Status != "paid" || paid.Data.AmountDue != 0 || paid.Data.PaidAt == nil {
		t.Fatalf("no invoice.paid for %s with a paid invoice in %s", inv, feed.Body)
	}
	if payments != 2 {
		t.Errorf("%d payment.received events, want 2 (the retry counts once)", payments)
	}
}

// decimal is an amount, quantity or rate of a request as the generated
// client types it: a JSON number or a decimal string (v is either).
func decimal[U any, PU interface {
	*U
	UnmarshalJSON([]byte) error
}](v any) U {
	var u U
	b, err := json.Marshal(v)
	if err == nil {
		err = PU(&u).UnmarshalJSON(b)
	}
	if err != nil {
		panic(err)
	}
	return u
}
