package watch

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// publishInterval estimates how often a source publishes from the dates
// of its latest items (newest first or in any order): the mean gap between
// the ten newest, widened when the source has been quiet for longer than
// that. With fewer than two dates it adapts the previous interval: halved
// after news, half as long again after none.
func publishInterval(dates []time.Time, now time.Time, prev time.Duration, foundNew bool, lo, hi time.Duration) time.Duration {
	ds := make([]time.Time, 0, len(dates))
	for _, d := range dates {
		if !d.IsZero() && !d.After(now.Add(time.Hour)) {
			ds = append(ds, d)
		}
	}
	slices.SortFunc(ds, func(a, b time.Time) int { return b.Compare(a) })
	ds = slices.CompactFunc(ds, func(a, b time.Time) bool { return a.Equal(b) })
	var iv time.Duration
	if len(ds) >= 2 {
		n := min(len(ds), 10)
		iv = ds[0].Sub(ds[n-1]) / time.Duration(n-1)
		if quiet := now.Sub(ds[0]) / 2; quiet > iv {
			iv = quiet
		}
	} else {
		switch {
		case prev <= 0:
			iv = time.Hour
		case foundNew:
			iv = prev / 2
		default:
			iv = prev * 3 / 2
		}
	}
	return clamp(iv, lo, hi)
}

func clamp(d, lo, hi time.Duration) time.Duration {
	return max(lo, min(hi, d))
}

// freshness is how long a response may be reused: Cache-Control's max-age
// (s-maxage first), else Expires less the response's Date (or now).
func freshness(h http.Header, now time.Time) time.Duration {
	for _, dir := range []string{"s-maxage", "max-age"} {
		for _, part := range strings.Split(h.Get("Cache-Control"), ",") {
			k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
			if ok && strings.EqualFold(k, dir) {
				if n, err := strconv.ParseInt(strings.Trim(v, `"`), 10, 64); err == nil && n > 0 {
					return time.Duration(min(n, 365*24*3600)) * time.Second
				}
			}
		}
	}
	if e := h.Get("Expires"); e != "" {
		exp, err := http.ParseTime(e)
		if err != nil {
			return 0 // an invalid Expires means already expired
		}
		base := now
		if d, err := http.ParseTime(h.Get("Date")); err == nil {
			base = d
		}
		if f := exp.Sub(base); f > 0 {
			return f
		}
	}
	return 0
}

// retryAfter is the delay a Retry-After header asks for (seconds or a
// date), 0 when none.
func retryAfter(h http.Header, now time.Time) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n <= 0 {
			return 0
		}
		return time.Duration(min(n, 365*24*3600)) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// backoff is the delay before the n-th retry (n ≥ 1): base doubled n-1
// times, capped, then spread by jitter in [0.75, 1.25) and capped again.
func backoff(n int, base, cap time.Duration, jitter float64) time.Duration {
	d := base
	for i := 1; i < n && d < cap; i++ {
		d *= 2
	}
	d = min(d, cap)
	d = time.Duration(float64(d) * (0.75 + 0.5*jitter))
	return min(d, cap)
}
