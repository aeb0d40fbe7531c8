package openapi_test

import (
	"context"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"billbridge"
	"billbridge/internal/apitest"
	"billbridge/internal/contract"
	"billbridge/routes"
)

// TestMain validates every request and response of this package's API
// tests against the embedded spec.
func TestMain(m *testing.M) {
	contract.Install()
	os.Exit(m.Run())
}

// TestContractWalk drives every operation through its documented answers,
// successes and errors, on SQLite and PostgreSQL; contract.Install checks
// each exchange, and the walk ends by asking that every documented status
// of every operation was seen and validated.
func TestContractWalk(t *testing.T) {
	for _, store := range apitest.Stores {
		t.Run(store, func(t *testing.T) {
			s := apitest.Start(t, apitest.Options{Store: store, AllowPrivate: true})
			walkUnauthenticated(t, s)
			walkTooLarge(t, s)
			walkMediaType(t, s)
			walk(t, s)
			walkRateLimited(t, apitest.Start(t, apitest.Options{Store: store, RateLimit: billbridge.RateLimit{Rate: 1, Period: time.Hour, Burst: 1}}))
		})
	}
	c, err := contract.Default()
	if err != nil {
		t.Fatal(err)
	}
	var missing []string
	for op, statuses := range c.Unseen() {
		for _, s := range statuses {
			if s == 500 && !strings.HasPrefix(c.Path(op), "/v1/") {
				continue // nothing these depend on can fail on purpose; the problem is the same as under /v1
			}
			missing = append(missing, op+" "+strconv.Itoa(s))
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("documented responses never seen in the walk (provoke them, or remove them from the annotations):\n  %s", strings.Join(missing, "\n  "))
	}
}

// walker sends requests as the account of s.
type walker struct {
	t *testing.T
	s *apitest.Server
}

func (w walker) do(want int, method, path string, body any, headers ...string) *apitest.Response {
	w.t.Helper()
	return w.s.Must(w.t, want, method, path, w.s.Key, body, headers...)
}

func (w walker) id(r *apitest.Response) string {
	w.t.Helper()
	id, _ := r.Map(w.t)["id"].(string)
	if id == "" {
		w.t.Fatalf("no id in %s", r.Body)
	}
	return id
}

// tooLarge is a JSON body over the 1 MiB limit.
var tooLarge = `{"name":"` + strings.Repeat("x", 1<<20) + `"}`

// claim holds an Idempotency-Key as if a request with it were still
// running, the way the gateway's middleware claims it (routes.Fingerprint
// of method, path and body).
func claim(t *testing.T, s *apitest.Server, key, method, path, body string) {
	t.Helper()
	claimAs(t, s, key, method, path, "application/json", body)
}

// claimAs is claim for a body of another media type (a multipart form
// counts by its parts, see routes.Fingerprint).
func claimAs(t *testing.T, s *apitest.Server, key, method, path, contentType, body string) {
	t.Helper()
	fp := routes.Fingerprint(method, path, "", contentType, []byte(body))
	if _, ok, err := s.Cache.Begin(context.Background(), s.AccountID, key, fp, time.Minute); err != nil || !ok {
		t.Fatalf("claim %s: claimed %v, %v", key, ok, err)
	}
}

func walk(t *testing.T, s *apitest.Server) {
	w := walker{t, s}
	// Operations.
	for _, p := range []string{"/healthz", "/readyz", "/metrics", "/openapi.json", "/docs", "/docs/init.js", "/docs/swagger-ui.css", "/docs/swagger-ui-bundle.js"} {
		s.Must(t, 200, "GET", p, "", nil)
	}
	s.Must(t, 404, "GET", "/docs/passwd", "", nil)

	// Auth, unknown paths and methods.
	w.do(200, "GET", "/v1/me", nil)
	s.Must(t, 401, "GET", "/v1/me", "", nil)
	s.Must(t, 401, "GET", "/v1/me", "", nil, "X-API-Key", "bb_not-a-key")
	s.Must(t, 200, "GET", "/v1/me", "", nil, "X-API-Key", s.Key)
	w.do(404, "GET", "/v1/nothing", nil)
	w.do(405, "PUT", "/v1/me", nil)

	// Customers.
	full := map[string]any{
		"name": "Dupont GmbH", "external_id": "crm-1", "customer_number": "K-1", "kind": "company", "contact_person": "Marie Dupont",
		"email": "billing@dupont.ch", "phone": "+41 44 123 45 67", "vat_number": "CHE-123.456.789 MWST", "language": "de", "payment_terms_days": 10,
		"address":          map[string]any{"street": "Bahnhofstrasse", "building_number": "1", "postal_code": "8001", "city": "Zürich", "country": "CH"},
		"shipping_address": map[string]any{"street": "Lagerweg", "building_number": "2", "postal_code": "8002", "city": "Zürich", "country": "CH"},
	}
	cus := w.id(w.do(201, "POST", "/v1/customers", full, "Idempotency-Key", "cus-1"))
	if r := w.do(201, "POST", "/v1/customers", full, "Idempotency-Key", "cus-1"); r.Header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("replay without Idempotent-Replayed: %v", r.Header)
	}
	w.do(409, "POST", "/v1/customers", map[string]any{"name": "Other", "email": "BILLING@dupont.ch"})
	w.do(400, "POST", "/v1/customers", `{"name":`)
	w.do(413, "POST", "/v1/customers", tooLarge)
	w.do(422, "POST", "/v1/customers", map[string]any{"email": "x@y.ch"})
	w.do(422, "POST", "/v1/customers", map[string]any{"name": "Other"}, "Idempotency-Key", "cus-1")
	w.do(400, "POST", "/v1/customers", map[string]any{"name": "Other"}, "Idempotency-Key", "not a key")
	claim(t, s, "cus-running", "POST", "/v1/customers", `{"name":"Running"}`)
	w.do(409, "POST", "/v1/customers", `{"name":"Running"}`, "Idempotency-Key", "cus-running")

	other := w.id(w.do(201, "POST", "/v1/customers/upsert", map[string]any{"name": "Müller AG", "external_id": "crm-2", "email": "info@mueller.ch"}))
	w.do(200, "POST", "/v1/customers/upsert", map[string]any{"name": "Müller AG", "email": " INFO@mueller.ch "})
	w.do(409, "POST", "/v1/customers/upsert", map[string]any{"name": "Müller AG", "external_id": "crm-2", "email": "billing@dupont.ch"})
	w.do(400, "POST", "/v1/customers/upsert", `[]`)
	w.do(413, "POST", "/v1/customers/upsert", tooLarge)
	w.do(422, "POST", "/v1/customers/upsert", map[string]any{"name": "X", "kind": "robot"})

	w.do(200, "GET", "/v1/customers?q=GmbH+Dupont&limit=1", nil)
	w.do(200, "GET", "/v1/customers?email=nobody@example.com", nil)
	w.do(422, "GET", "/v1/customers?limit=101", nil)
	w.do(400, "GET", "/v1/customers?starting_after=cus_unknown", nil)
	w.do(200, "GET", "/v1/customers/"+cus, nil)
	w.do(404, "GET", "/v1/customers/cus_unknown", nil)
	w.do(201, "POST", "/v1/customers/upsert", map[string]any{"name": "GmbH  Dupont", "email": "info@dupont.ch"})
	w.do(200, "GET", "/v1/customers/duplicates?min_score=0.5&limit=1", nil)
	w.do(400, "GET", "/v1/customers/duplicates?starting_after=cus_a~cus_b", nil)
	w.do(422, "GET", "/v1/customers/duplicates?min_score=2", nil)
	w.do(200, "GET", "/v1/customers/"+cus+"/duplicates", nil)
	w.do(400, "GET", "/v1/customers/"+cus+"/duplicates?starting_after=cus_a~cus_b", nil)
	w.do(404, "GET", "/v1/customers/cus_unknown/duplicates", nil)
	w.do(422, "GET", "/v1/customers/"+cus+"/duplicates?limit=0", nil)
	w.do(200, "PATCH", "/v1/customers/"+other, map[string]any{"phone": "+41 44 000 00 00"})
	w.do(404, "PATCH", "/v1/customers/cus_unknown", map[string]any{"phone": "1"})
	w.do(409, "PATCH", "/v1/customers/"+other, map[string]any{"customer_number": "K-1"})
	w.do(400, "PATCH", "/v1/customers/"+other, `{`)
	w.do(413, "PATCH", "/v1/customers/"+other, tooLarge)
	w.do(422, "PATCH", "/v1/customers/"+other, map[string]any{"language": "xx"})

	// Merge.
	mergeA := w.id(w.do(201, "POST", "/v1/customers", map[string]any{"name": "Rossi SA"}))
	mergeB := w.id(w.do(201, "POST", "/v1/customers", map[string]any{"name": "Rossi Sagl"}))
	person := w.id(w.do(201, "POST", "/v1/customers", map[string]any{"name": "Paolo Rossi", "kind": "person"}))
	w.do(200, "POST", "/v1/customers/merge", map[string]any{"primary_id": mergeA, "duplicate_id": mergeB}, "Idempotency-Key", "merge-1")
	w.do(200, "POST", "/v1/customers/merge", map[string]any{"primary_id": mergeA, "duplicate_id": mergeB})
	w.do(409, "POST", "/v1/customers/merge", map[string]any{"primary_id": cus, "duplicate_id": mergeB})
	w.do(422, "POST", "/v1/customers/merge", map[string]any{"primary_id": mergeA, "duplicate_id": person})
	w.do(404, "POST", "/v1/customers/merge", map[string]any{"primary_id": mergeA, "duplicate_id": "cus_unknown"})
	w.do(400, "POST", "/v1/customers/merge", `{`)
	w.do(413, "POST", "/v1/customers/merge", tooLarge)
	w.do(200, "GET", "/v1/settings/duplicates", nil)
	w.do(200, "PUT", "/v1/settings/duplicates", map[string]any{"auto_merge": "off"})
	w.do(422, "PUT", "/v1/settings/duplicates", map[string]any{"auto_merge": "fuzzy"})
	w.do(400, "PUT", "/v1/settings/duplicates", `{`)
	w.do(413, "PUT", "/v1/settings/duplicates", tooLarge)

	// Invoices.
	item := map[string]any{"description": "Consulting", "quantity": 1.5, "unit_price": 120, "vat_rate": 8.1}
	invBody := map[string]any{"customer_id": cus, "external_id": "deal-1", "currency": "CHF", "items": []any{item}, "reference": "Order 1", "notes": "Thanks"}
	inv := w.id(w.do(201, "POST", "/v1/invoices", invBody))
	w.do(200, "POST", "/v1/invoices", invBody)
	w.do(400, "POST", "/v1/invoices", `{"customer_id": 1`)
	w.do(413, "POST", "/v1/invoices", tooLarge)
	w.do(422, "POST", "/v1/invoices", map[string]any{"customer_id": "cus_unknown", "currency": "CHF", "items": []any{item}})
	claim(t, s, "inv-running", "POST", "/v1/invoices", `{}`)
	w.do(409, "POST", "/v1/invoices", `{}`, "Idempotency-Key", "inv-running")
	draft := w.id(w.do(201, "POST", "/v1/invoices", map[string]any{"customer_id": other, "currency": "EUR", "items": []any{item}, "due_in_days": 0}))
	w.do(201, "POST", "/v1/invoices", map[string]any{"customer_id": other, "currency": "CHF", "items": []any{item}, "issue_date": "2025-12-31", "finalize": true})
	w.do(422, "POST", "/v1/invoices", map[string]any{"customer_id": other, "currency": "CHF", "items": []any{item}, "issue_date": "2999-01-01"})

	w.do(200, "GET", "/v1/invoices?status=unpaid&customer_id="+cus, nil)
	list := w.do(200, "GET", "/v1/invoices?external_id=deal-1", nil)
	w.do(304, "GET", "/v1/invoices?external_id=deal-1", nil, "If-None-Match", list.Header.Get("ETag"))
	w.do(422, "GET", "/v1/invoices?status=lost", nil)
	w.do(400, "GET", "/v1/invoices?starting_after=inv_unknown", nil)
	w.do(200, "GET", "/v1/invoices/"+inv, nil)
	w.do(404, "GET", "/v1/invoices/inv_unknown", nil)

	w.do(422, "POST", "/v1/invoices/"+inv+"/finalize", map[string]any{"issue_date": "2999-01-01"})
	w.do(400, "POST", "/v1/invoices/"+inv+"/finalize", `{"issue_date":`)
	w.do(413, "POST", "/v1/invoices/"+inv+"/finalize", tooLarge)
	w.do(200, "POST", "/v1/invoices/"+inv+"/finalize", map[string]any{"issue_date": "2026-01-15"}, "Idempotency-Key", "fin-1")
	w.do(409, "POST", "/v1/invoices/"+inv+"/finalize", nil)
	w.do(404, "POST", "/v1/invoices/inv_unknown/finalize", nil)
	w.do(400, "POST", "/v1/invoices/"+inv+"/finalize", nil, "Idempotency-Key", "bad key")
	w.do(422, "POST", "/v1/invoices/"+draft+"/finalize", nil, "Idempotency-Key", "fin-1")

	w.do(200, "POST", "/v1/invoices/"+draft+"/cancel", nil, "Idempotency-Key", "can-1")
	w.do(409, "POST", "/v1/invoices/"+draft+"/cancel", nil)
	w.do(404, "POST", "/v1/invoices/inv_unknown/cancel", nil)
	w.do(400, "POST", "/v1/invoices/"+draft+"/cancel", nil, "Idempotency-Key", `"`)
	w.do(422, "POST", "/v1/invoices/"+inv+"/cancel", nil, "Idempotency-Key", "can-1")

	// Payments.
	pay := "/v1/invoices/" + inv + "/payments"
	w.do(201, "POST", pay, map[string]any{"amount": 100, "paid_at": "2026-11-28", "method": "bank_transfer", "reference": "RF18", "external_id": "bank-1"})
	w.do(200, "POST", pay, map[string]any{"amount": 100, "external_id": "bank-1"})
	w.do(422, "POST", pay, map[string]any{"amount": 1000})
	w.do(409, "POST", "/v1/invoices/"+draft+"/payments", map[string]any{"amount": 1})
	w.do(404, "POST", "/v1/invoices/inv_unknown/payments", map[string]any{"amount": 1})
	w.do(400, "POST", pay, `{"amount"`)
	w.do(413, "POST", pay, tooLarge)
	w.do(201, "POST", pay, map[string]any{"amount": 94.58})
	w.do(409, "POST", "/v1/invoices/"+inv+"/cancel", nil)
	w.do(200, "GET", pay+"?limit=1", nil)
	w.do(404, "GET", "/v1/invoices/inv_unknown/payments", nil)
	w.do(422, "GET", pay+"?limit=101", nil)
	w.do(400, "GET", pay+"?starting_after=pay_unknown", nil)

	// Deals.
	deal := map[string]any{"deal_id": "pd-1", "customer": map[string]any{"name": "Neu GmbH", "external_id": "crm-3"}, "currency": "CHF", "items": []any{item}, "finalize": true, "due_in_days": 20}
	w.do(201, "POST", "/v1/deals/won", deal)
	w.do(200, "POST", "/v1/deals/won", deal)
	w.do(409, "POST", "/v1/deals/won", map[string]any{"deal_id": "pd-2", "customer": map[string]any{"name": "Neu GmbH", "external_id": "crm-3", "email": "billing@dupont.ch"}, "currency": "CHF", "items": []any{item}})
	w.do(400, "POST", "/v1/deals/won", `{"deal_id"`)
	w.do(413, "POST", "/v1/deals/won", tooLarge)
	w.do(422, "POST", "/v1/deals/won", map[string]any{"customer": map[string]any{"name": "X"}, "currency": "USD", "items": []any{item}})
	walkHealth(w)
	walkDunning(w)
	walkReports(w)
	walkSync(w)

	// QR-bill settings and documents.
	w.do(404, "GET", "/v1/settings/qr-bill", nil)
	w.do(409, "GET", "/v1/invoices/"+inv+"/qr-bill", nil) // no settings yet, and paid
	qrSettings := map[string]any{"iban": "CH44 3199 9123 0008 8901 2", "reference_type": "qrr", "qrr_prefix": "310014", "language": "de",
		"billing_information": true, "vat_number": "CHE-106.017.086 MWST", "eur_iban": "CH58 0079 1123 0008 8901 2",
		"creditor": map[string]any{"name": "Robert Schneider AG", "street": "Rue du Lac", "building_number": "1268", "postal_code": "2501", "city": "Biel", "country": "CH"}}
	w.do(200, "PUT", "/v1/settings/qr-bill", qrSettings)
	w.do(200, "GET", "/v1/settings/qr-bill", nil)
	w.do(400, "PUT", "/v1/settings/qr-bill", `{"iban"`)
	w.do(413, "PUT", "/v1/settings/qr-bill", tooLarge)
	w.do(422, "PUT", "/v1/settings/qr-bill", map[string]any{"iban": "CH4431999123000889013", "reference_type": "qrr", "creditor": qrSettings["creditor"]})
	open := w.do(201, "POST", "/v1/invoices", map[string]any{"customer_id": cus, "currency": "CHF", "items": []any{item}, "finalize": true}).Map(t)
	openID, _ := open["id"].(string)
	ref, _ := open["payment_reference"].(string)
	w.do(200, "GET", "/v1/invoices?payment_reference="+ref, nil)
	for _, f := range []string{"pdf", "svg", "png", "txt"} {
		w.do(200, "GET", "/v1/invoices/"+openID+"/qr-bill?lang=fr&format="+f, nil)
	}
	w.do(404, "GET", "/v1/invoices/inv_unknown/qr-bill", nil)
	w.do(422, "GET", "/v1/invoices/"+openID+"/qr-bill?format=gif", nil)
	w.do(200, "GET", "/v1/invoices/"+openID+"/pdf?lang=en", nil)
	w.do(409, "GET", "/v1/invoices/"+draft+"/pdf", nil) // cancelled as a draft: never numbered
	w.do(404, "GET", "/v1/invoices/inv_unknown/pdf", nil)
	w.do(422, "GET", "/v1/invoices/"+openID+"/pdf?lang=rm", nil)

	walkExports(w)
	// Bank statements: every list of the report filled, then the same file again.
	camt := apitest.Camt054("WALK-1", apitest.Credit{Ref: "W-1", Reference: ref, Amount: "100.00"},
		apitest.Credit{Ref: "W-2", Reference: ref, Amount: "1000.00"}, apitest.Credit{Ref: "W-3", Amount: "2.00"},
		apitest.Credit{Ref: "W-4", Amount: "3.00", Debit: true})
	stmt, ct := apitest.Multipart("file", "camt054.xml", camt)
	w.do(200, "POST", "/v1/bank-statements", stmt, "Content-Type", ct)
	w.do(200, "POST", "/v1/bank-statements", stmt, "Content-Type", ct)
	w.do(400, "POST", "/v1/bank-statements", camt, "Content-Type", "application/xml")
	w.do(413, "POST", "/v1/bank-statements", strings.Repeat("x", billbridge.MaxBankFileBytes+1), "Content-Type", ct)
	bomb, bombCT := apitest.Multipart("file", "camt054.xml", []byte(`<!DOCTYPE d [<!ENTITY a "b">]><Document>&a;</Document>`))
	w.do(422, "POST", "/v1/bank-statements", bomb, "Content-Type", bombCT)
	claimAs(t, s, "stmt-running", "POST", "/v1/bank-statements", ct, string(stmt))
	w.do(409, "POST", "/v1/bank-statements", stmt, "Content-Type", ct, "Idempotency-Key", "stmt-running")
	walkImports(w)

	// Events.
	feed := w.do(200, "GET", "/v1/events?type=invoice.paid,payment.received&limit=2", nil).Map(t)
	latest, _ := feed["latest_cursor"].(string)
	events := w.do(200, "GET", "/v1/events", nil)
	w.do(304, "GET", "/v1/events", nil, "If-None-Match", events.Header.Get("ETag"))
	w.do(200, "GET", "/v1/events?order=asc&after="+latest, nil)
	w.do(200, "GET", "/v1/events?order=asc&limit=100", nil)
	w.do(400, "GET", "/v1/events?after=not-a-cursor", nil)
	w.do(422, "GET", "/v1/events?type=invoice.lost", nil)

	// Hooks.
	hook := w.id(w.do(201, "POST", "/v1/hooks", map[string]any{"target_url": "http://127.0.0.1:9/hook", "events": []any{"invoice.paid", "*"}}))
	w.do(400, "POST", "/v1/hooks", `{"target_url"`)
	w.do(413, "POST", "/v1/hooks", tooLarge)
	w.do(422, "POST", "/v1/hooks", map[string]any{"target_url": "not a url", "events": []any{"invoice.paid"}})
	claim(t, s, "hook-running", "POST", "/v1/hooks", `{}`)
	w.do(409, "POST", "/v1/hooks", `{}`, "Idempotency-Key", "hook-running")
	w.do(200, "GET", "/v1/hooks", nil)
	w.do(200, "GET", "/v1/hooks?target_url=http://127.0.0.1:9/hook", nil)
	w.do(422, "GET", "/v1/hooks?target_url="+strings.Repeat("x", 2049), nil)
	w.do(400, "GET", "/v1/hooks?starting_after=hook_unknown", nil)
	w.do(204, "DELETE", "/v1/hooks/"+hook, nil, "Idempotency-Key", "del-1")
	w.do(204, "DELETE", "/v1/hooks/"+hook, nil)
	w.do(400, "DELETE", "/v1/hooks/"+hook, nil, "Idempotency-Key", "a b")
	w.do(422, "DELETE", "/v1/hooks/hook_other", nil, "Idempotency-Key", "del-1")
	claim(t, s, "del-running", "DELETE", "/v1/hooks/"+hook, "")
	w.do(409, "DELETE", "/v1/hooks/"+hook, nil, "Idempotency-Key", "del-running")
	walkRedeliver(w)

	// API keys.
	w.do(200, "GET", "/v1/api-keys", nil)
	w.do(422, "GET", "/v1/api-keys?limit=0", nil)
	apiKey := w.id(w.do(201, "POST", "/v1/api-keys", map[string]any{"label": "Zapier"}, "Idempotency-Key", "key-1"))
	if replay := w.do(201, "POST", "/v1/api-keys", map[string]any{"label": "Zapier"}, "Idempotency-Key", "key-1"); replay.Map(t)["secret"] != nil {
		t.Errorf("a replayed key creation shows the secret: %s", replay.Body)
	}
	w.do(400, "POST", "/v1/api-keys", `{"label"`)
	w.do(413, "POST", "/v1/api-keys", tooLarge)
	w.do(422, "POST", "/v1/api-keys", map[string]any{"label": " "})
	claim(t, s, "key-running", "POST", "/v1/api-keys", `{}`)
	w.do(409, "POST", "/v1/api-keys", `{}`, "Idempotency-Key", "key-running")
	w.do(201, "POST", "/v1/api-keys/"+apiKey+"/rotate", nil, "Idempotency-Key", "rot-1")
	w.do(409, "POST", "/v1/api-keys/"+apiKey+"/rotate", nil)
	w.do(404, "POST", "/v1/api-keys/key_none/rotate", nil)
	w.do(400, "POST", "/v1/api-keys/"+apiKey+"/rotate", nil, "Idempotency-Key", "a b")
	w.do(422, "POST", "/v1/api-keys/key_other/rotate", nil, "Idempotency-Key", "rot-1")
	claim(t, s, "rot-running", "POST", "/v1/api-keys/"+apiKey+"/rotate", "")
	w.do(409, "POST", "/v1/api-keys/"+apiKey+"/rotate", nil, "Idempotency-Key", "rot-running")
	w.do(204, "DELETE", "/v1/api-keys/"+apiKey, nil, "Idempotency-Key", "key-del-1")
	w.do(204, "DELETE", "/v1/api-keys/"+apiKey, nil)
	w.do(400, "DELETE", "/v1/api-keys/"+apiKey, nil, "Idempotency-Key", "a b")
	w.do(422, "DELETE", "/v1/api-keys/key_other", nil, "Idempotency-Key", "key-del-1")
	claim(t, s, "key-del-running", "DELETE", "/v1/api-keys/"+apiKey, "")
	w.do(409, "DELETE", "/v1/api-keys/"+apiKey, nil, "Idempotency-Key", "key-del-running")
	_, soloKey := s.NewAccount("Solo")
	var soloKeys struct {
		Data []billbridge.APIKey `json:"data"`
	}
	s.Must(t, 200, "GET", "/v1/api-keys", soloKey, nil).Decode(t, &soloKeys)
	if len(soloKeys.Data) != 1 {
		t.Fatalf("a new account has %d keys, want 1", len(soloKeys.Data))
	}
	s.Must(t, 409, "DELETE", "/v1/api-keys/"+soloKeys.Data[0].ID, soloKey, nil)

	// The database goes away: not ready, and every /v1 operation answers
	// the 500 problem the spec declares on every operation.
	// The key cache (sqlstore, up to 1 s) would still authenticate: forget
	// the account's keys so every request meets the closed database.
	s.DB.ForgetAPIKeys(s.AccountID)
	s.DB.Close()
	s.Must(t, 503, "GET", "/readyz", "", nil)
	for _, r := range everyOperation() {
		w.do(500, r.method, r.path, r.body, r.headers...)
	}
}

// everyOperation is one plausible request per /v1 operation, for the
// answers every operation gives before its handler runs (401, 429).
func everyOperation() []struct {
	method, path string
	body         any
	headers      []string
} {
	item := map[string]any{"description": "Consulting", "quantity": 1, "unit_price": 1, "vat_rate": 0}
	return []struct {
		method, path string
		body         any
		headers      []string
	}{
		{"GET", "/v1/me", nil, nil},
		{"POST", "/v1/customers", map[string]any{"name": "A"}, nil},
		{"POST", "/v1/customers/upsert", map[string]any{"name": "A"}, nil},
		{"GET", "/v1/customers", nil, nil},
		{"GET", "/v1/customers/cus_1", nil, nil},
		{"GET", "/v1/customers/duplicates", nil, nil},
		{"GET", "/v1/customers/cus_1/duplicates", nil, nil},
		{"GET", "/v1/customers/cus_1/payment-health", nil, nil},
		{"PATCH", "/v1/customers/cus_1", map[string]any{"name": "A"}, nil},
		{"POST", "/v1/customers/merge", map[string]any{"primary_id": "cus_1", "duplicate_id": "cus_2"}, nil},
		{"GET", "/v1/settings/duplicates", nil, nil},
		{"PUT", "/v1/settings/duplicates", map[string]any{"auto_merge": "off"}, nil},
		{"POST", "/v1/invoices", map[string]any{"customer_id": "cus_1", "currency": "CHF", "items": []any{item}}, nil},
		{"GET", "/v1/invoices", nil, nil},
		{"GET", "/v1/invoices/inv_1", nil, nil},
		{"POST", "/v1/invoices/inv_1/finalize", nil, nil},
		{"POST", "/v1/invoices/inv_1/cancel", nil, nil},
		{"POST", "/v1/invoices/inv_1/payments", map[string]any{"amount": 1}, nil},
		{"GET", "/v1/invoices/inv_1/payments", nil, nil},
		{"POST", "/v1/bank-statements", nil, nil},
		{"POST", "/v1/deals/won", map[string]any{"deal_id": "d", "customer": map[string]any{"name": "A"}, "currency": "CHF", "items": []any{item}}, nil},
		{"GET", "/v1/invoices/inv_1/qr-bill", nil, nil},
		{"GET", "/v1/invoices/inv_1/pdf", nil, nil},
		{"GET", "/v1/settings/qr-bill", nil, nil},
		{"PUT", "/v1/settings/qr-bill", map[string]any{"iban": "CH5800791123000889012", "reference_type": "scor", "creditor": map[string]any{"name": "A", "postal_code": "1", "city": "B", "country": "CH"}}, nil},
		{"GET", "/v1/exports/customers.csv", nil, nil},
		{"GET", "/v1/exports/invoices.csv", nil, nil},
		{"GET", "/v1/exports/payments.csv", nil, nil},
		{"GET", "/v1/exports/customers.xlsx", nil, nil},
		{"GET", "/v1/exports/invoices.xlsx", nil, nil},
		{"GET", "/v1/exports/payments.xlsx", nil, nil},
		{"POST", "/v1/imports/customers", "name\nA\n", []string{"Content-Type", "text/csv"}},
		{"POST", "/v1/imports/invoices", "customer_id,unit_price\ncus_1,1\n", []string{"Content-Type", "text/csv"}},
		{"GET", "/v1/events", nil, nil},
		{"POST", "/v1/hooks", map[string]any{"target_url": "https://example.com/h", "events": []any{"*"}}, nil},
		{"GET", "/v1/hooks", nil, nil},
		{"DELETE", "/v1/hooks/hook_1", nil, nil},
		{"GET", "/v1/api-keys", nil, nil},
		{"POST", "/v1/api-keys", map[string]any{"label": "Make"}, nil},
		{"POST", "/v1/api-keys/key_1/rotate", nil, nil},
		{"DELETE", "/v1/api-keys/key_1", nil, nil},
		{"GET", "/v1/settings/dunning", nil, nil},
		{"PUT", "/v1/settings/dunning", map[string]any{"enabled": true}, nil},
		{"POST", "/v1/invoices/inv_1/reminders", map[string]any{"channel": "email"}, nil},
		{"GET", "/v1/invoices/inv_1/reminders", nil, nil},
		{"GET", "/v1/reminders", nil, nil},
		{"PUT", "/v1/invoices/inv_1/dunning", map[string]any{"paused": true}, nil},
		{"GET", "/v1/customers/cus_1/dunning", nil, nil},
		{"PUT", "/v1/customers/cus_1/dunning", map[string]any{"paused": true}, nil},
		{"GET", "/v1/reports/receivables", nil, nil},
		{"GET", "/v1/reports/summary", nil, nil},
		{"GET", "/v1/reports/customers", nil, nil},
		{"POST", "/v1/sync/incidents", map[string]any{"source": "n8n", "message": "failed"}, nil},
		{"GET", "/v1/sync/health", nil, nil},
		{"GET", "/v1/settings/alerts", nil, nil},
		{"PUT", "/v1/settings/alerts", map[string]any{"emails": []any{}}, nil},
		{"POST", "/v1/hooks/hook_1/redeliver?after_seq=0", nil, nil},
	}
}

// walkUnauthenticated sees every /v1 operation refuse a missing key.
func walkUnauthenticated(t *testing.T, s *apitest.Server) {
	for _, r := range everyOperation() {
		resp := s.Must(t, 401, r.method, r.path, "", r.body, r.headers...)
		if resp.Header.Get("WWW-Authenticate") == "" {
			t.Errorf("%s %s: 401 without WWW-Authenticate", r.method, r.path)
		}
	}
}

// walkRateLimited spends the key's one request, then sees every /v1
// operation refused with 429 and Retry-After.
func walkRateLimited(t *testing.T, s *apitest.Server) {
	w := walker{t, s}
	w.do(200, "GET", "/v1/me", nil)
	for _, r := range everyOperation() {
		resp := w.do(429, r.method, r.path, r.body, r.headers...)
		if resp.Header.Get("Retry-After") == "" || resp.Header.Get("RateLimit") == "" || resp.Header.Get("RateLimit-Policy") == "" {
			t.Errorf("%s %s: 429 without Retry-After, RateLimit or RateLimit-Policy: %v", r.method, r.path, resp.Header)
		}
	}
}
