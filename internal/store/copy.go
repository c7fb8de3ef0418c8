package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"dossier/internal/news"
)

// PageRow is a stored page with its id and when it was added.
type PageRow struct {
	ID int64
	Page
	Added time.Time
}

// SourceRow says that article Article was found at position Index of page
// Page, under Title.
type SourceRow struct {
	Page    int64
	Index   int
	Article int64
	Title   string
}

// ArticleRow is a stored article with what a copy needs besides: its LSH
// bands, the entity each figure's source names, and its search terms.
type ArticleRow struct {
	news.Stored
	Bands          []int64
	SourceEntities []string
	Search         SearchDoc
}

// Dumper lists what a store holds that Reader does not show, for a copy
// to another store.
type Dumper interface {
	// EachPage calls fn for each page, in id order.
	EachPage(ctx context.Context, fn func(PageRow) error) error
	// EachSource calls fn for each place an article was found, in page
	// and position order.
	EachSource(ctx context.Context, fn func(SourceRow) error) error
	// ArticleExtras returns the bands and the figures' source entities of
	// the given articles.
	ArticleExtras(ctx context.Context, ids []int64) (bands map[int64][]int64, sourceEntities map[int64][]string, err error)
	// EachFeedState calls fn for each feed's validators.
	EachFeedState(ctx context.Context, fn func(FeedState) error) error
	// StoryFacets returns every facet of a story, entities included
	// (reads return only those for display).
	StoryFacets(ctx context.Context, story int64) ([]Facet, error)
}

// Loader takes rows with their ids, for a copy into an empty store.
type Loader interface {
	LoadPages(ctx context.Context, pages []PageRow) error
	LoadArticles(ctx context.Context, arts []ArticleRow) error
	LoadSources(ctx context.Context, srcs []SourceRow) error
	LoadChanges(ctx context.Context, changes []ClusterChangeRow) error
	// LoadDone marks the given stories for a view refresh and moves the
	// id sequences past the loaded ids.
	LoadDone(ctx context.Context, dirty []int64) error
}

// CopyCounts says what Copy copied.
type CopyCounts struct {
	Pages, Articles, Sources, Changes, Views, Failures, Feeds, Dirty, Subscriptions int
}

// ErrNotEmpty is returned when Copy's destination already holds pages.
var ErrNotEmpty = errors.New("destination store is not empty")

// copyBatch is how many rows Copy loads at a time.
const copyBatch = 500

// Copy copies everything src holds into dst, which must be empty: pages,
// articles with their ids, sources, facts, clusters, embeddings, bands and
// search terms, cluster changes, story views, the clustering model,
// failures, feed states and the stories awaiting a view refresh. A search
// index cannot be read back (SQLite's holds no text), so index gives each
// article's search terms, as ingest computed them. progress, when not
// nil, is told how far the copy has got.
func Copy(ctx context.Context, dst interface {
	Store
	Loader
}, src interface {
	Store
	Dumper
}, index func(news.Article) SearchDoc, progress func(what string, n int)) (CopyCounts, error) {
	var n CopyCounts
	if progress == nil {
		progress = func(string, int) {}
	}
	st, err := dst.Stats(ctx)
	if err != nil {
		return n, fmt.Errorf("copy: %w", err)
	}
	if st.Pages > 0 || st.Articles > 0 {
		return n, fmt.Errorf("copy: %d pages and %d articles already there: %w", st.Pages, st.Articles, ErrNotEmpty)
	}

	var pages []PageRow
	flushPages := func() error {
		if len(pages) == 0 {
			return nil
		}
		err := dst.LoadPages(ctx, pages)
		n.Pages += len(pages)
		pages = pages[:0]
		progress("pages", n.Pages)
		return err
	}
	if err := src.EachPage(ctx, func(p PageRow) error {
		pages = append(pages, p)
		if len(pages) == copyBatch {
			return flushPages()
		}
		return nil
	}); err != nil {
		return n, fmt.Errorf("copy pages: %w", err)
	}
	if err := flushPages(); err != nil {
		return n, fmt.Errorf("copy pages: %w", err)
	}

	var arts []ArticleRow
	flushArticles := func() error {
		if len(arts) == 0 {
			return nil
		}
		ids := make([]int64, len(arts))
		for i, a := range arts {
			ids[i] = a.ID
		}
		bands, ents, err := src.ArticleExtras(ctx, ids)
		if err != nil {
			return err
		}
		for i := range arts {
			arts[i].Bands, arts[i].SourceEntities = bands[arts[i].ID], ents[arts[i].ID]
			arts[i].Search = index(arts[i].Article)
		}
		if err := dst.LoadArticles(ctx, arts); err != nil {
			return err
		}
		n.Articles += len(arts)
		arts = arts[:0]
		progress("articles", n.Articles)
		return nil
	}
	if err := src.Articles(ctx, func(a news.Stored) error {
		arts = append(arts, ArticleRow{Stored: a})
		if len(arts) == copyBatch {
			return flushArticles()
		}
		return nil
	}); err != nil {
		return n, fmt.Errorf("copy articles: %w", err)
	}
	if err := flushArticles(); err != nil {
		return n, fmt.Errorf("copy articles: %w", err)
	}

	var srcs []SourceRow
	flushSources := func() error {
		if len(srcs) == 0 {
			return nil
		}
		err := dst.LoadSources(ctx, srcs)
		n.Sources += len(srcs)
		srcs = srcs[:0]
		progress("sources", n.Sources)
		return err
	}
	if err := src.EachSource(ctx, func(r SourceRow) error {
		srcs = append(srcs, r)
		if len(srcs) == copyBatch {
			return flushSources()
		}
		return nil
	}); err != nil {
		return n, fmt.Errorf("copy sources: %w", err)
	}
	if err := flushSources(); err != nil {
		return n, fmt.Errorf("copy sources: %w", err)
	}

	cur := ChangeCursor{Article: 1<<63 - 1}
	for {
		ch, err := src.ChangesSince(ctx, cur, copyBatch)
		if err != nil {
			return n, fmt.Errorf("copy cluster changes: %w", err)
		}
		if len(ch.Clusters) == 0 {
			break
		}
		if err := dst.LoadChanges(ctx, ch.Clusters); err != nil {
			return n, fmt.Errorf("copy cluster changes: %w", err)
		}
		n.Changes += len(ch.Clusters)
		cur.Change = ch.Next.Change
	}

	var views []int64
	if err := src.EachStoryView(ctx, func(v StoryView) error { views = append(views, v.Story); return nil }); err != nil {
		return n, fmt.Errorf("copy story views: %w", err)
	}
	for _, id := range views {
		v, err := src.StoryView(ctx, id)
		if err != nil {
			return n, fmt.Errorf("copy story views: %w", err)
		}
		if v.Facets, err = src.StoryFacets(ctx, id); err != nil {
			return n, fmt.Errorf("copy story views: %w", err)
		}
		if err := dst.SaveStoryViews(ctx, v); err != nil {
			return n, fmt.Errorf("copy story views: %w", err)
		}
		n.Views++
	}
	progress("story views", n.Views)

	if data, last, err := src.LoadModel(ctx); err == nil {
		if err := dst.SaveModel(ctx, data, last); err != nil {
			return n, fmt.Errorf("copy model: %w", err)
		}
	} else if !errors.Is(err, ErrNotFound) {
		return n, fmt.Errorf("copy model: %w", err)
	}

	fails, err := src.Failures(ctx)
	if err != nil {
		return n, fmt.Errorf("copy failures: %w", err)
	}
	for _, f := range fails {
		if err := dst.RecordFailure(ctx, f); err != nil {
			return n, fmt.Errorf("copy failures: %w", err)
		}
	}
	n.Failures = len(fails)

	if err := src.EachFeedState(ctx, func(f FeedState) error {
		n.Feeds++
		return dst.SetFeedState(ctx, f)
	}); err != nil {
		return n, fmt.Errorf("copy feed states: %w", err)
	}

	// The followed sources move with the store (their schedule starts
	// afresh: each is checked once the watcher runs on the new store).
	subs, err := src.Subscriptions(ctx)
	if err != nil {
		return n, fmt.Errorf("copy followed sources: %w", err)
	}
	for _, s := range subs {
		if _, _, err := dst.Follow(ctx, Subscription{URL: s.URL, Kind: s.Kind, Title: s.Title, Added: s.Added}); err != nil {
			return n, fmt.Errorf("copy followed source %s: %w", s.URL, err)
		}
	}
	n.Subscriptions = len(subs)

	dirty, err := src.DirtyStories(ctx, 0, 1<<31-1)
	if err != nil {
		return n, fmt.Errorf("copy dirty stories: %w", err)
	}
	if err := dst.LoadDone(ctx, dirty); err != nil {
		return n, fmt.Errorf("copy: %w", err)
	}
	n.Dirty = len(dirty)
	return n, nil
}
