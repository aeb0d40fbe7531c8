// Package contract checks HTTP exchanges against billbridge's published
// OpenAPI description (the spec embedded by package openapi), with
// kin-openapi's openapi3filter. Install it in a test package's TestMain and
// every request and response of apitest.Server.Do is validated:
//
//	func TestMain(m *testing.M) { contract.Install(); os.Exit(m.Run()) }
//
// The rules: every response matches a documented status, its headers and
// its body schema; a request the spec refuses must be refused by the server
// (4xx), so the spec never forbids what the server accepts; a request to a
// path or method the spec does not know must be a 404 or 405 problem.
//
// It is test infrastructure: it imports apitest and openapi.
package contract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"sync"
	"testing"

	"billbridge/internal/apitest"
	"billbridge/openapi"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// Checker validates exchanges against one spec and records which
// operations answered which statuses.
type Checker struct {
	doc    *openapi3.T
	router routers.Router

	mu   sync.Mutex
	seen map[string]map[int]bool // operationId → statuses validated
}

// New returns a checker of the embedded spec.
func New() (*Checker, error) {
	return NewFromData(openapi.Spec())
}

// NewFromData returns a checker of the OpenAPI document in data.
func NewFromData(data []byte) (*Checker, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("contract: load spec: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("contract: invalid spec: %w", err)
	}
	// Match paths on any host: tests run on random loopback ports.
	doc.Servers = openapi3.Servers{{URL: "/"}}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("contract: router: %w", err)
	}
	return &Checker{doc: doc, router: router, seen: map[string]map[int]bool{}}, nil
}

var (
	defaultOnce    sync.Once
	defaultChecker *Checker
	defaultErr     error
)

// Default returns the checker of the embedded spec shared by Check and
// Install, so coverage from every test of a package adds up.
func Default() (*Checker, error) {
	defaultOnce.Do(func() { defaultChecker, defaultErr = New() })
	return defaultChecker, defaultErr
}

// Install makes apitest.Check validate every exchange against the embedded
// spec. Call it from TestMain, before m.Run.
func Install() {
	apitest.Check = Check
}

// Check validates one exchange against the embedded spec, failing tb on a
// breach. It has the signature of apitest.Check.
func Check(tb testing.TB, req *http.Request, body []byte, resp *apitest.Response) {
	tb.Helper()
	c, err := Default()
	if err != nil {
		tb.Fatal(err)
	}
	if err := c.Validate(req, body, resp); err != nil {
		tb.Errorf("contract: %s %s → %d: %v\nresponse body: %.600s", req.Method, req.URL.Path, resp.Status, err, resp.Body)
	}
}

// Validate checks one exchange and returns what breaks the spec.
func (c *Checker) Validate(req *http.Request, body []byte, resp *apitest.Response) error {
	ctx := context.Background()
	route, params, err := c.router.FindRoute(req)
	if err != nil {
		return c.unrouted(err, resp)
	}
	reqIn, reqErr := validateRequest(ctx, req, body, route, params)
	if reqErr != nil && resp.Status < 400 {
		return fmt.Errorf("the spec refuses this request but the server answered %d: %w", resp.Status, reqErr)
	}

	// The response, always.
	opts := &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true, SchemaValidationOptions: formats}
	if !isJSON(resp.Header.Get("Content-Type")) {
		opts.ExcludeResponseBody = true // HTML, scripts, metrics: only status and media type
		if err := c.mediaTypeDocumented(route, resp); err != nil {
			return err
		}
	}
	respIn := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: reqIn, Status: resp.Status, Header: resp.Header,
		Body: io.NopCloser(bytes.NewReader(resp.Body)), Options: opts,
	}
	reqIn.Options = opts
	if err := openapi3filter.ValidateResponse(ctx, respIn); err != nil {
		return fmt.Errorf("the response breaks the spec: %w", err)
	}
	c.mark(route.Operation.OperationID, resp.Status)
	return nil
}

// RequestProblem says why the spec refuses the request with this body (nil
// when it accepts it): the other half of the contract, for tests that show
// the spec refuses what the server refuses.
func (c *Checker) RequestProblem(req *http.Request, body []byte) error {
	route, params, err := c.router.FindRoute(req)
	if err != nil {
		return fmt.Errorf("find route: %w", err)
	}
	_, err = validateRequest(context.Background(), req, body, route, params)
	return err
}

// validateRequest checks the request as the spec sees it.
func validateRequest(ctx context.Context, req *http.Request, body []byte, route *routers.Route, params map[string]string) (*openapi3filter.RequestValidationInput, error) {
	req = req.Clone(ctx)
	req.Body = io.NopCloser(bytes.NewReader(body))
	in := &openapi3filter.RequestValidationInput{
		Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: authenticated, MultiError: true, SchemaValidationOptions: formats},
	}
	return in, openapi3filter.ValidateRequest(ctx, in)
}

// unrouted accepts a request the spec has no operation for only when the
// server refused it with a 404 or 405 problem.
func (c *Checker) unrouted(findErr error, resp *apitest.Response) error {
	want := 0
	switch {
	case errors.Is(findErr, routers.ErrPathNotFound):
		want = http.StatusNotFound
	case errors.Is(findErr, routers.ErrMethodNotAllowed):
		want = http.StatusMethodNotAllowed
	default:
		return fmt.Errorf("find route: %w", findErr)
	}
	if resp.Status != want {
		return fmt.Errorf("no documented operation (%v), yet the server answered %d, not %d", findErr, resp.Status, want)
	}
	return c.ValidateProblem(resp)
}

// ValidateProblem checks that resp is an application/problem+json body
// matching the Problem schema.
func (c *Checker) ValidateProblem(resp *apitest.Response) error {
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt != "application/problem+json" {
		return fmt.Errorf("a %d answered %q, not application/problem+json", resp.Status, mt)
	}
	schema := c.doc.Components.Schemas["Problem"]
	if schema == nil || schema.Value == nil {
		return errors.New("the spec has no Problem schema")
	}
	v, err := decodeJSON(resp.Body)
	if err != nil {
		return err
	}
	if err := schema.Value.VisitJSON(v); err != nil {
		return fmt.Errorf("the problem body breaks the Problem schema: %w", err)
	}
	return nil
}

// mediaTypeDocumented checks a non-JSON response's media type against the
// operation's documented ones (openapi3filter cannot decode HTML or CSS).
func (c *Checker) mediaTypeDocumented(route *routers.Route, resp *apitest.Response) error {
	r := route.Operation.Responses.Status(resp.Status)
	if r == nil || r.Value == nil {
		return fmt.Errorf("status %d is not documented", resp.Status)
	}
	if len(resp.Body) == 0 && len(r.Value.Content) == 0 {
		return nil // 204: nothing documented, nothing sent
	}
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if r.Value.Content.Get(mt) == nil {
		return fmt.Errorf("media type %q of the %d response is not documented", mt, resp.Status)
	}
	return nil
}

func (c *Checker) mark(op string, status int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.seen[op] == nil {
		c.seen[op] = map[int]bool{}
	}
	c.seen[op][status] = true
}

// Unseen lists, per operationId, the documented statuses no validated
// response has shown yet (2XX-style ranges and "default" excluded).
func (c *Checker) Unseen() map[string][]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := map[string][]int{}
	for _, item := range c.doc.Paths.Map() {
		for _, op := range item.Operations() {
			for code := range op.Responses.Map() {
				var status int
				if _, err := fmt.Sscanf(code, "%d", &status); err != nil || len(code) != 3 {
					continue
				}
				if !c.seen[op.OperationID][status] {
					out[op.OperationID] = append(out[op.OperationID], status)
				}
			}
		}
	}
	return out
}

// Path returns the path of the operation with operationId id, "" when
// there is none.
func (c *Checker) Path(id string) string {
	for path, item := range c.doc.Paths.Map() {
		for _, op := range item.Operations() {
			if op.OperationID == id {
				return path
			}
		}
	}
	return ""
}

// Operations lists every documented operation as "METHOD /path".
func (c *Checker) Operations() []string {
	var out []string
	for path, item := range c.doc.Paths.Map() {
		for method := range item.Operations() {
			out = append(out, method+" "+path)
		}
	}
	return out
}

// authenticated accepts a request carrying one of the documented key
// headers; whether the key is valid is the server's call (401).
func authenticated(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	h := in.RequestValidationInput.Request.Header
	switch in.SecuritySchemeName {
	case "Bearer":
		// The auth scheme is case-insensitive (RFC 9110 §11.1): "bearer" counts.
		if scheme, _, ok := strings.Cut(h.Get("Authorization"), " "); ok && strings.EqualFold(scheme, "Bearer") {
			return nil
		}
	case "ApiKey":
		if h.Get("X-API-Key") != "" {
			return nil
		}
	}
	return fmt.Errorf("no %s credentials", in.SecuritySchemeName)
}

func isJSON(contentType string) bool {
	mt, _, _ := mime.ParseMediaType(contentType)
	return mt == "application/json" || strings.HasSuffix(mt, "+json")
}
