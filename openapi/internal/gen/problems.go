package main

import (
	"encoding/json"
	"net/http"
	"sort"
	"strconv"

	"billbridge"
	"billbridge/routes"
)

// ProblemJSON is the media type of every error response (RFC 9457).
const ProblemJSON = "application/problem+json"

// problemExamples are one problem per status, as the gateway renders them.
var problemExamples = map[int][]routes.Problem{
	400: {problem(billbridge.EMALFORMED, 400, "The request body is not valid JSON: unexpected end of JSON input.")},
	401: {problem(billbridge.EUNAUTHORIZED, 401, "The API key is not valid.")},
	404: {problem(billbridge.ENOTFOUND, 404, "The invoice inv_01JDZ8Q4B7N2C5V8X1Z3M6K9HD was not found.")},
	409: {
		problem(billbridge.ECONFLICT, 409, "Only a draft invoice can be finalized; this one is open."),
		problem(billbridge.EKEYINUSE, 409, "A request with this Idempotency-Key is still running; retry in a moment."),
	},
	413: {problem(billbridge.ETOOLARGE, 413, "The request body exceeds 1048576 bytes.")},
	422: {
		withFields(problem(billbridge.EINVALID, 422, "The request has invalid fields."), billbridge.FieldError{Name: "items[0].unit_price", Reason: "must have at most 2 fraction digits"}),
		problem(billbridge.EKEYREUSED, 422, "This Idempotency-Key was already used for another request (another method, path or body). Use a new key for a new request."),
	},
	429: {problem(billbridge.ERATELIMITED, 429, "Too many requests for this API key; retry in 2 s.")},
}

func problem(code string, status int, detail string) routes.Problem {
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
// with the examples of its status.
func problemResponses(doc map[string]any) error {
	paths := obj(doc, "paths")
	for _, p := range sortedKeys(paths) {
		for _, op := range obj(paths, p) {
			op, ok := op.(map[string]any)
			if !ok {
				continue
			}
			resps := obj(op, "responses")
			for _, code := range sortedKeys(resps) {
				r := resps[code].(map[string]any)
				content := obj(r, "content")
				mt, ok := content["application/json"].(map[string]any)
				if !ok || !isProblem(mt["schema"]) {
					continue
				}
				delete(content, "application/json")
				content[ProblemJSON] = mt
				status, _ := strconv.Atoi(code)
				if ex := problemExamples[status]; len(ex) > 0 {
					mt["examples"] = examplesOf(ex)
				}
			}
		}
	}
	return nil
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
