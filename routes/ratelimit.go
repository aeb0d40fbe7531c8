package routes

import (
	"fmt"
	"math"
	"strconv"
	"time"

	"billbridge"

	"github.com/gin-gonic/gin"
)

// rateLimit applies the GCRA limit of the request's API key, shared by all
// instances through the limiter. Every /v1 response carries RateLimit-Policy
// and RateLimit (IETF httpapi draft syntax); a refused request gets 429 with
// Retry-After in whole seconds. When the limiter fails the request passes
// (fail open), logged and counted: the gateway keeps serving without Redis.
func (s *server) rateLimit(c *gin.Context) {
	lim := s.deps.RateLimit
	if lim.Rate <= 0 {
		c.Next()
		return
	}
	// The policy holds whatever the limiter says; the remaining quota is
	// only stated when the limiter answered.
	c.Header("RateLimit-Policy", policyHeader(lim))
	res, err := s.deps.Limiter.Allow(c.Request.Context(), "rl:"+c.GetString("billbridge.key_hash"), lim)
	if err != nil {
		s.metrics.rateLimitFailOpen.Inc()
		s.logger.WarnContext(c.Request.Context(), "rate limiter unavailable, failing open", "error", err)
		c.Next()
		return
	}
	c.Header("RateLimit", fmt.Sprintf(`"default";r=%d;t=%d`, res.Remaining, ceilSeconds(res.ResetAfter)))
	if !res.Allowed {
		s.metrics.rateLimited.Inc()
		retry := ceilSeconds(res.RetryAfter)
		if retry < 1 {
			retry = 1
		}
		c.Header("Retry-After", strconv.Itoa(retry))
		renderError(c, s.logger, billbridge.Errorf(billbridge.ERATELIMITED, "Too many requests for this API key; retry in %d s.", retry))
		return
	}
	c.Next()
}

// policyHeader describes the limit as a quota of Burst requests in the
// window it takes to earn them back.
func policyHeader(l billbridge.RateLimit) string {
	window := time.Duration(float64(l.Period) * float64(l.Burst) / float64(l.Rate))
	return fmt.Sprintf(`"default";q=%d;w=%d`, l.Burst, ceilSeconds(window))
}

func ceilSeconds(d time.Duration) int {
	if d <= 0 {
		return 0
	}
	return int(math.Ceil(d.Seconds()))
}
