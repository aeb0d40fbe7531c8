package openapi_test

// walkReports drives the summary and customers reports through their
// answers, over an open invoice and a paid one, so both have rows and the
// customers report has a second page.
func walkReports(w walker) {
	item := map[string]any{"description": "Consulting", "quantity": 1, "unit_price": 100, "vat_rate": 8.1}
	for _, name := range []string{"Report AG", "Bericht GmbH"} {
		cus := w.id(w.do(201, "POST", "/v1/customers", map[string]any{"name": name}))
		inv := w.id(w.do(201, "POST", "/v1/invoices", map[string]any{"customer_id": cus, "currency": "CHF", "items": []any{item}, "finalize": true, "issue_date": "2026-01-05"}))
		w.do(201, "POST", "/v1/invoices/"+inv+"/payments", map[string]any{"amount": 10, "paid_at": "2026-02-01"})
	}
	w.do(200, "GET", "/v1/reports/summary", nil)
	w.do(200, "GET", "/v1/reports/summary?from=2026-01-01&to=2026-03-31&group_by=quarter", nil)
	w.do(200, "GET", "/v1/reports/summary?group_by=year", nil, "Accept", "text/csv")
	w.do(422, "GET", "/v1/reports/summary?from=2026-03-01&to=2026-01-01", nil)
	w.do(422, "GET", "/v1/reports/summary?group_by=week", nil)

	page := w.do(200, "GET", "/v1/reports/customers?sort=overdue_desc&limit=1", nil)
	next, _ := page.Map(w.t)["next_cursor"].(string)
	if next == "" {
		w.t.Fatalf("customers report page 1 has no next_cursor: %s", page.Body)
	}
	w.do(200, "GET", "/v1/reports/customers?sort=overdue_desc&currency=CHF&starting_after="+next, nil)
	w.do(200, "GET", "/v1/reports/customers", nil, "Accept", "text/csv")
	w.do(400, "GET", "/v1/reports/customers?starting_after=made_up", nil)
	w.do(422, "GET", "/v1/reports/customers?sort=name", nil)
}
