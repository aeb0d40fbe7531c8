package main

import (
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"billbridge"
	"billbridge/internal/web"
	"billbridge/routes"
)

// sharedParts writes what every operation shares, so a handler's swag block
// documents only what is its own (its parameters, body, successes and the
// errors of its own logic). It adds
//
//   - on every operation: X-Request-Id on every response, the 413
//     problem (the gateway refuses a declared body over the limit before
//     routing, also where the operation takes no body, as HTTP servers do)
//     and the 500 problem;
//   - under /v1 (an API key is required): the Bearer and ApiKey security,
//     RateLimit-Policy and RateLimit on every response, the 401 problem
//     (with WWW-Authenticate) and the 429 problem (with Retry-After);
//   - on writes under /v1 (POST, PATCH, DELETE): the Idempotency-Key
//     parameter with the pattern the gateway enforces, Idempotent-Replayed
//     on every success, and the 400 idempotency_key_invalid, 409
//     idempotency_key_in_use (with Retry-After) and 422
//     idempotency_key_reused problems;
//   - on operations with a request body: the 400 malformed_request problem;
//     on those whose body is JSON, the 415 unsupported_media_type problem
//     (web.BindJSON takes application/json only).
//
// Where the handler documents the same status, its sentence comes first and
// the shared one is appended (unless it already names the shared code).
// The shared headers and the Idempotency-Key parameter replace any copy a
// handler still writes, so they are said in one place only.
func sharedParts(doc map[string]any) error {
	paths := obj(doc, "paths")
	for _, path := range sortedKeys(paths) {
		item := obj(paths, path)
		for _, method := range sortedKeys(item) {
			op, ok := item[method].(map[string]any)
			if !ok || !isMethod(method) {
				continue
			}
			k := kindOf(path, method, op)
			if k.api {
				op["security"] = []any{map[string]any{"Bearer": []any{}}, map[string]any{"ApiKey": []any{}}}
			}
			if k.write {
				setIdempotencyKeyParam(op)
			}
			for _, p := range sharedProblems {
				if p.applies(k) {
					if err := addProblem(op, p); err != nil {
						return fmt.Errorf("%s %s: %w", strings.ToUpper(method), path, err)
					}
				}
			}
			resps := obj(op, "responses")
			for _, code := range sortedKeys(resps) {
				r := obj(resps, code)
				h := obj(r, "headers")
				h["X-Request-Id"] = header("string", "The request id, also in problem bodies and logs.")
				if k.api {
					h["RateLimit-Policy"] = header("string", "The quota of the API key when rate limiting is on (IETF httpapi draft: policy name, q requests per w seconds).")
					h["RateLimit"] = header("string", "What is left of the quota when rate limiting is on (IETF httpapi draft: policy name, r requests remaining, t seconds until the quota is full again).")
				}
				if k.write && strings.HasPrefix(code, "2") {
					h["Idempotent-Replayed"] = header("string", "true when this response replays the first response to the same Idempotency-Key.")
				}
			}
		}
	}
	return nil
}

// opKind is what decides which shared parts an operation gets.
type opKind struct {
	api   bool // under /v1: API key, rate limit
	write bool // POST, PATCH or DELETE under /v1: Idempotency-Key
	body  bool // has a request body
	json  bool // the request body is application/json
}

// apiPrefix is where the API key, rate limiting and idempotency apply
// (the /v1 group of routes.New).
const apiPrefix = "/v1/"

func kindOf(path, method string, op map[string]any) opKind {
	api := strings.HasPrefix(path, apiPrefix)
	rb, body := op["requestBody"].(map[string]any)
	content, _ := rb["content"].(map[string]any)
	_, isJSON := content["application/json"]
	k := opKind{api: api, body: body, json: body && isJSON}
	switch strings.ToUpper(method) {
	case http.MethodPost, http.MethodPatch, http.MethodDelete:
		k.write = api
	}
	return k
}

func isMethod(m string) bool {
	switch strings.ToUpper(m) {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodOptions, http.MethodTrace:
		return true
	}
	return false
}

// sharedProblem is an error answer the gateway gives on many operations,
// before or around their handlers. Its status comes from routes' one
// mapping of codes to statuses.
type sharedProblem struct {
	code    string
	says    string            // its sentence in the response's description
	headers map[string]any    // headers the answer carries
	applies func(opKind) bool // which operations give it
}

func always(opKind) bool    { return true }
func isAPI(k opKind) bool   { return k.api }
func isWrite(k opKind) bool { return k.write }
func hasBody(k opKind) bool { return k.body }
func hasJSON(k opKind) bool { return k.json }

// statusOf is the status routes renders code with.
func statusOf(code string) int { return routes.HTTPStatus(&billbridge.Error{Code: code}) }

// sharedProblems are the shared error answers, in the order their
// sentences are appended.
var sharedProblems = []sharedProblem{
	{code: billbridge.EMALFORMED, applies: hasBody,
		says: "The body is empty, not valid JSON, or not one JSON object (code malformed_request)."},
	{code: billbridge.EKEYMALFORMED, applies: isWrite,
		says: "The Idempotency-Key is malformed (code idempotency_key_invalid)."},
	{code: billbridge.EUNAUTHORIZED, applies: isAPI,
		says:    "No API key, or one that is not valid (code unauthorized).",
		headers: map[string]any{"WWW-Authenticate": header("string", `The Bearer challenge: Bearer realm="billbridge", with error="invalid_token" when a key was sent but is not valid.`)}},
	{code: billbridge.EKEYINUSE, applies: isWrite,
		says:    "The Idempotency-Key is in use by a request still running (code idempotency_key_in_use, with Retry-After).",
		headers: map[string]any{"Retry-After": header("integer", "Seconds to wait before retrying, when the Idempotency-Key is in use.")}},
	{code: billbridge.ETOOLARGE, applies: always,
		says: fmt.Sprintf("The request body exceeds %s (code request_too_large); a body that large is refused on every operation, also one that takes none.", bytesText(web.MaxBodyBytes))},
	{code: billbridge.EKEYREUSED, applies: isWrite,
		says: "The Idempotency-Key was used for another request (code idempotency_key_reused)."},
	{code: billbridge.ERATELIMITED, applies: isAPI,
		says:    "Too many requests for this API key (code rate_limited, with Retry-After).",
		headers: map[string]any{"Retry-After": header("integer", "Seconds to wait before retrying.")}},
	{code: billbridge.EMEDIATYPE, applies: hasJSON,
		says: "The body is sent without Content-Type: application/json (UTF-8), e.g. as the form encoding curl -d sends (code unsupported_media_type)."},
	{code: billbridge.EINTERNAL, applies: always,
		says: "An unexpected failure; the server log has its cause under the request id (code internal)."},
}

// addProblem documents p on op: a new problem response, or p's sentence
// appended to the handler's own response of that status.
func addProblem(op map[string]any, p sharedProblem) error {
	resps := obj(op, "responses")
	code := strconv.Itoa(statusOf(p.code))
	r, ok := resps[code].(map[string]any)
	if !ok {
		r = map[string]any{
			"description": p.says,
			"content":     map[string]any{"application/json": map[string]any{"schema": ref("Problem")}},
		}
		resps[code] = r
	} else {
		mt, _ := obj(r, "content")["application/json"].(map[string]any)
		if mt == nil || !isProblem(mt["schema"]) {
			return fmt.Errorf("its %s response is not a routes.Problem, but the gateway answers %s with the problem %s there", code, code, p.code)
		}
		if desc, _ := r["description"].(string); !names(desc, p.code) {
			r["description"] = strings.TrimSpace(desc + " " + p.says)
		}
	}
	for name, h := range p.headers {
		obj(r, "headers")[name] = h
	}
	return nil
}

// names reports whether a description names a problem code as a word.
func names(desc, code string) bool {
	return regexp.MustCompile(`\b` + regexp.QuoteMeta(code) + `\b`).MatchString(desc)
}

// setIdempotencyKeyParam puts the Idempotency-Key header first in op's
// parameters, replacing a handler's own copy.
func setIdempotencyKeyParam(op map[string]any) {
	params := []any{idempotencyKeyParam()}
	for _, p := range asList(op["parameters"]) {
		if m, _ := p.(map[string]any); m["in"] == "header" && strings.EqualFold(fmt.Sprint(m["name"]), "Idempotency-Key") {
			continue
		}
		params = append(params, p)
	}
	op["parameters"] = params
}

// idempotencyKeyParam is the Idempotency-Key header as the gateway parses
// it: routes.IdempotencyKeyToken, bare or in double quotes.
func idempotencyKeyParam() map[string]any {
	tok := routes.IdempotencyKeyToken
	return map[string]any{
		"name": "Idempotency-Key", "in": "header",
		"description": "Makes the request safe to retry: 1–255 of A–Z a–z 0–9 _ - . : (bare or quoted). Remembered per account for 72 hours by default.",
		"schema": map[string]any{
			"type": "string", "minLength": 1, "maxLength": 257,
			"pattern": `^(` + tok + `|"` + tok + `")$`,
		},
	}
}

// header is a response header of one JSON type.
func header(typ, desc string) map[string]any {
	return map[string]any{"description": desc, "schema": map[string]any{"type": typ}}
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

// bytesText writes a size the way the README does ("1 MiB").
func bytesText(n int) string {
	if n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}
