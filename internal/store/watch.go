package store

import (
	"context"
	"time"
)

// Watch keeps what the watcher needs between runs: the sources a user
// follows with their schedule and state, the items found in them and
// whether their pages were fetched, where each fetched response is
// archived, and the versions of articles whose page changed. Everything
// the watcher decides is kept here, so that a restart resumes where the
// last run stopped.
type Watch interface {
	// Follow adds a subscription (URL and Kind; the rest is state) and
	// returns it; existed says the URL was followed already (returned
	// unchanged).
	Follow(ctx context.Context, s Subscription) (sub Subscription, existed bool, err error)
	// Unfollow removes a subscription and its items (ErrNotFound if none).
	Unfollow(ctx context.Context, id int64) error
	// Subscriptions lists the subscriptions in id order.
	Subscriptions(ctx context.Context) ([]Subscription, error)
	// Subscription returns one subscription (ErrNotFound if none).
	Subscription(ctx context.Context, id int64) (Subscription, error)
	// DueSubscriptions lists up to limit subscriptions whose next check
	// is at or before now, earliest first.
	DueSubscriptions(ctx context.Context, now time.Time, limit int) ([]Subscription, error)
	// SaveCheck records a check of a subscription in one transaction: its
	// new state (validators, schedule, errors) and the items it lists.
	// An item not seen before is added as pending; an item seen before
	// whose Fingerprint changed is made pending again with Recheck set;
	// others are left alone. It returns how many items were new, and
	// keeps ItemsSeen and LastNew itself. ErrNotFound: unfollowed meanwhile.
	SaveCheck(ctx context.Context, s Subscription, items []WatchItem) (int, error)
	// DueItems lists up to limit pending items whose next try is at or
	// before now, earliest first.
	DueItems(ctx context.Context, now time.Time, limit int) ([]WatchItem, error)
	// PendingItems counts pending items, and gives the earliest next try
	// among them (zero when none).
	PendingItems(ctx context.Context) (int, time.Time, error)
	// SetItem records the outcome of an item's fetch: its State, Attempts,
	// NextTry, LastError and Fetched.
	SetItem(ctx context.Context, it WatchItem) error
	// SubscriptionItems lists a subscription's items, newest first.
	SubscriptionItems(ctx context.Context, sub int64, limit int) ([]WatchItem, error)

	// SaveCapture records where a fetched response is archived.
	SaveCapture(ctx context.Context, c Capture) error
	// ArticleCaptures lists the archived captures of an article's pages
	// (every source and every version), oldest first.
	ArticleCaptures(ctx context.Context, article int64) ([]Capture, error)

	// PageArticle returns the article first found in the latest stored
	// version of the page with this key (ErrNotFound if none).
	PageArticle(ctx context.Context, key string) (int64, error)
	// SaveVersion stores a new version of an article (its page changed):
	// the page, the article's new title, text, facts and search terms,
	// and the figure changes, in one transaction. The version number is
	// assigned (the first stored version is 2; 1 is the original).
	SaveVersion(ctx context.Context, v ArticleVersion, p Page, a NewArticle) (ArticleVersion, error)
	// ArticleVersions lists an article's stored versions with their
	// figure changes, oldest first (none for an article never changed).
	ArticleVersions(ctx context.Context, article int64) ([]ArticleVersion, error)
}

// Subscription kinds.
const (
	KindFeed    = "feed"    // RSS, Atom or JSON Feed
	KindSitemap = "sitemap" // a (news) sitemap or sitemap index
	KindPage    = "page"    // a single page re-checked for changes
)

// Subscription is a followed source and its state.
type Subscription struct {
	ID  int64
	URL string
	// Kind is KindFeed, KindSitemap or KindPage; "" until the first check
	// finds out.
	Kind  string
	Title string
	Added time.Time
	// ETag and LastModified are the validators of the last response.
	ETag, LastModified string
	// BodyHash is the hash of the last body (a page's, to see a change).
	BodyHash string
	// LastCheck is the last check, LastNew the last that found new items
	// (or a changed page), NextCheck when the next is due.
	LastCheck, LastNew, NextCheck time.Time
	// Interval is the estimated interval between publications.
	Interval time.Duration
	// Errors counts the checks that failed in a row; LastError says why
	// the last one failed ("" after a success).
	Errors    int
	LastError string
	ItemsSeen int
}

// Item states.
const (
	ItemPending = "pending" // to fetch at NextTry (new, retried or rechecked)
	ItemDone    = "done"    // fetched and stored
)

// WatchItem is a page a subscription listed.
type WatchItem struct {
	ID        int64
	Sub       int64
	URL       string
	GUID      string
	Title     string
	Published time.Time
	// Fingerprint changes when the feed says the item changed.
	Fingerprint string
	State       string
	// Recheck says the item's page was fetched before and is fetched
	// again because its entry changed: a new body is a new version.
	Recheck   bool
	Attempts  int
	NextTry   time.Time
	LastError string
	Seen      time.Time
	Fetched   time.Time
}

// Capture is where a fetched response is archived: a WARC record.
type Capture struct {
	URL      string
	PageKey  string
	BodyHash string
	// File is the WARC file's name (relative to the archive directory),
	// Offset and Length the record's place in it.
	File           string
	Offset, Length int64
	Captured       time.Time
	Status         int
}

// ArticleVersion is a stored version of an article whose page changed.
type ArticleVersion struct {
	Article  int64
	Version  int
	PageKey  string
	BodyHash string
	Captured time.Time
	Title    string
	Changes  []FigureChange
}

// FigureChange is a figure whose value differs between two versions of
// an article: Old is "" for a figure the new version adds, New "" for one
// it drops.
type FigureChange struct {
	// Quantity names what is counted: the figure's kind and subject.
	Quantity string
	Old, New string
	// OldValue and NewValue are the numbers (0 when absent).
	OldValue, NewValue float64
	// Sentence is the new version's sentence (the old one's if dropped).
	Sentence string
	At       time.Time
}
