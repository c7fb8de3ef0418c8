// Package story builds what a journalist reads for each story: a title and
// summary, its events, a timeline of dated developments across all its
// articles, a ledger of the figures it reports (who said which number,
// when), disagreements between sources, and positions that changed. It is
// pure: clustered articles in, story views out.
package story

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"dossier/internal/cluster"
	"dossier/internal/facts"
	"dossier/internal/lazyre"
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
	// Origins are the independent sources the articles give for it
	// ("KCNA said", "according to Seoul"): a development several outlets
	// report from one source counts once. An entry no article attributes
	// has its first article's wire or outlet.
	Origins []Origin
}

// FigureRef names a figure: the index of a figure in an article's facts.
type FigureRef struct {
	Article int64
	Index   int
}

// Reported is one source's report of a figure in the ledger.
type Reported struct {
	FigureRef
	// Source is which of the article's sources carried the report: 0 the
	// article as stored, k > 0 its k-th folded copy (the same or a lightly
	// edited text under another outlet's name).
	Source int
	news.Figure
	// When is when the article reported it (its date, else capture).
	When time.Time
	// Origin is where the figure comes from, and Why says how that was
	// found ("names South Korea's spy agency", "same 300 killed / 2,700
	// injured pair as …, no other source named").
	Origin Origin
	Why    string
	// First is set on the first report from its origin on this quantity.
	First bool
	// EchoOf is the earlier report this one repeats; nil when the report
	// names its own origin.
	EchoOf *ReportRef
}

// Line groups the figures of a story about one quantity.
type Line struct {
	Topic         string
	Kind, Subject string
	Reports       []Reported
	// Origins are the independent origins behind the reports, in the
	// order they first reported, each with its first report.
	Origins []LineOrigin
	// Disagree is set when different origins give different values within
	// a month of each other; Changed when one origin gave a new value
	// later (300 in January, 600 in April, both from the NIS).
	Disagree, Changed bool
}

// Disagreement is a point on which the story's sources differ: figures on
// one quantity, or opposing statements.
type Disagreement struct {
	Topic string
	// Kind is "conflict" (different origins give different values at
	// about the same time), "change" (one origin gave a new value later),
	// "differ" (different origins, different values, months apart) or
	// "opposing" (parties take incompatible positions).
	Kind      string
	Figures   []FigureRef
	Values    []float64
	Positions []Position
	// Origins names the independent origins of the figures; Note says in
	// a line what the reader is looking at.
	Origins []string
	Note    string
}

// Position is one side of a disagreement.
type Position struct {
	Text string
	By   string
	// Party is who the position is for, whoever voiced it: Moscow, the
	// Kremlin and Shoigu all speak for Russia. A position repeated by
	// several outlets, or by several voices of one party, counts once.
	Party    string
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
		out = append(out, build(id, byStory[id], nil))
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

func build(id int64, arts []news.Stored, memo *Memo) Story {
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
	ds := derivedOf(newTracer(nil), arts, memo)
	s.Timeline = timeline(arts, ds)
	s.Ledger, s.Disagreements = ledger(arts, ds)
	s.Disagreements = append(s.Disagreements, positions(arts, ds)...)
	s.StatusChanges = statusChanges(arts, ds)
	return s
}

// central returns the article that shares the most entities with the
// others: the one that best stands for the group. An article's score, the
// entities it shares summed over every other article, is the sum over its
// entities of how many other articles name each: linear in the mentions,
// where comparing every pair grew with the square of the story (2,000
// articles are 4 million pairs).
func central(arts []news.Stored) news.Stored {
	ents := make([]map[string]bool, len(arts))
	count := map[string]int{}
	for i, a := range arts {
		ents[i] = map[string]bool{}
		for _, m := range a.Facts.Mentions {
			if !ents[i][m.Entity] {
				ents[i][m.Entity] = true
				count[m.Entity]++
			}
		}
	}
	best, bestScore := arts[0], -1.0
	for i, a := range arts {
		score := 0.0
		for e := range ents[i] {
			score += float64(count[e] - 1)
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

// timelineDated says whether a statement is dated closely enough for the
// timeline.
func timelineDated(st news.Statement) bool {
	return !st.Earliest.IsZero() && !st.Latest.IsZero() && st.Latest.Sub(st.Earliest) <= maxSpan
}

// timeline gathers the dated statements of a story's articles. Statements
// whose dates overlap and whose sentences share most of their terms (in
// any language: concepts and entities count) are one development with
// several sources.
func timeline(arts []news.Stored, ds []*derived) []Entry {
	type item struct {
		Entry
		terms bag
	}
	var items []*item
	for ai, a := range arts {
		for si, st := range a.Facts.Statements {
			info := ds[ai].stmts[si]
			if !info.ok {
				continue
			}
			o, named, t := info.origin, info.named, info.terms
			merged := false
			for _, it := range items {
				if overlaps(it.Earliest, it.Latest, st.Earliest, st.Latest) && similar(it.terms, t) {
					if !containsID(it.Articles, a.ID) {
						it.Articles = append(it.Articles, a.ID)
					}
					if named {
						it.addOrigin(o)
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
				it := &item{Entry: Entry{Earliest: st.Earliest, Latest: st.Latest, Text: st.Text, Lang: a.Language, Articles: []int64{a.ID}}, terms: t}
				it.addOrigin(o)
				items = append(items, it)
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

// addOrigin adds an independent origin to an entry: a named one replaces
// the outlet or wire an entry started with.
func (e *Entry) addOrigin(o Origin) {
	for _, x := range e.Origins {
		if x.ID == o.ID {
			return
		}
	}
	if len(e.Origins) == 1 && (e.Origins[0].Kind == "outlet" || e.Origins[0].Kind == "wire") {
		e.Origins = e.Origins[:0]
	}
	e.Origins = append(e.Origins, o)
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
func similar(a, b bag) bool {
	n := a.shared(b)
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
// orders each group by when it was reported, traces each report to its
// origin, and tells disagreement between origins from change within one.
func ledger(arts []news.Stored, ds []*derived) ([]Line, []Disagreement) {
	lines := map[string]*Line{}
	var order []string
	for _, a := range arts {
		when := When(a)
		prev := map[string]string{} // sentence → key of its last figure
		for i, f := range a.Facts.Figures {
			key, subj := quantityKey(f)
			// "300 killed and 2,700 others injured": a figure whose subject
			// only points back counts what the one before it counts.
			if k, ok := prev[f.Sentence]; ok && anaphoricSubject(f.Subject) {
				if _, c, ok := strings.Cut(k, "|"); ok {
					key = f.Kind + "|" + c
					if pk := lines[k]; pk != nil {
						subj = pk.Subject
					}
				}
			}
			prev[f.Sentence] = key
			l := lines[key]
			if l == nil {
				l = &Line{Topic: f.Kind + ": " + subj, Kind: f.Kind, Subject: subj}
				lines[key] = l
				order = append(order, key)
			}
			l.Reports = append(l.Reports, Reported{FigureRef: FigureRef{a.ID, i}, Figure: f, When: when})
			for k := 1; k < len(a.Sources); k++ {
				w := a.Sources[k].Captured
				if w.IsZero() || w.Before(when) {
					w = when
				}
				l.Reports = append(l.Reports, Reported{FigureRef: FigureRef{a.ID, i}, Source: k, Figure: f, When: w})
			}
		}
	}
	tr := newTracer(arts)
	for i, a := range arts {
		tr.derived[a.ID] = ds[i]
	}
	var out []Line
	var dis []Disagreement
	for _, k := range order {
		l := lines[k]
		sort.SliceStable(l.Reports, func(i, j int) bool { return l.Reports[i].When.Before(l.Reports[j].When) })
		for _, part := range tr.split(l) {
			tr.trace(part)
			out = append(out, *part)
			if d, ok := figureDisagreement(tr, part); ok {
				dis = append(dis, d)
			}
		}
	}
	return out, dis
}

// figureDisagreement reports a ledger line whose reports give more than
// one value, as a conflict between origins, a change by one origin, or
// values of different origins at different times.
func figureDisagreement(tr *tracer, l *Line) (Disagreement, bool) {
	values := map[float64]bool{}
	d := Disagreement{Topic: l.Topic}
	seen := map[FigureRef]bool{}
	for _, r := range l.Reports {
		values[r.Value] = true
		if !seen[r.FigureRef] {
			seen[r.FigureRef] = true
			d.Figures = append(d.Figures, r.FigureRef)
		}
	}
	// Values differ between origins when reports of different origins
	// that can be about the same thing give different values; within one
	// origin when it gave a new value later (l.Changed).
	differ := false
	for i, r := range l.Reports {
		for _, q := range l.Reports[i+1:] {
			differ = differ || (r.Value != q.Value && r.Origin.ID != q.Origin.ID && tr.opposable(r, q))
		}
	}
	if len(values) < 2 || !differ && !l.Changed {
		return d, false
	}
	for v := range values {
		d.Values = append(d.Values, v)
	}
	sort.Float64s(d.Values)
	var steps []string
	for _, o := range l.Origins {
		d.Origins = append(d.Origins, o.Name)
		if len(o.Values) > 1 {
			var vs []string
			for _, v := range o.Values {
				vs = append(vs, GroupDigits(strconv.FormatFloat(v, 'f', -1, 64)))
			}
			steps = append(steps, o.Name+": "+strings.Join(vs, " then "))
		}
	}
	switch {
	case l.Disagree:
		d.Kind = "conflict"
		d.Note = fmt.Sprintf("%d independent sources give different figures at about the same time", len(l.Origins))
	case l.Changed && !differ:
		d.Kind = "change"
		d.Note = "one source changed its figure over time (" + strings.Join(steps, "; ") + "), not a disagreement between sources"
	case l.Changed:
		d.Kind = "change"
		d.Note = "figures changed over time (" + strings.Join(steps, "; ") + "); no two sources differ at about the same time"
	default:
		d.Kind = "differ"
		d.Note = fmt.Sprintf("%d sources give different figures months apart: the figure may have changed in between", len(l.Origins))
	}
	return d, true
}

// anaphoricSubject reports whether a figure's subject only points back to
// the figure before it: "others", "more", "weitere", "آخرين".
func anaphoricSubject(s string) bool { return facts.Anaphoric(s) }

// quantityKey names what a figure counts so that the same quantity meets
// across articles and languages: its kind and the concepts of its subject
// ("North Korean soldiers" and "جندي كوري شمالي" both carry the soldiers
// concept), else the subject's last word, "people" for a noun for people
// in any language ("Menschen", "personas", "أشخاص").
func quantityKey(f news.Figure) (key, subject string) {
	var concepts []string
	for _, t := range cluster.Terms(f.Subject) {
		if strings.HasPrefix(t, "C:") {
			concepts = append(concepts, t)
		}
	}
	subject = f.Subject
	if len(concepts) == 0 {
		if w := facts.SubjectKey(f.Subject); w != "" {
			concepts = []string{w}
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

// positions finds opposing statements: a claim, then a pushback ("still
// holding its ground", "insisted", "denied") by another party in the same
// sentence or at most two sentences on, both about the same place, and
// one naming the other's party (Moscow says it drove Ukraine out; Ukraine
// says it is still there). A claim with no pushback after it, or one
// answered by its own party, is no disagreement. Positions gather by
// party across voices and articles: Moscow, the Kremlin and Shoigu are
// one position, however many outlets repeat it.
func positions(arts []news.Stored, ds []*derived) []Disagreement {
	g := facts.DefaultGazetteer()
	names := map[string]string{}
	var order []string
	pairs := map[string][]placeClaim{}
	for ai := range arts {
		cs := ds[ai].claims
		for i, x := range cs {
			for _, y := range cs[i+1:] {
				// y answers x: it comes after, pushes back, is another
				// party's, and is on the same question: one names the
				// other's party, or they speak of the same thing.
				if y.sentence-x.sentence > 2 || x.party == y.party || !y.Contrast {
					continue
				}
				if !x.names[y.party] && !y.names[x.party] && x.terms.shared(y.terms) == 0 {
					continue
				}
				for _, p := range slices.Sorted(maps.Keys(x.places)) {
					if _, ok := y.places[p]; !ok {
						continue
					}
					if _, ok := pairs[p]; !ok {
						order = append(order, p)
						names[p] = x.places[p]
					}
					pairs[p] = append(pairs[p], x, y)
				}
			}
		}
	}
	var out []Disagreement
	for _, place := range order {
		d := Disagreement{Topic: "conflicting claims about " + names[place], Kind: "opposing"}
		byParty := map[string]int{}
		for _, c := range pairs[place] {
			if i, ok := byParty[c.party]; ok {
				if !containsID(d.Positions[i].Articles, c.article) {
					d.Positions[i].Articles = append(d.Positions[i].Articles, c.article)
				}
				continue
			}
			byParty[c.party] = len(d.Positions)
			d.Positions = append(d.Positions, Position{Text: c.Text, By: c.By, Party: partyName(g, c.party), Articles: []int64{c.article}})
			d.Origins = append(d.Origins, partyName(g, c.party))
		}
		d.Note = fmt.Sprintf("%d parties take opposing positions: %s (each counted once, however many outlets repeat it)", len(d.Positions), joinNames(d.Origins))
		out = append(out, d)
	}
	return out
}

// articleClaims finds an article's claims about places, for positions.
func articleClaims(g *facts.Gazetteer, a news.Stored) []placeClaim {
	var cs []placeClaim
	for si, s := range facts.Sentences(a.Text) {
		// Claims first: most sentences make none, and finding the
		// places a sentence names costs more than finding its claims.
		claims := facts.Claims(s.Text)
		if len(claims) == 0 {
			continue
		}
		places := map[string]string{}
		for _, m := range g.Mentions(s.Text) {
			if m.Type == "place" && !strings.HasPrefix(m.Entity, "country:") {
				places[m.Entity] = m.Canonical
			}
		}
		if len(places) == 0 {
			continue
		}
		for _, c := range claims {
			mentioned := map[string]bool{}
			for _, m := range g.Mentions(c.Text) {
				mentioned[g.Party(m.Entity)] = true
			}
			terms := map[string]bool{}
			for k := range termSet(c.Text) {
				if !strings.HasPrefix(k, "E:") {
					terms[k] = true
				}
			}
			cs = append(cs, placeClaim{c, partyOf(g, c.By), a.ID, si, places, mentioned, bagOf(terms)})
		}
	}
	return cs
}

// partyOf resolves who a claim is by to the party it speaks for: the
// outermost entity the gazetteer puts it in, else the name as written.
func partyOf(g *facts.Gazetteer, by string) string {
	if m, ok := g.Resolve(by); ok {
		return g.Party(m.Entity)
	}
	if ms := g.Mentions(by); len(ms) > 0 {
		m := ms[len(ms)-1]
		for _, x := range ms {
			if x.Type != "name" {
				m = x
			}
		}
		return g.Party(m.Entity)
	}
	return "said:" + strings.ToLower(strings.TrimSpace(by))
}

func partyName(g *facts.Gazetteer, party string) string {
	if n := g.Canonical(party); n != "" {
		return n
	}
	if n, ok := strings.CutPrefix(party, "said:"); ok {
		return n
	}
	return party
}

var (
	reNever = lazyre.New(`(?i)\b(never|not)\s+(officially\s+)?(acknowledged|confirmed|disclosed|admitted)\b|لم\s+(تعترف|يعترف|تؤكد|يؤكد)`)
	// reHowMany marks a "never disclosed" about numbers, not about whether
	// something happened: "have never disclosed how many troops".
	reHowMany = lazyre.New(`(?i)\b(acknowledged|confirmed|disclosed|admitted)\s+(how many|how much|the number|the size|the scale)\b`)
	reFirst   = lazyre.New(`(?i)\b(confirmed|acknowledged|admitted)\b[^.]{0,40}\bfor the first time\b|\bfor the first time\b[^.]{0,40}\b(confirmed|acknowledged|admitted)\b|للمرة الأولى`)
)

// statusChanges finds a position that changed: an earlier report that
// something was never acknowledged, a later one that it was confirmed for
// the first time.
func statusChanges(arts []news.Stored, ds []*derived) []StatusChange {
	var before, after []Position
	var beforeWhen, afterWhen time.Time
	for ai, a := range arts {
		for _, s := range ds[ai].status {
			switch {
			case s.after:
				after = append(after, Position{Text: s.text, Articles: []int64{a.ID}})
				if w := When(a); afterWhen.IsZero() || w.Before(afterWhen) {
					afterWhen = w
				}
			default:
				before = append(before, Position{Text: s.text, Articles: []int64{a.ID}})
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

// statusSentences finds an article's sentences on an acknowledgement:
// that something was never acknowledged, or that it was for the first
// time.
func statusSentences(a news.Stored) []statusSentence {
	if !mayChangeStatus(a.Text) {
		return nil
	}
	var out []statusSentence
	for _, s := range facts.Sentences(a.Text) {
		switch {
		case reFirst.MatchString(s.Text):
			out = append(out, statusSentence{s.Text, true})
		case reNever.MatchString(s.Text) && !reHowMany.MatchString(s.Text):
			out = append(out, statusSentence{s.Text, false})
		}
	}
	return out
}

// statusWords are what reNever and reFirst cannot match without: an
// article holding none of them (most do not) is not split into sentences
// for them.
var statusWords = []string{"acknowledged", "confirmed", "disclosed", "admitted", "لم", "للمرة"}

// mayChangeStatus reports whether text holds one of the statusWords, in
// any case: folded as (?i) folds them, the long s (ſ) and the Kelvin sign
// included.
func mayChangeStatus(text string) bool {
	low := strings.ReplaceAll(strings.ToLower(text), "ſ", "s")
	for _, w := range statusWords {
		if strings.Contains(low, w) {
			return true
		}
	}
	return false
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
