package console_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"billbridge/internal/apitest"
)

// browser is a cookie-keeping client of a test gateway's console that
// does not follow redirects, so tests see each answer.
type browser struct {
	s      *apitest.Server
	client *http.Client
	lang   string
}

func newBrowser(t *testing.T, s *apitest.Server) *browser {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &browser{s: s, lang: "en", client: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// page is one answer of the console.
type page struct {
	Status int
	Header http.Header
	Body   string
}

func (p page) csrf(t *testing.T) string {
	t.Helper()
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(p.Body)
	if m == nil {
		t.Fatalf("no CSRF token on the page (%d): %s", p.Status, p.Body)
	}
	return m[1]
}

func (b *browser) do(t *testing.T, method, path string, form url.Values) page {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.s.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("Accept-Language", b.lang)
	resp, err := b.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return page{resp.StatusCode, resp.Header, string(raw)}
}

func (b *browser) get(t *testing.T, path string) page { t.Helper(); return b.do(t, "GET", path, nil) }

// post sends a form with the CSRF token of the page at from.
func (b *browser) post(t *testing.T, from, path string, form url.Values) page {
	t.Helper()
	if form == nil {
		form = url.Values{}
	}
	form.Set("csrf", b.get(t, from).csrf(t))
	return b.do(t, "POST", path, form)
}

// signIn signs in with key and expects to land on the overview.
func (b *browser) signIn(t *testing.T, key string) {
	t.Helper()
	p := b.post(t, "/console/login", "/console/login", url.Values{"api_key": {key}})
	if p.Status != http.StatusSeeOther || p.Header.Get("Location") != "/console" {
		t.Fatalf("sign in: %d %s, want 303 to /console: %s", p.Status, p.Header.Get("Location"), p.Body)
	}
}

// want fails the test unless p has status and contains every text.
func want(t *testing.T, what string, p page, status int, texts ...string) {
	t.Helper()
	if p.Status != status {
		t.Fatalf("%s: status %d, want %d: %s", what, p.Status, status, p.Body)
	}
	for _, s := range texts {
		if !strings.Contains(p.Body, s) {
			t.Errorf("%s: the page lacks %q: %s", what, s, p.Body)
		}
	}
}

// toLogin fails the test unless p sends the browser to the sign-in form.
func toLogin(t *testing.T, what string, p page) {
	t.Helper()
	if p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Header.Get("Location"), "/console/login") {
		t.Fatalf("%s: %d to %q, want 303 to the sign-in form", what, p.Status, p.Header.Get("Location"))
	}
}
