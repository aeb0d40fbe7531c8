package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"billbridge"

	"github.com/gin-gonic/gin"
)

// Claim is the idempotency claim of a write sent with an Idempotency-Key,
// put in the request by the routes middleware. Commit stores the response
// with the write and leaves it in Stored for the middleware to cache, only
// once the transaction has committed: Stored is nil after a failed write.
type Claim struct {
	Key         string
	Fingerprint string
	TTL         time.Duration
	// Clock stamps the stored response (created, expires); the zero Clock
	// is the system clock.
	Clock  billbridge.Clock
	Stored *billbridge.IdempotencyRecord
	// Fresh says no live response was known under Key just before the
	// write: the cache claimed the key, or, the cache being unavailable,
	// the database held none. Commit's first attempt then does not look
	// (see Commit).
	Fresh bool
}

// SetClaim attaches an idempotency claim to the request.
func SetClaim(c *gin.Context, cl *Claim) { c.Set(keyClaim, cl) }

// ClaimOf returns the request's idempotency claim, nil when it has no key.
func ClaimOf(c *gin.Context) *Claim {
	v, _ := c.Get(keyClaim)
	cl, _ := v.(*Claim)
	return cl
}

// WriteFunc is the body of a write: it runs inside one transaction and
// returns the response status and the value to encode as its JSON body
// (nil for 204).
type WriteFunc func(ctx context.Context, tx billbridge.Tx) (status int, body any, err error)

// Redactor is an answer that must not be stored whole: the idempotency
// record of the write keeps Redacted() instead, so a replay answers that
// (a new API key's secret is shown once and never stored).
type Redactor interface{ Redacted() any }

// Commit runs fn in one transaction and writes its response. The body is
// encoded inside the transaction and, when the request has an idempotency
// claim, saved in the same transaction as the change: a retry of the same
// key then finds the stored response and replays it, even after a crash
// between commit and response or a cache that forgot; a Redactor's answer
// is stored redacted. The claim learns of
// the stored response only when Atomic returned nil, so a commit that
// failed, or an attempt the store ran again and that then failed, is never
// cached as a success.
//
// Each attempt looks for a stored response under the key before fn runs,
// except the first of a Fresh claim: none was known a moment before. A
// response stored meanwhile, or one the cache forgot (evicted, flushed, or
// from before a restart), still wins: saving this one then fails with
// ErrRetry (the key is taken) and Atomic runs the write again, which finds
// and replays it; when fn itself fails in such a first attempt and a
// response is stored, the attempt is run again too. What the attempt wrote
// is rolled back either way.
func Commit(c *gin.Context, store billbridge.Store, fn WriteFunc) error {
	ctx := c.Request.Context()
	claim, acct := ClaimOf(c), Account(c)
	var (
		status int
		body   []byte
		replay *billbridge.IdempotencyRecord
		stored *billbridge.IdempotencyRecord
	)
	attempt := 0
	err := store.Atomic(ctx, func(tx billbridge.Tx) error {
		// Atomic may run this more than once: nothing of an earlier attempt counts.
		replay, stored, status, body = nil, nil, 0, nil
		attempt++
		looked := claim != nil && (attempt > 1 || !claim.Fresh)
		if looked {
			rec, err := tx.FindIdempotencyRecord(ctx, acct.ID, claim.Key)
			if err == nil {
				replay = rec
				return nil
			}
			if billbridge.ErrorCode(err) != billbridge.ENOTFOUND {
				return err
			}
		}
		st, v, err := fn(ctx, tx)
		if err != nil {
			if claim != nil && !looked {
				if _, ferr := tx.FindIdempotencyRecord(ctx, acct.ID, claim.Key); ferr == nil {
					return fmt.Errorf("%w: idempotency key %q was stored meanwhile: %v", billbridge.ErrRetry, claim.Key, err)
				}
			}
			return err
		}
		status, body = st, nil
		if st != http.StatusNoContent {
			if body, err = Encode(v); err != nil {
				return err
			}
		}
		if claim != nil {
			kept := body
			if r, ok := v.(Redactor); ok {
				if kept, err = Encode(r.Redacted()); err != nil {
					return err
				}
			}
			now := claim.Clock.Now()
			rec := &billbridge.IdempotencyRecord{
				AccountID: acct.ID, Key: claim.Key, Fingerprint: claim.Fingerprint,
				Status: status, ContentType: ContentTypeJSON, Body: kept,
				CreatedAt: now, ExpiresAt: now.Add(claim.TTL),
			}
			if err := tx.SaveIdempotencyRecord(ctx, rec); err != nil {
				return err
			}
			stored = rec
		}
		return nil
	})
	if err != nil {
		return err
	}
	if replay != nil {
		return Replay(c, claim, replay)
	}
	if claim != nil {
		claim.Stored = stored
	}
	return Raw(c, status, body)
}

// ContentTypeJSON is the content type of every successful response.
const ContentTypeJSON = "application/json; charset=utf-8"

// Replay answers with a stored response, byte for byte, marked with
// Idempotent-Replayed: true. A record made by another request (another
// method, path or body) is EKEYREUSED instead.
func Replay(c *gin.Context, claim *Claim, rec *billbridge.IdempotencyRecord) error {
	if rec.Fingerprint != claim.Fingerprint {
		return billbridge.Errorf(billbridge.EKEYREUSED, "This Idempotency-Key was already used for another request (another method, path or body). Use a new key for a new request.")
	}
	claim.Stored = rec
	c.Header("Idempotent-Replayed", "true")
	if rec.Status == http.StatusNoContent || len(rec.Body) == 0 {
		c.Status(rec.Status)
		return nil
	}
	c.Data(rec.Status, rec.ContentType, rec.Body)
	return nil
}

// Encode renders v as compact JSON without HTML escaping ("Dupont & Co"
// stays readable) and without a trailing newline.
func Encode(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
