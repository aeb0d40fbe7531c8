package routes

import (
	"context"
	"net/http"
	"regexp"
	"time"

	"billbridge"
	"billbridge/internal/web"

	"github.com/gin-gonic/gin"
)

// IdempotencyKeyToken is what an Idempotency-Key holds: 1–255 of A–Z a–z
// 0–9 _ - . :, sent bare or as an RFC 8941 sf-string (in double quotes).
// The published spec's pattern is built from it.
const IdempotencyKeyToken = `[A-Za-z0-9_.:-]{1,255}`

var idempotencyKeyPattern = regexp.MustCompile(`^` + IdempotencyKeyToken + `$`)

// claimTTL bounds how long a running request holds its key in the cache.
const claimTTL = time.Minute

// parseIdempotencyKey accepts a bare token or an RFC 8941 sf-string.
func parseIdempotencyKey(raw string) (string, bool) {
	if len(raw) >= 2 && raw[0] == '"' && raw[len(raw)-1] == '"' {
		raw = raw[1 : len(raw)-1]
	}
	return raw, idempotencyKeyPattern.MatchString(raw)
}

// idempotency makes POST, PATCH and DELETE with an Idempotency-Key safe to
// retry. The cache (Redis or in-process) answers fast: a completed key is
// replayed byte for byte, a running one is 409 with Retry-After, another
// request under the key is 422. The database holds the promise: the write
// stores its response in its own transaction (web.Commit), so when the
// cache is down or forgot, the stored response is found there instead and
// no second resource is ever created. Errors are not stored, so the same
// key may be retried after fixing the request.
func (s *server) idempotency(c *gin.Context) {
	switch c.Request.Method {
	case http.MethodPost, http.MethodPatch, http.MethodDelete:
	default:
		c.Next()
		return
	}
	// A header sent empty is refused, not ignored: a platform field mapped to
	// an empty value must not lose exactly-once without a word.
	raw, sent := c.Request.Header["Idempotency-Key"]
	if !sent {
		c.Next()
		return
	}
	key, ok := "", len(raw) == 1
	if ok {
		key, ok = parseIdempotencyKey(raw[0])
	}
	if !ok {
		renderError(c, s.logger, &billbridge.Error{Code: billbridge.EKEYMALFORMED, Message: "The Idempotency-Key must be 1–255 characters of A–Z a–z 0–9 _ - . :",
			Fields: []billbridge.FieldError{{Name: "Idempotency-Key", Reason: "must be 1–255 characters of A–Z a–z 0–9 _ - . :"}}})
		return
	}
	body, err := web.Body(c)
	if err != nil {
		renderError(c, s.logger, err)
		return
	}
	ctx, acct := c.Request.Context(), web.Account(c)
	claim := &web.Claim{Key: key, Fingerprint: Fingerprint(c.Request.Method, c.Request.URL.Path, c.Request.URL.RawQuery, c.GetHeader("Content-Type"), body), TTL: s.deps.IdempotencyTTL, Clock: s.deps.Clock}

	rec, claimed, err := s.deps.Cache.Begin(ctx, acct.ID, key, claim.Fingerprint, claimTTL)
	if err != nil {
		s.metrics.idempotencyCacheErrors.Inc()
		s.logger.WarnContext(ctx, "idempotency cache unavailable, using the database", "error", err)
	} else if !claimed {
		s.answerFromRecord(c, claim, rec)
		return
	}
	release := func() {
		if claimed {
			bg, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
			defer cancel()
			_ = s.deps.Cache.Release(bg, acct.ID, key)
		}
	}
	// The cache claimed the key: no response is known under it, and the
	// write goes ahead without asking the database (a read on every keyed
	// write). A response the cache forgot is still found: the write saves
	// its own under the key in its transaction, which fails when one is
	// stored and replays that instead (web.Commit), and a handler failing
	// before or outside its write replays it too (replayStored). With the
	// cache unavailable, the database is asked first.
	if !claimed {
		stored, err := s.deps.Store.FindIdempotencyRecord(ctx, acct.ID, key)
		switch {
		case err == nil:
			s.answerFromRecord(c, claim, stored)
			return
		case billbridge.ErrorCode(err) != billbridge.ENOTFOUND:
			renderError(c, s.logger, err)
			return
		}
	}
	claim.Fresh = true
	web.SetClaim(c, claim)
	c.Next()
	if claim.Stored != nil {
		s.complete(ctx, claimed, claim.Stored)
	} else {
		release()
	}
}

// replayStored answers a keyed request whose handler failed with the
// response stored under its key, if there is one, and reports whether it
// did. The middleware lets a write whose key the cache claimed run without
// asking the database (idempotency); a handler can fail before its write
// where the first request under the key succeeded (the hook it redelivers
// deleted since, a target URL refused now), and the retry must still get
// the first answer. A request the store fails to answer for keeps its own
// error.
func (s *server) replayStored(c *gin.Context) bool {
	claim := web.ClaimOf(c)
	if claim == nil || claim.Stored != nil {
		return false
	}
	rec, err := s.deps.Store.FindIdempotencyRecord(c.Request.Context(), web.Account(c).ID, claim.Key)
	if err != nil {
		return false
	}
	s.answerFromRecord(c, claim, rec)
	return true
}

// answerFromRecord replays a completed record, or refuses a key that is
// still running (409) or was used for another request (422).
func (s *server) answerFromRecord(c *gin.Context, claim *web.Claim, rec *billbridge.IdempotencyRecord) {
	switch {
	case rec.Fingerprint != claim.Fingerprint:
		renderError(c, s.logger, billbridge.Errorf(billbridge.EKEYREUSED, "This Idempotency-Key was already used for another request (another method, path or body). Use a new key for a new request."))
	case rec.Status == 0:
		c.Header("Retry-After", "1")
		renderError(c, s.logger, billbridge.Errorf(billbridge.EKEYINUSE, "A request with this Idempotency-Key is still running; retry in a moment."))
	default:
		s.metrics.idempotentReplays.Inc()
		_ = web.Replay(c, claim, rec)
		c.Abort()
	}
}

// complete caches a stored response for the rest of its lifetime.
func (s *server) complete(ctx context.Context, claimed bool, rec *billbridge.IdempotencyRecord) {
	if !claimed {
		return
	}
	ttl := time.Until(rec.ExpiresAt)
	if ttl <= 0 {
		ttl = time.Second
	}
	bg, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancel()
	if err := s.deps.Cache.Complete(bg, rec, ttl); err != nil {
		s.metrics.idempotencyCacheErrors.Inc()
		s.logger.WarnContext(ctx, "idempotency cache unavailable, response kept in the database only", "error", err)
	}
}
