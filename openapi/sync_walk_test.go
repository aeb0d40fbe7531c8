package openapi_test

import "strings"

// walkSync drives the sync endpoints through their answers: an incident
// reported (and replayed by its Idempotency-Key), refused bodies, the
// health over the default and a given window (the walk's hooks appear in
// it), a refused window.
func walkSync(w walker) {
	inc := map[string]any{"source": "n8n", "workflow": "CRM deal won → invoice", "execution_url": "https://n8n.example.ch/workflow/12/executions/3456",
		"message": "422 validation_failed\n\temail must be an email address"}
	w.do(201, "POST", "/v1/sync/incidents", inc, "Idempotency-Key", "inc-1")
	if r := w.do(201, "POST", "/v1/sync/incidents", inc, "Idempotency-Key", "inc-1"); r.Header.Get("Idempotent-Replayed") != "true" {
		w.t.Errorf("incident replay without Idempotent-Replayed: %v", r.Header)
	}
	w.do(201, "POST", "/v1/sync/incidents", map[string]any{"source": "script", "message": "cron job failed"})
	w.do(400, "POST", "/v1/sync/incidents", `{"source"`)
	w.do(413, "POST", "/v1/sync/incidents", tooLarge)
	w.do(422, "POST", "/v1/sync/incidents", map[string]any{"source": "ifttt", "message": "x"})
	w.do(422, "POST", "/v1/sync/incidents", map[string]any{"source": "make", "message": strings.Repeat("x", 4001)})
	claim(w.t, w.s, "inc-running", "POST", "/v1/sync/incidents", `{}`)
	w.do(409, "POST", "/v1/sync/incidents", `{}`, "Idempotency-Key", "inc-running")
	w.do(200, "GET", "/v1/sync/health", nil)
	w.do(200, "GET", "/v1/sync/health?window=24h", nil)
	w.do(422, "GET", "/v1/sync/health?window=1y", nil)
}
