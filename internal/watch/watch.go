// Package watch follows the sources a user subscribes to: feeds (RSS,
// Atom, JSON Feed), news sitemaps and sitemap indexes, and single pages. A
// scheduler checks each source when it is due, from how often it publishes
// (bounded, honouring Cache-Control, Expires, Retry-After and RSS ttl),
// always with conditional requests; errors back off exponentially with
// jitter and are kept in the source's state. A global pool of workers
// fetches; each host has at most PerHost requests in flight and a minimum
// interval between them, shared by feeds, pages and robots.txt; article
// pages are fetched only where robots.txt allows.
//
// Everything the watcher decides is in the store, through the pipeline:
// the schedule, the items each source listed and whether their pages were
// stored. A restart resumes: an item whose page is stored is not fetched
// again, one whose fetch failed is retried with backoff. Every response
// body is archived (package archive) and its place recorded.
//
// The clock is injectable: Step runs all the work due at the clock's time
// and returns when the next is due, so a simulated day runs in seconds.
package watch

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"dossier/internal/feed"
	"dossier/internal/fetch"
	"dossier/internal/news"
	"dossier/internal/pipeline"
	"dossier/internal/store"
)

// Service is what the watcher needs of the pipeline (a *pipeline.Service).
type Service interface {
	Follow(ctx context.Context, url, kind, title string) (store.Subscription, bool, error)
	DueSources(ctx context.Context, now time.Time, limit int) ([]store.Subscription, error)
	SaveCheck(ctx context.Context, sub store.Subscription, items []store.WatchItem) (int, error)
	DueItems(ctx context.Context, now time.Time, limit int) ([]store.WatchItem, error)
	SetItem(ctx context.Context, it store.WatchItem) error
	KnownPages(ctx context.Context, refs []string) (map[string]bool, error)
	IngestWatched(ctx context.Context, p news.Page) (pipeline.Watched, error)
	Capture(ctx context.Context, resp *fetch.Response, key string) error
}

var _ Service = (*pipeline.Service)(nil)

// Config tunes a Watcher. Zero values take the defaults.
type Config struct {
	// Workers is the size of the global pool of fetches (default 8).
	Workers int
	// PerHost is the most requests in flight to one host (default 2), and
	// HostInterval the least time between two requests to it (default 2 s).
	PerHost      int
	HostInterval time.Duration
	// MinInterval and MaxInterval bound the time between two checks of a
	// source (default 5 minutes and 24 hours).
	MinInterval, MaxInterval time.Duration
	// RetryBase is the first delay before retrying an item whose page
	// could not be fetched or stored (default 2 minutes); MaxBackoff caps
	// every backoff (default 24 hours). A failing source's first retry
	// waits MinInterval.
	RetryBase, MaxBackoff time.Duration
	Fetch                 fetch.Config
	// Agent is the name looked up in robots.txt (default "dossier").
	Agent string
	// IgnoreRobots skips robots.txt (tests of the fetch path only).
	IgnoreRobots bool
	// RobotsTTL is how long a host's robots.txt is kept (default 24 h).
	RobotsTTL time.Duration
	// MaxIndexChildren is how many sitemaps of a sitemap index are
	// followed: the most recently modified (default 10).
	MaxIndexChildren int
	// Batch is the most sources and items read from the schedule at once
	// (default 256).
	Batch int
	// Now is the clock (time.Now when nil); Seed seeds the jitter.
	Now  func() time.Time
	Seed uint64
	// Archive keeps every response body in the service's archive.
	Archive bool
	Logger  *slog.Logger
}

// Stats counts what a Watcher did.
type Stats struct {
	Checks, NotModified, SourceErrors int64
	Pages, Versions, ItemErrors       int64
	Requests, RobotsFetches           int64
	Known                             int64 // items whose page was stored already
}

// Watcher runs the schedule.
type Watcher struct {
	cfg Config
	svc Service
	fc  *fetch.Client
	log *slog.Logger

	mu        sync.Mutex
	hosts     map[string]*host
	busySubs  map[int64]bool
	busyItems map[int64]bool
	rnd       *rand.Rand
	slots     chan struct{}
	wg        sync.WaitGroup
	wake      chan struct{}

	checks, notModified, sourceErrors   atomic.Int64
	pages, versions, itemErrors         atomic.Int64
	requests, robotsFetches, knownPages atomic.Int64
}

// host is the politeness state of one host.
type host struct {
	inflight int
	// next is the earliest time the next request may start.
	next time.Time
	// robots is the host's parsed robots.txt, valid until robotsUntil.
	robots      *robots
	robotsUntil time.Time
	robotsBusy  bool
	// robotsErr says why robots.txt could not be read ("" when it was).
	robotsErr string
	used      time.Time
}

// New returns a Watcher of svc.
func New(svc Service, cfg Config) *Watcher {
	if cfg.Workers <= 0 {
		cfg.Workers = 8
	}
	if cfg.PerHost <= 0 {
		cfg.PerHost = 2
	}
	if cfg.HostInterval <= 0 {
		cfg.HostInterval = 2 * time.Second
	}
	if cfg.MinInterval <= 0 {
		cfg.MinInterval = 5 * time.Minute
	}
	if cfg.MaxInterval <= 0 {
		cfg.MaxInterval = 24 * time.Hour
	}
	if cfg.RetryBase <= 0 {
		cfg.RetryBase = 2 * time.Minute
	}
	if cfg.MaxBackoff <= 0 {
		cfg.MaxBackoff = 24 * time.Hour
	}
	if cfg.Agent == "" {
		cfg.Agent = "dossier"
	}
	if cfg.RobotsTTL <= 0 {
		cfg.RobotsTTL = 24 * time.Hour
	}
	if cfg.MaxIndexChildren <= 0 {
		cfg.MaxIndexChildren = 10
	}
	if cfg.Batch <= 0 {
		cfg.Batch = 256
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Seed == 0 {
		cfg.Seed = uint64(time.Now().UnixNano())
	}
	if cfg.Fetch.Timeout == 0 {
		fc := fetch.DefaultConfig()
		fc.AllowPrivate = cfg.Fetch.AllowPrivate
		cfg.Fetch = fc
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Watcher{
		cfg: cfg, svc: svc, fc: fetch.New(cfg.Fetch), log: log,
		hosts: map[string]*host{}, busySubs: map[int64]bool{}, busyItems: map[int64]bool{},
		rnd:   rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15)),
		slots: make(chan struct{}, cfg.Workers), wake: make(chan struct{}, 1),
	}
}

// Stats returns what the watcher did so far.
func (w *Watcher) Stats() Stats {
	return Stats{
		Checks: w.checks.Load(), NotModified: w.notModified.Load(), SourceErrors: w.sourceErrors.Load(),
		Pages: w.pages.Load(), Versions: w.versions.Load(), ItemErrors: w.itemErrors.Load(),
		Requests: w.requests.Load(), RobotsFetches: w.robotsFetches.Load(), Known: w.knownPages.Load(),
	}
}

// Run checks sources and fetches items as they fall due until ctx is
// cancelled, then waits for the fetches in flight (which the cancellation
// stops) and returns. Work cut short is left as it was in the store, to be
// done again after a restart.
func (w *Watcher) Run(ctx context.Context) error {
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		now := w.cfg.Now()
		_, wakeAt, err := w.dispatch(ctx, now)
		if err != nil && ctx.Err() == nil {
			w.log.Error("watch: schedule", "err", err)
			wakeAt = now.Add(time.Minute)
		}
		// A source followed meanwhile (through the API, the UI, another
		// command) is due at once: the schedule is read again at least
		// every pollSchedule.
		d := pollSchedule
		if !wakeAt.IsZero() {
			d = min(d, max(wakeAt.Sub(w.cfg.Now()), 10*time.Millisecond))
		}
		timer.Reset(d)
		select {
		case <-ctx.Done():
			w.wg.Wait()
			return nil
		case <-w.wake:
		case <-timer.C:
		}
	}
}

// pollSchedule is the longest the watcher sleeps without reading the
// schedule again.
const pollSchedule = 30 * time.Second

// Step does all the work due at the clock's time, waiting for it, and
// returns when the next work is due (zero when nothing is scheduled). A
// simulation advances its clock to that time and steps again.
func (w *Watcher) Step(ctx context.Context) (time.Time, error) {
	now := w.cfg.Now()
	for {
		n, wakeAt, err := w.dispatch(ctx, now)
		w.wg.Wait()
		if err != nil || n == 0 || ctx.Err() != nil {
			return wakeAt, err
		}
	}
}

func hostOf(u string) string {
	pu, err := url.Parse(u)
	if err != nil {
		return ""
	}
	return strings.ToLower(pu.Host)
}

// reserve takes a worker and a request slot of h at now, or says when h
// may be asked again (zero when the pool is full: a finishing task wakes
// the scheduler). w.mu is held.
func (w *Watcher) reserve(h string, now time.Time) (ok bool, retry time.Time) {
	hs := w.hosts[h]
	if hs == nil {
		hs = &host{}
		w.hosts[h] = hs
	}
	if hs.inflight >= w.cfg.PerHost {
		return false, time.Time{} // a finishing request wakes the scheduler
	}
	if now.Before(hs.next) {
		return false, hs.next
	}
	select {
	case w.slots <- struct{}{}:
	default:
		return false, time.Time{}
	}
	hs.inflight++
	hs.next = now.Add(w.cfg.HostInterval)
	hs.used = now
	w.requests.Add(1)
	return true, time.Time{}
}

// release gives back what reserve took, and wakes the scheduler.
// start runs work on its own goroutine, holding id in busy and a slot of
// host h (reserved by the caller) until it ends.
func (w *Watcher) start(busy map[int64]bool, id int64, h string, work func()) {
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		defer func() {
			w.mu.Lock()
			delete(busy, id)
			w.mu.Unlock()
			w.release(h)
		}()
		work()
	}()
}

func (w *Watcher) release(h string) {
	w.mu.Lock()
	if hs := w.hosts[h]; hs != nil {
		hs.inflight--
	}
	w.mu.Unlock()
	<-w.slots
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

func earliest(a, b time.Time) time.Time {
	if a.IsZero() || (!b.IsZero() && b.Before(a)) {
		return b
	}
	return a
}

// dispatch starts the work due at now that politeness allows, and returns
// how much it started and when to look again.
func (w *Watcher) dispatch(ctx context.Context, now time.Time) (started int, wakeAt time.Time, err error) {
	if ctx.Err() != nil {
		return 0, time.Time{}, ctx.Err()
	}
	w.mu.Lock()
	busySubs, busyItems := len(w.busySubs), len(w.busyItems)
	w.forgetIdleHosts(now)
	w.mu.Unlock()

	subs, err := w.svc.DueSources(ctx, now, w.cfg.Batch+busySubs)
	if err != nil {
		return 0, time.Time{}, err
	}
	for _, sub := range subs {
		h := hostOf(sub.URL)
		w.mu.Lock()
		if w.busySubs[sub.ID] {
			w.mu.Unlock()
			continue
		}
		ok, retry := w.reserve(h, now)
		if ok {
			w.busySubs[sub.ID] = true
		}
		w.mu.Unlock()
		if !ok {
			wakeAt = earliest(wakeAt, retry)
			continue
		}
		started++
		w.start(w.busySubs, sub.ID, h, func() { w.checkSource(ctx, sub) })
	}

	items, err := w.svc.DueItems(ctx, now, w.cfg.Batch+busyItems)
	if err != nil {
		return started, wakeAt, err
	}
	for _, it := range items {
		h := hostOf(it.URL)
		w.mu.Lock()
		if w.busyItems[it.ID] {
			w.mu.Unlock()
			continue
		}
		if !w.cfg.IgnoreRobots {
			hs := w.hosts[h]
			if hs == nil || hs.robots == nil || !now.Before(hs.robotsUntil) {
				// The host's robots.txt first (once for all its items).
				if hs == nil || !hs.robotsBusy {
					ok, retry := w.reserve(h, now)
					if ok {
						w.hosts[h].robotsBusy = true
						started++
						w.wg.Add(1)
						go func(u string) {
							defer w.wg.Done()
							defer w.release(h)
							w.fetchRobots(ctx, u, h)
						}(it.URL)
					} else {
						wakeAt = earliest(wakeAt, retry)
					}
				}
				w.mu.Unlock()
				continue
			}
			if !hs.robots.allowed(requestURI(it.URL)) {
				why := "robots.txt disallows this page"
				if hs.robotsErr != "" {
					why = "the host's robots.txt could not be read (" + hs.robotsErr + "): nothing is fetched from it until it can"
				}
				next := hs.robotsUntil
				w.mu.Unlock()
				it.Attempts++
				it.NextTry = next
				it.LastError = why + "; next try " + next.UTC().Format(time.RFC3339)
				if err := w.svc.SetItem(ctx, it); err != nil {
					return started, wakeAt, err
				}
				continue
			}
		}
		ok, retry := w.reserve(h, now)
		if ok {
			w.busyItems[it.ID] = true
		}
		w.mu.Unlock()
		if !ok {
			wakeAt = earliest(wakeAt, retry)
			continue
		}
		started++
		w.start(w.busyItems, it.ID, h, func() { w.fetchItem(ctx, it) })
	}

	// When the next work not yet due falls due.
	far := now.Add(100 * 365 * 24 * time.Hour)
	if next, err := w.svc.DueSources(ctx, far, busySubs+started+1); err == nil {
		for _, s := range next {
			if s.NextCheck.After(now) {
				wakeAt = earliest(wakeAt, s.NextCheck)
				break
			}
		}
	} else {
		return started, wakeAt, err
	}
	if next, err := w.svc.DueItems(ctx, far, busyItems+started+len(items)+1); err == nil {
		for _, it := range next {
			if it.NextTry.After(now) {
				wakeAt = earliest(wakeAt, it.NextTry)
				break
			}
		}
	} else {
		return started, wakeAt, err
	}
	return started, wakeAt, nil
}

// forgetIdleHosts drops the state of hosts unused for a robots TTL, so
// that memory does not grow with every host ever seen. w.mu is held.
func (w *Watcher) forgetIdleHosts(now time.Time) {
	if len(w.hosts) < 64 {
		return
	}
	for h, hs := range w.hosts {
		if hs.inflight == 0 && !hs.robotsBusy && now.Sub(hs.used) > w.cfg.RobotsTTL {
			delete(w.hosts, h)
		}
	}
}

func requestURI(u string) string {
	pu, err := url.Parse(u)
	if err != nil {
		return "/"
	}
	return pu.RequestURI()
}

func (w *Watcher) jitter() float64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.rnd.Float64()
}

// get fetches with the watcher's clock as the capture time, and archives
// the response under the page key given ("" for feeds and robots.txt).
func (w *Watcher) get(ctx context.Context, req fetch.Request) (*fetch.Response, error) {
	resp, err := w.fc.Get(ctx, req)
	if err != nil {
		return nil, err
	}
	resp.Fetched = w.cfg.Now().UTC()
	return resp, nil
}

func (w *Watcher) capture(ctx context.Context, resp *fetch.Response, key string) error {
	if !w.cfg.Archive || resp.NotModified {
		return nil
	}
	return w.svc.Capture(ctx, resp, key)
}

func (w *Watcher) fetchRobots(ctx context.Context, pageURL, h string) {
	w.robotsFetches.Add(1)
	pu, _ := url.Parse(pageURL)
	ru := pu.Scheme + "://" + pu.Host + "/robots.txt"
	resp, err := w.get(ctx, fetch.Request{URL: ru, Accept: "text/plain"})
	now := w.cfg.Now()
	var rb *robots
	var why string
	until := now.Add(w.cfg.RobotsTTL)
	var se *fetch.StatusError
	switch {
	case ctx.Err() != nil:
	case err == nil:
		_ = w.capture(ctx, resp, "")
		rb = parseRobots(resp.Body, w.cfg.Agent)
	case errors.As(err, &se) && se.Code >= 400 && se.Code < 500:
		rb = &robots{} // no robots.txt: everything is allowed (RFC 9309)
	default:
		// Unreachable or a server error: nothing is fetched from the host
		// until it answers (RFC 9309), asked again after a while.
		rb = &robots{rules: []rule{{allow: false, path: "/"}}}
		until = now.Add(w.cfg.MinInterval)
		why = err.Error()
		w.log.Warn("watch: robots.txt", "host", h, "err", err)
	}
	w.mu.Lock()
	if hs := w.hosts[h]; hs != nil {
		hs.robotsBusy = false
		if rb != nil {
			hs.robots, hs.robotsUntil, hs.robotsErr = rb, until, why
		}
	}
	w.mu.Unlock()
}

// checkSource fetches a source, records its items and schedules its next
// check.
func (w *Watcher) checkSource(ctx context.Context, sub store.Subscription) {
	w.checks.Add(1)
	resp, err := w.get(ctx, fetch.Request{URL: sub.URL, ETag: sub.ETag, LastModified: sub.LastModified})
	if ctx.Err() != nil {
		return // cut short: the check is due again after a restart
	}
	now := w.cfg.Now()
	sub.LastCheck = now
	if err != nil {
		w.sourceFailed(ctx, sub, err, now)
		return
	}
	if resp.NotModified {
		w.notModified.Add(1)
		sub.Errors, sub.LastError = 0, ""
		sub.Interval = publishInterval(nil, now, sub.Interval, false, w.cfg.MinInterval, w.cfg.MaxInterval)
		sub.NextCheck = w.nextCheck(now, sub.Interval, resp.Header, 0)
		w.saveCheck(ctx, sub, nil)
		return
	}
	kind := sub.Kind
	if kind == "" {
		switch {
		case feed.Is(resp.Body):
			kind = store.KindFeed
		case feed.IsSitemap(resp.Body):
			kind = store.KindSitemap
		default:
			kind = store.KindPage
		}
	}
	var items []store.WatchItem
	var ttl time.Duration
	foundNew := false
	var dates []time.Time
	switch kind {
	case store.KindFeed:
		_ = w.capture(ctx, resp, "")
		f, err := feed.Parse(resp.Body, resp.URL)
		if err != nil {
			w.sourceFailed(ctx, sub, err, now)
			return
		}
		if sub.Title == "" {
			sub.Title = f.Title
		}
		ttl = feed.TTL(resp.Body)
		for _, it := range f.Items {
			if it.Link == "" {
				continue
			}
			items = append(items, store.WatchItem{URL: it.Link, GUID: it.GUID, Title: it.Title, Published: it.Published,
				Fingerprint: fingerprint(it.Title, it.Published.String(), it.Content), Seen: now, NextTry: now})
			dates = append(dates, it.Published)
		}
	case store.KindSitemap:
		_ = w.capture(ctx, resp, "")
		sm, err := feed.ParseSitemap(resp.Body, resp.URL)
		if err != nil {
			w.sourceFailed(ctx, sub, err, now)
			return
		}
		if sm.Index {
			if err := w.followChildren(ctx, sub, sm.Entries); err != nil {
				w.sourceFailed(ctx, sub, err, now)
				return
			}
		}
		for _, e := range sm.Entries {
			if sm.Index {
				dates = append(dates, e.LastMod)
				continue
			}
			pub := e.Published
			if pub.IsZero() {
				pub = e.LastMod
			}
			items = append(items, store.WatchItem{URL: e.Loc, Title: e.Title, Published: e.Published,
				Fingerprint: fingerprint(e.Title, e.LastMod.String(), e.Published.String()), Seen: now, NextTry: now})
			dates = append(dates, pub)
		}
	case store.KindPage:
		sum := sha256.Sum256(resp.Body)
		hash := hex.EncodeToString(sum[:])
		if hash != sub.BodyHash {
			if err := w.capture(ctx, resp, sub.URL); err != nil {
				w.sourceFailed(ctx, sub, err, now)
				return
			}
			res, err := w.svc.IngestWatched(ctx, news.Page{Key: sub.URL, Origin: sub.URL, URL: resp.URL, Captured: resp.Fetched,
				Format: formatOf(resp.ContentType), Body: resp.Body})
			if ctx.Err() != nil {
				return
			}
			if err != nil {
				w.sourceFailed(ctx, sub, err, now)
				return
			}
			w.counted(res)
			foundNew = sub.BodyHash != "" || res.Articles > 0
			sub.BodyHash = hash
			if foundNew {
				sub.LastNew = now
			}
		}
	}
	sub.Kind = kind
	sub.ETag, sub.LastModified = resp.ETag, resp.LastModified
	sub.Errors, sub.LastError = 0, ""
	sub.Interval = publishInterval(dates, now, sub.Interval, foundNew, w.cfg.MinInterval, w.cfg.MaxInterval)
	sub.NextCheck = w.nextCheck(now, sub.Interval, resp.Header, ttl)
	w.saveCheck(ctx, sub, items)
}

func (w *Watcher) counted(res pipeline.Watched) {
	if res.Version != nil {
		w.versions.Add(1)
	}
	if !res.Unchanged {
		w.pages.Add(1)
	}
}

// followChildren follows the most recently modified sitemaps of an index.
func (w *Watcher) followChildren(ctx context.Context, sub store.Subscription, entries []feed.SitemapEntry) error {
	es := slices.Clone(entries)
	slices.SortStableFunc(es, func(a, b feed.SitemapEntry) int { return b.LastMod.Compare(a.LastMod) })
	for _, e := range es[:min(len(es), w.cfg.MaxIndexChildren)] {
		if _, _, err := w.svc.Follow(ctx, e.Loc, store.KindSitemap, "from "+sub.URL); err != nil && !errors.Is(err, pipeline.ErrBadSource) {
			return err
		}
	}
	return nil
}

// nextCheck is when a source checked at now is checked again: after its
// publishing interval, not before its response goes stale (max-age,
// Expires, ttl, Retry-After), within MaxInterval.
func (w *Watcher) nextCheck(now time.Time, interval time.Duration, h http.Header, ttl time.Duration) time.Time {
	d := max(interval, freshness(h, now), ttl, retryAfter(h, now))
	return now.Add(clamp(d, w.cfg.MinInterval, w.cfg.MaxInterval))
}

func (w *Watcher) sourceFailed(ctx context.Context, sub store.Subscription, err error, now time.Time) {
	w.sourceErrors.Add(1)
	sub.Errors++
	d := backoff(sub.Errors, w.cfg.MinInterval, w.cfg.MaxBackoff, w.jitter())
	var se *fetch.StatusError
	if errors.As(err, &se) {
		d = max(d, min(retryAfter(se.Header, now), w.cfg.MaxBackoff))
	}
	sub.NextCheck = now.Add(d)
	sub.LastError = fmt.Sprintf("%v (failed %d time(s) in a row; next try %s)", err, sub.Errors, sub.NextCheck.UTC().Format(time.RFC3339))
	w.saveCheck(ctx, sub, nil)
}

func (w *Watcher) saveCheck(ctx context.Context, sub store.Subscription, items []store.WatchItem) {
	if _, err := w.svc.SaveCheck(ctx, sub, items); err != nil && !errors.Is(err, store.ErrNotFound) && ctx.Err() == nil {
		w.log.Error("watch: save check", "source", sub.URL, "err", err)
	}
}

// fetchItem fetches and stores an item's page; a failure is retried with
// backoff.
func (w *Watcher) fetchItem(ctx context.Context, it store.WatchItem) {
	if !it.Recheck {
		refs := []string{it.URL}
		if it.GUID != "" {
			refs = append(refs, it.GUID)
		}
		known, err := w.svc.KnownPages(ctx, refs)
		if err == nil && (known[it.URL] || (it.GUID != "" && known[it.GUID])) {
			// Stored already (before a restart, or from another source).
			w.knownPages.Add(1)
			it.State, it.LastError, it.Fetched = store.ItemDone, "", w.cfg.Now()
			w.setItem(ctx, it)
			return
		}
		if err != nil {
			w.itemFailed(ctx, it, err, w.cfg.Now())
			return
		}
	}
	resp, err := w.get(ctx, fetch.Request{URL: it.URL})
	if ctx.Err() != nil {
		return
	}
	now := w.cfg.Now()
	if err != nil {
		w.itemFailed(ctx, it, err, now)
		return
	}
	if err := w.capture(ctx, resp, it.URL); err != nil {
		w.itemFailed(ctx, it, err, now)
		return
	}
	res, err := w.svc.IngestWatched(ctx, news.Page{Key: it.URL, Origin: it.URL, URL: resp.URL, Captured: resp.Fetched,
		Format: formatOf(resp.ContentType), Body: resp.Body, Hint: news.Hint{Title: it.Title, Published: it.Published}})
	if ctx.Err() != nil {
		return
	}
	if err != nil {
		w.itemFailed(ctx, it, err, now)
		return
	}
	w.counted(res)
	it.State, it.LastError, it.Fetched, it.Recheck = store.ItemDone, "", now, false
	w.setItem(ctx, it)
}

func (w *Watcher) itemFailed(ctx context.Context, it store.WatchItem, err error, now time.Time) {
	if ctx.Err() != nil {
		return
	}
	w.itemErrors.Add(1)
	it.Attempts++
	d := backoff(it.Attempts, w.cfg.RetryBase, w.cfg.MaxBackoff, w.jitter())
	var se *fetch.StatusError
	if errors.As(err, &se) {
		d = max(d, min(retryAfter(se.Header, now), w.cfg.MaxBackoff))
	}
	it.NextTry = now.Add(d)
	it.LastError = fmt.Sprintf("%v (attempt %d; next try %s)", err, it.Attempts, it.NextTry.UTC().Format(time.RFC3339))
	w.setItem(ctx, it)
}

func (w *Watcher) setItem(ctx context.Context, it store.WatchItem) {
	if err := w.svc.SetItem(ctx, it); err != nil && ctx.Err() == nil {
		w.log.Error("watch: set item", "url", it.URL, "err", err)
	}
}

func fingerprint(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}

func formatOf(contentType string) news.Format {
	mt, _, _ := mime.ParseMediaType(contentType)
	switch mt {
	case "text/html", "application/xhtml+xml":
		return news.FormatHTML
	case "text/plain":
		return news.FormatText
	}
	return ""
}
