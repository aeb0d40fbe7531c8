package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"billbridge"
	"billbridge/routes"
)

// ProblemJSON is the media type of every error response (RFC 9457).
const ProblemJSON = "application/problem+json"

// problemExamples are one problem per code, as the gateway renders them.
var problemExamples = []routes.Problem{
	problem(billbridge.EMALFORMED, "The request body is not valid JSON: unexpected end of JSON input."),
	withFields(problem(billbridge.ECURSORINVALID, "The cursor is not one billbridge returned."), billbridge.FieldError{Name: "after", Reason: "is not a cursor billbridge returned"}),
	withFields(problem(billbridge.EKEYMALFORMED, "The Idempotency-Key must be 1–255 characters of A–Z a–z 0–9 _ - . :"), billbridge.FieldError{Name: "Idempotency-Key", Reason: "must be 1–255 characters of A–Z a–z 0–9 _ - . :"}),
	problem(billbridge.EUNAUTHORIZED, "The API key is not valid."),
	problem(billbridge.ENOTFOUND, "The invoice inv_01JDZ8Q4B7N2C5V8X1Z3M6K9HD was not found."),
	problem(billbridge.ECONFLICT, "Only a draft invoice can be finalized; this one is open."),
	problem(billbridge.EKEYINUSE, "A request with this Idempotency-Key is still running; retry in a moment."),
	problem(billbridge.ETOOLARGE, "The request body exceeds 1048576 bytes."),
	withFields(problem(billbridge.EINVALID, "The request has invalid fields."), billbridge.FieldError{Name: "items[0].unit_price", Reason: "must have at most 2 fraction digits"}),
	withFields(problem(billbridge.EMEDIATYPE, "The body must be JSON sent with Content-Type: application/json; the request has Content-Type \"application/x-www-form-urlencoded\" (curl -d sends application/x-www-form-urlencoded: add -H 'Content-Type: application/json')."),
		billbridge.FieldError{Name: "Content-Type", Reason: "must be application/json (UTF-8)"}),
	problem(billbridge.EKEYREUSED, "This Idempotency-Key was already used for another request (another method, path or body). Use a new key for a new request."),
	problem(billbridge.ERATELIMITED, "Too many requests for this API key; retry in 2 s."),
	problem(billbridge.EINTERNAL, "Internal error."),
}

func problem(code, detail string) routes.Problem {
	status := statusOf(code)
	return routes.Problem{
		Type: "https://billbridge.dev/problems/" + code, Title: http.StatusText(status), Status: status,
		Detail: detail, Code: code, RequestID: "req_01JDZ8M3W6T4X9Y2Q5R7V1N0KE",
	}
}

func withFields(p routes.Problem, f ...billbridge.FieldError) routes.Problem {
	p.InvalidParams = f
	return p
}

// problemResponses serves every response whose schema is the Problem as
// application/problem+json (Swagger 2.0 has one media type per operation)
// with an example of every code its description names. A problem response
// naming no code with an example stops the generation.
func problemResponses(doc map[string]any) error {
	paths := obj(doc, "paths")
	for _, p := range sortedKeys(paths) {
		for method, op := range obj(paths, p) {
			op, ok := op.(map[string]any)
			if !ok {
				continue
			}
			resps := obj(op, "responses")
			for _, code := range sortedKeys(resps) {
				r := resps[code].(map[string]any)
				// An operation that produces files (PDF, PNG…) gets the
				// Problem under each of its media types: errors are JSON.
				content := obj(r, "content")
				mt, ok := content["application/json"].(map[string]any)
				for _, k := range sortedKeys(content) {
					if m, _ := content[k].(map[string]any); !ok && isProblem(m["schema"]) {
						mt, ok = m, true
					}
				}
				if !ok || !isProblem(mt["schema"]) {
					continue
				}
				for k := range content {
					delete(content, k)
				}
				content[ProblemJSON] = mt
				status, _ := strconv.Atoi(code)
				desc, _ := r["description"].(string)
				ex := examplesFor(status, desc)
				if len(ex) == 0 {
					return fmt.Errorf("the %s response of %s %s names no problem code with an example: write its code in the description, as \"(code not_found)\", and give the code an example in problemExamples (openapi/internal/gen/problems.go)", code, strings.ToUpper(method), p)
				}
				mt["examples"] = examplesOf(ex)
			}
		}
	}
	return nil
}

// examplesFor picks the examples of a problem response: those of its
// status whose codes its description names.
func examplesFor(status int, desc string) []routes.Problem {
	var named []routes.Problem
	for _, p := range problemExamples {
		if p.Status == status && names(desc, p.Code) {
			named = append(named, p)
		}
	}
	return named
}

func isProblem(schema any) bool {
	s, _ := schema.(map[string]any)
	return s != nil && s["$ref"] == "#/components/schemas/Problem"
}

// examplesOf names each example after its code.
func examplesOf(ps []routes.Problem) map[string]any {
	out := map[string]any{}
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].Code < ps[j].Code })
	for _, p := range ps {
		out[p.Code] = map[string]any{"summary": p.Title + ": " + p.Code, "value": toJSON(p)}
	}
	return out
}

// toJSON is v as its generic JSON value, the way the gateway encodes it.
func toJSON(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		panic(err)
	}
	return out
}
