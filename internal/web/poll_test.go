package web

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/gin-gonic/gin"
)

func TestNoneMatch(t *testing.T) {
	tag := `"abc"`
	for header, want := range map[string]bool{
		"": false, `"abc"`: true, `W/"abc"`: true, `"x", "abc"`: true, ` "x" ,W/"abc" `: true,
		"*": true, `"abcd"`: false, `abc`: false, `"x"`: false,
	} {
		if got := noneMatch(header, tag); got != want {
			t.Errorf("noneMatch(%q) = %v, want %v", header, got, want)
		}
	}
}

// serve runs p.Serve for one GET of path with If-None-Match inm.
func serve(t testing.TB, p *Polls, account, path, version, inm string, render func() (any, error)) *httptest.ResponseRecorder {
	t.Helper()
	w := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(w)
	c.Request = httptest.NewRequest(http.MethodGet, path, nil)
	if inm != "" {
		c.Request.Header.Set("If-None-Match", inm)
	}
	if err := p.Serve(c, account, version, render); err != nil {
		t.Fatal(err)
	}
	c.Writer.WriteHeaderNow()
	return w
}

func TestPollsRenderOncePerVersion(t *testing.T) {
	p := &Polls{}
	renders := 0
	render := func() (any, error) { renders++; return map[string]int{"n": renders}, nil }
	first := serve(t, p, "acct_a", "/v1/x?q=1", "7", "", render)
	again := serve(t, p, "acct_a", "/v1/x?q=1", "7", "", render)
	if renders != 1 || again.Body.String() != first.Body.String() || first.Header().Get("ETag") == "" {
		t.Fatalf("renders %d, bodies %q %q", renders, first.Body, again.Body)
	}
	if w := serve(t, p, "acct_a", "/v1/x?q=1", "7", first.Header().Get("ETag"), render); w.Code != 304 || w.Body.Len() != 0 {
		t.Fatalf("If-None-Match of the same version: %d %q", w.Code, w.Body)
	}
	// Another version, query or account is another page with another ETag.
	for _, c := range [][3]string{{"acct_a", "/v1/x?q=1", "8"}, {"acct_a", "/v1/x?q=2", "7"}, {"acct_b", "/v1/x?q=1", "7"}} {
		w := serve(t, p, c[0], c[1], c[2], first.Header().Get("ETag"), render)
		if w.Code != 200 || w.Header().Get("ETag") == first.Header().Get("ETag") {
			t.Fatalf("%v: %d, ETag %s", c, w.Code, w.Header().Get("ETag"))
		}
	}
	if renders != 4 {
		t.Fatalf("renders = %d, want 4", renders)
	}
}

func TestPollsBounded(t *testing.T) {
	p := &Polls{MaxBytes: 64 << 10}
	big := strings.Repeat("x", 4<<10)
	for i := range 100 {
		serve(t, p, "acct", "/v1/x?page="+strings.Repeat("i", i), "1", "", func() (any, error) { return big, nil })
	}
	if p.size > p.MaxBytes || len(p.entries) == 0 || len(p.entries) > 16 {
		t.Fatalf("size %d of %d in %d entries", p.size, p.MaxBytes, len(p.entries))
	}
	var nilPolls *Polls // renders every time, still answers with ETags
	if w := serve(t, nilPolls, "acct", "/v1/x", "1", "", func() (any, error) { return 1, nil }); w.Code != 200 || w.Header().Get("ETag") == "" {
		t.Fatalf("nil Polls: %d %v", w.Code, w.Header())
	}
}

// BenchmarkPollsServe is a poll answered from a stored page (50 items of
// ~600 bytes), without and with If-None-Match:
//
//	go test -run '^$' -bench BenchmarkPollsServe -benchmem ./internal/web/
func BenchmarkPollsServe(b *testing.B) {
	gin.SetMode(gin.ReleaseMode)
	page := make([]map[string]string, 50)
	for i := range page {
		page[i] = map[string]string{"id": "inv_" + strings.Repeat("0", 26), "notes": strings.Repeat("n", 560)}
	}
	p := &Polls{}
	render := func() (any, error) { return page, nil }
	for _, inm := range []bool{false, true} {
		name := "200"
		if inm {
			name = "304"
		}
		b.Run(name, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, "/v1/invoices?status=unpaid&limit=50", nil)
			first := serve(b, p, "acct", req.URL.String(), "1", "", render)
			if inm {
				req.Header.Set("If-None-Match", first.Header().Get("ETag"))
			}
			b.ReportAllocs()
			for b.Loop() {
				c, _ := gin.CreateTestContext(httptest.NewRecorder())
				c.Request = req
				if err := p.Serve(c, "acct", "1", render); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// cached runs p.Cached for one GET of path with If-None-Match inm.
func cached(t testing.TB, p *Polls, account, path, version, inm string) (bool, *httptest.ResponseRecorder) {
	t.Helper()
	w := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(w)
	c.Request = httptest.NewRequest(http.MethodGet, path, nil)
	if inm != "" {
		c.Request.Header.Set("If-None-Match", inm)
	}
	done, err := p.Cached(c, account, version)
	if err != nil {
		t.Fatal(err)
	}
	c.Writer.WriteHeaderNow()
	return done, w
}

// Cached answers only the very request (account, path, query) at the very
// version a page was stored at, as Serve would; anything else is left to
// the handler (which binds and validates the query).
func TestPollsCachedOnlyTheStoredPage(t *testing.T) {
	p := &Polls{}
	if done, _ := cached(t, p, "acct_a", "/v1/x?q=1", "7", ""); done {
		t.Fatal("answered before any page was stored")
	}
	first := serve(t, p, "acct_a", "/v1/x?q=1", "7", "", func() (any, error) { return []int{1}, nil })
	tag := first.Header().Get("ETag")
	done, w := cached(t, p, "acct_a", "/v1/x?q=1", "7", "")
	if !done || w.Code != 200 || w.Body.String() != first.Body.String() || w.Header().Get("ETag") != tag ||
		w.Header().Get("Cache-Control") != "private, no-cache" {
		t.Fatalf("stored page: done %v, %d %q %v", done, w.Code, w.Body, w.Header())
	}
	if done, w := cached(t, p, "acct_a", "/v1/x?q=1", "7", tag); !done || w.Code != 304 || w.Body.Len() != 0 {
		t.Fatalf("If-None-Match of the stored page: done %v, %d %q", done, w.Code, w.Body)
	}
	for _, c := range [][3]string{{"acct_a", "/v1/x?q=1", "8"}, {"acct_a", "/v1/x?q=2", "7"}, {"acct_a", "/v1/x?q=1&q=1", "7"},
		{"acct_a", "/v1/y?q=1", "7"}, {"acct_b", "/v1/x?q=1", "7"}} {
		if done, w := cached(t, p, c[0], c[1], c[2], tag); done || w.Body.Len() != 0 {
			t.Fatalf("%v: answered (%d %q)", c, w.Code, w.Body)
		}
	}
	// A render that fails (a query refused) stores nothing: the next poll
	// of that query is bound and validated again.
	w = httptest.NewRecorder()
	c, _ := gin.CreateTestContext(w)
	c.Request = httptest.NewRequest(http.MethodGet, "/v1/x?q=bad", nil)
	refused := errors.New("refused")
	if err := p.Serve(c, "acct_a", "7", func() (any, error) { return nil, refused }); err != refused {
		t.Fatalf("Serve = %v, want the render's error", err)
	}
	if done, _ := cached(t, p, "acct_a", "/v1/x?q=bad", "7", ""); done {
		t.Fatal("a refused query was answered from the store")
	}
}

// waitForWaiters returns once n polls wait for the render of path at
// version (account "acct").
func waitForWaiters(p *Polls, path, version string, n int) {
	for {
		p.mu.Lock()
		f := p.flights["acct\x00"+path+"\x00"+version]
		done := f != nil && f.waiting >= n
		p.mu.Unlock()
		if done {
			return
		}
		runtime.Gosched()
	}
}

func TestPollsRenderOnceForConcurrentPolls(t *testing.T) {
	p := &Polls{}
	const path, polls = "/v1/x?q=1", 8
	var renders atomic.Int32
	release := make(chan struct{})
	render := func() (any, error) {
		n := renders.Add(1)
		<-release
		return map[string]int32{"render": n}, nil
	}
	bodies := make(chan string, polls+1)
	var wg sync.WaitGroup
	wg.Go(func() { bodies <- serve(t, p, "acct", path, "7", "", render).Body.String() })
	for renders.Load() == 0 {
		runtime.Gosched()
	}
	for range polls {
		wg.Go(func() { bodies <- serve(t, p, "acct", path, "7", "", render).Body.String() })
	}
	waitForWaiters(p, path, "7", polls)
	// A poll at another version does not wait for this render.
	newer := serve(t, p, "acct", path, "8", "", func() (any, error) { return "v8", nil })
	if newer.Code != 200 || newer.Body.String() != `"v8"` {
		t.Fatalf("version 8 while 7 renders: %d %q", newer.Code, newer.Body)
	}
	close(release)
	wg.Wait()
	close(bodies)
	for b := range bodies {
		if b != `{"render":1}` {
			t.Fatalf("a poll answered %q, want the one render's page", b)
		}
	}
	if n := renders.Load(); n != 1 {
		t.Fatalf("%d renders of one page at one version, want 1", n)
	}
	if len(p.flights) != 0 {
		t.Fatalf("flights left: %v", p.flights)
	}
}

func TestPollsFailedRenderIsNotShared(t *testing.T) {
	p := &Polls{}
	const path = "/v1/x?q=1"
	var renders atomic.Int32
	release := make(chan struct{})
	render := func() (any, error) {
		if renders.Add(1) == 1 { // the first poll's render fails (say its client left)
			<-release
			return nil, errors.New("first render failed")
		}
		return "ok", nil
	}
	var wg sync.WaitGroup
	var leaderErr error
	wg.Go(func() {
		w := httptest.NewRecorder()
		c, _ := gin.CreateTestContext(w)
		c.Request = httptest.NewRequest(http.MethodGet, path, nil)
		leaderErr = p.Serve(c, "acct", "7", render)
	})
	for renders.Load() == 0 {
		runtime.Gosched()
	}
	codes := make(chan string, 3)
	for range 3 {
		wg.Go(func() { w := serve(t, p, "acct", path, "7", "", render); codes <- w.Body.String() })
	}
	waitForWaiters(p, path, "7", 3)
	close(release)
	wg.Wait()
	close(codes)
	if leaderErr == nil {
		t.Fatal("the failed render answered its own poll without an error")
	}
	for b := range codes {
		if b != `"ok"` {
			t.Fatalf("a waiting poll answered %q after the render it waited for failed", b)
		}
	}
}
