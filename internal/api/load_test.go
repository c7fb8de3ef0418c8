package api

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"dossier/internal/client"
)

// The load generator: concurrent clients against a server on loopback,
// measuring throughput and latency percentiles of the reads a journalist
// makes, through the API and (against a running server) the web UI's
// pages. Against a running `dossier serve -rate 0`:
//
//	go test ./internal/api -run '^$' -bench Load -benchtime 2000x -load.server http://127.0.0.1:8080 -load.pid PID
//
// Without -load.server it loads an in-process server holding the seeds
// and the search test pages (a smoke run of the generator itself).
var (
	loadServer  = flag.String("load.server", "", "URL of a running dossier serve to load (default: an in-process server with the seeds)")
	loadClients = flag.Int("load.c", 16, "concurrent clients")
	loadToken   = flag.String("load.token", os.Getenv("DOSSIER_TOKEN"), "token, for a server bound beyond loopback")
	loadPID     = flag.Int("load.pid", 0, "the server's PID, to report its resident memory")
)

// loadTargets picks what to read: the largest story of the first page of
// the list, its first article, the entity that article names most, and a
// word of the story's title to search for.
func loadTargets(b *testing.B, c *client.Client) map[string]string {
	b.Helper()
	ctx := context.Background()
	list, err := c.Stories(ctx, client.StoryFilter{Limit: 200})
	if err != nil || len(list.Stories) == 0 {
		b.Fatalf("stories: %v (%d)", err, len(list.Stories))
	}
	big := list.Stories[0]
	for _, s := range list.Stories {
		if s.Articles > big.Articles {
			big = s
		}
	}
	st, err := c.Story(ctx, big.ID)
	if err != nil || len(st.Articles) == 0 {
		b.Fatalf("story %s: %v", big.ID, err)
	}
	t := map[string]string{
		"stories": "/v1/stories",
		"story":   "/v1/stories/" + st.ID,
		"article": "/v1/articles/" + st.Articles[0].ID,
	}
	for _, ref := range st.Articles {
		a, err := c.Article(ctx, ref.ID)
		if err != nil {
			b.Fatal(err)
		}
		n := map[string]int{}
		for _, m := range a.Facts.Mentions {
			n[m.Entity]++
		}
		best := ""
		for e, k := range n {
			if best == "" || k > n[best] || (k == n[best] && e < best) {
				best = e
			}
		}
		if best != "" {
			t["entity"] = "/v1/entities/" + url.PathEscape(best)
			break
		}
	}
	if t["entity"] == "" {
		b.Fatalf("no article of %s names an entity", st.ID)
	}
	word := ""
	for _, w := range strings.Fields(st.Title) {
		w = strings.Trim(w, ".,:;\"'()«»“”‘’")
		if utf8.RuneCountInString(w) > utf8.RuneCountInString(word) {
			word = w
		}
	}
	t["search"] = "/v1/search?q=" + url.QueryEscape(word)
	// The web UI's pages for the same things, served by `dossier serve`
	// beside the API (ids without their letter).
	t["web-stories"] = "/"
	t["web-story"] = "/stories/" + strings.TrimPrefix(st.ID, "s")
	t["web-article"] = "/articles/" + strings.TrimPrefix(st.Articles[0].ID, "a")
	t["web-entity"] = strings.TrimPrefix(t["entity"], "/v1")
	t["web-search"] = "/search?q=" + url.QueryEscape(word)
	b.Logf("targets: story %s (%d articles), %v", st.ID, big.Articles, t)
	return t
}

// procCPU is the user+system CPU time a process has used so far (0 when
// pid is 0 or unreadable), from /proc/PID/stat.
func procCPU(pid int) time.Duration {
	if pid <= 0 {
		return 0
	}
	st, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// Fields after the command (which may hold spaces), from ")": state is
	// field 3, utime and stime are fields 14 and 15, in clock ticks.
	i := strings.LastIndexByte(string(st), ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(string(st[i+1:]))
	if len(f) < 13 {
		return 0
	}
	var ut, stt int64
	fmt.Sscan(f[11], &ut)
	fmt.Sscan(f[12], &stt)
	const ticks = 100 // USER_HZ on Linux
	return time.Duration(ut+stt) * time.Second / ticks
}

func BenchmarkLoad(b *testing.B) {
	base := *loadServer
	if base == "" {
		s := newTestServer(b, Options{})
		ingestSeeds(b, s.c)
		if _, err := s.c.Ingest(context.Background(), client.IngestRequest{Pages: searchPages, Captured: "2025-03-10"}); err != nil {
			b.Fatal(err)
		}
		base = s.URL
	}
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *loadClients, MaxConnsPerHost: *loadClients}}
	c := client.New(base, client.WithToken(*loadToken), client.WithHTTPClient(hc))
	targets := loadTargets(b, c)
	names := []string{"stories", "story", "article", "entity", "search"}
	if *loadServer != "" {
		names = append(names, "web-stories", "web-story", "web-article", "web-entity", "web-search")
	}
	for _, name := range names {
		path := targets[name]
		b.Run(name, func(b *testing.B) {
			lat := make([]time.Duration, b.N)
			var next, errs int64
			var mu sync.Mutex
			var wg sync.WaitGroup
			cpu0 := procCPU(*loadPID)
			b.ResetTimer()
			start := time.Now()
			for w := 0; w < *loadClients; w++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for {
						mu.Lock()
						i := next
						next++
						mu.Unlock()
						if i >= int64(b.N) {
							return
						}
						t0 := time.Now()
						req, _ := http.NewRequest(http.MethodGet, base+path, nil)
						if *loadToken != "" {
							req.Header.Set("Authorization", "Bearer "+*loadToken)
						}
						resp, err := hc.Do(req)
						if err == nil {
							io.Copy(io.Discard, resp.Body)
							resp.Body.Close()
						}
						lat[i] = time.Since(t0)
						if err != nil || resp.StatusCode != http.StatusOK {
							mu.Lock()
							errs++
							mu.Unlock()
						}
					}
				}()
			}
			wg.Wait()
			el := time.Since(start)
			b.StopTimer()
			if errs > 0 {
				b.Errorf("%s: %d of %d requests failed", path, errs, b.N)
			}
			sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
			pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
			b.ReportMetric(float64(b.N)/el.Seconds(), "req/s")
			b.ReportMetric(pct(0.50), "p50-ms")
			b.ReportMetric(pct(0.99), "p99-ms")
			if *loadPID > 0 {
				// The server's user+system CPU per request: robust to other
				// load on the machine, which inflates wall-clock latency.
				b.ReportMetric(float64((procCPU(*loadPID)-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/req")
			}
		})
	}
	if *loadPID > 0 {
		if st, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", *loadPID)); err == nil {
			for _, line := range strings.Split(string(st), "\n") {
				if strings.HasPrefix(line, "VmRSS") || strings.HasPrefix(line, "VmHWM") {
					b.Log(strings.Join(strings.Fields(line), " "))
				}
			}
		}
	}
}
