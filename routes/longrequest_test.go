package routes

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
)

// TestLargeFileRoutesOutliveTheServerTimeouts: behind a server whose write
// timeout a slow answer passes (as billbridge's 60 s is passed by an import
// of 50,000 rows), the import and bank-file routes still deliver their
// answer, while any other route is still cut off.
func TestLargeFileRoutesOutliveTheServerTimeouts(t *testing.T) {
	t.Parallel()
	s := &server{logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	r := gin.New()
	r.Use(s.limitBody)
	slow := func(c *gin.Context) {
		_, _ = io.ReadAll(c.Request.Body)
		time.Sleep(1500 * time.Millisecond)
		c.String(http.StatusOK, "applied")
	}
	for _, p := range []string{"/v1/imports/customers", "/v1/imports/invoices", "/v1/bank-statements", "/v1/customers"} {
		r.POST(p, slow)
	}
	// HTTP/1.1 in plain text (behind a proxy) and HTTP/2 over TLS (the
	// gateway's own certificates).
	for _, h2 := range []bool{false, true} {
		ts := httptest.NewUnstartedServer(r)
		ts.Config.WriteTimeout = time.Second
		if h2 {
			ts.EnableHTTP2 = true
			ts.StartTLS()
		} else {
			ts.Start()
		}
		for path, answered := range map[string]bool{
			"/v1/imports/customers": true, "/v1/imports/invoices": true, "/v1/bank-statements": true,
			"/v1/customers": false, // the server's timeout holds elsewhere
		} {
			resp, err := ts.Client().Post(ts.URL+path, "text/csv", strings.NewReader("name\nMuster AG\n"))
			got, proto := "", ""
			if err == nil {
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				got, proto = string(b), resp.Proto
			}
			if (got == "applied") != answered || got == "applied" && (proto == "HTTP/2.0") != h2 {
				t.Errorf("POST %s past the write timeout (HTTP/2 %v): answer %q over %q (%v), want answered %v", path, h2, got, proto, err, answered)
			}
		}
		ts.Close()
	}
}
