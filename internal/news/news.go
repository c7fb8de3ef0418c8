// Package news holds dossier's domain types: the pages it reads and the
// articles it finds in them. It has no behaviour beyond small helpers and
// imports nothing of the project.
package news

import "time"

// Format says how a page's body is to be read.
type Format string

const (
	FormatHTML Format = "html"
	FormatText Format = "text"
)

// Page is one document as it came in: a file, a JSON Lines record, a fetched
// URL, a feed item's page or a WARC response record.
type Page struct {
	// Key identifies the page across runs: the absolute path of a file, the
	// URL of a fetched page, "PATH#ID" for a JSON Lines record, "PATH#RECORD-ID"
	// for a WARC record. Re-ingesting a page with the same key and body is a no-op.
	Key string
	// Origin is the input argument the page came from (for error messages).
	Origin string
	// File is the base name of the input file, if the page came from one.
	File string
	// ID is the id of a JSON Lines record.
	ID string
	// URL is the page's URL, when known.
	URL string
	// Captured is when the page was fetched or captured; zero when unknown.
	Captured time.Time
	Format   Format
	Body     []byte
	// Clean says Body is the article text itself (a corpus's text field).
	Clean bool
	// Hints given alongside the page (JSON Lines fields, feed item fields).
	Hint Hint
}

// Hint carries metadata that came with a page rather than from it.
type Hint struct {
	Title     string
	Published time.Time
	Language  string
	Byline    string
}

// DateRange is an inclusive range of instants. A zero bound is unknown.
// An exactly known date has Earliest == Latest.
type DateRange struct {
	Earliest time.Time
	Latest   time.Time
	// Basis says where the range comes from: "meta", "dateline", "age",
	// "given", "capture-bound", … Empty when the range is unknown.
	Basis string
}

// Known reports whether either bound is set.
func (r DateRange) Known() bool { return !r.Earliest.IsZero() || !r.Latest.IsZero() }

// Article is one article found in a page.
type Article struct {
	Title  string
	Text   string
	Byline string
	// Credits are wire agencies and photo credits ("Associated Press",
	// "Photo: AFP"), kept out of the text.
	Credits   []string
	Site      string
	Language  string
	Published DateRange
	// Index is the article's position in its page (0 for the main article).
	Index int
	// Facts are filled in by analysis, after extraction.
	Facts Facts
	// Embedding is the article's unit vector from the optional external
	// embeddings service (nil without one). It is kept so that a restart
	// or a recluster sees the same signal as assignment did.
	Embedding []float32 `json:",omitempty"`
}

// Stored is an article as the store holds it: a canonical article and every
// source it was seen in.
type Stored struct {
	ID int64
	Article
	// Story and Event are the article's clusters (0 before clustering).
	Story, Event int64
	Hash         string
	Sources      []Source
	Added        time.Time
}

// ClusterChange records stories or events that merged or split.
type ClusterChange struct {
	At      time.Time
	Kind    string // merge, split
	Level   string // story, event
	From    int64
	Into    int64
	Article int64 // the article that brought a merge about, or 0
	Score   float64
}

// Source is one place a stored article was seen.
type Source struct {
	PageKey  string
	File     string
	ID       string
	URL      string
	Captured time.Time
	Index    int
	// Title as that source gave it (syndicated copies often retitle).
	Title string
}

// Facts are what an article claims: figures, dated statements and the
// entities it names.
type Facts struct {
	Figures    []Figure
	Statements []Statement
	Mentions   []Mention
	// Bounds limits when the article can have been written: not after its
	// capture, not before the latest explicit date it reports.
	Bounds DateRange
	// Dropped counts what analysis left out to stay within its
	// per-article limits (see package facts). Zero for any ordinary article.
	Dropped Dropped `json:",omitzero"`
}

// Dropped counts what an analysis found beyond its per-article caps and
// did not keep, and the text it did not search for dates.
type Dropped struct {
	Figures, Statements, Mentions int
	// Unanalysed is the number of bytes at the end of a very long text not
	// searched for figures, dates or names.
	Unanalysed int
	// DateText is the number of bytes of text not searched for dates
	// (Unanalysed included).
	DateText int
}

// Any reports whether anything was left out.
func (d Dropped) Any() bool { return d != Dropped{} }

// Figure is a number an article states about the world.
type Figure struct {
	Value     float64
	Low, High float64
	IsRange   bool
	// Qualifier is the hedge in English ("about", "more than") or "".
	Qualifier string
	Unit      string
	// Kind is what is counted: killed, injured, deployed, captured, …
	Kind    string
	Subject string
	// AttributedTo is the source the article gives, "" when none.
	AttributedTo string
	Sentence     string
}

// Statement is a sentence that dates a development.
type Statement struct {
	Text string
	// Expr is the temporal expression as written, Value its TIMEX3 value.
	Expr, Value string
	// Earliest and Latest bound the days the expression means.
	Earliest, Latest time.Time
	// Anchor says what relative expressions were resolved against:
	// "published" or "captured".
	Anchor string
}

// Mention is a name in an article and the entity it names.
type Mention struct {
	// Entity is a stable id: "country:KP", "person:volodymyr-zelenskyy".
	Entity string
	Type   string // person, place, org
	Name   string // as written
	// Canonical is the entity's display name.
	Canonical string
}
