package main

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
)

// opDoc is a document with the given operations, each written as its JSON
// operation object.
func opDoc(t *testing.T, ops map[string]string) map[string]any {
	t.Helper()
	paths := map[string]any{}
	for pm, op := range ops {
		method, path, _ := strings.Cut(pm, " ")
		var o map[string]any
		if err := json.Unmarshal([]byte(op), &o); err != nil {
			t.Fatal(err)
		}
		obj(paths, path)[strings.ToLower(method)] = o
	}
	return map[string]any{"paths": paths}
}

func op(doc map[string]any, method, path string) map[string]any {
	return obj(obj(doc, "paths"), path)[strings.ToLower(method)].(map[string]any)
}

func response(t *testing.T, o map[string]any, status string) map[string]any {
	t.Helper()
	r, ok := obj(o, "responses")[status].(map[string]any)
	if !ok {
		t.Fatalf("no %s response: %v", status, obj(o, "responses"))
	}
	return r
}

const problemRef = `{"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}}`

func TestSharedParts(t *testing.T) {
	doc := opDoc(t, map[string]string{
		"GET /healthz":       `{"responses": {"200": {"description": "up"}}}`,
		"GET /v1/things":     `{"responses": {"200": {"description": "a page"}, "422": {"description": "bad query (code validation_failed).", "content": ` + problemRef + `}}}`,
		"POST /v1/things":    `{"requestBody": {"content": {}}, "responses": {"201": {"description": "created"}, "409": {"description": "Taken (code conflict).", "content": ` + problemRef + `}}}`,
		"POST /v1/t/{id}/go": `{"parameters": [{"name": "id", "in": "path"}, {"name": "Idempotency-Key", "in": "header", "description": "a stale copy"}], "responses": {"200": {"description": "done"}}}`,
	})
	if err := sharedParts(doc); err != nil {
		t.Fatal(err)
	}

	t.Run("every operation has X-Request-Id, the 413 and the 500 problem", func(t *testing.T) {
		for _, pm := range [][2]string{{"GET", "/healthz"}, {"GET", "/v1/things"}, {"POST", "/v1/things"}} {
			o := op(doc, pm[0], pm[1])
			for status, r := range obj(o, "responses") {
				if _, ok := obj(r.(map[string]any), "headers")["X-Request-Id"]; !ok {
					t.Errorf("%s %s %s: no X-Request-Id", pm[0], pm[1], status)
				}
			}
			if r := response(t, o, "413"); !strings.Contains(r["description"].(string), "(code request_too_large)") {
				t.Errorf("%s %s 413: %v", pm[0], pm[1], r)
			}
			if r := response(t, o, "500"); !strings.Contains(r["description"].(string), "(code internal)") {
				t.Errorf("%s %s 500: %v", pm[0], pm[1], r)
			}
		}
	})
	t.Run("operations outside /v1 get no key, rate limit or idempotency", func(t *testing.T) {
		o := op(doc, "GET", "/healthz")
		if _, ok := o["security"]; ok {
			t.Errorf("security on /healthz: %v", o["security"])
		}
		for _, status := range []string{"401", "429"} {
			if _, ok := obj(o, "responses")[status]; ok {
				t.Errorf("/healthz documents %s", status)
			}
		}
		if _, ok := obj(response(t, o, "200"), "headers")["RateLimit"]; ok {
			t.Error("/healthz documents RateLimit")
		}
	})
	t.Run("every /v1 operation needs a key and has 401, 429 and the rate-limit headers", func(t *testing.T) {
		o := op(doc, "GET", "/v1/things")
		if b, _ := json.Marshal(o["security"]); string(b) != `[{"Bearer":[]},{"ApiKey":[]}]` {
			t.Errorf("security: %s", b)
		}
		if h := obj(response(t, o, "401"), "headers"); h["WWW-Authenticate"] == nil {
			t.Errorf("401 without WWW-Authenticate: %v", h)
		}
		if h := obj(response(t, o, "429"), "headers"); h["Retry-After"] == nil {
			t.Errorf("429 without Retry-After: %v", h)
		}
		for status, r := range obj(o, "responses") {
			h := obj(r.(map[string]any), "headers")
			if h["RateLimit"] == nil || h["RateLimit-Policy"] == nil {
				t.Errorf("%s without RateLimit headers: %v", status, h)
			}
		}
	})
	t.Run("reads get no Idempotency-Key and no idempotency problems", func(t *testing.T) {
		o := op(doc, "GET", "/v1/things")
		if o["parameters"] != nil {
			t.Errorf("parameters: %v", o["parameters"])
		}
		if d := response(t, o, "422")["description"]; d != "bad query (code validation_failed)." {
			t.Errorf("422: %v", d)
		}
		if _, ok := obj(o, "responses")["409"]; ok {
			t.Error("a GET documents 409")
		}
	})
	t.Run("writes get the Idempotency-Key first with the gateway's pattern", func(t *testing.T) {
		o := op(doc, "POST", "/v1/t/{id}/go")
		params := o["parameters"].([]any)
		if len(params) != 2 {
			t.Fatalf("parameters: %v", params)
		}
		key := params[0].(map[string]any)
		if key["name"] != "Idempotency-Key" || key["description"] == "a stale copy" {
			t.Errorf("first parameter: %v", key)
		}
		re := regexp.MustCompile(key["schema"].(map[string]any)["pattern"].(string))
		for v, ok := range map[string]bool{"k-1": true, `"k-1"`: true, "a.b:c_d": true, "": false, "a b": false, `"k-1`: false, strings.Repeat("k", 256): false} {
			if re.MatchString(v) != ok {
				t.Errorf("pattern on %q: %v, want %v", v, !ok, ok)
			}
		}
		if h := obj(response(t, o, "200"), "headers"); h["Idempotent-Replayed"] == nil {
			t.Errorf("200 without Idempotent-Replayed: %v", h)
		}
		for _, status := range []string{"400", "409", "422"} {
			response(t, o, status)
		}
	})
	t.Run("the handler's sentence comes first, the shared one is appended", func(t *testing.T) {
		o := op(doc, "POST", "/v1/things")
		r := response(t, o, "409")
		want := "Taken (code conflict). The Idempotency-Key is in use by a request still running (code idempotency_key_in_use, with Retry-After)."
		if r["description"] != want {
			t.Errorf("409: %q, want %q", r["description"], want)
		}
		if obj(r, "headers")["Retry-After"] == nil {
			t.Error("409 without Retry-After")
		}
		if d := response(t, o, "400")["description"].(string); !strings.Contains(d, "malformed_request") || !strings.Contains(d, "idempotency_key_invalid") {
			t.Errorf("400: %q", d)
		}
		response(t, o, "413")
	})
	t.Run("operations with a JSON body get the 415 problem, uploads and bodiless ones not", func(t *testing.T) {
		doc := opDoc(t, map[string]string{
			"POST /v1/json":   `{"requestBody": {"content": {"application/json": {}}}, "responses": {"201": {"description": "created"}}}`,
			"POST /v1/upload": `{"requestBody": {"content": {"text/csv": {}, "multipart/form-data": {}}}, "responses": {"200": {"description": "read"}}}`,
			"POST /v1/x/go":   `{"responses": {"200": {"description": "done"}}}`,
		})
		if err := sharedParts(doc); err != nil {
			t.Fatal(err)
		}
		if d := response(t, op(doc, "POST", "/v1/json"), "415")["description"].(string); !strings.Contains(d, "(code unsupported_media_type)") || !strings.Contains(d, "application/json") {
			t.Errorf("415: %q", d)
		}
		for _, path := range []string{"/v1/upload", "/v1/x/go"} {
			if r, ok := obj(op(doc, "POST", path), "responses")["415"]; ok {
				t.Errorf("POST %s documents 415: %v", path, r)
			}
		}
	})
	t.Run("a code the handler already names is not said twice", func(t *testing.T) {
		doc := opDoc(t, map[string]string{"GET /v1/x": `{"responses": {"401": {"description": "No key (code unauthorized).", "content": ` + problemRef + `}}}`})
		if err := sharedParts(doc); err != nil {
			t.Fatal(err)
		}
		if d := response(t, op(doc, "GET", "/v1/x"), "401")["description"]; d != "No key (code unauthorized)." {
			t.Errorf("401: %q", d)
		}
	})
	t.Run("a shared status documented with another body fails the generation", func(t *testing.T) {
		doc := opDoc(t, map[string]string{"GET /docs": `{"responses": {"500": {"description": "oops", "content": {"text/plain": {}}}}}`})
		if err := sharedParts(doc); err == nil {
			t.Error("no error")
		}
	})
}
