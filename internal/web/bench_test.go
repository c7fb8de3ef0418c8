package web

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"syscall"
	"testing"
	"time"
)

// cpuTime is the CPU time this process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkPages measures the server time of each page on the seeds store:
// go test ./internal/web -run '^$' -bench Pages -benchtime 200x (ns/op is wall time and includes waiting for a core on a busy machine; cpu-ms/op is the page's CPU time)
func BenchmarkPages(b *testing.B) {
	svc := sharedSeeds(b)
	g := readGold(b)
	arts := goldArticles(b, svc, g)
	var ar int64
	var storyID int64
	for _, d := range g.Documents {
		if d.Language == "ar" {
			ar = arts[d.Articles[0].ID].ID
			storyID = arts[d.Articles[0].ID].Story
		}
	}
	h := New(svc, Options{Token: "x"})
	for _, p := range []struct{ name, path string }{
		{"stories", "/"},
		{"story", fmt.Sprintf("/stories/%d", storyID)},
		{"article", fmt.Sprintf("/articles/%d", ar)},
		{"entity", "/entities/country:KP"},
		{"search", "/search?q=troops"},
		{"search-ar", "/search?q=" + "%D9%83%D9%88%D8%B1%D8%B3%D9%83"},
		{"sources", "/sources"},
	} {
		b.Run(p.name, func(b *testing.B) {
			req := httptest.NewRequest("GET", p.path, nil)
			cpu0 := cpuTime()
			for b.Loop() {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("%s: %d", p.path, rec.Code)
				}
			}
			// CPU time is what a page costs the server whatever else the
			// machine is doing; wall time (ns/op) includes waiting for a core.
			b.ReportMetric(float64(cpuTime()-cpu0)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
		})
	}
}
