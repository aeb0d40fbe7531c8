package webhook

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// DefaultSchedule is the Standard Webhooks retry schedule: the wait after
// the 1st, 2nd, … failed attempt, about three days in all. A delivery whose
// attempt fails after the schedule is exhausted is dropped.
var DefaultSchedule = []time.Duration{
	5 * time.Second, 5 * time.Minute, 30 * time.Minute,
	2 * time.Hour, 5 * time.Hour, 10 * time.Hour,
	14 * time.Hour, 20 * time.Hour, 24 * time.Hour,
}

// Jitter is the spread of every scheduled wait: ±20%.
const Jitter = 0.2

// maxRetryAfter caps how far a receiver's Retry-After may push an attempt.
const maxRetryAfter = 24 * time.Hour

// nextWait returns how long to wait after failed attempt n (1 for the first
// attempt) of schedule, spread by ±Jitter with rnd in [0, 1), and no shorter
// than retryAfter (capped at 24h). ok is false when the schedule is
// exhausted and the delivery must be dropped.
func nextWait(schedule []time.Duration, n int, rnd float64, retryAfter time.Duration) (wait time.Duration, ok bool) {
	if n < 1 || n > len(schedule) {
		return 0, false
	}
	base := schedule[n-1]
	wait = time.Duration(float64(base) * (1 - Jitter + 2*Jitter*rnd))
	retryAfter = min(retryAfter, maxRetryAfter)
	return max(wait, retryAfter), true
}

// parseRetryAfter returns the wait a Retry-After header value asks for,
// delay-seconds or an HTTP date relative to now; 0 when absent, malformed
// or in the past.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		return time.Duration(min(secs, int64(maxRetryAfter/time.Second))) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}
