package main

import (
	"encoding/json"
	"reflect"
	"testing"
)

// TestOptionalEnumsTakeTheEmptyString: an optional enum (binding
// omitempty,oneof) of a body or an optional enum query parameter lists ""
// among its values, as the server takes "" for "not given" (what a
// platform sends for a field mapped to nothing); a required one does not.
func TestOptionalEnumsTakeTheEmptyString(t *testing.T) {
	str := reflect.TypeOf("")
	for binding, want := range map[string]string{
		"omitempty,oneof=de fr it en": `["de","fr","it","en",""]`,
		"required,oneof=CHF EUR":      `["CHF","EUR"]`,
	} {
		p := map[string]any{"type": "string"}
		if err := constrain(p, field{name: "x", t: str, binding: binding}, true); err != nil {
			t.Fatal(err)
		}
		if b, _ := json.Marshal(p["enum"]); string(b) != want {
			t.Errorf("%s: enum %s, want %s", binding, b, want)
		}
	}

	doc := opDoc(t, map[string]string{
		"GET /v1/x": `{"parameters": [
			{"name": "format", "in": "query", "schema": {"type": "string", "enum": ["svg", "pdf"]}},
			{"name": "kind", "in": "query", "required": true, "schema": {"type": "string", "enum": ["a", "b"]}},
			{"name": "id", "in": "path", "required": true, "schema": {"type": "string", "enum": ["c"]}}
		], "responses": {}}`,
	})
	if err := optionalQueryEnums(doc); err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{`["svg","pdf",""]`, `["a","b"]`, `["c"]`} {
		p := op(doc, "GET", "/v1/x")["parameters"].([]any)[i].(map[string]any)
		if b, _ := json.Marshal(p["schema"].(map[string]any)["enum"]); string(b) != want {
			t.Errorf("parameter %v: enum %s, want %s", p["name"], b, want)
		}
	}
}
