package contract_test

import (
	"net/http"
	"strings"
	"testing"

	"billbridge/internal/apitest"
	"billbridge/internal/contract"
)

func exchange(t *testing.T, method, path, auth, reqBody string, status int, contentType, respBody string) (*http.Request, []byte, *apitest.Response) {
	t.Helper()
	req, err := http.NewRequest(method, "http://127.0.0.1:1"+path, strings.NewReader(reqBody))
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", "Bearer "+auth)
	}
	if reqBody != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	h := http.Header{}
	h.Set("Content-Type", contentType)
	return req, []byte(reqBody), &apitest.Response{Status: status, Header: h, Body: []byte(respBody)}
}

// TestValidate shows what the checker accepts and what it refuses, with
// hand-made exchanges.
func TestValidate(t *testing.T) {
	c, err := contract.New()
	if err != nil {
		t.Fatal(err)
	}
	me := `{"account_id":"acct_1","name":"Acme","timezone":"Europe/Zurich","created_at":"2026-11-28T10:00:00.000Z"}`
	problem := `{"type":"https://billbridge.dev/problems/unauthorized","title":"Unauthorized","status":401,"detail":"No key.","code":"unauthorized","request_id":"req_1"}`
	for _, tc := range []struct {
		name    string
		method  string
		path    string
		auth    string
		body    string
		status  int
		ctype   string
		resp    string
		wantErr string
	}{
		{"valid", "GET", "/v1/me", "k", "", 200, "application/json", me, ""},
		{"missing field", "GET", "/v1/me", "k", "", 200, "application/json", `{"account_id":"acct_1"}`, "response body doesn't match schema"},
		{"wrong type", "GET", "/v1/me", "k", "", 200, "application/json", strings.Replace(me, `"Acme"`, `42`, 1), "response body doesn't match schema"},
		{"undocumented status", "GET", "/v1/me", "k", "", 418, "application/json", me, "status"},
		{"problem as plain json", "GET", "/v1/me", "", "", 401, "application/json", problem, "Content-Type has unexpected value"},
		{"problem", "GET", "/v1/me", "", "", 401, "application/problem+json", problem, ""},
		{"spec refuses, server accepts", "GET", "/v1/customers?limit=1000", "k", "", 200, "application/json", `{"data":[],"has_more":false,"next_cursor":null}`, "the spec refuses this request"},
		{"spec refuses, server refuses", "GET", "/v1/customers?limit=1000", "k", "", 422, "application/problem+json", strings.ReplaceAll(problem, "401", "422"), ""},
		{"unknown path is 404", "GET", "/v1/nothing", "k", "", 404, "application/problem+json", strings.ReplaceAll(problem, "401", "404"), ""},
		{"unknown path answered 200", "GET", "/v1/nothing", "k", "", 200, "application/json", `{}`, "no documented operation"},
		{"unknown method is 405", "PUT", "/v1/me", "k", "", 405, "application/problem+json", strings.ReplaceAll(problem, "401", "405"), ""},
		{"404 without problem body", "GET", "/v1/nothing", "k", "", 404, "text/plain", "404 page not found", "not application/problem+json"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, body, resp := exchange(t, tc.method, tc.path, tc.auth, tc.body, tc.status, tc.ctype, tc.resp)
			err := c.Validate(req, body, resp)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("unexpected error: %v", err)
			case tc.wantErr != "" && err == nil:
				t.Errorf("accepted; want an error with %q", tc.wantErr)
			case tc.wantErr != "" && !strings.Contains(err.Error(), tc.wantErr):
				t.Errorf("error %v; want one with %q", err, tc.wantErr)
			}
		})
	}
}
