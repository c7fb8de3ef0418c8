// Package store defines how dossier keeps pages and articles. The Store
// interface has one implementation per database (store/sqlite today); every
// implementation must pass the shared suite in store/storetest.
package store

import (
	"context"
	"errors"
	"time"

	"dossier/internal/news"
)

// ErrNotFound is returned when a requested record does not exist.
var ErrNotFound = errors.New("not found")

// Store keeps pages, the articles found in them and ingest failures.
// Implementations are safe for concurrent use.
type Store interface {
	// HasPage reports whether a page with this key and body hash is stored.
	HasPage(ctx context.Context, key, bodyHash string) (bool, error)

	// KnownPages returns which of refs are the key or the URL of a stored
	// page (with any body): the feed items whose pages need no fetching.
	KnownPages(ctx context.Context, refs []string) (map[string]bool, error)

	// SavePage stores a page and its articles in one transaction: either all
	// of it is stored or none. An article with DuplicateOf set is not stored
	// again; the page is added to that article's sources instead. Saving a
	// page whose key and body hash are already stored changes nothing and
	// returns Saved.Existed.
	SavePage(ctx context.Context, p Page, arts []NewArticle) (Saved, error)

	// Candidates returns stored articles that may duplicate one with this
	// hash and these LSH band keys: every article with the same hash or at
	// least one shared band.
	Candidates(ctx context.Context, hash string, bands []int64) ([]Candidate, error)

	// Articles calls fn for each stored article, in id order, with its
	// sources and facts.
	Articles(ctx context.Context, fn func(news.Stored) error) error
	// ArticlesAfter is Articles for the articles whose id is above after.
	ArticlesAfter(ctx context.Context, after int64, fn func(news.Stored) error) error

	// SetFacts replaces the facts of a stored article (after re-analysis).
	SetFacts(ctx context.Context, articleID int64, f news.Facts) error

	// SetClusters replaces the story and event of the given articles and
	// logs the changes, in one transaction (a full recluster).
	SetClusters(ctx context.Context, assign map[int64][2]int64, changes []news.ClusterChange) error
	// ClusterChanges lists the merges and splits recorded, oldest first.
	ClusterChanges(ctx context.Context) ([]news.ClusterChange, error)
	// SaveModel and LoadModel keep the incremental clusterer's state.
	// LoadModel returns ErrNotFound when none was saved.
	SaveModel(ctx context.Context, data []byte, lastArticle int64) error
	LoadModel(ctx context.Context) (data []byte, lastArticle int64, err error)

	// RecordFailure remembers that an input could not be ingested.
	RecordFailure(ctx context.Context, f Failure) error
	// Failures lists recorded failures, newest first.
	Failures(ctx context.Context) ([]Failure, error)

	// FeedState and SetFeedState keep the validators of a feed for
	// conditional requests. FeedState returns ErrNotFound for a new feed.
	FeedState(ctx context.Context, url string) (FeedState, error)
	SetFeedState(ctx context.Context, s FeedState) error

	Stats(ctx context.Context) (Stats, error)
	Close() error
}

// Page is a page as stored: its identity and provenance, not its body.
type Page struct {
	// Changes are the cluster merges that assigning this page's articles
	// brought about; they are applied and logged with the page.
	Changes []news.ClusterChange

	Key      string
	BodyHash string
	Origin   string
	File     string
	ID       string
	URL      string
	Captured time.Time
	Format   news.Format
}

// NewArticle is an article to store with a page.
type NewArticle struct {
	news.Article
	Hash  string
	Bands []int64
	// DuplicateOf is the id of the stored article this one duplicates, or 0.
	// The facts of a duplicate are not stored: the canonical article has them.
	DuplicateOf int64
	// Story and Event place a new article in its clusters (0: unclustered).
	Story, Event int64
}

// Saved says what SavePage did.
type Saved struct {
	Existed bool
	// IDs holds, for each article passed, the id of the stored article it
	// became or was folded into.
	IDs []int64
	New int
	Dup int
}

// Candidate is a stored article that may duplicate a new one.
type Candidate struct {
	ID       int64
	Hash     string
	Language string
	Text     string
}

// Failure is an input that could not be ingested, and why.
type Failure struct {
	Input string
	Err   string
	At    time.Time
}

// FeedState holds a feed's HTTP validators.
type FeedState struct {
	URL          string
	ETag         string
	LastModified string
	Checked      time.Time
}

// Stats counts what the store holds.
type Stats struct {
	Pages     int
	Articles  int
	Sources   int
	Failures  int
	Languages map[string]int
}
