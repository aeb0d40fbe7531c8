// Package web holds what the HTTP packages (routes, actions, triggers) share:
// the handler signature, the request's account and idempotency claim,
// binding and validation of bodies and queries, and the transactional
// write that stores an idempotent response with the change it describes.
// It imports gin and the domain, never an adapter.
package web

import (
	"net/http"

	"billbridge"

	"github.com/gin-gonic/gin"
)

// HandlerFunc is an HTTP handler that returns its error instead of writing
// it; routes renders every error in one place.
type HandlerFunc func(c *gin.Context) error

// Context keys set by the routes middleware.
const (
	keyAccount   = "billbridge.account"
	keyClaim     = "billbridge.claim"
	keyRequestID = "billbridge.request_id"
)

// SetAccount records the authenticated account of the request.
func SetAccount(c *gin.Context, a *billbridge.Account) { c.Set(keyAccount, a) }

// Account returns the authenticated account. Routes under /v1 always have one.
func Account(c *gin.Context) *billbridge.Account {
	a, _ := c.Get(keyAccount)
	acct, _ := a.(*billbridge.Account)
	return acct
}

// SetRequestID records the request id.
func SetRequestID(c *gin.Context, id string) { c.Set(keyRequestID, id) }

// RequestID returns the request id, "" before the middleware ran.
func RequestID(c *gin.Context) string { return c.GetString(keyRequestID) }

// JSON writes v as the JSON response body with status.
func JSON(c *gin.Context, status int, v any) error {
	b, err := Encode(v)
	if err != nil {
		return err
	}
	return Raw(c, status, b)
}

// Raw writes an already encoded JSON body.
func Raw(c *gin.Context, status int, body []byte) error {
	if status == http.StatusNoContent {
		c.Status(status)
		return nil
	}
	c.Data(status, ContentTypeJSON, body)
	return nil
}

// List is the envelope of every list and search response.
type List[T any] struct {
	Data       []T     `json:"data"`
	HasMore    bool    `json:"has_more"`
	NextCursor *string `json:"next_cursor"`
}

// NewList wraps a page; next_cursor is the id of its last item when more follow.
func NewList[T any](p billbridge.Page[T], id func(T) string) List[T] {
	l := List[T]{Data: p.Data, HasMore: p.HasMore}
	if l.Data == nil {
		l.Data = []T{}
	}
	if p.HasMore && len(p.Data) > 0 {
		s := id(p.Data[len(p.Data)-1])
		l.NextCursor = &s
	}
	return l
}
