package billbridge_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDependencyDirection enforces the layout: the domain imports only the
// standard library, and the HTTP packages never import an adapter.
func TestDependencyDirection(t *testing.T) {
	adapters := []string{"billbridge/sqlstore", "billbridge/redisstore", "billbridge/inmem", "billbridge/webhook", "billbridge/qrbill", "billbridge/sheet", "billbridge/camt"}
	for pkg, forbidden := range map[string][]string{
		"billbridge":              append([]string{"billbridge/"}, adapters...),
		"billbridge/actions":      append([]string{"billbridge/routes", "billbridge/triggers"}, adapters...),
		"billbridge/triggers":     append([]string{"billbridge/routes", "billbridge/actions"}, adapters...),
		"billbridge/internal/web": append([]string{"billbridge/routes", "billbridge/actions", "billbridge/triggers"}, adapters...),
		"billbridge/routes":       adapters,
	} {
		out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}} {{.Standard}}", pkg).Output()
		if err != nil {
			t.Fatalf("go list %s: %v", pkg, err)
		}
		for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			dep, std, _ := strings.Cut(line, " ")
			if dep == pkg {
				continue
			}
			if pkg == "billbridge" && std != "true" {
				t.Errorf("the domain imports %s; it may import the standard library only", dep)
			}
			for _, f := range forbidden {
				if dep == f || (strings.HasSuffix(f, "/") && strings.HasPrefix(dep, f)) {
					t.Errorf("%s imports %s", pkg, dep)
				}
			}
		}
	}
}
