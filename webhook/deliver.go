package webhook

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"billbridge"
)

// maxDiscard is how much of a response body is read (and thrown away).
const maxDiscard = 64 << 10

// maxReason bounds the failure reason handed to the queue.
const maxReason = 300

// outcome is the result of one HTTP attempt.
type outcome struct {
	status     int           // HTTP status; 0 when the request failed
	retryAfter time.Duration // what the receiver's Retry-After asked for
	err        error         // timeout or connection error
}

// handle attempts one claimed delivery and records the outcome. It waits
// for a slot of the target host; when ctx ends before one is free it
// leaves the delivery to its lease. Once started, the attempt and the
// recording of its outcome run to completion even when ctx is cancelled,
// bounded by Timeout each.
func (d *Dispatcher) handle(ctx context.Context, del billbridge.Delivery) {
	host := targetHost(del.TargetURL)
	if !d.targets.acquire(ctx, host) {
		return
	}
	bg := context.WithoutCancel(ctx)
	actx, cancel := context.WithTimeout(bg, d.cfg.Timeout)
	start := time.Now()
	out := d.attempt(actx, del)
	cancel()
	d.targets.release(host)
	d.cfg.Metrics.observe(time.Since(start))

	sctx, cancel := context.WithTimeout(bg, d.cfg.Timeout)
	defer cancel()
	d.settle(sctx, del, host, out)
}

// attempt sends del once, signed at the current time.
func (d *Dispatcher) attempt(ctx context.Context, del billbridge.Delivery) outcome {
	now := d.cfg.Clock.Now()
	req, err := newRequest(ctx, del, now)
	if err != nil {
		return outcome{err: err}
	}
	resp, err := d.client.Do(req)
	if err != nil {
		return outcome{err: err}
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxDiscard))
	_ = resp.Body.Close()
	return outcome{status: resp.StatusCode, retryAfter: parseRetryAfter(resp.Header.Get("Retry-After"), now)}
}

// settle records out in the queue, counts and logs it.
func (d *Dispatcher) settle(ctx context.Context, del billbridge.Delivery, host string, out outcome) {
	attempt := del.Attempts + 1
	log := d.log.With("delivery_id", del.ID, "hook_id", del.HookID, "event_id", del.EventID, "target_host", host, "attempt", attempt)
	var err error
	switch {
	case out.err == nil && out.status >= 200 && out.status < 300:
		d.cfg.Metrics.count(ResultSucceeded)
		err = d.cfg.Queue.DeliverySucceeded(ctx, del.ID)
	case out.err == nil && out.status == http.StatusGone:
		d.cfg.Metrics.count(ResultGone)
		log.InfoContext(ctx, "hook receiver answered 410, removing the hook")
		err = d.cfg.Queue.HookGone(ctx, del.HookID)
	default:
		d.cfg.Metrics.count(ResultFailed)
		reason := failureReason(out, d.cfg.Timeout)
		wait, ok := nextWait(d.cfg.Schedule, attempt, d.cfg.Rand(), out.retryAfter)
		if !ok {
			d.cfg.Metrics.count(ResultDropped)
			log.WarnContext(ctx, "hook delivery dropped, retries exhausted", "reason", reason)
			err = d.cfg.Queue.DropDelivery(ctx, del.ID, reason)
			break
		}
		d.cfg.Metrics.count(ResultRetried)
		// Millisecond precision, like every stored time and the clock.
		next := d.cfg.Clock.Now().Add(wait).Truncate(time.Millisecond)
		log.InfoContext(ctx, "hook delivery failed, will retry", "reason", reason, "next_attempt", next)
		err = d.cfg.Queue.DeliveryFailed(ctx, del.ID, next, reason)
	}
	if err != nil {
		log.ErrorContext(ctx, "recording hook delivery outcome", "err", err)
	}
}

// failureReason describes a failed attempt without the target URL, whose
// path may carry a receiver's token.
func failureReason(out outcome, timeout time.Duration) string {
	var reason string
	switch {
	case out.err == nil && out.status >= 300 && out.status < 400:
		reason = fmt.Sprintf("HTTP %d (redirects are not followed)", out.status)
	case out.err == nil:
		reason = fmt.Sprintf("HTTP %d", out.status)
	case errors.Is(out.err, context.DeadlineExceeded):
		reason = "timeout after " + timeout.String()
	default:
		err := out.err
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		reason = "request failed: " + err.Error()
	}
	if len(reason) > maxReason {
		reason = reason[:maxReason]
	}
	return reason
}

// newRequest builds the signed Standard Webhooks POST of del at now. The
// webhook-id is the event id, the same on every attempt, so receivers can
// drop duplicates.
func newRequest(ctx context.Context, del billbridge.Delivery, now time.Time) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, del.TargetURL, bytes.NewReader(del.Payload))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", UserAgent)
	req.Header.Set(HeaderID, del.EventID)
	req.Header.Set(HeaderTimestamp, strconv.FormatInt(now.Unix(), 10))
	req.Header.Set(HeaderSignature, Sign(del.Secret, del.EventID, now, del.Payload))
	return req, nil
}

// newClient returns the delivery HTTP client: every connection through
// guard, no proxy from the environment, redirects returned rather than
// followed (Standard Webhooks counts 3xx as failure, and following one
// could lead anywhere). Each attempt's context carries the timeout.
func newClient(guard Guard, perTarget int) *http.Client {
	return &http.Client{
		Transport: &http.Transport{
			Proxy:                  nil,
			DialContext:            guard.DialContext,
			ForceAttemptHTTP2:      true,
			MaxIdleConns:           100,
			MaxIdleConnsPerHost:    perTarget,
			IdleConnTimeout:        90 * time.Second,
			TLSHandshakeTimeout:    10 * time.Second,
			MaxResponseHeaderBytes: maxDiscard,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// targetHost returns the lowercased host[:port] of a target URL, the key
// of per-target concurrency.
func targetHost(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return strings.ToLower(u.Host)
}
