package main

import (
	"encoding/json"
	"reflect"
	"regexp"
	"strconv"
	"testing"

	"billbridge"
)

// TestDecimalInputsTakeNumbersAndStrings: on requests an amount, quantity
// or VAT rate is a JSON number or a decimal string (defect 16: "94.58" as
// the README sends it), and the string's pattern accepts exactly what the
// server parses; responses stay numbers.
func TestDecimalInputsTakeNumbersAndStrings(t *testing.T) {
	money := reflect.TypeOf(billbridge.Money(0))
	p := map[string]any{"type": "integer", "description": "The amount."}
	if err := constrain(p, field{name: "amount", t: money, binding: "required,gt=0,max=99999999999"}, true); err != nil {
		t.Fatal(err)
	}
	oneOf, _ := p["oneOf"].([]any)
	if len(oneOf) != 2 || p["type"] != nil || p["description"] != "The amount." {
		t.Fatalf("input amount: %v", p)
	}
	num, str := oneOf[0].(map[string]any), oneOf[1].(map[string]any)
	if num["type"] != "number" || num["format"] != "double" || num["minimum"] != 0.0 || num["exclusiveMinimum"] != true || num["maximum"] != 999999999.99 {
		t.Errorf("number variant: %v", num)
	}
	if str["type"] != "string" {
		t.Fatalf("string variant: %v", str)
	}
	re := regexp.MustCompile(str["pattern"].(string))
	for _, s := range []string{"94.58", "100", "0.5", "-1.25", " 94.58 ", "999999999999999.99", "1.", ".5", "1e3", "+1", "1.234", "9,50", "", "abc", "1000000000000000"} {
		var m billbridge.Money
		err := json.Unmarshal([]byte(strconv.Quote(s)), &m) // as a request's string
		if re.MatchString(s) != (err == nil) {
			t.Errorf("%q: pattern matches %v, server parses %v (%v)", s, re.MatchString(s), err == nil, err)
		}
	}

	out := map[string]any{"type": "integer"}
	if err := constrain(out, field{name: "amount", t: money}, false); err != nil {
		t.Fatal(err)
	}
	if out["type"] != "number" || out["oneOf"] != nil {
		t.Errorf("response amount: %v", out)
	}
}

// TestNullableDecimalInput: an optional decimal (a pointer) stays nullable
// on the number branch only, beside its type (OpenAPI 3.0 wants nullable
// next to type; on both branches null would match two of the oneOf).
func TestNullableDecimalInput(t *testing.T) {
	rate := reflect.TypeOf((*billbridge.VATRate)(nil))
	p := map[string]any{"type": "number"}
	if err := constrain(p, field{name: "interest_rate", t: rate}, true); err != nil {
		t.Fatal(err)
	}
	oneOf, _ := p["oneOf"].([]any)
	if len(oneOf) != 2 || p["nullable"] != nil {
		t.Fatalf("input rate: %v", p)
	}
	if num, str := oneOf[0].(map[string]any), oneOf[1].(map[string]any); num["nullable"] != true || num["type"] != "number" || str["nullable"] != nil {
		t.Errorf("branches: %v", oneOf)
	}
}

// TestRequestSchemas: a schema inside a request body's schema counts as
// sent in requests, one only in responses does not.
func TestRequestSchemas(t *testing.T) {
	doc := map[string]any{
		"paths": map[string]any{"/v1/x": map[string]any{
			"put": map[string]any{
				"requestBody": map[string]any{"content": map[string]any{"application/json": map[string]any{"schema": ref("XInput")}}},
				"responses":   map[string]any{"200": map[string]any{"content": map[string]any{"application/json": map[string]any{"schema": ref("X")}}}},
			},
		}},
		"components": map[string]any{"schemas": map[string]any{
			"XInput": map[string]any{"properties": map[string]any{"levels": map[string]any{"items": ref("Level")}}},
			"X":      map[string]any{"properties": map[string]any{"levels": map[string]any{"items": ref("Level")}, "other": ref("Other")}},
			"Level":  map[string]any{"properties": map[string]any{"fee": map[string]any{"type": "number"}}},
			"Other":  map[string]any{},
		}},
	}
	got := requestSchemas(doc)
	if !got["XInput"] || !got["Level"] || got["X"] || got["Other"] {
		t.Errorf("request schemas %v, want XInput and Level", got)
	}
}
