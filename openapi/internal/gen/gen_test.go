package main

import (
	"encoding/json"
	"os"
	"testing"

	"billbridge"
)

// TestCommittedSpec checks what the converter promises on the committed
// openapi.json (openapi/check.sh proves it is what the code generates).
func TestCommittedSpec(t *testing.T) {
	got, err := os.ReadFile("../../openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths      map[string]map[string]map[string]any
		Components struct {
			Schemas         map[string]map[string]any
			SecuritySchemes map[string]map[string]any
		}
	}
	if err := json.Unmarshal(got, &doc); err != nil {
		t.Fatal(err)
	}
	prop := func(schema, name string) map[string]any {
		p, _ := doc.Components.Schemas[schema]["properties"].(map[string]any)[name].(map[string]any)
		if p == nil {
			t.Fatalf("no %s.%s", schema, name)
		}
		return p
	}
	// A decimal on a request is a number (first) or a decimal string.
	number := func(p map[string]any) map[string]any {
		oneOf, _ := p["oneOf"].([]any)
		if len(oneOf) != 2 || oneOf[1].(map[string]any)["type"] != "string" {
			t.Fatalf("decimal input not a number or a string: %v", p)
		}
		return oneOf[0].(map[string]any)
	}
	// Decimal bounds in the wire's units, from binding:"gte=0,max=99999999999".
	if p := number(prop("LineItemInput", "unit_price")); p["maximum"] != 999999999.99 || p["minimum"] != 0.0 || p["format"] != "double" {
		t.Errorf("unit_price: %v", p)
	}
	// gt=0 on a quantity of thousandths.
	if p := number(prop("LineItemInput", "quantity")); p["exclusiveMinimum"] != true || p["maximum"] != 1e6 {
		t.Errorf("quantity: %v", p)
	}
	// Responses carry numbers.
	if p := prop("Invoice", "total"); p["type"] != "number" {
		t.Errorf("Invoice.total: %v", p)
	}
	// A dive's oneof documents the items.
	if items := prop("HookInput", "events")["items"].(map[string]any); len(items["enum"].([]any)) != len(billbridge.EventTypes)+1 {
		t.Errorf("hook events items: %v", items)
	}
	// Dates and nullable pointers.
	if p := prop("Invoice", "due_date"); p["format"] != "date" || p["nullable"] != true {
		t.Errorf("due_date: %v", p)
	}
	// A nullable enum lists null (OpenAPI 3.0): a created upsert's matched_by.
	if b, _ := json.Marshal(prop("UpsertResult", "matched_by")["enum"]); string(b) != `["external_id","customer_number","email","alias",null]` {
		t.Errorf("matched_by enum: %s", b)
	}
	// One payload schema per event type.
	if oneOf := doc.Components.Schemas["Event"]["oneOf"].([]any); len(oneOf) != len(billbridge.EventTypes) {
		t.Errorf("Event has %d variants for %d types", len(oneOf), len(billbridge.EventTypes))
	}
	// The Bearer scheme is HTTP bearer authentication, X-API-Key its own apiKey scheme.
	if b := doc.Components.SecuritySchemes["Bearer"]; b["type"] != "http" || b["scheme"] != "bearer" {
		t.Errorf("Bearer scheme: %v", b)
	}
	if k := doc.Components.SecuritySchemes["ApiKey"]; k["type"] != "apiKey" || k["in"] != "header" || k["name"] != "X-API-Key" {
		t.Errorf("ApiKey scheme: %v", k)
	}
	// Errors are problems.
	r := doc.Paths["/v1/invoices"]["post"]["responses"].(map[string]any)["422"].(map[string]any)
	if _, ok := r["content"].(map[string]any)[ProblemJSON]; !ok {
		t.Errorf("422 of POST /v1/invoices is not %s: %v", ProblemJSON, r["content"])
	}
}

func TestPublicName(t *testing.T) {
	for in, want := range map[string]string{
		"actions.CustomerInput":        "CustomerInput",
		"web.List-billbridge_Customer": "CustomerList",
		"routes.Problem":               "Problem",
	} {
		if got := publicName(in); got != want {
			t.Errorf("publicName(%q) = %q, want %q", in, got, want)
		}
	}
}
