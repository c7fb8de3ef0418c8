package watch

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"dossier/internal/archive"
	"dossier/internal/fetch"
	"dossier/internal/ingest"
	"dossier/internal/pipeline"
	"dossier/internal/store"
	"dossier/internal/store/postgres/pgtest"
)

// clock is a simulated clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.After(c.t) {
		c.t = t
	}
}

type hit struct {
	path   string
	at     time.Time
	status int
}

type feedItem struct {
	path, title, desc string
	pub               time.Time
}

// site is a local news site that changes between polls, and counts every
// request it gets with the simulated time it got it at.
type site struct {
	clock interface{ Now() time.Time }
	srv   *httptest.Server

	mu          sync.Mutex
	hits        []hit
	inflight    int
	maxInflight int
	items       []feedItem
	pages       map[string]string
	// fail makes the next n requests of a path fail with status.
	fail       map[string]int
	failStatus int
	retryAfter string
	maxAge     int
	delay      time.Duration
	robots     string
}

func newSite(t *testing.T, c interface{ Now() time.Time }) *site {
	s := &site{clock: c, pages: map[string]string{}, fail: map[string]int{}, failStatus: http.StatusInternalServerError}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *site) url(path string) string { return s.srv.URL + path }

func (s *site) serve(w http.ResponseWriter, r *http.Request) {
	at := s.clock.Now() // when the request started
	s.mu.Lock()
	s.inflight++
	s.maxInflight = max(s.maxInflight, s.inflight)
	delay := s.delay
	s.mu.Unlock()
	if delay > 0 {
		time.Sleep(delay)
	}
	status := s.respond(w, r)
	s.mu.Lock()
	s.inflight--
	s.hits = append(s.hits, hit{r.URL.Path, at, status})
	s.mu.Unlock()
}

func (s *site) respond(w http.ResponseWriter, r *http.Request) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := r.URL.Path
	if s.fail[p] > 0 {
		s.fail[p]--
		if s.retryAfter != "" {
			w.Header().Set("Retry-After", s.retryAfter)
		}
		w.WriteHeader(s.failStatus)
		return s.failStatus
	}
	if p == "/robots.txt" {
		if s.robots == "" {
			http.NotFound(w, r)
			return 404
		}
		fmt.Fprint(w, s.robots)
		return 200
	}
	var body, ctype string
	switch {
	case p == "/feed.xml":
		var b strings.Builder
		b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Site</title>`)
		for _, it := range s.items {
			fmt.Fprintf(&b, `<item><title>%s</title><link>%s</link><description>%s</description><pubDate>%s</pubDate></item>`,
				it.title, s.srv.URL+it.path, it.desc, it.pub.Format(time.RFC1123Z))
		}
		b.WriteString(`</channel></rss>`)
		body, ctype = b.String(), "application/rss+xml"
	case s.pages[p] != "":
		body, ctype = s.pages[p], "text/html; charset=utf-8"
	default:
		http.NotFound(w, r)
		return 404
	}
	sum := sha256.Sum256([]byte(body))
	etag := `"` + hex.EncodeToString(sum[:8]) + `"`
	if s.maxAge > 0 {
		w.Header().Set("Cache-Control", fmt.Sprintf("max-age=%d", s.maxAge))
	}
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return 304
	}
	w.Header().Set("ETag", etag)
	w.Header().Set("Content-Type", ctype)
	fmt.Fprint(w, body)
	return 200
}

func (s *site) count(path string, status int) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, h := range s.hits {
		if h.path == path && (status == 0 || h.status == status) {
			n++
		}
	}
	return n
}

func (s *site) hitsOf(path string) []hit {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []hit
	for _, h := range s.hits {
		if path == "" || h.path == path {
			out = append(out, h)
		}
	}
	return out
}

func (s *site) set(fn func(s *site)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fn(s)
}

// article is an HTML page an extractor reads as one article.
func article(title string, paras ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<html><head><title>%s</title></head><body><nav>Home | World | Sport</nav><article><h1>%s</h1>", title, title)
	for _, p := range paras {
		fmt.Fprintf(&b, "<p>%s</p>", p)
	}
	b.WriteString("</article><footer>© Example</footer></body></html>")
	return b.String()
}

var simStart = time.Date(2025, 7, 8, 0, 0, 0, 0, time.UTC)

func openService(t *testing.T, dir string, c *clock) *pipeline.Service {
	t.Helper()
	return openServiceOn(t, dir, "", c)
}

// openServiceOn opens a service whose store is in PostgreSQL when db is set.
func openServiceOn(t *testing.T, dir, db string, c *clock) *pipeline.Service {
	t.Helper()
	svc, err := pipeline.Open(context.Background(), pipeline.Config{DataDir: dir, DB: db, Now: c.Now, Ingest: ingest.Config{Workers: 1}}, "watch-test")
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

func simConfig(c *clock) Config {
	fc := fetch.DefaultConfig()
	fc.AllowPrivate = true
	fc.Timeout = 10 * time.Second
	return Config{Workers: 4, PerHost: 2, HostInterval: 30 * time.Second, Fetch: fc, Now: c.Now, Seed: 1}
}

const hostInterval = 30 * time.Second

// TestSimulatedDay follows four sites for a simulated day: new items, an
// edited page whose figure is revised, a page revised in place, a feed
// that answers 503 with Retry-After, an item page that fails twice. It
// runs twice, once with a restart at noon: the outcome is the same; and
// with the restart on PostgreSQL.
func TestSimulatedDay(t *testing.T) {
	for _, restart := range []bool{false, true} {
		t.Run(fmt.Sprintf("restart=%v", restart), func(t *testing.T) { simulatedDay(t, restart, "") })
	}
	t.Run("postgres", func(t *testing.T) { simulatedDay(t, true, pgtest.DSN(t)) })
}

func simulatedDay(t *testing.T, restart bool, db string) {
	ctx := context.Background()
	c := &clock{t: simStart}
	dir := t.TempDir()

	a := newSite(t, c) // a feed that grows, and one of its pages is edited
	a.maxAge = 600
	a.robots = "User-agent: *\nDisallow: /private/\n"
	for i := 1; i <= 3; i++ {
		a.items = append(a.items, feedItem{path: fmt.Sprintf("/%d", i), title: fmt.Sprintf("Story %d", i), desc: "first", pub: simStart.Add(time.Duration(i-4) * time.Hour)})
	}
	a.items = append(a.items, feedItem{path: "/private/x", title: "Not for robots", pub: simStart.Add(-5 * time.Hour)})
	a.pages["/1"] = article("Floods in the north", "Officials said at least 300 people were killed in the floods in the northern province on Monday.", "Rescue teams reached the worst-hit villages by boat, and aid agencies appealed for clean water and shelter.")
	a.pages["/2"] = article("Harbour works begin", "Work on the new harbour began on Monday after years of delays, the city council said in a statement, adding that the first phase would take eighteen months.")
	a.pages["/3"] = article("Central bank holds rates", "The central bank kept its main interest rate unchanged on Tuesday, saying inflation had slowed for a third month but remained above its target.")
	a.pages["/private/x"] = article("Private", "This page must never be fetched, because the robots file of the site disallows the directory it is in, whatever the feed lists.")

	b := newSite(t, c) // a single page, revised in place
	b.pages["/live"] = article("Earthquake toll", "The earthquake destroyed hundreds of buildings in the coastal city, and officials said 120 people were injured in the first hours after it struck.", "Schools were closed and thousands spent the night outdoors for fear of aftershocks.")

	cs := newSite(t, c) // a feed that is down for a while, and says when to come back
	cs.fail["/feed.xml"] = 2
	cs.failStatus, cs.retryAfter = http.StatusServiceUnavailable, "3600"
	cs.items = []feedItem{{path: "/c1", title: "Election results", pub: simStart.Add(-2 * time.Hour)}}
	cs.pages["/c1"] = article("Election results", "The electoral commission published the final results on Sunday evening, and turnout was the highest recorded since the constitution was adopted.")

	d := newSite(t, c) // a feed whose item page fails twice
	d.items = []feedItem{{path: "/d1", title: "Trade talks", pub: simStart.Add(-time.Hour)}}
	d.pages["/d1"] = article("Trade talks resume", "Negotiators from the two countries resumed trade talks in Geneva on Wednesday, after a pause of six months over tariffs on steel and farm goods.")
	d.fail["/d1"] = 2

	svc := openServiceOn(t, dir, db, c)
	for _, f := range []struct{ url, kind string }{{a.url("/feed.xml"), ""}, {b.url("/live"), store.KindPage}, {cs.url("/feed.xml"), ""}, {d.url("/feed.xml"), store.KindFeed}} {
		if _, _, err := svc.Follow(ctx, f.url, f.kind, ""); err != nil {
			t.Fatal(err)
		}
	}
	cfg := simConfig(c)
	cfg.Archive = true
	w := New(svc, cfg)

	events := []struct {
		at time.Time
		fn func()
	}{
		{simStart.Add(3 * time.Hour), func() {
			a.set(func(s *site) {
				s.items = append(s.items, feedItem{path: "/4", title: "Story 4", desc: "first", pub: simStart.Add(3 * time.Hour)},
					feedItem{path: "/5", title: "Story 5", desc: "first", pub: simStart.Add(3 * time.Hour)})
				s.pages["/4"] = article("Strike closes ports", "Dock workers walked out at midnight over pay, closing the country's three largest ports and stranding dozens of container ships offshore.")
				s.pages["/5"] = article("Minister resigns", "The transport minister resigned on Thursday after an inquiry found that contracts had been awarded without tender to a company owned by a relative.")
			})
		}},
		{simStart.Add(6 * time.Hour), func() {
			a.set(func(s *site) {
				s.pages["/1"] = article("Floods in the north: toll doubles", "The death toll rose to 600 people killed, officials said, as the waters receded in the northern province.", "Rescue teams reached the worst-hit villages by boat, and aid agencies appealed for clean water and shelter.")
				s.items[0].desc = "updated"
			})
		}},
		{simStart.Add(10 * time.Hour), func() {
			b.set(func(s *site) {
				s.pages["/live"] = article("Earthquake toll", "The earthquake destroyed hundreds of buildings in the coastal city, and officials said 450 people were injured in the first hours after it struck.", "Schools were closed and thousands spent the night outdoors for fear of aftershocks.")
			})
		}},
	}
	end := simStart.Add(24 * time.Hour)
	restarted := false
	steps := 0
	for {
		next, err := w.Step(ctx)
		if err != nil {
			t.Fatal(err)
		}
		steps++
		if steps == 1 {
			// The feed that is down: its state says why and when.
			subs, _ := svc.Following(ctx)
			down := subs[2]
			if down.Errors != 1 || !strings.Contains(down.LastError, "503") || !strings.Contains(down.LastError, "next try") ||
				down.NextCheck.Sub(down.LastCheck) < time.Hour {
				t.Errorf("state of a failing source: %+v", down)
			}
		}
		if next.IsZero() || next.After(end) {
			next = end
		}
		for len(events) > 0 && !events[0].at.After(next) {
			c.Set(events[0].at)
			events[0].fn()
			events = events[1:]
		}
		if restart && !restarted && next.After(simStart.Add(12*time.Hour)) {
			// A restart: a new service and a new watcher on the same store.
			restarted = true
			if err := svc.Close(); err != nil {
				t.Fatal(err)
			}
			svc = openServiceOn(t, dir, db, c)
			w = New(svc, cfg)
		}
		if !next.After(c.Now()) && next.Equal(end) {
			break
		}
		c.Set(next)
		if !c.Now().Before(end) {
			break
		}
	}
	defer svc.Close()
	t.Logf("%d steps; watcher stats %+v", steps, w.Stats())

	// Every item page fetched exactly once per version; the robots-disallowed one never.
	for path, want := range map[string]int{"/1": 2, "/2": 1, "/3": 1, "/4": 1, "/5": 1, "/private/x": 0} {
		if got := a.count(path, 200); got != want {
			t.Errorf("site a %s fetched %d times, want %d", path, got, want)
		}
	}
	if got := a.count("/feed.xml", 200); got != 3 {
		t.Errorf("site a's feed answered 200 %d times, want 3 (the rest conditional, 304)", got)
	}
	if n := a.count("/feed.xml", 304); n < 4 {
		t.Errorf("site a's feed answered 304 only %d times in a day", n)
	}
	if got := cs.count("/c1", 200); got != 1 {
		t.Errorf("site c's item fetched %d times", got)
	}
	// Retry-After honoured: no request to site c within an hour of a 503.
	ch := cs.hitsOf("/feed.xml")
	for i := 1; i < len(ch); i++ {
		if ch[i-1].status == 503 && ch[i].at.Sub(ch[i-1].at) < time.Hour {
			t.Errorf("site c asked again %v after a 503 with Retry-After: 3600", ch[i].at.Sub(ch[i-1].at))
		}
	}
	// An item that failed is retried with growing delays until it is stored.
	dh := d.hitsOf("/d1")
	if len(dh) != 3 || dh[2].status != 200 {
		t.Fatalf("site d's item: %+v", dh)
	}
	if g1, g2 := dh[1].at.Sub(dh[0].at), dh[2].at.Sub(dh[1].at); g1 < 90*time.Second || g2 <= g1 {
		t.Errorf("retry delays %v then %v: not an exponential backoff", g1, g2)
	}
	// Politeness: never two requests to a host within the host interval.
	for name, s := range map[string]*site{"a": a, "b": b, "c": cs, "d": d} {
		hs := s.hitsOf("")
		slices.SortFunc(hs, func(x, y hit) int { return x.at.Compare(y.at) })
		for i := 1; i < len(hs); i++ {
			if gap := hs[i].at.Sub(hs[i-1].at); gap < hostInterval && !(restart && hs[i].path == "/robots.txt") {
				t.Errorf("site %s: %s then %s after %v", name, hs[i-1].path, hs[i].path, gap)
			}
		}
		// The schedule stays within its bounds: no source checked more
		// often than every 5 minutes.
		fh := s.hitsOf("/feed.xml")
		for i := 1; i < len(fh); i++ {
			if gap := fh[i].at.Sub(fh[i-1].at); gap < 5*time.Minute {
				t.Errorf("site %s's feed checked again after %v", name, gap)
			}
		}
	}
	// The page's polls honour max-age=600: no check of a's feed within 10 minutes.
	fh := a.hitsOf("/feed.xml")
	for i := 1; i < len(fh); i++ {
		if gap := fh[i].at.Sub(fh[i-1].at); gap < 10*time.Minute {
			t.Errorf("site a's feed checked %v after the last, within its max-age", gap)
		}
	}

	// The store: 8 articles, two of them in two versions with the figure change.
	st, err := svc.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Articles != 8 {
		t.Errorf("%d articles stored, want 8", st.Articles)
	}
	checkVersion := func(key, quantity, old, cur string) {
		t.Helper()
		id, err := svc.Store().PageArticle(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		vs, err := svc.ArticleVersions(ctx, id)
		if err != nil || len(vs) != 1 {
			t.Fatalf("versions of %s: %+v, %v", key, vs, err)
		}
		var found bool
		for _, ch := range vs[0].Changes {
			if ch.Quantity == quantity && strings.HasSuffix(ch.Old, old) && strings.HasPrefix(ch.New, cur) {
				found = true
			}
		}
		if !found {
			t.Errorf("changes of %s: %+v, want %s %s → %s", key, vs[0].Changes, quantity, old, cur)
		}
		caps, err := svc.ArticleCaptures(ctx, id)
		if err != nil || len(caps) != 2 {
			t.Fatalf("captures of %s: %+v, %v", key, caps, err)
		}
		rec, err := archive.Read(filepath.Join(dir, "warc"), archive.Location{File: caps[1].File, Offset: caps[1].Offset, Length: caps[1].Length}, 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := rec.HTTP(1 << 20)
		if err != nil || !strings.Contains(string(resp.Body), cur) || rec.TargetURI != key || !rec.Date.Equal(caps[1].Captured.Truncate(time.Microsecond)) {
			t.Errorf("the archived capture of %s's new version: %v %q %v", key, err, resp.Body, rec.Date)
		}
	}
	checkVersion(a.url("/1"), "killed people", "300 people", "600")
	checkVersion(b.url("/live"), "injured people", "120 people", "450")

	subs, _ := svc.Following(ctx)
	for _, s := range subs {
		if s.Errors != 0 || s.LastError != "" || s.LastCheck.IsZero() || !s.NextCheck.After(s.LastCheck) || s.Kind == "" {
			t.Errorf("state at the end: %+v", s)
		}
	}
	if subs[0].ItemsSeen != 6 || subs[0].Kind != store.KindFeed || subs[1].Kind != store.KindPage || !subs[1].LastNew.Equal(simStart.Add(10*time.Hour).Truncate(0)) && subs[1].LastNew.Before(simStart.Add(10*time.Hour)) {
		t.Errorf("sources: %+v\n%+v", subs[0], subs[1])
	}
	items, _ := svc.SourceItems(ctx, subs[0].ID, 10)
	for _, it := range items {
		if strings.HasSuffix(it.URL, "/private/x") {
			if it.State != store.ItemPending || !strings.Contains(it.LastError, "robots.txt") {
				t.Errorf("the disallowed item: %+v", it)
			}
		} else if it.State != store.ItemDone {
			t.Errorf("item not done: %+v", it)
		}
	}
}

// TestStoredItemIsNotFetchedAgain: an item whose page was stored before
// its state was saved (a crash between the two) is marked done without a
// fetch.
func TestStoredItemIsNotFetchedAgain(t *testing.T) {
	ctx := context.Background()
	c := &clock{t: simStart}
	s := newSite(t, c)
	s.items = []feedItem{{path: "/1", title: "One", pub: simStart}}
	s.pages["/1"] = article("Harbour works begin", "Work on the new harbour began on Monday after years of delays, the city council said in a statement, adding that the first phase would take eighteen months.")
	svc := openService(t, t.TempDir(), c)
	defer svc.Close()
	if _, err := svc.IngestWatched(ctx, newsPage(s.url("/1"), s.pages["/1"], simStart)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.Follow(ctx, s.url("/feed.xml"), "", ""); err != nil {
		t.Fatal(err)
	}
	w := New(svc, simConfig(c))
	for i := 0; i < 5; i++ {
		next, err := w.Step(ctx)
		if err != nil {
			t.Fatal(err)
		}
		c.Set(next)
	}
	if n := s.count("/1", 0); n != 0 {
		t.Errorf("a stored page was fetched %d times", n)
	}
	if st := w.Stats(); st.Known != 1 {
		t.Errorf("stats %+v", st)
	}
}

// TestRobotsUnreachable: while a host cannot serve its robots.txt, none of
// its pages is fetched, the item says why, and it is tried again soon
// (not in a day) once robots.txt answers.
func TestRobotsUnreachable(t *testing.T) {
	ctx := context.Background()
	c := &clock{t: simStart}
	s := newSite(t, c)
	s.robots = "User-agent: *\nAllow: /\n"
	s.fail["/robots.txt"] = 1
	s.items = []feedItem{{path: "/1", title: "One", pub: simStart}}
	s.pages["/1"] = article("Harbour works begin", "Work on the new harbour began on Monday after years of delays, the city council said in a statement, adding that the first phase would take eighteen months.")
	svc := openService(t, t.TempDir(), c)
	defer svc.Close()
	sub, _, err := svc.Follow(ctx, s.url("/feed.xml"), "", "")
	if err != nil {
		t.Fatal(err)
	}
	w := New(svc, simConfig(c))
	sawWhy := false
	for c.Now().Before(simStart.Add(time.Hour)) && s.count("/1", 200) == 0 {
		next, err := w.Step(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if items, _ := svc.SourceItems(ctx, sub.ID, 5); len(items) == 1 && strings.Contains(items[0].LastError, "robots.txt could not be read") {
			sawWhy = true
			if s.count("/1", 0) != 0 {
				t.Fatal("a page was fetched while robots.txt could not be read")
			}
		}
		c.Set(next)
	}
	if !sawWhy {
		t.Error("the waiting item does not say why")
	}
	if got := s.hitsOf("/1"); len(got) != 1 || got[0].at.Sub(simStart) > 15*time.Minute {
		t.Errorf("the page after robots.txt came back: %+v", got)
	}
}
