package console

import (
	"io/fs"
	"regexp"
	"sort"
	"testing"

	"billbridge"
)

// TestCataloguesHaveEveryKey: the three catalogues have the same keys, no
// empty string, and every key a template or handler uses.
func TestCataloguesHaveEveryKey(t *testing.T) {
	used := map[string]bool{}
	names, _ := fs.Glob(templateFS, "templates/*.html")
	re := regexp.MustCompile(`\.T\.([a-z0-9_]+)`)
	for _, n := range names {
		b, err := templateFS.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			used[m[1]] = true
		}
	}
	// Keys built at run time: hook statuses, notices and error keys.
	for _, st := range []string{billbridge.HookHealthy, billbridge.HookFailing, billbridge.HookRemoved} {
		used["hook_status_"+st] = true
	}
	for _, r := range billbridge.ReferenceTypes {
		used["qrbill_reference_"+r] = true
	}
	for _, k := range []string{"done_expired", "done_signed_out", "done_key_revoked", "done_redelivered", "done_alerts_saved", "done_merged", "done_dunning_saved", "done_qrbill_saved",
		"err_csrf", "err_bad_key", "err_too_many", "internal"} {
		used[k] = true
	}
	if len(used) < 50 {
		t.Fatalf("only %d keys found in the templates", len(used))
	}
	for _, l := range languages {
		cat := catalogues[l]
		for k := range used {
			if _, ok := cat[k]; !ok {
				t.Errorf("%s: key %q is used but missing", l, k)
			}
		}
		for k, v := range cat {
			if v == "" {
				t.Errorf("%s: key %q is empty", l, k)
			}
			for _, other := range languages {
				if _, ok := catalogues[other][k]; !ok {
					t.Errorf("key %q is in %s but not in %s", k, l, other)
				}
			}
		}
	}
}

// TestFromAcceptLanguage picks the most preferred known language.
func TestFromAcceptLanguage(t *testing.T) {
	for h, want := range map[string]string{
		"": "de", "fr-CH, fr;q=0.9, en;q=0.8": "fr", "en-US,en;q=0.9": "en", "it-CH, it;q=0.9": "de",
		"it, en;q=0.5, fr;q=0.7": "fr", "de;q=0.1, EN": "en", "fr;q=abc": "fr",
	} {
		if got := fromAcceptLanguage(h); got != want {
			t.Errorf("%q: %s, want %s", h, got, want)
		}
	}
}

// TestEveryPageRendersInEveryLanguage executes each template with an
// empty page in each language: a key missing from a catalogue fails it
// (missingkey=error).
func TestEveryPageRendersInEveryLanguage(t *testing.T) {
	h := New(Handler{})
	var pages []string
	for p := range h.pages {
		pages = append(pages, p)
	}
	sort.Strings(pages)
	for _, p := range pages {
		for _, l := range languages {
			if err := h.pages[p].Execute(discard{}, view{Lang: l, T: catalogues[l], Langs: languages}); err != nil {
				t.Errorf("%s in %s: %v", p, l, err)
			}
		}
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// TestWebLink: only absolute http(s) URLs become links.
func TestWebLink(t *testing.T) {
	for u, want := range map[string]string{
		"https://n8n.example.ch/e/1": "https://n8n.example.ch/e/1",
		"http://make.example/s?x=1":  "http://make.example/s?x=1",
		"javascript:alert(1)":        "",
		"/relative":                  "",
		"ftp://files.example/x":      "",
		"https:///no-host":           "",
		"":                           "",
	} {
		if got := webLink(u); got != want {
			t.Errorf("webLink(%q) = %q, want %q", u, got, want)
		}
	}
}
