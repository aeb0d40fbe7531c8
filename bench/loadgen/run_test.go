package main

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestRequestBody(t *testing.T) {
	g := newGenerator(config{
		target: "http://127.0.0.1:1/v1/customers/upsert", method: "POST", idem: "unique",
		body: `{"name":"C %n","email":"c%n@x.example","ref":"%d"}`, pool: 7, clients: 1, keys: []string{"k"},
	})
	rng := rand.New(rand.NewPCG(1, 2))
	seen := map[string]bool{}
	for i := 1; i <= 200; i++ {
		req, err := g.request(rng)
		if err != nil {
			t.Fatal(err)
		}
		var b struct{ Name, Email, Ref string }
		if err := json.NewDecoder(req.Body).Decode(&b); err != nil {
			t.Fatal(err)
		}
		x, err := strconv.Atoi(strings.TrimPrefix(b.Name, "C "))
		if err != nil || x < 0 || x >= 7 {
			t.Fatalf("name %q: %%n not in [0,7)", b.Name)
		}
		if b.Email != "c"+strconv.Itoa(x)+"@x.example" {
			t.Fatalf("email %q does not share the name's number %d", b.Email, x)
		}
		if b.Ref != strconv.Itoa(i) {
			t.Fatalf("request %d: counter %q", i, b.Ref)
		}
		key := req.Header.Get("Idempotency-Key")
		if seen[key] || key == "" {
			t.Fatalf("idempotency key %q repeated or empty", key)
		}
		seen[key] = true
		if req.Header.Get("Authorization") != "Bearer k" || req.Header.Get("Content-Type") != "application/json" {
			t.Fatalf("headers %v", req.Header)
		}
	}
}

func TestResultJSON(t *testing.T) {
	r := result{label: "x", clients: 2, took: 2 * time.Second, statuses: map[int]int{200: 3, 201: 1},
		lat: []time.Duration{time.Millisecond, 2 * time.Millisecond, 3 * time.Millisecond, 40 * time.Millisecond}}
	if !r.ok() {
		t.Fatal("all 2xx without errors is not ok")
	}
	var buf bytes.Buffer
	if err := r.writeJSON(&buf); err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"label": "x", "clients": 2.0, "seconds": 2.0, "requests": 4.0, "rps": 2.0,
		"p50_ms": 3.0, "p99_ms": 40.0, "statuses": map[string]any{"200": 3.0, "201": 1.0}, "errors": 0.0}
	if g, w := must(json.Marshal(got)), must(json.Marshal(want)); g != w {
		t.Fatalf("got %s, want %s", g, w)
	}
	r.statuses[429] = 1
	if r.ok() {
		t.Fatal("a 429 is ok")
	}
	r.statuses = map[int]int{200: 1}
	r.errors = 1
	if r.ok() {
		t.Fatal("an error is ok")
	}
}

func must(b []byte, err error) string {
	if err != nil {
		panic(err)
	}
	return string(b)
}
