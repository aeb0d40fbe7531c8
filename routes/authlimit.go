package routes

import (
	"fmt"
	"net/netip"
	"strconv"
	"sync"
	"time"

	"billbridge"

	"github.com/gin-gonic/gin"
)

// maxBlocked bounds the client addresses the in-process gate remembers.
const maxBlocked = 100_000

// authGate limits failed authentication per client address. Failures are
// counted by the shared RateLimiter (GCRA, all instances) under
// "authfail:<address>"; once an address is out of attempts, each instance
// remembers it until its next attempt would fit and refuses it with 429
// before looking the key up: a flood of bad keys costs a map lookup, not a
// database query.
type authGate struct {
	mu      sync.Mutex
	blocked map[string]time.Time // client address → refused until
}

// refusedFor returns how long client stays refused at now (0: not refused).
func (g *authGate) refusedFor(client string, now time.Time) time.Duration {
	g.mu.Lock()
	defer g.mu.Unlock()
	until, ok := g.blocked[client]
	if !ok {
		return 0
	}
	if !until.After(now) {
		delete(g.blocked, client)
		return 0
	}
	return until.Sub(now)
}

// block refuses client until until. When the map is full it first forgets
// expired entries; if it is still full the address is not remembered and
// only the shared limiter (one call per attempt) holds it back.
func (g *authGate) block(client string, until, now time.Time) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.blocked == nil {
		g.blocked = map[string]time.Time{}
	}
	if len(g.blocked) >= maxBlocked {
		for k, t := range g.blocked {
			if !t.After(now) {
				delete(g.blocked, k)
			}
		}
		if len(g.blocked) >= maxBlocked {
			return
		}
	}
	g.blocked[client] = until
}

// clientKey is the address failed attempts are counted under: the client
// IP (behind Deps.TrustedProxies the forwarded one), an IPv6 client by its
// /64, the smallest network a single host usually gets.
func clientKey(c *gin.Context) string {
	a, err := netip.ParseAddr(c.ClientIP())
	if err != nil {
		return c.ClientIP()
	}
	a = a.Unmap().WithZone("")
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.String()
}

// authFailPolicy is the RateLimit-Policy of failed authentication.
func authFailPolicy(l billbridge.RateLimit) string {
	window := time.Duration(float64(l.Period) * float64(l.Burst) / float64(l.Rate))
	return fmt.Sprintf(`"auth";q=%d;w=%d`, l.Burst, ceilSeconds(window))
}

// authRefused answers 429 to a client out of authentication attempts.
func (s *server) authRefused(c *gin.Context, wait time.Duration) {
	s.metrics.authFailLimited.Inc()
	retry := max(ceilSeconds(wait), 1)
	c.Header("RateLimit-Policy", authFailPolicy(s.deps.AuthFailLimit))
	c.Header("RateLimit", fmt.Sprintf(`"auth";r=0;t=%d`, retry))
	c.Header("Retry-After", strconv.Itoa(retry))
	renderError(c, s.logger, billbridge.Errorf(billbridge.ERATELIMITED, "Too many failed authentication attempts from this address; retry in %d s.", retry))
}

// authFailed counts a failed attempt of the request's client and answers
// 401 with err, carrying the "auth" RateLimit fields, or 429 when the
// attempt was one too many. When the limiter fails the answer is the 401
// (fail open, counted).
func (s *server) authFailed(c *gin.Context, err error) {
	if lim := s.deps.AuthFailLimit; lim.Rate > 0 {
		c.Header("RateLimit-Policy", authFailPolicy(lim))
		if res, ok := s.countAuthFailure(c); ok {
			if !res.Allowed {
				s.authRefused(c, res.RetryAfter)
				return
			}
			c.Header("RateLimit", fmt.Sprintf(`"auth";r=%d;t=%d`, res.Remaining, ceilSeconds(res.ResetAfter)))
		}
	}
	renderError(c, s.logger, err)
}

// countAuthFailure counts a failed attempt of the request's client in the
// shared limiter and, when it was one too many, remembers the client as
// refused until its next attempt fits. ok is false when the limiter failed
// (fail open, counted and logged).
func (s *server) countAuthFailure(c *gin.Context) (res billbridge.RateResult, ok bool) {
	client := clientKey(c)
	res, err := s.deps.Limiter.Allow(c.Request.Context(), "authfail:"+client, s.deps.AuthFailLimit)
	if err != nil {
		s.metrics.rateLimitFailOpen.Inc()
		s.logger.WarnContext(c.Request.Context(), "rate limiter unavailable, failing open", "error", err)
		return res, false
	}
	if !res.Allowed {
		now := s.deps.Clock.Now()
		s.auth.block(client, now.Add(res.RetryAfter), now)
	}
	return res, true
}
