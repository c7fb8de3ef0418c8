package pipeline

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"dossier/internal/archive"
	"dossier/internal/extract"
	"dossier/internal/feed"
	"dossier/internal/ingest"
	"dossier/internal/news"
	"dossier/internal/store"
)

// ErrBadSource is returned for a source that cannot be followed.
var ErrBadSource = errors.New("pipeline: not a source that can be followed")

// CheckSourceURL returns u cleaned, or ErrBadSource: only absolute http(s)
// URLs with a host are followed.
func CheckSourceURL(u string) (string, error) {
	u = strings.TrimSpace(u)
	pu, err := url.Parse(u)
	if err != nil || (pu.Scheme != "http" && pu.Scheme != "https") || pu.Host == "" {
		return "", fmt.Errorf("%w: %.200q is not an http(s) URL", ErrBadSource, u)
	}
	pu.Fragment = ""
	return pu.String(), nil
}

func checkKind(kind string) error {
	switch kind {
	case "", store.KindFeed, store.KindSitemap, store.KindPage:
		return nil
	}
	return fmt.Errorf("%w: kind %.40q is not feed, sitemap or page", ErrBadSource, kind)
}

// Follow adds a source to follow (kind "" is found out at the first
// check); existed says it was followed already.
func (s *Service) Follow(ctx context.Context, rawURL, kind, title string) (store.Subscription, bool, error) {
	if s.readOnly {
		return store.Subscription{}, false, ErrReadOnly
	}
	u, err := CheckSourceURL(rawURL)
	if err != nil {
		return store.Subscription{}, false, err
	}
	if err := checkKind(kind); err != nil {
		return store.Subscription{}, false, err
	}
	now := s.cfg.now()
	return s.st.Follow(ctx, store.Subscription{URL: u, Kind: kind, Title: title, Added: now, NextCheck: now})
}

// Unfollow stops following a source, named by its id or its URL.
func (s *Service) Unfollow(ctx context.Context, ref string) (store.Subscription, error) {
	if s.readOnly {
		return store.Subscription{}, ErrReadOnly
	}
	sub, err := s.FollowedSource(ctx, ref)
	if err != nil {
		return sub, err
	}
	return sub, s.st.Unfollow(ctx, sub.ID)
}

// FollowedSource returns a subscription named by its id or its URL
// (store.ErrNotFound if none).
func (s *Service) FollowedSource(ctx context.Context, ref string) (store.Subscription, error) {
	if id, err := strconv.ParseInt(strings.TrimSpace(ref), 10, 64); err == nil {
		return s.st.Subscription(ctx, id)
	}
	u, err := CheckSourceURL(ref)
	if err != nil {
		return store.Subscription{}, fmt.Errorf("%w (give the id or the URL `dossier following` shows)", err)
	}
	subs, err := s.st.Subscriptions(ctx)
	if err != nil {
		return store.Subscription{}, err
	}
	for _, sub := range subs {
		if sub.URL == u {
			return sub, nil
		}
	}
	return store.Subscription{}, fmt.Errorf("pipeline: %s is not followed: %w", u, store.ErrNotFound)
}

// Following lists the followed sources with their state.
func (s *Service) Following(ctx context.Context) ([]store.Subscription, error) {
	return s.st.Subscriptions(ctx)
}

// SourceItems lists the latest items of a followed source.
func (s *Service) SourceItems(ctx context.Context, id int64, limit int) ([]store.WatchItem, error) {
	return s.st.SubscriptionItems(ctx, id, limit)
}

// ImportOPML follows every source of an OPML subscription list; it
// returns how many were added and how many were followed already.
func (s *Service) ImportOPML(ctx context.Context, body []byte) (added, existed int, err error) {
	outs, err := feed.ParseOPML(body)
	if err != nil {
		return 0, 0, fmt.Errorf("pipeline: import OPML: %w", err)
	}
	for _, o := range outs {
		kind := o.Kind
		if checkKind(kind) != nil {
			kind = ""
		}
		_, ex, err := s.Follow(ctx, o.URL, kind, o.Title)
		if errors.Is(err, ErrBadSource) {
			continue // an outline of another kind (mailto:, a local file)
		}
		if err != nil {
			return added, existed, err
		}
		if ex {
			existed++
		} else {
			added++
		}
	}
	return added, existed, nil
}

// ExportOPML writes the followed sources as an OPML subscription list.
func (s *Service) ExportOPML(ctx context.Context, w io.Writer) error {
	subs, err := s.st.Subscriptions(ctx)
	if err != nil {
		return err
	}
	outs := make([]feed.Outline, len(subs))
	for i, sub := range subs {
		outs[i] = feed.Outline{Title: sub.Title, URL: sub.URL, Kind: sub.Kind}
		if outs[i].Title == "" {
			outs[i].Title = sub.URL
		}
	}
	return feed.WriteOPML(w, "dossier: followed sources", s.cfg.now(), outs)
}

// The watcher's schedule and queue, kept in the store.

// DueSources lists up to limit followed sources due for a check at now.
func (s *Service) DueSources(ctx context.Context, now time.Time, limit int) ([]store.Subscription, error) {
	return s.st.DueSubscriptions(ctx, now, limit)
}

// SaveCheck records a check of a source and the items it listed.
func (s *Service) SaveCheck(ctx context.Context, sub store.Subscription, items []store.WatchItem) (int, error) {
	if s.readOnly {
		return 0, ErrReadOnly
	}
	return s.st.SaveCheck(ctx, sub, items)
}

// DueItems lists up to limit items whose page is due for a fetch at now.
func (s *Service) DueItems(ctx context.Context, now time.Time, limit int) ([]store.WatchItem, error) {
	return s.st.DueItems(ctx, now, limit)
}

// PendingItems counts the items waiting for a fetch and gives the earliest
// next try among them.
func (s *Service) PendingItems(ctx context.Context) (int, time.Time, error) {
	return s.st.PendingItems(ctx)
}

// SetItem records the outcome of an item's fetch.
func (s *Service) SetItem(ctx context.Context, it store.WatchItem) error {
	if s.readOnly {
		return ErrReadOnly
	}
	return s.st.SetItem(ctx, it)
}

// KnownPages returns which of refs are the key or URL of a stored page.
func (s *Service) KnownPages(ctx context.Context, refs []string) (map[string]bool, error) {
	return s.st.KnownPages(ctx, refs)
}

// SaveCapture records where a fetched response is archived.
func (s *Service) SaveCapture(ctx context.Context, c store.Capture) error {
	if s.readOnly {
		return ErrReadOnly
	}
	return s.st.SaveCapture(ctx, c)
}

// ArticleCaptures lists the archived captures of an article's pages.
func (s *Service) ArticleCaptures(ctx context.Context, id int64) ([]store.Capture, error) {
	return s.st.ArticleCaptures(ctx, id)
}

// ArticleVersions lists an article's later versions and the figures that
// changed with each.
func (s *Service) ArticleVersions(ctx context.Context, id int64) ([]store.ArticleVersion, error) {
	return s.st.ArticleVersions(ctx, id)
}

// Watched says what storing a watched page did.
type Watched struct {
	// Unchanged: this version of the page was stored already.
	Unchanged bool
	// Articles is the number of new articles stored, Duplicates of
	// articles folded into stored ones.
	Articles, Duplicates int
	// Version is set when the page was a new version of a stored article.
	Version *store.ArticleVersion
}

// IngestWatched stores a page the watcher fetched. A page whose key is a
// stored article's page and whose body changed is a new version of that
// article, with the figures that changed between the two; any other page
// is ingested as usual.
func (s *Service) IngestWatched(ctx context.Context, p news.Page) (Watched, error) {
	if s.readOnly {
		return Watched{}, ErrReadOnly
	}
	sum := sha256.Sum256(p.Body)
	hash := hex.EncodeToString(sum[:])
	if seen, err := s.st.HasPage(ctx, p.Key, hash); err != nil || seen {
		return Watched{Unchanged: seen}, err
	}
	id, err := s.st.PageArticle(ctx, p.Key)
	if errors.Is(err, store.ErrNotFound) {
		return s.ingestNew(ctx, p)
	}
	if err != nil {
		return Watched{}, err
	}
	old, err := s.st.Article(ctx, id)
	if err != nil {
		return Watched{}, err
	}
	if len(old.Sources) == 0 || old.Sources[0].PageKey != p.Key {
		// The page is a copy folded into another outlet's article: its
		// new version is not that article's.
		return s.ingestNew(ctx, p)
	}
	in := extract.Input{Name: p.Origin, URL: p.URL, Format: p.Format, Captured: p.Captured, Hint: p.Hint}
	arts, err := extract.Page(p.Body, in)
	if err != nil {
		return Watched{}, err
	}
	if len(arts) == 0 {
		return Watched{}, fmt.Errorf("pipeline: %s: the new version has no article", p.Key)
	}
	a := arts[0]
	if old.Title == a.Title && old.Text == a.Text {
		// The page changed around the article (a rotating sidebar, a
		// timestamp): nothing to store; its capture is in the archive.
		return Watched{Unchanged: true}, nil
	}
	a.Language = ingest.Language(s.det, a, p.Hint.Language)
	if a.Facts, err = ingest.AnalyzeContext(ctx, a, p.Captured); err != nil {
		return Watched{}, err
	}
	na := store.NewArticle{Article: a}
	na.Search, na.SourceEntities = ingest.Index(a)
	v := store.ArticleVersion{Article: id, Changes: FigureChanges(old.Facts.Figures, a.Facts.Figures, p.Captured)}
	s.mu.Lock()
	defer s.mu.Unlock()
	v, err = s.st.SaveVersion(ctx, v, store.Page{Key: p.Key, BodyHash: hash, Origin: p.Origin, URL: p.URL, Captured: p.Captured, Format: p.Format}, na)
	if err != nil {
		return Watched{}, err
	}
	// A new version changes one story, and may change its figures: its
	// view is rebuilt now, so that alerts on figures go out at once.
	if _, err := s.refreshViews(ctx); err != nil {
		return Watched{}, err
	}
	return Watched{Version: &v}, nil
}

func (s *Service) ingestNew(ctx context.Context, p news.Page) (Watched, error) {
	sum, err := s.IngestPages(ctx, []news.Page{p}, IngestOptions{})
	if err != nil {
		return Watched{}, err
	}
	if len(sum.Failures) > 0 {
		return Watched{}, sum.Failures[0].Err
	}
	return Watched{Unchanged: sum.Unchanged > 0, Articles: sum.Articles, Duplicates: sum.Duplicates}, nil
}

// FigureChanges compares the figures of two versions of an article,
// quantity by quantity (what is counted and of whom): the n-th figure of a
// quantity in the old version is paired with the n-th in the new. A pair
// whose values differ is a change; a figure without a pair was added or
// dropped.
func FigureChanges(old, cur []news.Figure, at time.Time) []store.FigureChange {
	type slot struct {
		key string
		n   int
	}
	keyOf := func(f news.Figure) string {
		return strings.TrimSpace(strings.ToLower(strings.Join(strings.Fields(f.Kind+" "+f.Subject), " ")))
	}
	index := func(fs []news.Figure) (map[slot]news.Figure, []slot) {
		m := map[slot]news.Figure{}
		var order []slot
		count := map[string]int{}
		for _, f := range fs {
			k := keyOf(f)
			if k == "" {
				continue
			}
			sl := slot{k, count[k]}
			count[k]++
			m[sl] = f
			order = append(order, sl)
		}
		return m, order
	}
	om, oorder := index(old)
	nm, norder := index(cur)
	var out []store.FigureChange
	for _, sl := range norder {
		nf := nm[sl]
		of, had := om[sl]
		switch {
		case !had:
			out = append(out, store.FigureChange{Quantity: sl.key, New: FigureText(nf), NewValue: nf.Value, Sentence: nf.Sentence, At: at})
		case !sameValue(of, nf):
			out = append(out, store.FigureChange{Quantity: sl.key, Old: FigureText(of), New: FigureText(nf), OldValue: of.Value, NewValue: nf.Value, Sentence: nf.Sentence, At: at})
		}
	}
	for _, sl := range oorder {
		if _, has := nm[sl]; !has {
			of := om[sl]
			out = append(out, store.FigureChange{Quantity: sl.key, Old: FigureText(of), OldValue: of.Value, Sentence: of.Sentence, At: at})
		}
	}
	return out
}

func sameValue(a, b news.Figure) bool {
	return a.Value == b.Value && a.IsRange == b.IsRange && a.Low == b.Low && a.High == b.High && a.Qualifier == b.Qualifier
}

// FigureText writes a figure's value as a reader would: "more than 600",
// "300-400".
func FigureText(f news.Figure) string {
	num := func(v float64) string {
		if v == math.Trunc(v) && math.Abs(v) < 1e15 {
			return strconv.FormatInt(int64(v), 10)
		}
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	var b bytes.Buffer
	if f.Qualifier != "" {
		b.WriteString(f.Qualifier + " ")
	}
	if f.IsRange {
		b.WriteString(num(f.Low) + "-" + num(f.High))
	} else {
		b.WriteString(num(f.Value))
	}
	if f.Unit != "" {
		b.WriteString(" " + f.Unit)
	}
	return b.String()
}

// ArchiveDir is where the watcher's WARC files are: DATA/warc.
func (s *Service) ArchiveDir() string { return filepath.Join(s.cfg.DataDir, "warc") }

// CapturedPage is an archived response, as captured.
type CapturedPage struct {
	store.Capture
	ContentType string
	Body        []byte
}

// ArticleCapture returns the n-th archived capture of an article's pages
// (0 the first; a negative n counts from the last). store.ErrNotFound: no
// such capture; archive.ErrGone: its file was deleted by the retention.
func (s *Service) ArticleCapture(ctx context.Context, id int64, n int) (CapturedPage, error) {
	caps, err := s.st.ArticleCaptures(ctx, id)
	if err != nil {
		return CapturedPage{}, err
	}
	if n < 0 {
		n += len(caps)
	}
	if n < 0 || n >= len(caps) {
		return CapturedPage{}, fmt.Errorf("pipeline: capture %d of article %d: %w", n, id, store.ErrNotFound)
	}
	c := caps[n]
	max := s.cfg.Ingest.MaxBytes
	if max <= 0 {
		max = 32 << 20
	}
	rec, err := archive.Read(s.ArchiveDir(), archive.Location{File: c.File, Offset: c.Offset, Length: c.Length}, max)
	if err != nil {
		return CapturedPage{Capture: c}, err
	}
	resp, err := rec.HTTP(max)
	if err != nil {
		return CapturedPage{Capture: c}, err
	}
	return CapturedPage{Capture: c, ContentType: resp.ContentType, Body: resp.Body}, nil
}

// ExportStoryWARC writes the archived captures of a story's articles as
// one WARC file (each record as stored: a gzip member), and returns how
// many it wrote. Captures whose file the retention deleted are left out
// and counted in gone.
func (s *Service) ExportStoryWARC(ctx context.Context, w io.Writer, story int64) (written, gone int, err error) {
	if _, _, err := s.Story(ctx, story); err != nil {
		return 0, 0, err
	}
	var caps []store.Capture
	err = s.st.StoryArticles(ctx, story, func(a news.Stored) error {
		cs, err := s.st.ArticleCaptures(ctx, a.ID)
		caps = append(caps, cs...)
		return err
	})
	if err != nil {
		return 0, 0, err
	}
	seen := map[store.Capture]bool{}
	for _, c := range caps {
		if seen[c] {
			continue
		}
		seen[c] = true
		err := archive.CopyRecord(w, s.ArchiveDir(), archive.Location{File: c.File, Offset: c.Offset, Length: c.Length})
		if errors.Is(err, archive.ErrGone) {
			gone++
			continue
		}
		if err != nil {
			return written, gone, err
		}
		written++
	}
	return written, gone, nil
}
