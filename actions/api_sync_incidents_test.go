package actions_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"billbridge"
	"billbridge/internal/apitest"
	"billbridge/internal/testenv"
)

// TestAPIReportIncident checks on both stores that an incident is stored
// as sent, once per Idempotency-Key, and that a refused one names its
// field and stores nothing.
func TestAPIReportIncident(t *testing.T) {
	clk := testenv.NewClock(time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC))
	apitest.EachStore(t, apitest.Options{Clock: clk.Now}, func(t *testing.T, s *apitest.Server) {
		c := apitest.NewClient(t, s)
		count := func() int {
			t.Helper()
			n, err := s.DB.CountIncidents(context.Background(), c.ID, []time.Time{clk.Now().Add(-time.Hour), clk.Now().Add(time.Hour)})
			if err != nil {
				t.Fatal(err)
			}
			return n[0]
		}
		body := map[string]any{"source": "n8n", "workflow": " Deal won ", "execution_url": "https://n8n.example.ch/workflow/12/executions/3456",
			"message": "Request failed\n\twith 422"}
		var got billbridge.Incident
		c.Must(t, 201, "POST", "/v1/sync/incidents", body, &got)
		if !strings.HasPrefix(got.ID, "inc_") || got.Source != "n8n" || got.Workflow != "Deal won" || got.Message != "Request failed\n\twith 422" ||
			got.ExecutionURL != body["execution_url"] || !got.CreatedAt.Equal(clk.Now()) {
			t.Fatalf("incident %+v", got)
		}
		for range 2 {
			r := c.Do(t, "POST", "/v1/sync/incidents", map[string]any{"source": "make", "message": "Scenario stopped"}, "Idempotency-Key", "make-run-1")
			if r.Status != 201 {
				t.Fatalf("keyed incident: %d %s", r.Status, r.Body)
			}
		}
		if n := count(); n != 2 {
			t.Fatalf("%d incidents stored, want 2 (one keyed request sent twice)", n)
		}
		for _, tc := range []struct {
			field string
			body  map[string]any
		}{
			{"source", map[string]any{"message": "x"}},
			{"source", map[string]any{"source": "ifttt", "message": "x"}},
			{"message", map[string]any{"source": "zapier"}},
			{"message", map[string]any{"source": "zapier", "message": strings.Repeat("é", 4001)}},
			{"message", map[string]any{"source": "zapier", "message": "bell\a"}},
			{"workflow", map[string]any{"source": "zapier", "message": "x", "workflow": "two\nlines"}},
			{"execution_url", map[string]any{"source": "script", "message": "x", "execution_url": "javascript:alert(1)"}},
			{"execution_url", map[string]any{"source": "script", "message": "x", "execution_url": "/relative"}},
		} {
			apitest.Invalid(t, c.Do(t, "POST", "/v1/sync/incidents", tc.body), tc.field)
		}
		if n := count(); n != 2 {
			t.Fatalf("%d incidents stored after refusals, want 2", n)
		}
		other := apitest.NewClient(t, s)
		if n, err := s.DB.CountIncidents(context.Background(), other.ID, []time.Time{clk.Now().Add(-time.Hour), clk.Now().Add(time.Hour)}); err != nil || n[0] != 0 {
			t.Fatalf("another account counts %v incidents (%v), want 0", n, err)
		}
	})
}
