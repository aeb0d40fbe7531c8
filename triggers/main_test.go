package triggers_test

import (
	"encoding/json"
	"os"
	"testing"

	"billbridge"
	"billbridge/internal/apitest"
	"billbridge/internal/contract"
)

// TestMain checks every exchange of these tests against the published
// OpenAPI description as well as against each test's own expectations.
func TestMain(m *testing.M) {
	contract.Install()
	os.Exit(m.Run())
}

// feed is a decoded page of GET /v1/events.
type feed struct {
	Data         []billbridge.Event `json:"data"`
	HasMore      bool               `json:"has_more"`
	NextCursor   *string            `json:"next_cursor"`
	LatestCursor string             `json:"latest_cursor"`
}

// events GETs /v1/events with query (e.g. "?order=asc") and decodes it.
func events(t *testing.T, s *apitest.Server, key, query string) feed {
	t.Helper()
	var f feed
	s.Must(t, 200, "GET", "/v1/events"+query, key, nil).Decode(t, &f)
	if f.Data == nil || f.LatestCursor == "" {
		t.Fatalf("feed %s: data null or no latest_cursor", query)
	}
	return f
}

// problemCode decodes a problem and returns its code, failing unless the
// status is want.
func problemCode(t *testing.T, r *apitest.Response, want int) (code string, fields []string) {
	t.Helper()
	if r.Status != want {
		t.Fatalf("status %d, want %d: %s", r.Status, want, r.Body)
	}
	var p struct {
		Code          string `json:"code"`
		InvalidParams []struct {
			Name string `json:"name"`
		} `json:"invalid_params"`
	}
	r.Decode(t, &p)
	for _, f := range p.InvalidParams {
		fields = append(fields, f.Name)
	}
	return p.Code, fields
}

// dataID returns the id inside an event's data.
func dataID(t *testing.T, e billbridge.Event) string {
	t.Helper()
	var d struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(e.Data, &d); err != nil || d.ID == "" {
		t.Fatalf("event %s data %s: no id (%v)", e.ID, e.Data, err)
	}
	return d.ID
}
