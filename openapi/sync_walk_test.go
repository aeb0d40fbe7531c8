package openapi_test

import (
	"context"
	"strings"
	"time"

	"billbridge/routes"
)

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
	w.do(200, "GET", "/v1/settings/alerts", nil)
	w.do(200, "PUT", "/v1/settings/alerts", map[string]any{"emails": []any{"owner@dupont.ch"}, "silence_hours": 12, "no_api_call_hours": 48})
	w.do(200, "GET", "/v1/settings/alerts", nil)
	w.do(400, "PUT", "/v1/settings/alerts", `{"emails"`)
	w.do(413, "PUT", "/v1/settings/alerts", tooLarge)
	w.do(422, "PUT", "/v1/settings/alerts", map[string]any{"emails": []any{"not an address"}})
}

// walkRedeliver replays a hook's events (keyed, and replayed by its key)
// and is refused an unknown hook and a missing after_seq.
func walkRedeliver(w walker) {
	hook := w.id(w.do(201, "POST", "/v1/hooks", map[string]any{"target_url": "http://127.0.0.1:9/redeliver", "events": []any{"*"}}))
	path := "/v1/hooks/" + hook + "/redeliver"
	w.do(200, "POST", path+"?after_seq=0", nil, "Idempotency-Key", "redeliver-1")
	w.do(200, "POST", path+"?after_seq=0", nil, "Idempotency-Key", "redeliver-1")
	w.do(404, "POST", "/v1/hooks/hook_unknown/redeliver?after_seq=0", nil)
	w.do(422, "POST", path, nil)
	w.do(400, "POST", path+"?after_seq=0", nil, "Idempotency-Key", "a b")
	fp := routes.Fingerprint("POST", path, "after_seq=1", "", nil) // the query counts; claim passes none
	if _, ok, err := w.s.Cache.Begin(context.Background(), w.s.AccountID, "redeliver-running", fp, time.Minute); err != nil || !ok {
		w.t.Fatalf("claim: %v %v", ok, err)
	}
	w.do(409, "POST", path+"?after_seq=1", nil, "Idempotency-Key", "redeliver-running")
	w.do(204, "DELETE", "/v1/hooks/"+hook, nil)
}
