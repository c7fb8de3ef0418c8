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

// ErrNoStore is returned when a reader opens a data directory that holds
// no store; ErrNeedsMigration when the store's schema is older than this
// binary's and only a writer may bring it up to date.
var (
	ErrNoStore        = errors.New("no store")
	ErrNeedsMigration = errors.New("store needs migration")
	// ErrDamaged is returned when a store's file is not sound.
	ErrDamaged = errors.New("store damaged")
)

// Store keeps pages, the articles found in them, their story views and
// ingest failures. Implementations are safe for concurrent use. It is
// composed of small interfaces: Writer for the single writer of a data
// directory, Reader for everything a reader may ask.
type Store interface {
	Writer
	Reader
	Watch
	Alerts
	// ReadTx runs fn on a Reader that sees one consistent snapshot of the
	// store, whatever is written meanwhile (an export during an ingest).
	ReadTx(ctx context.Context, fn func(Reader) error) error
	Close() error
}

// Writer is what the single writer of a store does.
type Writer interface {
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

	// BeginPages opens a batch of pages saved in one transaction (group
	// commit: one commit for many pages, where SavePage pays one each).
	BeginPages(ctx context.Context) (PageBatch, error)

	// SetFacts replaces the facts and search terms of a stored article
	// (after re-analysis) and marks its story for a view refresh.
	SetFacts(ctx context.Context, articleID int64, f news.Facts, search SearchDoc, sourceEntities []string) error

	// SetClusters replaces the story and event of the given articles and
	// logs the changes, in one transaction (a full recluster).
	SetClusters(ctx context.Context, assign map[int64][2]int64, changes []news.ClusterChange) error
	// AssignClusters sets the story and event of the given articles and
	// then applies the changes as saving a page does (a merge relabels
	// every stored article of the cluster merged away) and logs them, in
	// one transaction: the assignment of articles stored without one,
	// whose merges may take in articles assigned before.
	AssignClusters(ctx context.Context, assign map[int64][2]int64, changes []news.ClusterChange) error
	// SaveModel and LoadModel keep the incremental clusterer's state.
	// LoadModel returns ErrNotFound when none was saved.
	SaveModel(ctx context.Context, data []byte, lastArticle int64) error
	LoadModel(ctx context.Context) (data []byte, lastArticle int64, err error)

	// RecordFailure remembers that an input could not be ingested.
	RecordFailure(ctx context.Context, f Failure) error
	// ClearFailure forgets the failures of an input that later succeeded.
	ClearFailure(ctx context.Context, input string) error

	// SetFeedState keeps the validators of a feed for conditional requests.
	SetFeedState(ctx context.Context, s FeedState) error

	// ViewGrowth says how a story has grown since its view was built.
	ViewGrowth(ctx context.Context, story int64) (Growth, error)
	// SaveStoryViews stores stories' views and clears their marks, all in
	// one transaction; a view with no articles deletes the story's view.
	SaveStoryViews(ctx context.Context, vs ...StoryView) error
	// MarkAllDirty marks every story for a view refresh (after a
	// recluster or reanalysis).
	MarkAllDirty(ctx context.Context) error
}

// Reader is everything a reader of a store may ask. No method reads the
// whole archive except the iterations (Articles), which stream.
type Reader interface {
	// HasPage reports whether a page with this key and body hash is stored.
	HasPage(ctx context.Context, key, bodyHash string) (bool, error)
	// Candidates returns stored articles that may duplicate one with this
	// hash and these LSH band keys: every article with the same hash or at
	// least one shared band.
	Candidates(ctx context.Context, hash string, bands []int64) ([]Candidate, error)

	// Articles calls fn for each stored article, in id order, with its
	// sources and facts. It streams: memory does not grow with the archive.
	Articles(ctx context.Context, fn func(news.Stored) error) error
	// ArticlesAfter is Articles for the articles whose id is above after.
	ArticlesAfter(ctx context.Context, after int64, fn func(news.Stored) error) error
	// Article returns one article with its sources and facts.
	Article(ctx context.Context, id int64) (news.Stored, error)
	// ArticleTexts returns the given articles as stored but without their
	// sources, facts and embedding (text, title, site, language, dates,
	// story and event), in id order; ids not stored are left out. A cheap
	// read for lists of articles, such as search hits.
	ArticleTexts(ctx context.Context, ids []int64) ([]news.Stored, error)
	// ArticleDerived returns what story views derived from the given
	// articles and saved with a view (StoryView.Derived), by id; ids with
	// none are left out.
	ArticleDerived(ctx context.Context, ids []int64) (map[int64][]byte, error)
	// StoryArticles calls fn for each article of a story, in id order.
	StoryArticles(ctx context.Context, story int64, fn func(news.Stored) error) error
	// DirtyStories returns up to limit stories whose stored views are to
	// be rebuilt (marked), those with ids above after, in id order.
	DirtyStories(ctx context.Context, after int64, limit int) ([]int64, error)

	// StoryView returns a story's stored view (ErrNotFound if none).
	StoryView(ctx context.Context, story int64) (StoryView, error)
	// StoryStamp returns when a story's stored view was last written
	// (its Updated), without reading the view (ErrNotFound if none): a
	// cheap key for a cache of what is built from the view.
	StoryStamp(ctx context.Context, story int64) (time.Time, error)
	// Stamp returns a value that changes whenever anything stored
	// changes, by any writer (equal stamps: nothing was written between
	// the two reads). Read it before the data a cache keeps under it.
	Stamp(ctx context.Context) (string, error)
	// StoryViews lists stored views (without Data), newest development
	// first, filtered and paged by q.
	StoryViews(ctx context.Context, q StoryQuery) ([]StoryView, error)
	// EachStoryView calls fn for each stored view, with its data, in
	// story id order.
	EachStoryView(ctx context.Context, fn func(StoryView) error) error
	// EachMention calls fn for each entity mention, ordered by entity
	// and then article.
	EachMention(ctx context.Context, fn func(m news.Mention, article int64) error) error
	// Entity returns an entity's names with their counts and how many
	// articles and stories mention it (ErrNotFound if none).
	Entity(ctx context.Context, id string) (Entity, error)
	// EntityArticles lists the ids of articles mentioning an entity,
	// newest id first, below before (0: from the newest).
	EntityArticles(ctx context.Context, id string, before int64, limit int) ([]int64, error)
	// Figures lists figures matching q, newest article first.
	Figures(ctx context.Context, q FigureQuery) ([]FigureRow, error)
	// Search lists articles matching q, best first.
	Search(ctx context.Context, q SearchQuery) ([]Hit, error)
	// ChangesSince returns what was stored after cursor c, at most limit
	// of each kind.
	ChangesSince(ctx context.Context, c ChangeCursor, limit int) (Changes, error)
	// ClusterChanges lists the merges and splits recorded, oldest first.
	ClusterChanges(ctx context.Context) ([]news.ClusterChange, error)
	// ClusterChangesAfter lists, oldest first, the changes recorded with
	// articles after the given one: the merges a clustering model saved
	// at that article has not seen.
	ClusterChangesAfter(ctx context.Context, article int64) ([]news.ClusterChange, error)
	// MergedInto returns the story a story was last merged into
	// (ErrNotFound if it never was).
	MergedInto(ctx context.Context, story int64) (int64, error)

	// FeedState returns a feed's validators, ErrNotFound for a new feed.
	FeedState(ctx context.Context, url string) (FeedState, error)
	// Failures lists recorded failures, newest first.
	Failures(ctx context.Context) ([]Failure, error)
	Stats(ctx context.Context) (Stats, error)
	// Outlets lists the sites articles came from (canonical articles;
	// "" for articles whose site is unknown), most articles first.
	Outlets(ctx context.Context) ([]Outlet, error)
}

// Outlet is a site and what the store holds from it.
type Outlet struct {
	Site     string
	Articles int
	// Languages counts the outlet's articles by language, most first.
	Languages []LangCount
	// First and Last are the earliest and latest dates of its articles
	// (the latest possible publication date, else when it was added).
	First, Last time.Time
}

// LangCount is a language and how many articles are in it.
type LangCount struct {
	Language string
	N        int
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
	// Search holds the article's search terms.
	Search SearchDoc
	// SourceEntities holds, for each figure, the entity its source names
	// ("" when none or unresolved).
	SourceEntities []string
}

// SearchDoc is an article's text as the search index holds it: terms from
// internal/tokenize, separated by spaces.
type SearchDoc struct {
	Title, Body string
}

// PageWriter saves pages and finds the possible duplicates of an article.
type PageWriter interface {
	SavePage(ctx context.Context, p Page, arts []NewArticle) (Saved, error)
	Candidates(ctx context.Context, hash string, bands []int64) ([]Candidate, error)
}

// PageBatch is one write transaction holding many pages. Its SavePage
// works as the store's, and its Candidates also see the articles it saved.
// Nothing of it is stored until Commit returns; Rollback, an error or a
// crash leaves the store as it was. While it is open it holds the store's
// write transaction: the writer commits it before any other write.
type PageBatch interface {
	PageWriter
	Commit() error
	Rollback() error
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
	Stories   int
	Pages     int
	Articles  int
	Sources   int
	Failures  int
	Languages map[string]int
	// Bytes is the database's size: SQLite's pages in use (its file,
	// without the write-ahead log), PostgreSQL's pg_database_size.
	Bytes int64
}

// Growth compares a story's stored view with the story now.
type Growth struct {
	Built    int       // articles the view counted; -1: no view
	Updated  time.Time // when the view was built
	Articles int       // articles in the story now
}

// StoryView is a story's stored view. The list columns are kept apart from
// Data, the full view as JSON, which only a story's own page reads.
type StoryView struct {
	Story    int64
	Title    string
	Summary  string
	Articles int
	// First and Latest are the story's first report and latest development.
	First, Latest time.Time
	Updated       time.Time
	// Facets are counts by language ("lang"), outlet ("outlet"), day
	// ("day") and entity ("entity"), for filtering lists. Reads return the
	// language, outlet and day facets; entity facets only filter (a large
	// story names tens of thousands of entities).
	Facets []Facet
	Data   []byte
	// Derived holds, by article id, what building the view derived from
	// articles anew, in story.Memo's stored form: saved with the view,
	// read back by ArticleDerived for the next build.
	Derived map[int64][]byte
}

// Facet is a count of a story's articles with one value of a kind.
type Facet struct {
	Kind, Value string
	N           int
}

// StoryQuery filters and pages the story list. Filters are ANDed; zero
// values do not filter.
type StoryQuery struct {
	Lang, Outlet, Entity string
	// From and To bound the story's latest development.
	From, To time.Time
	// After is the cursor: the last story of the previous page.
	AfterLatest time.Time
	AfterStory  int64
	Limit       int
}

// Entity is what the store knows of an entity.
type Entity struct {
	ID, Type, Name string
	Aliases        []Alias
	Articles       int
	Stories        []int64
}

// Alias is one name of an entity and how many articles use it.
type Alias struct {
	Name string
	N    int
}

// FigureQuery filters figures. Zero values do not filter.
type FigureQuery struct {
	Kind, Subject, Entity, Source string
	Story                         int64
	// Before is the cursor: figures of articles with a lower id, or
	// of article BeforeArticle below index BeforeIndex.
	BeforeArticle int64
	BeforeIndex   int
	Limit         int
}

// FigureRow is a stored figure with where it is.
type FigureRow struct {
	news.Figure
	Article      int64
	Index        int
	Story        int64
	SourceEntity string
	Language     string
	Site         string
	Published    time.Time
	Captured     time.Time
}

// SearchQuery is a full-text search. Terms holds, for each query word,
// its alternative index forms; a hit has one form of every word.
// Entities widen the search to articles that mention one of them.
type SearchQuery struct {
	Terms    [][]string
	Entities []string
	Lang     string
	Outlet   string
	Story    int64
	Entity   string
	From, To time.Time
	// Now is the time recency is measured from.
	Now time.Time
	// After is the cursor: the score and id of the last hit shown.
	AfterScore float64
	AfterID    int64
	Limit      int
}

// SearchCandidates bounds the matches a search without filters ranks: of
// the articles whose words match, and of those that mention each entity
// the query names, the latest stored this many. Ranking (relevance with a
// recency boost) and paging happen within them, so a word that every
// article holds costs no more than a rare one; a search with a filter
// ranks every match.
const SearchCandidates = 1000

// Hit is an article a search found.
type Hit struct {
	Article int64
	Score   float64
	// ViaEntity says the article matched only through an entity.
	ViaEntity bool
}

// ChangeCursor is how far a client has read the change feed.
type ChangeCursor struct {
	Article int64
	Change  int64
}

// Changes is what was stored after a cursor.
type Changes struct {
	Articles []int64
	Clusters []ClusterChangeRow
	Next     ChangeCursor
}

// ClusterChangeRow is a logged merge or split with its id.
type ClusterChangeRow struct {
	ID int64
	news.ClusterChange
}

// Checker is a store that can verify itself: its integrity, what it holds,
// and records that point nowhere.
type Checker interface {
	Check(ctx context.Context) (CheckReport, error)
}

// CheckReport says what a check found. Problems is empty for a sound store.
type CheckReport struct {
	Stats    Stats
	Problems []string
}

// BackerUp is a store that can write a consistent copy of itself while in
// use, to a new file at dest.
type BackerUp interface {
	Backup(ctx context.Context, dest string) error
}

// PageChanges returns a page's cluster changes, those the ingester left
// without an article labelled with the first article the page added
// (only new articles are assigned, so only they make changes), else with
// its first. A change labelled with an article the page did not add (a
// copy of one stored before the clustering model's last save) would be
// missed by ClusterChangesAfter when the model replays what it lost.
func PageChanges(changes []news.ClusterChange, added int64, ids []int64) []news.ClusterChange {
	out := append([]news.ClusterChange(nil), changes...)
	if added == 0 && len(ids) > 0 {
		added = ids[0]
	}
	for i := range out {
		if out[i].Article == 0 {
			out[i].Article = added
		}
	}
	return out
}
