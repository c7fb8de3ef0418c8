package story

import (
	"sort"
	"time"

	"dossier/internal/news"
)

// View is everything a reader sees of one story, as it is stored: the
// story with its events, timeline, ledger and disagreements, its coverage,
// and a short reference to each of its articles. It is rebuilt when the
// story's articles change, so reading it costs nothing but the read.
type View struct {
	Story
	Coverage Coverage
	// Refs describes each article of the story, in the order reported.
	Refs []ArticleRef
	// First and Latest are the dates of the story's first and latest
	// reports.
	First, Latest time.Time
	// Omitted counts the articles, the oldest, that the timeline, ledger,
	// disagreements and references were not built from (see MaxDetail).
	Omitted int `json:",omitempty"`
	// TimelineOmitted counts the earliest timeline entries left out (see
	// MaxTimeline).
	TimelineOmitted int `json:",omitempty"`
}

// Coverage counts a story's articles (each source of a folded copy
// counts) by language, outlet and day.
type Coverage struct {
	Languages []Count
	Outlets   []Count
	Days      []Count
}

// Count is a value and how many articles have it.
type Count struct {
	Key string
	N   int
}

// ArticleRef is what a story page shows of one article.
type ArticleRef struct {
	ID       int64
	Event    int64
	Title    string
	Language string
	Site     string
	URL      string
	When     time.Time
	Sources  int
}

// NewView builds the view of one story from all its articles.
func NewView(id int64, arts []news.Stored) View {
	var t Tally
	for _, a := range arts {
		t.Add(a)
	}
	return t.View(id, arts, nil)
}

// MaxDetail is how many of a story's articles, the most recent, its
// timeline, ledger, disagreements and article list are built from; the
// coverage counts, dates and article count cover every article. It bounds
// the time and memory of a view however large a story grows.
const MaxDetail = 2000

// MaxTimeline is how many timeline entries a view keeps, the latest: a
// page of archive listings can date thousands of "developments".
const MaxTimeline = 1000

// Tally counts a story's coverage one article at a time, so that a caller
// can stream a story of any size and keep only its latest articles.
type Tally struct {
	n                    int
	ids                  []int64
	langs, outlets, days map[string]int
	first, latest        time.Time
}

// Add counts one article (each source of a folded copy counts).
func (t *Tally) Add(a news.Stored) {
	if t.langs == nil {
		t.langs, t.outlets, t.days = map[string]int{}, map[string]int{}, map[string]int{}
	}
	t.n++
	t.ids = append(t.ids, a.ID)
	n := len(a.Sources)
	if n == 0 {
		n = 1
	}
	t.langs[a.Language] += n
	if a.Site != "" {
		t.outlets[a.Site] += n
	}
	if w := When(a); !w.IsZero() {
		t.days[w.UTC().Format("2006-01-02")] += n
		if t.first.IsZero() || w.Before(t.first) {
			t.first = w
		}
		if w.After(t.latest) {
			t.latest = w
		}
	}
}

// Articles is how many articles were counted.
func (t *Tally) Articles() int { return t.n }

// View builds the view of story id from the articles given (all of them,
// or the latest MaxDetail) and the coverage counted over all. memo, if not
// nil, keeps what the view derives from each article for the next build.
func (t *Tally) View(id int64, detail []news.Stored, memo *Memo) View {
	st := build(id, append([]news.Stored(nil), detail...), memo)
	v := View{Story: st, First: t.first, Latest: t.latest}
	if n := len(v.Timeline); n > MaxTimeline {
		v.Timeline = v.Timeline[n-MaxTimeline:]
		v.TimelineOmitted = n - MaxTimeline
	}
	if len(detail) < t.n {
		v.Story.Articles = append([]int64(nil), t.ids...)
		v.Omitted = t.n - len(detail)
	}
	byID := map[int64]news.Stored{}
	for _, a := range detail {
		byID[a.ID] = a
	}
	for _, aid := range st.Articles {
		a := byID[aid]
		ref := ArticleRef{ID: a.ID, Event: a.Event, Title: a.Title, Language: a.Language, Site: a.Site, When: When(a), Sources: len(a.Sources)}
		if len(a.Sources) > 0 {
			ref.URL = a.Sources[0].URL
		}
		v.Refs = append(v.Refs, ref)
	}
	v.Coverage = Coverage{Languages: counts(t.langs, false), Outlets: counts(t.outlets, false), Days: counts(t.days, true)}
	return v
}

// counts sorts a map's counts: largest first, or by key.
func counts(m map[string]int, byKey bool) []Count {
	out := make([]Count, 0, len(m))
	for k, n := range m {
		out = append(out, Count{Key: k, N: n})
	}
	sort.Slice(out, func(i, j int) bool {
		if !byKey && out[i].N != out[j].N {
			return out[i].N > out[j].N
		}
		return out[i].Key < out[j].Key
	})
	return out
}
