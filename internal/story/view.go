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
	st := build(id, append([]news.Stored(nil), arts...))
	v := View{Story: st}
	langs, outlets, days := map[string]int{}, map[string]int{}, map[string]int{}
	byID := map[int64]news.Stored{}
	for _, a := range arts {
		byID[a.ID] = a
	}
	for _, aid := range st.Articles {
		a := byID[aid]
		w := When(a)
		ref := ArticleRef{ID: a.ID, Event: a.Event, Title: a.Title, Language: a.Language, Site: a.Site, When: w, Sources: len(a.Sources)}
		if len(a.Sources) > 0 {
			ref.URL = a.Sources[0].URL
		}
		v.Refs = append(v.Refs, ref)
		n := len(a.Sources)
		if n == 0 {
			n = 1
		}
		langs[a.Language] += n
		if a.Site != "" {
			outlets[a.Site] += n
		}
		if !w.IsZero() {
			days[w.UTC().Format("2006-01-02")] += n
			if v.First.IsZero() || w.Before(v.First) {
				v.First = w
			}
			if w.After(v.Latest) {
				v.Latest = w
			}
		}
	}
	v.Coverage = Coverage{Languages: counts(langs, false), Outlets: counts(outlets, false), Days: counts(days, true)}
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
