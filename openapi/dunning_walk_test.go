package openapi_test

// walkDunning drives the dunning ladder, the Mahnsperre and the
// receivables report through their answers: an invoice issued in January
// is long overdue, so its first reminder can be sent at once.
func walkDunning(w walker) {
	item := map[string]any{"description": "Consulting", "quantity": 1, "unit_price": 100, "vat_rate": 8.1}
	w.do(200, "GET", "/v1/settings/dunning", nil)
	w.do(200, "PUT", "/v1/settings/dunning", map[string]any{"enabled": true, "interest_rate": 5, "pay_within_days": 10})
	w.do(400, "PUT", "/v1/settings/dunning", `{"enabled"`)
	w.do(422, "PUT", "/v1/settings/dunning", map[string]any{"interest_rate": 31})

	cus := w.id(w.do(201, "POST", "/v1/customers", map[string]any{"name": "Mahn AG"}))
	inv := w.id(w.do(201, "POST", "/v1/invoices", map[string]any{"customer_id": cus, "currency": "CHF", "items": []any{item}, "finalize": true, "issue_date": "2026-01-05"}))
	w.do(200, "GET", "/v1/reminders?status=due", nil)
	w.do(200, "GET", "/v1/reminders?status=due&customer_id="+cus, nil)
	w.do(422, "GET", "/v1/reminders?status=late", nil)
	w.do(400, "GET", "/v1/reminders?starting_after=rem_made_up", nil)

	w.do(201, "POST", "/v1/invoices/"+inv+"/reminders", map[string]any{"channel": "email"}, "Idempotency-Key", "rem-1")
	w.do(201, "POST", "/v1/invoices/"+inv+"/reminders", map[string]any{"channel": "email"}, "Idempotency-Key", "rem-1")
	w.do(409, "POST", "/v1/invoices/"+inv+"/reminders", map[string]any{"channel": "post", "level": 1})
	w.do(400, "POST", "/v1/invoices/"+inv+"/reminders", `{"channel"`)
	w.do(422, "POST", "/v1/invoices/"+inv+"/reminders", map[string]any{"channel": "fax"})
	w.do(404, "POST", "/v1/invoices/inv_nope/reminders", map[string]any{"channel": "email"})
	w.do(200, "GET", "/v1/invoices/"+inv+"/reminders", nil)
	w.do(400, "GET", "/v1/invoices/"+inv+"/reminders?starting_after=rem_made_up", nil)
	w.do(422, "GET", "/v1/invoices/"+inv+"/reminders?limit=0", nil)
	w.do(404, "GET", "/v1/invoices/inv_nope/reminders", nil)
	w.do(200, "GET", "/v1/reminders", nil)

	w.do(200, "PUT", "/v1/invoices/"+inv+"/dunning", map[string]any{"paused": true})
	w.do(400, "PUT", "/v1/invoices/"+inv+"/dunning", `{"paused"`)
	w.do(422, "PUT", "/v1/invoices/"+inv+"/dunning", map[string]any{})
	w.do(404, "PUT", "/v1/invoices/inv_nope/dunning", map[string]any{"paused": true})
	w.do(200, "PUT", "/v1/customers/"+cus+"/dunning", map[string]any{"paused": true})
	w.do(400, "PUT", "/v1/customers/"+cus+"/dunning", `{"paused"`)
	w.do(422, "PUT", "/v1/customers/"+cus+"/dunning", map[string]any{})
	w.do(404, "PUT", "/v1/customers/cus_nope/dunning", map[string]any{"paused": true})
	w.do(200, "GET", "/v1/customers/"+cus+"/dunning", nil)
	w.do(404, "GET", "/v1/customers/cus_nope/dunning", nil)

	w.do(200, "GET", "/v1/reports/receivables", nil)
	w.do(200, "GET", "/v1/reports/receivables?as_of=2026-06-30", nil)
	w.do(200, "GET", "/v1/reports/receivables", nil, "Accept", "text/csv")
	w.do(422, "GET", "/v1/reports/receivables?as_of=2999-01-01", nil)
}
