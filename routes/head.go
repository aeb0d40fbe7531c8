package routes

import (
	"context"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

// headKey marks in a request's context that it arrived as HEAD.
type headKey struct{}

// headAsGet is the gin engine answering HEAD on every GET route like GET
// without the body (RFC 9110 §9.3.2): the request is routed as GET, and
// net/http, which still sees the HEAD, sends the status and headers
// (Content-Length included when the body fits its buffer) and discards the
// body. Uptime monitors that probe with HEAD see what GET sees. Its Routes
// are the engine's.
type headAsGet struct{ *gin.Engine }

func (h headAsGet) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodHead {
		h.Engine.ServeHTTP(w, r)
		return
	}
	get := r.WithContext(context.WithValue(r.Context(), headKey{}, true))
	get.Method = http.MethodGet
	h.Engine.ServeHTTP(w, get)
}

// method returns the method the client sent: HEAD for a HEAD routed as GET.
func method(c *gin.Context) string {
	if head, _ := c.Request.Context().Value(headKey{}).(bool); head {
		return http.MethodHead
	}
	return c.Request.Method
}

// allowHead adds HEAD to the Allow header of a 405 wherever GET is allowed.
func allowHead(c *gin.Context) {
	allow := c.Writer.Header().Get("Allow")
	if strings.Contains(allow, http.MethodGet) && !strings.Contains(allow, http.MethodHead) {
		c.Header("Allow", allow+", "+http.MethodHead)
	}
}

// knownMethods are the methods counted under their own name in metrics and
// logs; any other is "other", so a client cannot make label values up.
var knownMethods = map[string]bool{
	http.MethodGet: true, http.MethodHead: true, http.MethodPost: true, http.MethodPut: true,
	http.MethodPatch: true, http.MethodDelete: true, http.MethodOptions: true,
}

// methodLabel folds the request's method into a fixed set of values.
func methodLabel(c *gin.Context) string {
	if m := method(c); knownMethods[m] {
		return m
	}
	return "other"
}
