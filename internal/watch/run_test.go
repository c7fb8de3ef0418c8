package watch

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"

	"dossier/internal/fetch"
)

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

// TestRunIsPoliteWithSlowHosts runs the watcher on the real clock against
// a slow host and a fast one: the slow host never has more than PerHost
// requests in flight nor two starts within the host interval, the fast
// host is not held up by it, and cancelling stops the run promptly.
func TestRunIsPoliteWithSlowHosts(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c := &clock{t: time.Now()}
	slow, fast := newSite(t, realClock{}), newSite(t, realClock{})
	slow.delay = 150 * time.Millisecond
	for i := 0; i < 10; i++ {
		p := fmt.Sprintf("/s%d", i)
		slow.items = append(slow.items, feedItem{path: p, title: p, pub: time.Now().Add(-time.Duration(i) * time.Hour)})
		slow.pages[p] = article(fmt.Sprintf("Slow story number %d", i), fmt.Sprintf("The slow site's story number %d says that %d lorries crossed the border on day %d of the convoy, officials at the crossing said on Monday.", i, 100+i, i))
	}
	fast.items = []feedItem{{path: "/f", title: "Fast", pub: time.Now()}}
	fast.pages["/f"] = article("Fast story", "The fast site answers at once, and its story is stored while the slow site's pages are still being fetched one or two at a time.")
	svc := openService(t, t.TempDir(), &clock{t: time.Now()})
	defer svc.Close()
	_ = c
	for _, u := range []string{slow.url("/feed.xml"), fast.url("/feed.xml")} {
		if _, _, err := svc.Follow(ctx, u, "", ""); err != nil {
			t.Fatal(err)
		}
	}
	fc := fetch.DefaultConfig()
	fc.AllowPrivate = true
	const interval = 40 * time.Millisecond
	w := New(svc, Config{Workers: 6, PerHost: 2, HostInterval: interval, Fetch: fc, Seed: 1})
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	deadline := time.Now().Add(20 * time.Second)
	var fastDone time.Duration
	start := time.Now()
	for time.Now().Before(deadline) {
		if fastDone == 0 && fast.count("/f", 200) == 1 {
			fastDone = time.Since(start)
		}
		if slow.count("", 0) >= 0 && countPrefix(slow, "/s") == 10 && fastDone > 0 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	slowDone := time.Since(start)
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not stop within 5 s of cancellation")
	}
	if n := countPrefix(slow, "/s"); n != 10 {
		t.Fatalf("%d of 10 slow pages fetched", n)
	}
	if slow.maxInflight > 2 {
		t.Errorf("%d requests in flight to one host, PerHost is 2", slow.maxInflight)
	}
	hs := slow.hitsOf("")
	slices.SortFunc(hs, func(x, y hit) int { return x.at.Compare(y.at) })
	// The interval holds between the starts the watcher makes; the server
	// sees them shifted by the scheduling of a loaded machine, so a single
	// gap may look shorter, but the span of n requests cannot be shorter
	// than n-1 intervals. (The simulated-clock tests check every gap.)
	for i := 1; i < len(hs); i++ {
		if gap := hs[i].at.Sub(hs[i-1].at); gap < interval/4 {
			t.Errorf("two requests to the slow host %v apart", gap)
		}
	}
	if span := hs[len(hs)-1].at.Sub(hs[0].at); span < time.Duration(len(hs)-1)*interval*9/10 {
		t.Errorf("%d requests to the slow host within %v: more than one per %v", len(hs), span, interval)
	}
	if fastDone == 0 || fastDone > slowDone/2 {
		t.Errorf("the fast host's page was stored after %v, the slow host's after %v: held up", fastDone, slowDone)
	}
}

func countPrefix(s *site, prefix string) int {
	n := 0
	for _, h := range s.hitsOf("") {
		if len(h.path) > len(prefix) && h.path[:len(prefix)] == prefix && h.status == 200 {
			n++
		}
	}
	return n
}

// TestSoak polls hundreds of local feeds thousands of times on a simulated
// clock: the goroutines and the heap do not grow. It logs the polls per
// second sustained and the memory per followed source.
func TestSoak(t *testing.T) {
	if testing.Short() {
		t.Skip("soak: not in -short")
	}
	ctx := context.Background()
	c := &clock{t: simStart}
	const hosts, perHost = 20, 10
	var sites []*site
	dir := t.TempDir()
	svc := openService(t, dir, c)
	defer svc.Close()
	for h := 0; h < hosts; h++ {
		s := newSite(t, c)
		s.robots = "User-agent: *\nAllow: /\n"
		s.items = []feedItem{{path: fmt.Sprintf("/h%d-1", h), title: "One", pub: simStart.Add(-time.Hour)}}
		s.pages[fmt.Sprintf("/h%d-1", h)] = article(fmt.Sprintf("Site %d reports", h), fmt.Sprintf("Site number %d reports that the river rose %d centimetres overnight, and the authorities of district %d opened the shelters.", h, 10+h, h))
		sites = append(sites, s)
		for f := 0; f < perHost; f++ {
			if _, _, err := svc.Follow(ctx, s.url("/feed.xml")+fmt.Sprintf("?f=%d", f), "", ""); err != nil {
				t.Fatal(err)
			}
		}
	}
	fc := fetch.DefaultConfig()
	fc.AllowPrivate = true
	w := New(svc, Config{Workers: 8, PerHost: 2, HostInterval: time.Second, MinInterval: 5 * time.Minute, MaxInterval: 10 * time.Minute, Fetch: fc, Now: c.Now, Seed: 1})
	sample := func() (int, uint64) {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return runtime.NumGoroutine(), m.HeapAlloc
	}
	const polls = 3000
	start := time.Now()
	var g1 int
	var h1 uint64
	for w.Stats().Checks < polls {
		next, err := w.Step(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if g1 == 0 && w.Stats().Checks >= polls/3 {
			g1, h1 = sample()
		}
		if w.Stats().Checks >= polls/2 && len(sites[0].items) == 1 {
			for h, s := range sites { // news on every site, halfway
				p := fmt.Sprintf("/h%d-2", h)
				s.set(func(s *site) {
					s.items = append(s.items, feedItem{path: p, title: "Two", pub: c.Now()})
					s.pages[p] = article(fmt.Sprintf("Site %d update", h), fmt.Sprintf("Site number %d now reports that the water is falling, and %d families of district %d went home before noon on the second day.", h, 40+h, h))
				})
			}
		}
		c.Set(next)
		if time.Since(start) > 60*time.Second {
			t.Fatalf("only %d polls in 60 s", w.Stats().Checks)
		}
	}
	elapsed := time.Since(start)
	g2, h2 := sample()
	st := w.Stats()
	t.Logf("%d polls of %d feeds on %d hosts in %v (%.0f polls/s; %v simulated); %d pages stored; stats %+v",
		st.Checks, hosts*perHost, hosts, elapsed.Round(time.Millisecond), float64(st.Checks)/elapsed.Seconds(), c.Now().Sub(simStart), st.Pages, st)
	var dbBytes int64
	for _, f := range []string{"dossier.db", "dossier.db-wal"} {
		if fi, err := os.Stat(filepath.Join(dir, f)); err == nil {
			dbBytes += fi.Size()
		}
	}
	t.Logf("memory: goroutines %d → %d, heap %d KiB → %d KiB; store %.1f KiB per source (articles included)",
		g1, g2, h1>>10, h2>>10, float64(dbBytes)/1024/float64(hosts*perHost))
	if g2 > g1+5 {
		t.Errorf("goroutines grew from %d to %d", g1, g2)
	}
	if h2 > h1*3/2+8<<20 {
		t.Errorf("heap grew from %d KiB to %d KiB", h1>>10, h2>>10)
	}
	if st.Pages != 2*hosts {
		t.Errorf("%d pages stored, want %d", st.Pages, 2*hosts)
	}
	if st.SourceErrors != 0 || st.ItemErrors != 0 {
		t.Errorf("errors: %+v", st)
	}
}

// TestMemoryPerSource measures the heap the watcher needs per followed
// source: polling 50 feeds, then 550, on the same hosts. The schedule is
// in the store, so the difference is small; it is held under 16 KiB.
func TestMemoryPerSource(t *testing.T) {
	if testing.Short() {
		t.Skip("measurement: not in -short")
	}
	ctx := context.Background()
	c := &clock{t: simStart}
	svc := openService(t, t.TempDir(), c)
	defer svc.Close()
	var sites []*site
	for h := 0; h < 10; h++ {
		s := newSite(t, c)
		s.items = []feedItem{{path: fmt.Sprintf("/m%d", h), title: "One", pub: simStart.Add(-time.Hour)}}
		s.pages[fmt.Sprintf("/m%d", h)] = article(fmt.Sprintf("Site %d reports", h), fmt.Sprintf("Site number %d reports that the river rose %d centimetres overnight, and the authorities of district %d opened the shelters.", h, 10+h, h))
		sites = append(sites, s)
	}
	follow := func(from, to int) {
		for f := from; f < to; f++ {
			s := sites[f%len(sites)]
			if _, _, err := svc.Follow(ctx, s.url("/feed.xml")+fmt.Sprintf("?f=%d", f), "", ""); err != nil {
				t.Fatal(err)
			}
		}
	}
	fc := fetch.DefaultConfig()
	fc.AllowPrivate = true
	w := New(svc, Config{Workers: 8, PerHost: 2, HostInterval: time.Second, MinInterval: 5 * time.Minute, MaxInterval: 10 * time.Minute, Fetch: fc, Now: c.Now, Seed: 1})
	pollTo := func(n int64) {
		for w.Stats().Checks < n {
			next, err := w.Step(ctx)
			if err != nil {
				t.Fatal(err)
			}
			c.Set(next)
		}
	}
	heap := func() uint64 {
		runtime.GC()
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	const few, many = 50, 550
	follow(0, few)
	pollTo(3 * few)
	h1 := heap()
	follow(few, many)
	pollTo(3*few + 2*many)
	h2 := heap()
	per := (float64(h2) - float64(h1)) / float64(many-few)
	t.Logf("heap %d KiB with %d sources, %d KiB with %d: %.0f bytes per followed source", h1>>10, few, h2>>10, many, per)
	if per > 16<<10 {
		t.Errorf("%.0f bytes of heap per followed source", per)
	}
}
