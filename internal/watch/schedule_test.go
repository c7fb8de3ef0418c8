package watch

import (
	"net/http"
	"testing"
	"time"
)

var t0 = time.Date(2025, 7, 8, 12, 0, 0, 0, time.UTC)

func TestPublishInterval(t *testing.T) {
	lo, hi := 5*time.Minute, 24*time.Hour
	hourly := []time.Time{t0, t0.Add(-time.Hour), t0.Add(-2 * time.Hour), t0.Add(-3 * time.Hour)}
	tests := []struct {
		name     string
		dates    []time.Time
		now      time.Time
		prev     time.Duration
		foundNew bool
		want     time.Duration
	}{
		{"hourly", hourly, t0.Add(10 * time.Minute), 0, false, time.Hour},
		{"quiet for a day", hourly, t0.Add(24 * time.Hour), 0, false, 12 * time.Hour},
		{"every minute: bounded below", []time.Time{t0, t0.Add(-time.Minute), t0.Add(-2 * time.Minute)}, t0, 0, false, lo},
		{"yearly: bounded above", []time.Time{t0, t0.AddDate(-1, 0, 0)}, t0, 0, false, hi},
		{"no dates, first check", nil, t0, 0, false, time.Hour},
		{"no dates, news", nil, t0, time.Hour, true, 30 * time.Minute},
		{"no dates, nothing new", nil, t0, time.Hour, false, 90 * time.Minute},
		{"future dates ignored", []time.Time{t0.AddDate(1, 0, 0), t0}, t0, 2 * time.Hour, false, 3 * time.Hour},
	}
	for _, tt := range tests {
		if got := publishInterval(tt.dates, tt.now, tt.prev, tt.foundNew, lo, hi); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestFreshnessAndRetryAfter(t *testing.T) {
	h := func(kv ...string) http.Header {
		out := http.Header{}
		for i := 0; i < len(kv); i += 2 {
			out.Set(kv[i], kv[i+1])
		}
		return out
	}
	for _, tt := range []struct {
		h    http.Header
		want time.Duration
	}{
		{h("Cache-Control", "public, max-age=3600"), time.Hour},
		{h("Cache-Control", "max-age=60, s-maxage=600"), 10 * time.Minute},
		{h("Expires", t0.Add(2*time.Hour).Format(http.TimeFormat), "Date", t0.Format(http.TimeFormat)), 2 * time.Hour},
		{h("Expires", "0"), 0},
		{h("Cache-Control", "no-cache"), 0},
		{h(), 0},
	} {
		if got := freshness(tt.h, t0); got != tt.want {
			t.Errorf("freshness(%v) = %v, want %v", tt.h, got, tt.want)
		}
	}
	for _, tt := range []struct {
		v    string
		want time.Duration
	}{
		{"120", 2 * time.Minute},
		{t0.Add(time.Hour).Format(http.TimeFormat), time.Hour},
		{"soon", 0},
		{"-5", 0},
	} {
		if got := retryAfter(h("Retry-After", tt.v), t0); got != tt.want {
			t.Errorf("retryAfter(%q) = %v, want %v", tt.v, got, tt.want)
		}
	}
}

func TestBackoff(t *testing.T) {
	base, cap := 5*time.Minute, 24*time.Hour
	prev := time.Duration(0)
	for n := 1; n <= 20; n++ {
		lo, hi := backoff(n, base, cap, 0), backoff(n, base, cap, 0.999)
		if lo > hi || hi > cap || lo < base*3/4 {
			t.Errorf("backoff(%d) spans %v..%v", n, lo, hi)
		}
		if mid := backoff(n, base, cap, 0.5); mid < prev {
			t.Errorf("backoff(%d) = %v shrinks from %v", n, mid, prev)
		} else {
			prev = mid
		}
	}
	if got := backoff(30, base, cap, 0.5); got != cap {
		t.Errorf("backoff(30) = %v, want the cap", got)
	}
}
