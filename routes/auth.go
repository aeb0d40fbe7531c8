package routes

import (
	"strings"

	"billbridge"
	"billbridge/internal/web"

	"github.com/gin-gonic/gin"
)

// apiKey returns the key of `Authorization: Bearer <key>` or `X-API-Key`.
func apiKey(c *gin.Context) string {
	if h := c.GetHeader("Authorization"); h != "" {
		scheme, key, ok := strings.Cut(h, " ")
		if ok && strings.EqualFold(scheme, "Bearer") {
			return strings.TrimSpace(key)
		}
		return ""
	}
	return strings.TrimSpace(c.GetHeader("X-API-Key"))
}

// authenticate resolves the API key to its account (401 otherwise) by the
// key's hash; the key itself is never stored or logged. The key's
// last_used_at is written at most once a minute (keyUse). A client address
// out of failed attempts (Deps.AuthFailLimit) gets 429 before any lookup.
func (s *server) authenticate(c *gin.Context) {
	if s.deps.AuthFailLimit.Rate > 0 {
		if wait := s.auth.refusedFor(clientKey(c), s.deps.Clock.Now()); wait > 0 {
			s.authRefused(c, wait)
			return
		}
	}
	key := apiKey(c)
	if key == "" {
		c.Header("WWW-Authenticate", `Bearer realm="billbridge"`)
		s.authFailed(c, billbridge.Errorf(billbridge.EUNAUTHORIZED, "An API key is required: send Authorization: Bearer <key> or X-API-Key: <key>."))
		return
	}
	hash := billbridge.HashAPIKey(key)
	acct, err := s.deps.Store.AccountByKeyHash(c.Request.Context(), hash)
	if billbridge.ErrorCode(err) == billbridge.ENOTFOUND {
		c.Header("WWW-Authenticate", `Bearer realm="billbridge", error="invalid_token"`)
		s.authFailed(c, billbridge.Errorf(billbridge.EUNAUTHORIZED, "The API key is not valid."))
		return
	}
	if err != nil {
		renderError(c, s.logger, err)
		return
	}
	s.touchKey(c.Request.Context(), hash)
	web.SetAccount(c, acct)
	c.Set("billbridge.key_hash", hash)
	c.Next()
}
