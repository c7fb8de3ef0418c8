// Package export writes what dossier knows as one JSON document (the
// contract in shared/eval/EXPORT.md) or as a Markdown report.
package export

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"dossier/internal/news"
	"dossier/internal/story"
)

// Doc is the JSON export.
type Doc struct {
	Generated     string         `json:"generated"`
	Articles      []Article      `json:"articles"`
	Stories       []Story        `json:"stories"`
	Figures       []Figure       `json:"figures"`
	Disagreements []Disagreement `json:"disagreements"`
	Timeline      []TimelineItem `json:"timeline"`
	Statements    []Statement    `json:"statements"`
	Entities      []Entity       `json:"entities"`
	Ledger        []LedgerLine   `json:"ledger"`
	StatusChanges []StatusChange `json:"status_changes"`
	// Changes lists the merges and splits of stories and events, oldest first.
	Changes []Change `json:"cluster_changes"`
}

// LedgerLine is the figures a story's sources give for one quantity.
type LedgerLine struct {
	Story   string         `json:"story"`
	Topic   string         `json:"topic"`
	Kind    string         `json:"kind"`
	Subject string         `json:"subject"`
	Reports []LedgerReport `json:"reports"`
	// IndependentOrigins counts the origins behind the reports; Origins
	// lists them with the first report of each.
	IndependentOrigins int            `json:"independent_origins"`
	Origins            []LedgerOrigin `json:"origins"`
	// Disagree: different origins give different values within a month;
	// Changed: one origin gave a new value later.
	Disagree bool `json:"disagree"`
	Changed  bool `json:"changed"`
}

// LedgerReport is one source's figure, in the order reported.
type LedgerReport struct {
	Figure string `json:"figure"`
	// Article is the article that carried the report; a folded copy has
	// the id of its duplicate entry ("a5-1").
	Article      string  `json:"article"`
	Value        float64 `json:"value"`
	Qualifier    *string `json:"qualifier"`
	AttributedTo *string `json:"attributed_to"`
	Reported     *string `json:"reported"`
	// Origin is the id of where the figure comes from (an entity id, ids
	// joined by "+", "desc:…", "said:…", "outlet:…"), OriginName its name.
	Origin     string `json:"origin"`
	OriginName string `json:"origin_name"`
	// FirstFromOrigin is set on the origin's first report of the quantity.
	FirstFromOrigin bool `json:"first_from_origin"`
	// EchoOf is the earlier report this one repeats (null when the report
	// names its own source); Why says how the origin was found.
	EchoOf *ReportRef `json:"echo_of"`
	Why    string     `json:"why"`
}

// ReportRef names a report in the ledger.
type ReportRef struct {
	Figure  string `json:"figure"`
	Article string `json:"article"`
}

// LedgerOrigin is one independent origin behind a ledger line.
type LedgerOrigin struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Kind: named, joint, described, wire or outlet.
	Kind string `json:"kind"`
	// Within lists the entities the origin belongs to, nearest first.
	Within []string `json:"within,omitempty"`
	// First is the origin's first report, made on FirstReported.
	First         ReportRef `json:"first"`
	FirstReported *string   `json:"first_reported"`
	Reports       int       `json:"reports"`
	// Values are the values the origin itself gave, in order.
	Values []float64 `json:"values"`
}

// StatusChange is a position that changed over time.
type StatusChange struct {
	Story  string   `json:"story"`
	Topic  string   `json:"topic"`
	Before Position `json:"before"`
	After  Position `json:"after"`
}

// Change is a merge or split of clusters.
type Change struct {
	At      string `json:"at"`
	Kind    string `json:"kind"`
	Level   string `json:"level"`
	From    string `json:"from"`
	Into    string `json:"into"`
	Article string `json:"article,omitempty"`
}

// Statement is a dated sentence of an article.
type Statement struct {
	Article  string  `json:"article"`
	Text     string  `json:"text"`
	Expr     string  `json:"expr"`
	Value    string  `json:"value"`
	Earliest *string `json:"earliest"`
	Latest   *string `json:"latest"`
	// Anchor says what relative dates were resolved against: the article's
	// "published" date or the day it was "captured".
	Anchor string `json:"anchor,omitempty"`
}

// Entity is a person, place or organisation with the names it goes by.
type Entity struct {
	ID       string   `json:"id"`
	Type     string   `json:"type"`
	Name     string   `json:"name"`
	Aliases  []string `json:"aliases"`
	Articles []string `json:"articles"`
}

// Article is one canonical article.
type Article struct {
	ID       string   `json:"id"`
	Source   Source   `json:"source"`
	Sources  []Source `json:"sources"`
	Language string   `json:"language"`
	Title    string   `json:"title"`
	Text     string   `json:"text"`
	Byline   string   `json:"byline,omitempty"`
	Credits  []string `json:"credits,omitempty"`
	Site     string   `json:"site,omitempty"`
	// Published is null when the date is not known.
	Published *Range `json:"published"`
	// Bounds limits when the article can have been written (not after its
	// capture, not before the latest dated event it reports); it is a
	// bound, not a date.
	Bounds *Range  `json:"published_bounds,omitempty"`
	Story  *string `json:"story"`
	Event  *string `json:"event"`
	// DuplicateOf is set on the entry of a copy folded into another
	// article: each page an article was seen in keeps an entry, so that
	// corpus ids survive folding.
	DuplicateOf string `json:"duplicate_of,omitempty"`
}

// Source is where an article was seen.
type Source struct {
	File     string  `json:"file,omitempty"`
	ID       string  `json:"id,omitempty"`
	URL      *string `json:"url"`
	Captured *string `json:"captured"`
	Title    string  `json:"title,omitempty"`
}

// Range is an inclusive range of days.
type Range struct {
	Earliest *string `json:"earliest"`
	Latest   *string `json:"latest"`
	Basis    string  `json:"basis,omitempty"`
}

// Story, Figure, Disagreement and TimelineItem follow EXPORT.md.
type Story struct {
	ID       string   `json:"id"`
	Title    string   `json:"title"`
	Summary  string   `json:"summary"`
	Articles []string `json:"articles"`
	Events   []Event  `json:"events"`
}

type Event struct {
	ID       string   `json:"id"`
	Title    string   `json:"title"`
	Summary  string   `json:"summary"`
	Articles []string `json:"articles"`
	Earliest *string  `json:"earliest"`
	Latest   *string  `json:"latest"`
}

type Figure struct {
	ID           string   `json:"id"`
	Story        string   `json:"story,omitempty"`
	Article      string   `json:"article"`
	Value        float64  `json:"value"`
	Unit         string   `json:"unit,omitempty"`
	Qualifier    *string  `json:"qualifier"`
	Kind         string   `json:"kind,omitempty"`
	Subject      string   `json:"subject,omitempty"`
	AttributedTo *string  `json:"attributed_to"`
	Sentence     string   `json:"sentence"`
	Low          *float64 `json:"low,omitempty"`
	High         *float64 `json:"high,omitempty"`
}

type Disagreement struct {
	Story string `json:"story"`
	Topic string `json:"topic"`
	// Kind: conflict (origins differ at about the same time), change (one
	// origin's figure changed over time), differ (origins differ months
	// apart) or opposing (parties take incompatible positions).
	Kind      string     `json:"kind"`
	Figures   []string   `json:"figures,omitempty"`
	Values    []float64  `json:"values,omitempty"`
	Positions []Position `json:"positions,omitempty"`
	// Origins names the independent origins or parties; Note says in a
	// line what the reader is looking at.
	Origins []string `json:"origins,omitempty"`
	Note    string   `json:"note,omitempty"`
}

type Position struct {
	Text string `json:"text"`
	By   string `json:"by"`
	// Party is who the position is for (Moscow and Shoigu: Russia).
	Party    string   `json:"party,omitempty"`
	Articles []string `json:"articles"`
}

type TimelineItem struct {
	Story    string   `json:"story"`
	Earliest *string  `json:"earliest"`
	Latest   *string  `json:"latest"`
	Text     string   `json:"text"`
	Articles []string `json:"articles"`
	// Origins are the independent sources the articles give for the
	// development: several outlets repeating one source count once.
	Origins []TimelineOrigin `json:"origins"`
}

// TimelineOrigin is one independent source of a timeline entry.
type TimelineOrigin struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Kind string `json:"kind"`
}

// ArticleID is the export id of a stored article.
func ArticleID(id int64) string { return fmt.Sprintf("a%d", id) }

// StoryID and EventID are the export ids of clusters.
func StoryID(id int64) string { return fmt.Sprintf("s%d", id) }
func EventID(id int64) string { return fmt.Sprintf("e%d", id) }

// FigureID is the export id of a figure: its article and its place there,
// so that the ledger can name it without the export holding every figure.
func FigureID(r story.FigureRef) string { return fmt.Sprintf("f%d.%d", r.Article, r.Index+1) }

func ids(xs []int64, f func(int64) string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = f(x)
	}
	return out
}

func strPtr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func day(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.UTC().Format("2006-01-02")
	return &s
}

func dateRange(r news.DateRange) *Range {
	if !r.Known() {
		return nil
	}
	return &Range{Earliest: day(r.Earliest), Latest: day(r.Latest), Basis: r.Basis}
}

// reportArticle is the export id of the article that carried a report:
// the article, or the duplicate entry of its folded copy.
func reportArticle(r story.ReportRef) string {
	if r.Source > 0 {
		return fmt.Sprintf("%s-%d", ArticleID(r.Article), r.Source)
	}
	return ArticleID(r.Article)
}

// originsText says how many reports and independent sources a ledger line
// has, and who first reported each source's figure.
func originsText(l LedgerLine) string {
	var os []string
	for _, o := range l.Origins {
		when := "undated"
		if o.FirstReported != nil {
			when = *o.FirstReported
		}
		os = append(os, fmt.Sprintf("%s, first reported %s by `%s`", o.Name, when, o.First.Article))
	}
	src := "independent sources"
	if len(l.Origins) == 1 {
		src = "independent source"
	}
	rep := "reports"
	if len(l.Reports) == 1 {
		rep = "report"
	}
	return fmt.Sprintf("%d %s, %d %s: %s", len(l.Reports), rep, len(l.Origins), src, strings.Join(os, "; "))
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

func rangeText(r *Range) string {
	e, l := "?", "?"
	if r.Earliest != nil {
		e = *r.Earliest
	}
	if r.Latest != nil {
		l = *r.Latest
	}
	if e == l {
		return e
	}
	return e + " to " + l
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func excerpt(s string, n int) string {
	s = oneLine(s)
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for c := 0; c < n; c++ {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	if j := strings.LastIndex(s[:i], " "); j > i/2 {
		i = j
	}
	return s[:i] + " …"
}
