package routes

import (
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"time"

	"billbridge"
	"billbridge/internal/web"

	"github.com/gin-gonic/gin"
)

var requestIDPattern = regexp.MustCompile(`^[A-Za-z0-9._:-]{1,64}$`)

// requestID takes a sane X-Request-Id from the client or makes one, and
// echoes it in the response.
func requestID(c *gin.Context) {
	id := c.GetHeader("X-Request-Id")
	if !requestIDPattern.MatchString(id) {
		id = billbridge.NewID("req")
	}
	web.SetRequestID(c, id)
	c.Header("X-Request-Id", id)
	c.Next()
}

// accessLog writes one line per request: request id, account, route,
// status, duration. Never keys, secrets or bodies. The method and route are
// folded into fixed values (methodLabel; "unmatched" for a path no route
// has, or a method none allows) before they reach a log line or a metric
// label, so no request can grow the metrics.
func (s *server) accessLog(c *gin.Context) {
	start := time.Now()
	c.Next()
	route := c.FullPath()
	if route == "" {
		route = "unmatched"
	}
	attrs := []slog.Attr{
		slog.String("request_id", web.RequestID(c)),
		slog.String("method", methodLabel(c)),
		slog.String("route", route),
		slog.Int("status", c.Writer.Status()),
		slog.Float64("duration_ms", float64(time.Since(start).Microseconds())/1000),
		slog.Int("bytes", c.Writer.Size()),
	}
	if a := web.Account(c); a != nil {
		attrs = append(attrs, slog.String("account_id", a.ID))
	}
	// Only the response decides: a client sending the header itself marks nothing.
	if c.Writer.Header().Get("Idempotent-Replayed") == "true" {
		attrs = append(attrs, slog.Bool("replayed", true))
	}
	s.logger.LogAttrs(c.Request.Context(), slog.LevelInfo, "request", attrs...)
	s.metrics.observeRequest(methodLabel(c), route, c.Writer.Status(), time.Since(start))
}

// recoverPanic turns a panic into a logged 500 problem.
func (s *server) recoverPanic(c *gin.Context) {
	defer func() {
		if r := recover(); r != nil {
			if r == http.ErrAbortHandler {
				panic(r)
			}
			renderError(c, s.logger, fmt.Errorf("panic: %v", r))
		}
	}()
	c.Next()
}

// limitBody refuses a declared body over the route's web.BodyLimit (413)
// before reading it; web.Body enforces the same cap on bodies sent without
// a length.
func (s *server) limitBody(c *gin.Context) {
	limit := web.BodyLimit(c)
	if c.Request.ContentLength > limit {
		renderError(c, s.logger, billbridge.Errorf(billbridge.ETOOLARGE, "The request body exceeds %d bytes.", limit))
		return
	}
	if limit > web.MaxBodyBytes {
		allowLongRequest(c)
	}
	c.Next()
}

// Routes that take large files (imports, bank files) get more time than the
// server's timeouts give every request (30 s to read it, 60 s to answer): a
// file of 50,000 rows takes minutes to apply, and its answer must still
// reach the client.
const (
	LongRequestReadTime  = 5 * time.Minute  // to send the body
	LongRequestWriteTime = 30 * time.Minute // to answer, from the start
)

// allowLongRequest moves the connection's read and write deadlines of this
// request to LongRequestReadTime and LongRequestWriteTime from now. A
// server or test without deadlines is left as it is.
func allowLongRequest(c *gin.Context) {
	rc := http.NewResponseController(c.Writer)
	now := time.Now()
	_ = rc.SetReadDeadline(now.Add(LongRequestReadTime))
	_ = rc.SetWriteDeadline(now.Add(LongRequestWriteTime))
}

// cleanPath answers a path whose ids hold invalid UTF-8 or control
// characters as it answers any unknown id, without asking a store
// (PostgreSQL would fail on a NUL where SQLite finds nothing): 404, and 204
// for DELETE, which answers an id that is already gone with 204.
func (s *server) cleanPath(c *gin.Context) {
	err := web.PathError(c.Params)
	switch {
	case err == nil:
		c.Next()
	case c.Request.Method == http.MethodDelete:
		c.AbortWithStatus(http.StatusNoContent)
	default:
		renderError(c, s.logger, err)
	}
}
