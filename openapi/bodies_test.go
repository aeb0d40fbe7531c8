package openapi_test

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"billbridge/internal/apitest"
	"billbridge/internal/web"
	"billbridge/openapi"
)

// walkTooLarge sends every documented operation a body over its route's
// limit (web.RouteBodyLimit) and sees each refuse it with the documented 413 problem,
// also the operations that take no body: the gateway refuses a declared
// body that large before routing.
func walkTooLarge(t *testing.T, s *apitest.Server) {
	var spec struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(openapi.Spec(), &spec); err != nil {
		t.Fatal(err)
	}
	_, key := s.NewAccount("too large")
	param := regexp.MustCompile(`\{[^}]+\}`)
	big := map[string]string{"pad": strings.Repeat("x", web.MaxBodyBytes)}
	n := 0
	for path, item := range spec.Paths {
		for method := range item {
			if method == "parameters" {
				continue
			}
			n++
			body := big
			if limit := web.RouteBodyLimit(path); limit != web.MaxBodyBytes { // files: their own, larger limit
				body = map[string]string{"pad": strings.Repeat("x", int(limit))}
			}
			s.Must(t, 413, strings.ToUpper(method), param.ReplaceAllString(path, "x_1"), key, body)
		}
	}
	if n < 20 {
		t.Fatalf("only %d operations in the spec", n)
	}
}

// walkMediaType sends every operation with a JSON body that body as
// text/plain and sees each refuse it with the documented 415 problem.
func walkMediaType(t *testing.T, s *apitest.Server) {
	var spec struct {
		Paths map[string]map[string]struct {
			RequestBody struct {
				Content map[string]json.RawMessage `json:"content"`
			} `json:"requestBody"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(openapi.Spec(), &spec); err != nil {
		t.Fatal(err)
	}
	_, key := s.NewAccount("media type")
	param := regexp.MustCompile(`\{[^}]+\}`)
	n := 0
	for path, item := range spec.Paths {
		for method, op := range item {
			if op.RequestBody.Content["application/json"] == nil {
				continue
			}
			n++
			s.Must(t, 415, strings.ToUpper(method), param.ReplaceAllString(path, "x_1"), key, `{"name":"x"}`, "Content-Type", "text/plain")
		}
	}
	if n < 10 {
		t.Fatalf("only %d operations with a JSON body in the spec", n)
	}
}
