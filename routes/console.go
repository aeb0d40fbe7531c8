package routes

import (
	"time"

	"github.com/gin-gonic/gin"
)

// loginRefused is how long the request's client stays refused after too
// many failed authentications (the API's and the console's sign-ins count
// together, Deps.AuthFailLimit); 0 when it may try.
func (s *server) loginRefused(c *gin.Context) time.Duration {
	if s.deps.AuthFailLimit.Rate <= 0 {
		return 0
	}
	return s.auth.refusedFor(clientKey(c), s.deps.Clock.Now())
}

// loginFailed counts a failed console sign-in like a failed API
// authentication and returns how long the client is now refused (0: it
// may try again).
func (s *server) loginFailed(c *gin.Context) time.Duration {
	if s.deps.AuthFailLimit.Rate <= 0 {
		return 0
	}
	if res, ok := s.countAuthFailure(c); ok && !res.Allowed {
		s.metrics.authFailLimited.Inc()
		return res.RetryAfter
	}
	return 0
}
