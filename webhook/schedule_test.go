package webhook

import (
	"math/rand/v2"
	"net/http"
	"testing"
	"time"
)

func TestDefaultScheduleLastsAboutThreeDays(t *testing.T) {
	var total time.Duration
	for _, d := range DefaultSchedule {
		total += d
	}
	if len(DefaultSchedule) != 9 || total < 72*time.Hour || total > 84*time.Hour {
		t.Fatalf("%d waits totalling %v, want the 9 Standard Webhooks waits of about three days", len(DefaultSchedule), total)
	}
}

func TestNextWaitFollowsScheduleWithJitter(t *testing.T) {
	for n := 1; n <= len(DefaultSchedule); n++ {
		base := DefaultSchedule[n-1]
		lo, hi := time.Duration(float64(base)*0.8), time.Duration(float64(base)*1.2)
		for _, rnd := range []float64{0, 0.5, 0.999999, rand.Float64(), rand.Float64()} {
			wait, ok := nextWait(DefaultSchedule, n, rnd, 0)
			if !ok || wait < lo || wait > hi {
				t.Errorf("attempt %d rnd %v: wait %v ok %v, want within [%v, %v]", n, rnd, wait, ok, lo, hi)
			}
		}
		if low, _ := nextWait(DefaultSchedule, n, 0, 0); low != lo {
			t.Errorf("attempt %d: lowest wait %v, want %v", n, low, lo)
		}
		if mid, _ := nextWait(DefaultSchedule, n, 0.5, 0); mid != base {
			t.Errorf("attempt %d: middle wait %v, want %v", n, mid, base)
		}
	}
	if _, ok := nextWait(DefaultSchedule, len(DefaultSchedule)+1, 0.5, 0); ok {
		t.Error("attempt after the last scheduled wait is not dropped")
	}
}

func TestNextWaitHonoursRetryAfter(t *testing.T) {
	tests := []struct {
		n          int
		retryAfter time.Duration
		want       time.Duration
	}{
		{1, 2 * time.Second, 5 * time.Second},   // schedule is later
		{1, 90 * time.Second, 90 * time.Second}, // Retry-After is later
		{2, 48 * time.Hour, 24 * time.Hour},     // capped at 24h
		{9, time.Hour, 24 * time.Hour},
	}
	for _, tt := range tests {
		got, ok := nextWait(DefaultSchedule, tt.n, 0.5, tt.retryAfter)
		if !ok || got != tt.want {
			t.Errorf("nextWait(attempt %d, Retry-After %v) = %v, %v; want %v", tt.n, tt.retryAfter, got, ok, tt.want)
		}
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)
	tests := map[string]time.Duration{
		"":              0,
		"2":             2 * time.Second,
		" 120 ":         2 * time.Minute,
		"0":             0,
		"-5":            0,
		"soon":          0,
		"9999999999999": 24 * time.Hour,
		now.Add(90 * time.Second).Format(http.TimeFormat): 90 * time.Second,
		now.Add(-time.Hour).Format(http.TimeFormat):       0,
		"Mon, 05 Jan 2026 10:00:30 GMT":                   30 * time.Second,
	}
	for in, want := range tests {
		if got := parseRetryAfter(in, now); got != want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", in, got, want)
		}
	}
}
