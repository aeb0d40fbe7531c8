package actions_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"

	"billbridge/internal/apitest"
	"billbridge/internal/contract"
)

// Defect 17 (email part): the spec's format: email is what the server
// accepts, through the real server on both stores.
func TestAPIEmailFormat(t *testing.T) {
	checker, err := contract.Default()
	if err != nil {
		t.Fatal(err)
	}
	specProblem := func(t *testing.T, body map[string]any) error {
		t.Helper()
		b, _ := json.Marshal(body)
		req, _ := http.NewRequest("POST", "http://127.0.0.1:1/v1/customers", bytes.NewReader(b))
		req.Header.Set("Authorization", "Bearer k")
		req.Header.Set("Content-Type", "application/json")
		return checker.RequestProblem(req, b)
	}
	apitest.EachStore(t, apitest.Options{}, func(t *testing.T, s *apitest.Server) {
		t.Run("an address the server stores, trimmed, passes the spec's format", func(t *testing.T) {
			t.Parallel()
			c := apitest.NewClient(t, s)
			for sent, stored := range map[string]string{
				" Billing@Dupont.CH ":      "Billing@Dupont.CH",
				"\tfirst.last+x@dupont.ch": "first.last+x@dupont.ch",
				"müller@bäckerei.ch":       "müller@bäckerei.ch",
				"用户@例子.广告":                 "用户@例子.广告",
				"":                         "",
				"   ":                      "",
			} {
				body := map[string]any{"name": "Kunde " + stored, "email": sent}
				var got struct {
					Email string `json:"email"`
				}
				c.Must(t, 201, "POST", "/v1/customers", body, &got) // contract.Install checks the exchange
				if got.Email != stored {
					t.Errorf("email %q stored as %q, want %q", sent, got.Email, stored)
				}
				if err := specProblem(t, body); err != nil {
					t.Errorf("email %q: the server stores it, the spec refuses it: %v", sent, err)
				}
			}
		})
		t.Run("an address the server refuses is 422 naming email, and the spec refuses it too", func(t *testing.T) {
			t.Parallel()
			c := apitest.NewClient(t, s)
			before := apitest.CountRows(t, c)
			for _, email := range []string{"not-an-email", "billing@dupont", "billing@dupont.", `"a b"@dupont.ch`, "billing@[192.0.2.1]", "a@b@dupont.ch", "billing\u200b@dupont.ch", "\u212aunde@dupont.ch"} {
				body := map[string]any{"name": "Dupont AG", "email": email}
				apitest.Invalid(t, c.Do(t, "POST", "/v1/customers", body), "email")
				if specProblem(t, body) == nil {
					t.Errorf("email %q: the server refuses it, the spec's format: email accepts it", email)
				}
			}
			if after := apitest.CountRows(t, c); after != before {
				t.Errorf("rows %+v after refusals, want %+v", after, before)
			}
		})
	})
}
