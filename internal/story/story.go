// Package story builds what a journalist reads for each story: a title and
// summary, its events, a timeline of dated developments across all its
// articles, a ledger of the figures it reports (who said which number,
// when), disagreements between sources, and positions that changed. It is
// pure: clustered articles in, story views out.
package story

import (
	"math"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"dossier/internal/cluster"
	"dossier/internal/facts"
	"dossier/internal/news"
)

// Story is one story and everything shown about it.
type Story struct {
	ID            int64
	Title         string
	Summary       string
	Articles      []int64
	Events        []Event
	Timeline      []Entry
	Ledger        []Line
	Disagreements []Disagreement
	StatusChanges []StatusChange
}

// Event is one development inside a story.
type Event struct {
	ID               int64
	Title, Summary   string
	Articles         []int64
	Earliest, Latest time.Time
}

// Entry is one dated development on a story's timeline.
type Entry struct {
	Earliest, Latest time.Time
	Text             string
	Lang             string
	Articles         []int64
}

// FigureRef names a figure: the index of a figure in an article's facts.
type FigureRef struct {
	Article int64
	Index   int
}

// Reported is one source's report of a figure in the ledger.
type Reported struct {
	FigureRef
	news.Figure
	// When is when the article reported it (its date, else capture).
	When time.Time
}

// Line groups the figures of a story about one quantity.
type Line struct {
	Topic         string
	Kind, Subject string
	Reports       []Reported
	// Disagree is set when sources give different values within two weeks
	// of each other; Changed when the value reported last differs from the
	// value reported first.
	Disagree, Changed bool
}

// Disagreement is a point on which the story's sources differ: figures on
// one quantity, or opposing statements.
type Disagreement struct {
	Topic     string
	Figures   []FigureRef
	Values    []float64
	Positions []Position
}

// Position is one side of a disagreement.
type Position struct {
	Text     string
	By       string
	Articles []int64
}

// StatusChange is a position that changed over time.
type StatusChange struct {
	Topic         string
	Before, After Position
}

// Build assembles the stories of clustered articles (articles with no
// story are left out).
func Build(arts []news.Stored) []Story {
	byStory := map[int64][]news.Stored{}
	var order []int64
	for _, a := range arts {
		if a.Story == 0 {
			continue
		}
		if _, ok := byStory[a.Story]; !ok {
			order = append(order, a.Story)
		}
		byStory[a.Story] = append(byStory[a.Story], a)
	}
	var out []Story
	for _, id := range order {
		out = append(out, build(id, byStory[id]))
	}
	return out
}

// When returns the date an article reported what it says: its stated
// publication date, else its first capture.
func When(a news.Stored) time.Time {
	if !a.Published.Latest.IsZero() {
		return a.Published.Latest
	}
	for _, s := range a.Sources {
		if !s.Captured.IsZero() {
			return s.Captured
		}
	}
	return time.Time{}
}

func build(id int64, arts []news.Stored) Story {
	sort.SliceStable(arts, func(i, j int) bool {
		wi, wj := When(arts[i]), When(arts[j])
		if !wi.Equal(wj) {
			return wi.Before(wj)
		}
		return arts[i].ID < arts[j].ID
	})
	s := Story{ID: id}
	for _, a := range arts {
		s.Articles = append(s.Articles, a.ID)
	}
	rep := central(arts)
	s.Title, s.Summary = headline(rep), summary(rep)

	byEvent := map[int64][]news.Stored{}
	var evOrder []int64
	for _, a := range arts {
		if _, ok := byEvent[a.Event]; !ok {
			evOrder = append(evOrder, a.Event)
		}
		byEvent[a.Event] = append(byEvent[a.Event], a)
	}
	for _, eid := range evOrder {
		ea := byEvent[eid]
		r := central(ea)
		e := Event{ID: eid, Title: headline(r), Summary: summary(r)}
		for _, a := range ea {
			e.Articles = append(e.Articles, a.ID)
			if w := When(a); !w.IsZero() {
				if e.Earliest.IsZero() || w.Before(e.Earliest) {
					e.Earliest = w
				}
				if w.After(e.Latest) {
					e.Latest = w
				}
			}
		}
		s.Events = append(s.Events, e)
	}
	s.Timeline = timeline(arts)
	s.Ledger, s.Disagreements = ledger(arts)
	s.Disagreements = append(s.Disagreements, positions(arts)...)
	s.StatusChanges = statusChanges(arts)
	return s
}

// central returns the article that shares the most entities with the
// others: the one that best stands for the group.
func central(arts []news.Stored) news.Stored {
	best, bestScore := arts[0], -1.0
	ents := make([]map[string]bool, len(arts))
	for i, a := range arts {
		ents[i] = map[string]bool{}
		for _, m := range a.Facts.Mentions {
			ents[i][m.Entity] = true
		}
	}
	for i, a := range arts {
		score := 0.0
		for j := range arts {
			if i == j {
				continue
			}
			for e := range ents[i] {
				if ents[j][e] {
					score++
				}
			}
		}
		if a.Title != "" {
			score += 0.5 // prefer an article with a headline
		}
		if a.Language == "en" {
			score += 0.25
		}
		if score > bestScore {
			best, bestScore = a, score
		}
	}
	return best
}

func headline(a news.Stored) string {
	if a.Title != "" {
		return a.Title
	}
	return clip(firstSentence(a.Text), 120)
}

// summary is the first two sentences of the article, at most 400 characters.
func summary(a news.Stored) string {
	ss := facts.Sentences(a.Text)
	var b strings.Builder
	for i, s := range ss {
		if i == 2 || utf8.RuneCountInString(b.String())+utf8.RuneCountInString(s.Text) > 400 && i > 0 {
			break
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(s.Text)
	}
	return clip(b.String(), 400)
}

func firstSentence(s string) string {
	ss := facts.Sentences(s)
	if len(ss) == 0 {
		return ""
	}
	return ss[0].Text
}

func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n]
	if i := strings.LastIndex(string(r), " "); i > n/2 {
		return string(r)[:i] + " …"
	}
	return string(r) + "…"
}

// maxSpan drops from the timeline expressions too vague to place a
// development (a whole century, a decade).
const maxSpan = 400 * 24 * time.Hour

// timeline gathers the dated statements of a story's articles. Statements
// whose dates overlap and whose sentences share most of their terms (in
// any language: concepts and entities count) are one development with
// several sources.
func timeline(arts []news.Stored) []Entry {
	type item struct {
		Entry
		terms map[string]bool
	}
	var items []*item
	for _, a := range arts {
		for _, st := range a.Facts.Statements {
			if st.Earliest.IsZero() || st.Latest.IsZero() || st.Latest.Sub(st.Earliest) > maxSpan {
				continue
			}
			t := termSet(st.Text)
			merged := false
			for _, it := range items {
				if overlaps(it.Earliest, it.Latest, st.Earliest, st.Latest) && similar(it.terms, t) {
					if !containsID(it.Articles, a.ID) {
						it.Articles = append(it.Articles, a.ID)
					}
					// Keep the narrower range: the more precise report.
					if st.Latest.Sub(st.Earliest) < it.Latest.Sub(it.Earliest) {
						it.Earliest, it.Latest = st.Earliest, st.Latest
					}
					merged = true
					break
				}
			}
			if !merged {
				items = append(items, &item{Entry: Entry{Earliest: st.Earliest, Latest: st.Latest, Text: st.Text, Lang: a.Language, Articles: []int64{a.ID}}, terms: t})
			}
		}
	}
	out := make([]Entry, len(items))
	for i, it := range items {
		out[i] = it.Entry
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].Earliest.Equal(out[j].Earliest) {
			return out[i].Earliest.Before(out[j].Earliest)
		}
		return out[i].Latest.Before(out[j].Latest)
	})
	return out
}

func termSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, t := range cluster.Terms(s) {
		m[t] = true
	}
	for _, mm := range facts.DefaultGazetteer().Mentions(s) {
		m["E:"+mm.Entity] = true
	}
	return m
}

// similar reports whether two sentences tell the same development: they
// share at least half the terms of the shorter one, and at least three.
func similar(a, b map[string]bool) bool {
	n := 0
	for k := range a {
		if b[k] {
			n++
		}
	}
	return n >= 3 && float64(n) >= 0.5*math.Min(float64(len(a)), float64(len(b)))
}

func overlaps(a0, a1, b0, b1 time.Time) bool { return !a0.After(b1) && !b0.After(a1) }

func containsID(xs []int64, x int64) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// ledger groups a story's figures by quantity (kind and what is counted),
// orders each group by when it was reported, and flags disagreement and
// change.
func ledger(arts []news.Stored) ([]Line, []Disagreement) {
	lines := map[string]*Line{}
	var order []string
	for _, a := range arts {
		when := When(a)
		for i, f := range a.Facts.Figures {
			key, subj := quantityKey(f)
			l := lines[key]
			if l == nil {
				l = &Line{Topic: f.Kind + ": " + subj, Kind: f.Kind, Subject: subj}
				lines[key] = l
				order = append(order, key)
			}
			l.Reports = append(l.Reports, Reported{FigureRef: FigureRef{a.ID, i}, Figure: f, When: when})
		}
	}
	var out []Line
	var dis []Disagreement
	for _, k := range order {
		l := lines[k]
		sort.SliceStable(l.Reports, func(i, j int) bool { return l.Reports[i].When.Before(l.Reports[j].When) })
		values := map[float64]bool{}
		for i, r := range l.Reports {
			values[r.Value] = true
			for _, q := range l.Reports[i+1:] {
				if q.Value != r.Value && absDur(q.When.Sub(r.When)) <= 14*24*time.Hour {
					l.Disagree = true
				}
			}
		}
		if len(l.Reports) > 1 && l.Reports[0].Value != l.Reports[len(l.Reports)-1].Value {
			l.Changed = true
		}
		out = append(out, *l)
		if len(values) > 1 {
			d := Disagreement{Topic: l.Topic}
			for _, r := range l.Reports {
				d.Figures = append(d.Figures, r.FigureRef)
			}
			for v := range values {
				d.Values = append(d.Values, v)
			}
			sort.Float64s(d.Values)
			dis = append(dis, d)
		}
	}
	return out, dis
}

// quantityKey names what a figure counts so that the same quantity meets
// across articles and languages: its kind and the concepts of its subject
// ("North Korean soldiers" and "جندي كوري شمالي" both carry the soldiers
// concept), else the subject's last word.
func quantityKey(f news.Figure) (key, subject string) {
	var concepts []string
	for _, t := range cluster.Terms(f.Subject) {
		if strings.HasPrefix(t, "C:") {
			concepts = append(concepts, t)
		}
	}
	subject = f.Subject
	if len(concepts) == 0 {
		w := strings.Fields(strings.ToLower(f.Subject))
		if len(w) > 0 {
			concepts = []string{w[len(w)-1]}
		}
	}
	return f.Kind + "|" + strings.Join(concepts, ","), subject
}

func absDur(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// positions finds opposing statements: two claims by different sources
// about the same place, in the same article and at most two sentences
// apart, one of them pushing back ("still holding its ground",
// "insisted", "denied"). Positions gather by source across articles.
func positions(arts []news.Stored) []Disagreement {
	type claim struct {
		facts.Claim
		source   string
		article  int64
		sentence int
		places   map[string]bool
	}
	g := facts.DefaultGazetteer()
	names := map[string]string{}
	var order []string
	pairs := map[string][]claim{}
	for _, a := range arts {
		var cs []claim
		for si, s := range facts.Sentences(a.Text) {
			places := map[string]bool{}
			for _, m := range g.Mentions(s.Text) {
				if m.Type == "place" && !strings.HasPrefix(m.Entity, "country:") {
					places[m.Entity] = true
					names[m.Entity] = m.Canonical
				}
			}
			if len(places) == 0 {
				continue
			}
			for _, c := range facts.Claims(s.Text) {
				src := c.By
				if m, ok := g.Resolve(c.By); ok {
					src = m.Entity
				} else if ms := g.Mentions(c.By); len(ms) > 0 {
					src = ms[0].Entity
				}
				cs = append(cs, claim{c, src, a.ID, si, places})
			}
		}
		for i, x := range cs {
			for _, y := range cs[i+1:] {
				if y.sentence-x.sentence > 2 || x.source == y.source || !(x.Contrast || y.Contrast) {
					continue
				}
				for p := range x.places {
					if !y.places[p] {
						continue
					}
					if _, ok := pairs[p]; !ok {
						order = append(order, p)
					}
					pairs[p] = append(pairs[p], x, y)
				}
			}
		}
	}
	var out []Disagreement
	for _, place := range order {
		d := Disagreement{Topic: "conflicting claims about " + names[place]}
		bySource := map[string]int{}
		for _, c := range pairs[place] {
			if i, ok := bySource[c.source]; ok {
				if !containsID(d.Positions[i].Articles, c.article) {
					d.Positions[i].Articles = append(d.Positions[i].Articles, c.article)
				}
				continue
			}
			bySource[c.source] = len(d.Positions)
			d.Positions = append(d.Positions, Position{Text: c.Text, By: c.By, Articles: []int64{c.article}})
		}
		out = append(out, d)
	}
	return out
}

var (
	reNever = regexp.MustCompile(`(?i)\b(never|not)\s+(officially\s+)?(acknowledged|confirmed|disclosed|admitted)\b|لم\s+(تعترف|يعترف|تؤكد|يؤكد)`)
	reFirst = regexp.MustCompile(`(?i)\b(confirmed|acknowledged|admitted)\b[^.]{0,40}\bfor the first time\b|\bfor the first time\b[^.]{0,40}\b(confirmed|acknowledged|admitted)\b|للمرة الأولى`)
)

// statusChanges finds a position that changed: an earlier report that
// something was never acknowledged, a later one that it was confirmed for
// the first time.
func statusChanges(arts []news.Stored) []StatusChange {
	var before, after []Position
	var beforeWhen, afterWhen time.Time
	for _, a := range arts {
		for _, s := range facts.Sentences(a.Text) {
			switch {
			case reFirst.MatchString(s.Text):
				after = append(after, Position{Text: s.Text, Articles: []int64{a.ID}})
				if w := When(a); afterWhen.IsZero() || w.Before(afterWhen) {
					afterWhen = w
				}
			case reNever.MatchString(s.Text):
				before = append(before, Position{Text: s.Text, Articles: []int64{a.ID}})
				if w := When(a); w.After(beforeWhen) {
					beforeWhen = w
				}
			}
		}
	}
	if len(before) == 0 || len(after) == 0 || (!afterWhen.IsZero() && afterWhen.Before(beforeWhen)) {
		return nil
	}
	sc := StatusChange{Topic: "acknowledgement", Before: merge(before), After: merge(after)}
	return []StatusChange{sc}
}

func merge(ps []Position) Position {
	p := Position{Text: ps[0].Text}
	for _, q := range ps {
		for _, id := range q.Articles {
			if !containsID(p.Articles, id) {
				p.Articles = append(p.Articles, id)
			}
		}
	}
	return p
}
