package openapi_test

import (
	"context"
	"encoding/json"
	"os/exec"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"billbridge/internal/apitest"
	"billbridge/internal/testenv"
	"billbridge/openapi"
)

// TestDocsRender loads /docs from a running gateway in headless Chromium
// (Debian's chromium package) and finds every documented operation listed
// on the rendered page. It fails when chromium is missing.
func TestDocsRender(t *testing.T) {
	bin := testenv.Chromium(t)
	s := apitest.Start(t, apitest.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-dev-shm-usage", "--no-first-run", "--user-data-dir="+t.TempDir(),
		"--virtual-time-budget=15000", "--dump-dom", s.URL+"/docs")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium: %v", err)
	}
	dom := string(out)

	// Swagger UI lists each operation with its method and path.
	listed := map[string]bool{}
	re := regexp.MustCompile(`(?s)class="opblock-summary-method">([A-Z]+)</span>.*?data-path="([^"]+)"`)
	for _, m := range re.FindAllStringSubmatch(dom, -1) {
		listed[m[1]+" "+m[2]] = true
	}
	var spec struct {
		Info  struct{ Title string }                         `json:"info"`
		Paths map[string]map[string]struct{ Summary string } `json:"paths"`
	}
	if err := json.Unmarshal(openapi.Spec(), &spec); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(dom, spec.Info.Title) {
		t.Errorf("the page does not show the title %q", spec.Info.Title)
	}
	var missing []string
	n := 0
	for path, ops := range spec.Paths {
		for method, op := range ops {
			n++
			if !listed[strings.ToUpper(method)+" "+path] {
				missing = append(missing, strings.ToUpper(method)+" "+path)
			}
			if !strings.Contains(dom, op.Summary) {
				t.Errorf("the page does not show the summary %q of %s %s", op.Summary, method, path)
			}
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("/docs lists %d of %d operations; missing: %v", len(listed), n, missing)
	}
}
