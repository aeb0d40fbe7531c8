package main

import (
	"encoding/json"
	"testing"
)

func TestSecuritySchemes(t *testing.T) {
	doc := map[string]any{}
	if err := json.Unmarshal([]byte(`{"components": {"securitySchemes": {
		"Bearer": {"type": "apiKey", "in": "header", "name": "Authorization", "description": "An API key as Bearer."},
		"ApiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key", "description": "The same key."}}}}`), &doc); err != nil {
		t.Fatal(err)
	}
	if err := securitySchemes(doc); err != nil {
		t.Fatal(err)
	}
	s := obj(obj(doc, "components"), "securitySchemes")

	t.Run("Bearer is HTTP bearer authentication, so clients add the Bearer prefix", func(t *testing.T) {
		b := s["Bearer"].(map[string]any)
		if b["type"] != "http" || b["scheme"] != "bearer" || b["description"] != "An API key as Bearer." {
			t.Errorf("Bearer: %v", b)
		}
		for _, k := range []string{"in", "name"} {
			if _, ok := b[k]; ok {
				t.Errorf("Bearer keeps the apiKey field %s: %v", k, b)
			}
		}
	})
	t.Run("X-API-Key stays an apiKey scheme of its own", func(t *testing.T) {
		if k := s["ApiKey"].(map[string]any); k["type"] != "apiKey" || k["name"] != "X-API-Key" {
			t.Errorf("ApiKey: %v", k)
		}
	})
	t.Run("a spec without the Bearer header scheme stops the generation", func(t *testing.T) {
		if err := securitySchemes(map[string]any{}); err == nil {
			t.Error("no error")
		}
	})
}

func TestNullableEnums(t *testing.T) {
	doc := map[string]any{}
	if err := json.Unmarshal([]byte(`{"components": {"schemas": {"R": {"properties": {
		"matched_by": {"type": "string", "nullable": true, "enum": ["external_id", "email"]},
		"kind": {"type": "string", "enum": ["a", "b"]},
		"twice": {"type": "string", "nullable": true, "enum": ["a", null]}}}}}}`), &doc); err != nil {
		t.Fatal(err)
	}
	if err := nullableEnums(doc); err != nil {
		t.Fatal(err)
	}
	props := obj(obj(schemas(doc), "R"), "properties")
	enum := func(name string) string {
		b, _ := json.Marshal(obj(props, name)["enum"])
		return string(b)
	}
	t.Run("a nullable enum lists null", func(t *testing.T) {
		if got := enum("matched_by"); got != `["external_id","email",null]` {
			t.Errorf("matched_by enum: %s", got)
		}
	})
	t.Run("an enum that is not nullable gets no null", func(t *testing.T) {
		if got := enum("kind"); got != `["a","b"]` {
			t.Errorf("kind enum: %s", got)
		}
	})
	t.Run("null is listed once", func(t *testing.T) {
		if got := enum("twice"); got != `["a",null]` {
			t.Errorf("twice enum: %s", got)
		}
	})
}
