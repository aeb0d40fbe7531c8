package openapi_test

// walkHealth drives payment health through its answers: a customer with
// an invoice overdue since January pays another one, which rates it watch
// (customer.payment_rating_changed, validated in the feed later), then
// every read that shows the health.
func walkHealth(w walker) {
	item := map[string]any{"description": "Consulting", "quantity": 1, "unit_price": 100, "vat_rate": 8.1}
	cus := w.id(w.do(201, "POST", "/v1/customers", map[string]any{"name": "Spät AG", "external_id": "crm-late"}))
	w.do(201, "POST", "/v1/invoices", map[string]any{"customer_id": cus, "currency": "CHF", "items": []any{item}, "finalize": true, "issue_date": "2026-01-05"})
	inv := w.id(w.do(201, "POST", "/v1/invoices", map[string]any{"customer_id": cus, "currency": "EUR", "items": []any{item}, "finalize": true}))
	w.do(201, "POST", "/v1/invoices/"+inv+"/payments", map[string]any{"amount": 50})
	w.do(200, "GET", "/v1/customers/"+cus+"/payment-health", nil)
	w.do(404, "GET", "/v1/customers/cus_unknown/payment-health", nil)
	w.do(200, "GET", "/v1/customers/"+cus+"?include=payment_health", nil)
	w.do(422, "GET", "/v1/customers/"+cus+"?include=everything", nil)
	w.do(200, "GET", "/v1/customers?include=payment_health&limit=3", nil)
	w.do(422, "GET", "/v1/customers?include=all", nil)
	deal := map[string]any{"deal_id": "pd-health", "customer": map[string]any{"name": "Spät AG", "external_id": "crm-late"}, "currency": "CHF", "items": []any{item}}
	w.do(201, "POST", "/v1/deals/won?include=payment_health", deal)
	w.do(200, "POST", "/v1/deals/won?include=payment_health", deal)
	w.do(422, "POST", "/v1/deals/won?include=yes", deal)
}
