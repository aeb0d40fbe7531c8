package actions_test

import (
	"strings"
	"testing"
	"time"

	"billbridge"
	"billbridge/internal/apitest"
	"billbridge/internal/testenv"
)

// TestAPIAlertSettings checks on both stores that the alert settings start
// as the defaults, are replaced whole by PUT (addresses equal but for case
// kept once, silence_hours defaulting to 24, no_api_call_hours null turning
// the alert off), belong to their account, and that a refused PUT names
// its field and changes nothing.
func TestAPIAlertSettings(t *testing.T) {
	clk := testenv.NewClock(time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC))
	apitest.EachStore(t, apitest.Options{Clock: clk.Now}, func(t *testing.T, s *apitest.Server) {
		c := apitest.NewClient(t, s)
		var got billbridge.AlertSettings
		c.Must(t, 200, "GET", "/v1/settings/alerts", nil, &got)
		if len(got.Emails) != 0 || got.SilenceHours != 24 || got.NoAPICallHours != nil || got.UpdatedAt != nil {
			t.Fatalf("defaults %+v", got)
		}
		c.Must(t, 200, "PUT", "/v1/settings/alerts", map[string]any{"emails": []any{" owner@dupont.ch", "OWNER@dupont.ch", "it@dupont.ch"}, "silence_hours": 6, "no_api_call_hours": 48}, nil)
		c.Must(t, 200, "GET", "/v1/settings/alerts", nil, &got)
		if strings.Join(got.Emails, ",") != "owner@dupont.ch,it@dupont.ch" || got.SilenceHours != 6 || got.NoAPICallHours == nil || *got.NoAPICallHours != 48 ||
			got.UpdatedAt == nil || !got.UpdatedAt.Equal(clk.Now()) {
			t.Fatalf("stored %+v", got)
		}
		for _, tc := range []struct {
			field string
			body  map[string]any
		}{
			{"emails", map[string]any{}},
			{"emails[1]", map[string]any{"emails": []any{"a@dupont.ch", "not an address"}}},
			{"emails", map[string]any{"emails": strings.Split("a@b.ch,b@b.ch,c@b.ch,d@b.ch,e@b.ch,f@b.ch,g@b.ch,h@b.ch,i@b.ch,j@b.ch,k@b.ch", ",")}},
			{"silence_hours", map[string]any{"emails": []any{}, "silence_hours": 0}},
			{"silence_hours", map[string]any{"emails": []any{}, "silence_hours": 169}},
			{"no_api_call_hours", map[string]any{"emails": []any{}, "no_api_call_hours": 721}},
		} {
			apitest.Invalid(t, c.Do(t, "PUT", "/v1/settings/alerts", tc.body), tc.field)
		}
		c.Must(t, 200, "PUT", "/v1/settings/alerts", map[string]any{"emails": []any{}, "no_api_call_hours": nil}, &got)
		if len(got.Emails) != 0 || got.SilenceHours != 24 || got.NoAPICallHours != nil {
			t.Fatalf("replaced %+v", got)
		}
		other := apitest.NewClient(t, s)
		c.Must(t, 200, "PUT", "/v1/settings/alerts", map[string]any{"emails": []any{"owner@dupont.ch"}}, nil)
		other.Must(t, 200, "GET", "/v1/settings/alerts", nil, &got)
		if len(got.Emails) != 0 {
			t.Fatalf("another account sees %v", got.Emails)
		}
	})
}
