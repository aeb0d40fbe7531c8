package billbridge

import (
	"context"
	"math"
	"strconv"
	"time"
)

// Sync health (issue 17): how the sync between the platforms and the
// account is doing, per account, in the database. Not to be confused with
// payment health (health.go). Prometheus keeps the operator's view without
// account labels; this is the owner's.
//
// The gateway counts every authenticated /v1 request per account and hour
// (batched in memory and upserted, see UsageStore), and every hook delivery
// attempt per hook and hour as the delivery queue records it.

// HookStatus values.
const (
	HookHealthy = "healthy"
	HookFailing = "failing"
	HookRemoved = "removed"
)

// FailingAfter consecutive failed attempts make a hook failing (and fire
// an alert); so does no success for FailingSilence with deliveries pending.
const (
	FailingAfter   = 5
	FailingSilence = 24 * time.Hour
)

// MaxHealthWindow is the longest window GET /v1/sync/health looks back.
const MaxHealthWindow = 90 * 24 * time.Hour

// APIUsage is what one gateway instance counted of one account's requests
// in one hour; the store adds it to what it holds.
type APIUsage struct {
	AccountID     string
	Hour          time.Time // the hour's start, UTC
	Requests      int64
	Errors4xx     int64 // 4xx answers other than 429
	Errors5xx     int64
	RateLimited   int64 // 429 answers
	LastRequestAt time.Time
}

// Add counts one request answered with status at at.
func (u *APIUsage) Add(status int, at time.Time) {
	u.Requests++
	switch {
	case status == 429:
		u.RateLimited++
	case status >= 500:
		u.Errors5xx++
	case status >= 400:
		u.Errors4xx++
	}
	if at.After(u.LastRequestAt) {
		u.LastRequestAt = at
	}
}

// UsageStore keeps the per-account request counters.
type UsageStore interface {
	// AddAPIUsage adds each entry to the account's counters of its hour.
	AddAPIUsage(ctx context.Context, usage []APIUsage) error
}

// APIHealth is what the account's requests to the API looked like in the window.
type APIHealth struct {
	// Authenticated requests under /v1.
	Requests int64 `json:"requests" example:"1250"`
	// Answers 400–499 other than 429 (a platform sending what the API refuses).
	Errors4xx int64 `json:"errors_4xx" example:"12"`
	// Answers 500–599.
	Errors5xx int64 `json:"errors_5xx" example:"0"`
	// Answers 429: the account's rate limit was reached.
	RateLimited int64 `json:"rate_limited" example:"3"`
	// The latest request, also before the window; null when none was counted.
	LastRequestAt *time.Time `json:"last_request_at" example:"2026-12-02T08:59:12Z"`
}

// HookHealth is how one hook's deliveries went in the window.
type HookHealth struct {
	ID        string `json:"id" example:"hook_01JDZ8T9F2G5H8J1K4L7P0Q3RS"`
	TargetURL string `json:"target_url" example:"https://hooks.zapier.com/hooks/standard/123/abc"`
	// healthy; failing: 5 failed attempts in a row, or no success for 24 hours with deliveries pending; removed: the receiver answered 410 and the hook was removed.
	Status        string     `json:"status" enums:"healthy,failing,removed" example:"failing"`
	LastSuccessAt *time.Time `json:"last_success_at" example:"2026-12-01T17:03:00Z"`
	LastFailureAt *time.Time `json:"last_failure_at" example:"2026-12-02T08:58:00Z"`
	// Failed attempts since the last success.
	ConsecutiveFailures int `json:"consecutive_failures" example:"6"`
	// Deliveries waiting for their next attempt now.
	Pending int64 `json:"pending" example:"14"`
	// Deliveries given up in the window: retries exhausted, or held by the hook when its receiver answered 410 (that one included).
	Dropped int64 `json:"dropped" example:"0"`
	// Delivered attempts over all attempts in the window, 0–1 to 0.0001; null without attempts.
	SuccessRate *float64 `json:"success_rate" example:"0.8125"`
	// Attempts in the window.
	Delivered int64 `json:"delivered" example:"26"`
	Failed    int64 `json:"failed" example:"6"`
}

// HookState is what the store keeps of a hook's deliveries.
type HookState struct {
	HookHealth
	CreatedAt time.Time
	RemovedAt *time.Time
}

// StatusAt derives the hook's status at now.
func (h *HookState) StatusAt(now time.Time) string {
	switch {
	case h.RemovedAt != nil:
		return HookRemoved
	case h.ConsecutiveFailures >= FailingAfter:
		return HookFailing
	case h.Pending > 0:
		last := h.CreatedAt
		if h.LastSuccessAt != nil {
			last = *h.LastSuccessAt
		}
		if now.Sub(last) >= FailingSilence {
			return HookFailing
		}
	}
	return HookHealthy
}

// WeekIncidents counts the incidents reported in one calendar week.
type WeekIncidents struct {
	// The week's Monday in the account's time zone.
	WeekStart Date `json:"week_start" swaggertype:"string" format:"date" example:"2026-11-30"`
	Incidents int  `json:"incidents" example:"2"`
}

// SyncHealth is the account's sync health over a window.
type SyncHealth struct {
	// The window asked for, e.g. 7d.
	Window string `json:"window" example:"7d"`
	// Where the window starts: counters are kept per hour, so the start of the hour window ago.
	Since time.Time `json:"since" example:"2026-11-25T09:00:00Z"`
	API   APIHealth `json:"api"`
	// The account's hooks, and those a 410 removed, newest first.
	Hooks []HookHealth `json:"hooks"`
	// Incidents the automations reported (POST /v1/sync/incidents), per calendar week (Monday, account's time zone) the window touches, oldest first, each week counted whole.
	IncidentsByWeek []WeekIncidents `json:"incidents_by_week"`
	// Successful operations over all in the window, 0–1 to 0.0001: API requests answered below 400 and hook deliveries delivered, over all requests, delivery attempts and the incidents of incidents_by_week; null when there were none.
	SuccessRate *float64 `json:"success_rate" example:"0.9874"`
}

// ParseWindow reads a health window: a whole number of hours or days
// ("24h", "7d") from one hour to MaxHealthWindow.
func ParseWindow(s string) (time.Duration, bool) {
	if len(s) < 2 || len(s) > 5 {
		return 0, false
	}
	n, err := strconv.Atoi(s[:len(s)-1])
	if err != nil || n < 1 || s[0] == '0' || s[0] == '+' {
		return 0, false
	}
	var d time.Duration
	switch s[len(s)-1] {
	case 'h':
		d = time.Duration(n) * time.Hour
	case 'd':
		d = time.Duration(n) * 24 * time.Hour
	default:
		return 0, false
	}
	return d, d <= MaxHealthWindow
}

// Rate returns ok/all rounded to 0.0001, nil when all is 0.
func Rate(ok, all int64) *float64 {
	if all <= 0 {
		return nil
	}
	r := math.Round(float64(ok)/float64(all)*10000) / 10000
	return &r
}

// WeekStarts returns the Mondays (in loc) of the weeks from the one holding
// since to the one holding now, and the instant after the last week ends.
func WeekStarts(since, now time.Time, loc *time.Location) (mondays []Date, bounds []time.Time) {
	t := since.In(loc)
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
	day = day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7))
	for !day.After(now) {
		mondays = append(mondays, Today(day, loc))
		bounds = append(bounds, day)
		day = day.AddDate(0, 0, 7)
	}
	return mondays, append(bounds, day)
}
