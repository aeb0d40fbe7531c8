package openapi_test

// walkExports drives the CSV exports through their answers.
func walkExports(w walker) {
	for _, p := range []string{"customers", "invoices", "payments"} {
		w.do(200, "GET", "/v1/exports/"+p+".csv", nil)
		w.do(200, "GET", "/v1/exports/"+p+".csv?profile=excel&lang=de&updated_since=2020-01-01", nil)
		w.do(422, "GET", "/v1/exports/"+p+".csv?updated_since=soon", nil)
	}
	w.do(200, "GET", "/v1/exports/invoices.csv?status=unpaid&lang=fr", nil)
}
