package routes_test

import (
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	"billbridge/internal/apitest"
	"billbridge/internal/testenv"
)

// TestAccessLogReplayedIsTheResponses: the access log marks a request
// "replayed" only when the response is a replay; a client sending
// Idempotent-Replayed itself marks nothing.
func TestAccessLogReplayedIsTheResponses(t *testing.T) {
	t.Parallel()
	logs := &testenv.Buffer{}
	s := apitest.Start(t, apitest.Options{Logger: slog.New(slog.NewJSONHandler(logs, nil))})
	c := apitest.NewClient(t, s)
	body := map[string]any{"name": "Log AG"}
	c.Do(t, "POST", "/v1/customers", body, "Idempotent-Replayed", "true", "X-Request-Id", "forged-unkeyed")
	c.Do(t, "GET", "/v1/customers", nil, "Idempotent-Replayed", "true", "X-Request-Id", "forged-get")
	c.Do(t, "POST", "/v1/customers", body, "Idempotency-Key", "log-1", "Idempotent-Replayed", "true", "X-Request-Id", "forged-first")
	if r := c.Do(t, "POST", "/v1/customers", body, "Idempotency-Key", "log-1", "X-Request-Id", "real-replay"); r.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("the retry was not replayed: %d %v", r.Status, r.Header)
	}
	replayed := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var rec struct {
			Msg       string `json:"msg"`
			RequestID string `json:"request_id"`
			Replayed  bool   `json:"replayed"`
		}
		if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == "request" {
			replayed[rec.RequestID] = replayed[rec.RequestID] || rec.Replayed
		}
	}
	for id, want := range map[string]bool{"forged-unkeyed": false, "forged-get": false, "forged-first": false, "real-replay": true} {
		if got, ok := replayed[id]; !ok || got != want {
			t.Errorf("request %s: logged replayed=%v (logged: %v), want %v", id, got, ok, want)
		}
	}
}
