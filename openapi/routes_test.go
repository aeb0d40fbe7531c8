package openapi_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"sort"
	"strings"
	"testing"

	"billbridge/openapi"
	"billbridge/routes"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
)

// TestRoutesMatchSpec compares the gin engine's routes with the spec's
// operations both ways: an undocumented route and a documented operation
// that no route serves both fail.
func TestRoutesMatchSpec(t *testing.T) {
	h := routes.New(routes.Deps{
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Registry: prometheus.NewRegistry(), Docs: openapi.Routes,
	})
	engine, ok := h.(interface{ Routes() gin.RoutesInfo })
	if !ok {
		t.Fatalf("routes.New returned %T, which lists no routes", h)
	}
	served := map[string]bool{}
	for _, r := range engine.Routes() {
		if strings.HasPrefix(r.Path, "/console") {
			continue // the owner's console: HTML pages, not API operations
		}
		served[r.Method+" "+openAPIPath(r.Path)] = true
	}
	documented := map[string]bool{}
	var spec struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(openapi.Spec(), &spec); err != nil {
		t.Fatal(err)
	}
	for path, ops := range spec.Paths {
		for method := range ops {
			switch method {
			case "get", "put", "post", "delete", "options", "head", "patch", "trace":
				documented[strings.ToUpper(method)+" "+path] = true
			}
		}
	}
	if len(served) == 0 || len(documented) == 0 {
		t.Fatalf("%d routes, %d documented operations", len(served), len(documented))
	}
	for _, r := range sorted(served) {
		if !documented[r] {
			t.Errorf("route %s is served but not documented: annotate its handler and run make openapi", r)
		}
	}
	for _, r := range sorted(documented) {
		if !served[r] {
			t.Errorf("operation %s is documented but no route serves it", r)
		}
	}
}

// openAPIPath writes gin's /invoices/:id and /x/*rest as /invoices/{id} and /x/{rest}.
func openAPIPath(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		if strings.HasPrefix(s, ":") || strings.HasPrefix(s, "*") {
			parts[i] = "{" + s[1:] + "}"
		}
	}
	return strings.Join(parts, "/")
}

func sorted(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
