package console_test

import (
	"strings"
	"testing"

	"billbridge/internal/apitest"
)

// TestConsoleRecentIncidents: an incident reported on POST
// /v1/sync/incidents is listed on its account's overview (escaped, its
// execution linked without opener or referrer) and on no other account's.
func TestConsoleRecentIncidents(t *testing.T) {
	apitest.EachStore(t, apitest.Options{}, func(t *testing.T, s *apitest.Server) {
		b := newBrowser(t, s)
		b.signIn(t, s.Key)
		want(t, "no incidents yet", b.get(t, "/console"), 200, "Recent errors and incidents", "No errors reported.")

		s.Must(t, 201, "POST", "/v1/sync/incidents", s.Key, map[string]any{"source": "n8n", "workflow": "Deal won → invoice",
			"message": "<b>422</b> email must be an email address", "execution_url": "https://n8n.example.ch/workflow/12/executions/3456"})
		p := b.get(t, "/console")
		want(t, "after a report", p, 200, "Deal won → invoice", "&lt;b&gt;422&lt;/b&gt; email must be an email address",
			`<a href="https://n8n.example.ch/workflow/12/executions/3456" rel="noopener noreferrer">`)
		if strings.Contains(p.Body, "<b>422</b>") || strings.Contains(p.Body, "No errors reported.") {
			t.Errorf("the message is not escaped or the empty state stays: %s", p.Body)
		}

		_, otherKey := s.NewAccount("Other AG")
		o := newBrowser(t, s)
		o.signIn(t, otherKey)
		p = o.get(t, "/console")
		want(t, "another account", p, 200, "No errors reported.")
		if strings.Contains(p.Body, "Deal won") || strings.Contains(p.Body, "email must be") {
			t.Errorf("another account's overview shows the incident: %s", p.Body)
		}
	})
}
