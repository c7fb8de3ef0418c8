package story

import (
	"fmt"
	"net/url"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"dossier/internal/facts"
	"dossier/internal/lazyre"
	"dossier/internal/news"
)

// Origin is where a report of a figure comes from: the source that first
// put it out, however many outlets repeat it.
type Origin struct {
	// ID identifies the origin: an entity id ("org:nis"), several joined
	// by "+" for a joint assessment, "desc:" and a slug for a described
	// source the gazetteer does not name ("a South Korean legislator"),
	// "outlet:" and a slug for an outlet's own unattributed report.
	ID string
	// Name is how a reader would call it: "National Intelligence Service".
	Name string
	// Kind is how the origin was found: "named" (the article names it),
	// "joint" (several named together), "described" (a description tied
	// to an entity), "wire" (no source named; the article's wire credit),
	// "outlet" (no source named, no wire: the outlet's own report).
	Kind string
	// Within lists the entities the origin belongs to or speaks for,
	// nearest first: the NIS is within South Korea.
	Within []string
}

// ReportRef names one report in a ledger: a figure of an article, as
// carried by one of the article's sources (0: the article as stored;
// k > 0: its k-th folded copy, a syndicated or lightly edited copy).
type ReportRef struct {
	FigureRef
	Source int
}

// LineOrigin is one independent origin behind a ledger line.
type LineOrigin struct {
	Origin
	// First is the origin's first report on the line, reported at
	// FirstWhen.
	First     ReportRef
	FirstWhen time.Time
	// Reports counts the reports that trace to the origin (echoes and
	// copies included).
	Reports int
	// Values are the values the origin itself gave, in the order given
	// (echoes repeat a value, they do not give one).
	Values []float64
}

// sameTime is how far apart two origins' reports may be and still be a
// disagreement rather than figures of different moments.
const sameTime = 31 * 24 * time.Hour

// tracer resolves the origin of reports.
type tracer struct {
	g    *facts.Gazetteer
	arts map[int64]news.Stored
	// sentences caches the sentences of each article, terms the term set
	// of a sentence, scopes the scope of a report.
	sentences map[int64][]string
	terms     map[string]map[string]bool
	scopes    map[ReportRef]map[string]bool
	// derived holds what was derived from each article on its own (set
	// by ledger for every article it traces).
	derived map[int64]*derived
}

func newTracer(arts []news.Stored) *tracer {
	t := &tracer{g: facts.DefaultGazetteer(), arts: map[int64]news.Stored{}, sentences: map[int64][]string{},
		terms: map[string]map[string]bool{}, scopes: map[ReportRef]map[string]bool{}, derived: map[int64]*derived{}}
	for _, a := range arts {
		t.arts[a.ID] = a
	}
	return t
}

// trace gives every report of a line its origin, in the order reported:
// a report that names its source has that origin; one that names none, or
// only a body an earlier report's origin belongs to ("South Korea" after
// the NIS), and repeats an earlier report's value is an echo of that
// report's origin; otherwise its origin is the article's wire credit, else
// the outlet itself. Folded copies of an article are echoes of it.
func (t *tracer) trace(l *Line) {
	for i := range l.Reports {
		r := &l.Reports[i]
		if r.Source > 0 {
			continue
		}
		t.traceOne(r, l.Reports[:i])
	}
	for i := range l.Reports {
		r := &l.Reports[i]
		if r.Source == 0 {
			continue
		}
		for _, q := range l.Reports {
			if q.Source == 0 && q.FigureRef == r.FigureRef {
				ref := ReportRef{FigureRef: q.FigureRef}
				r.Origin, r.EchoOf = q.Origin, &ref
				r.Why = fmt.Sprintf("copy of the article %s, carried by %s", articleLabel(q.Article), t.outlet(t.arts[r.Article], r.Source))
				break
			}
		}
	}
	// First report of each origin, and the origins of the line.
	idx := map[string]int{}
	last := map[string]Reported{}
	for i := range l.Reports {
		r := &l.Reports[i]
		k, ok := idx[r.Origin.ID]
		if !ok {
			k = len(l.Origins)
			idx[r.Origin.ID] = k
			r.First = true
			l.Origins = append(l.Origins, LineOrigin{Origin: r.Origin, First: r.ReportRef(), FirstWhen: r.When})
		}
		o := &l.Origins[k]
		o.Reports++
		// A new value is one the origin gives in a later report about the
		// same thing; two values in one article are two quantities, not a
		// revision.
		if r.EchoOf != nil {
			continue
		}
		if p, ok := last[r.Origin.ID]; !ok {
			o.Values = append(o.Values, r.Value)
			last[r.Origin.ID] = *r
		} else if p.Value != r.Value && p.Article != r.Article && t.comparable(p, *r) {
			o.Values = append(o.Values, r.Value)
			last[r.Origin.ID] = *r
		}
	}
	for _, o := range l.Origins {
		if len(o.Values) > 1 {
			l.Changed = true
		}
	}
	for i, r := range l.Reports {
		for _, q := range l.Reports[i+1:] {
			if q.Origin.ID != r.Origin.ID && q.Value != r.Value && t.sameTime(r, q) && t.opposable(r, q) {
				l.Disagree = true
			}
		}
	}
}

// scope is what a report's figure is about besides who gives it: the
// parties its sentence names, less the origin's own (a 25% tariff on
// Japan and South Korea is not a 10% tariff on BRICS countries, though
// both are tariffs Washington announced).
func (t *tracer) scope(r Reported) map[string]bool {
	if sc, ok := t.scopes[r.ReportRef()]; ok {
		return sc
	}
	own := map[string]bool{}
	for _, id := range append(append(strings.Split(r.Origin.ID, "+"), r.Origin.Within...), t.g.Party(r.Origin.ID)) {
		own[id] = true
	}
	out := t.scopeWithout(r, own)
	t.scopes[r.ReportRef()] = out
	return out
}

// scopeWithout is the parties r's sentence names, less own and the
// parties its attribution names.
func (t *tracer) scopeWithout(r Reported, own map[string]bool) map[string]bool {
	for _, m := range t.g.Mentions(r.AttributedTo) {
		own[t.g.Party(m.Entity)] = true
	}
	out := map[string]bool{}
	for _, p := range t.parties(r.Sentence) {
		if !own[p] {
			out[p] = true
		}
	}
	return out
}

// parties lists, in order of first mention, the parties a sentence names:
// known entities mapped to the party they belong to, less the news media
// that only carry the story (AFP, CNBC).
func (t *tracer) parties(s string) []string {
	var out []string
	seen := map[string]bool{}
	for _, m := range t.g.Mentions(s) {
		if m.Type == "name" || t.g.Media(m.Entity) {
			continue
		}
		if p := t.g.Party(m.Entity); !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}

// split divides a ledger line whose reports count different things: the
// same kind of figure about parties that do not meet (a 25% tariff on
// Japan and South Korea, a 10% tariff on BRICS countries), or a year or
// more apart (a 2004 tsunami's toll in a 2013 quake story). Reports that
// name no party join the part with the same value, else the largest one
// in their time. Each part's topic names its parties.
func (t *tracer) split(l *Line) []*Line {
	n := len(l.Reports)
	if n < 2 {
		return []*Line{l}
	}
	scopes := make([]map[string]bool, n)
	for i, r := range l.Reports {
		scopes[i] = t.scopeWithout(r, map[string]bool{})
	}
	parent := make([]int, n)
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	union := func(i, j int) { parent[find(i)] = find(j) }
	near := func(i, j int) bool { return t.gap(l.Reports[i], l.Reports[j]) <= otherOccurrence }
	for i := range l.Reports {
		for j := i + 1; j < n; j++ {
			ri, rj := l.Reports[i], l.Reports[j]
			if ri.FigureRef == rj.FigureRef || len(scopes[i]) > 0 && len(scopes[j]) > 0 && intersects(scopes[i], scopes[j]) && near(i, j) {
				union(i, j)
			}
		}
	}
	size := map[int]int{}
	for i := range l.Reports {
		if len(scopes[i]) > 0 {
			size[find(i)]++
		}
	}
	if len(size) < 2 {
		return []*Line{l}
	}
	for i, r := range l.Reports {
		if len(scopes[i]) > 0 || l.Reports[i].Source > 0 {
			continue
		}
		best, bestScore := -1, -1
		for j, q := range l.Reports {
			if len(scopes[j]) == 0 || !near(i, j) {
				continue
			}
			score := size[find(j)]
			if q.Value == r.Value {
				score += n
			}
			if score > bestScore {
				best, bestScore = j, score
			}
		}
		if best >= 0 {
			union(i, best)
		}
	}
	var parts []*Line
	at := map[int]*Line{}
	names := map[*Line]map[string]int{}
	for i, r := range l.Reports {
		root := find(i)
		p := at[root]
		if p == nil {
			p = &Line{Topic: l.Topic, Kind: l.Kind, Subject: l.Subject}
			at[root] = p
			names[p] = map[string]int{}
			parts = append(parts, p)
		}
		p.Reports = append(p.Reports, r)
		for k := range scopes[i] {
			names[p][k]++
		}
	}
	if len(parts) < 2 {
		return parts
	}
	for _, p := range parts {
		// Name the part by the parties most of its reports name, in the
		// order its first report names them.
		var ks []string
		for _, r := range p.Reports {
			for _, k := range t.parties(r.Sentence) {
				if names[p][k] > 0 && !slices.Contains(ks, k) {
					ks = append(ks, k)
				}
			}
		}
		sort.SliceStable(ks, func(i, j int) bool { return names[p][ks[i]] > names[p][ks[j]] })
		var ns []string
		for _, k := range ks[:min(len(ks), 2)] {
			if n := t.g.Canonical(k); n != "" {
				ns = append(ns, n)
			}
		}
		if len(ns) > 0 {
			p.Topic += " (" + strings.Join(ns, ", ") + ")"
		}
	}
	return parts
}

func intersects(a, b map[string]bool) bool {
	for k := range a {
		if b[k] {
			return true
		}
	}
	return false
}

// termsOf is termSet, once per sentence.
func (t *tracer) termsOf(s string) map[string]bool {
	m, ok := t.terms[s]
	if !ok {
		m = termSet(s)
		t.terms[s] = m
	}
	return m
}

// moment is when what a report counts happened: the date its sentence
// gives ("in late 2024"), else when it was reported.
func (t *tracer) moment(r Reported) (time.Time, time.Time) {
	for _, st := range t.arts[r.Article].Facts.Statements {
		if st.Text == r.Sentence && timelineDated(st) {
			return st.Earliest, st.Latest
		}
	}
	return r.When, r.When
}

// gap is the time between what two reports count (0 when their moments
// overlap).
func (t *tracer) gap(r, q Reported) time.Duration {
	a0, a1 := t.moment(r)
	b0, b1 := t.moment(q)
	switch {
	case a0.IsZero() || b0.IsZero():
		return 0
	case a1.Before(b0):
		return b0.Sub(a1)
	case b1.Before(a0):
		return a0.Sub(b1)
	}
	return 0
}

// sameTime reports whether two reports count at about the same moment.
func (t *tracer) sameTime(r, q Reported) bool {
	return absDur(q.When.Sub(r.When)) <= sameTime && t.gap(r, q) <= sameTime
}

// otherOccurrence is how far apart two counts must be to be of different
// occurrences (a 2004 tsunami's toll beside a 2013 quake's), never
// compared.
const otherOccurrence = 365 * 24 * time.Hour

// comparable reports whether two reports can be about the same thing:
// their moments are less than a year apart, and their scopes share a
// party or one names none.
func (t *tracer) comparable(r, q Reported) bool {
	if t.gap(r, q) > otherOccurrence {
		return false
	}
	a, b := t.scope(r), t.scope(q)
	if len(a) == 0 || len(b) == 0 {
		return true
	}
	for k := range a {
		if b[k] {
			return true
		}
	}
	return false
}

// opposable reports whether two reports of different origins can be
// about the same thing, so that different values are a disagreement: they
// are comparable, and when either sentence names no party, their articles
// are of one event. A story holds several events (two quakes, a shooting
// and its trial), and a toll that names no party may be another event's;
// one origin's later value across events is still a change (comparable).
func (t *tracer) opposable(r, q Reported) bool {
	if !t.comparable(r, q) || !sameMagnitude(r.Value, q.Value) {
		return false
	}
	if len(t.scope(r)) == 0 || len(t.scope(q)) == 0 {
		return t.sameEvent(r, q)
	}
	return true
}

// sameMagnitude reports whether two values can be two counts of one
// quantity at one time: within a factor of ten. A toll of 3 and one of
// 147,000 in one story count different things (a town and a country, a
// day and a pandemic), not a disagreement.
func sameMagnitude(a, b float64) bool {
	lo, hi := min(a, b), max(a, b)
	return hi <= 10*max(lo, 1) // "no one was killed" against 2 still disagrees
}

// sameEvent reports whether two reports' articles are of one event, or
// either is of none (not yet clustered).
func (t *tracer) sameEvent(r, q Reported) bool {
	a, b := t.arts[r.Article].Event, t.arts[q.Article].Event
	return a == 0 || b == 0 || a == b
}

// ReportRef returns the reference of a report.
func (r Reported) ReportRef() ReportRef { return ReportRef{FigureRef: r.FigureRef, Source: r.Source} }

func (t *tracer) traceOne(r *Reported, earlier []Reported) {
	a := t.arts[r.Article]
	src := t.derived[r.Article].figs[r.Index]
	named, why := src.origin, src.why
	if src.ok {
		// A source that an earlier origin belongs to, giving that origin's
		// value, is that origin named more vaguely.
		if named.Kind == "named" || named.Kind == "described" {
			if p, _ := t.bestEcho(r, earlier, func(q Reported) bool { return within(q.Origin, named.ID) }); p != nil {
				ref := p.ReportRef()
				r.Origin, r.EchoOf = p.Origin, &ref
				r.Why = fmt.Sprintf("names %s, which %s belongs to, and gives the same %s as %s", named.Name, p.Origin.Name,
					valueText(r.Figure), echoText(*p, earlier))
				return
			}
		}
		r.Origin, r.Why = named, why
		return
	}
	if p, how := t.bestEcho(r, earlier, func(Reported) bool { return true }); p != nil {
		ref := p.ReportRef()
		r.Origin, r.EchoOf = p.Origin, &ref
		r.Why = how + ", no other source named"
		return
	}
	r.Origin = t.unnamed(a)
	if r.Origin.Kind == "wire" {
		r.Why = "no source named; the article is credited to " + r.Origin.Name
		return
	}
	r.Why = "no source named and no earlier report of this value: the outlet's own report"
}

// statementOrigin is where a dated statement comes from: the source its
// sentence names ("KCNA said", "according to Seoul"), and true; else the
// article's wire or outlet, and false.
func (t *tracer) statementOrigin(a news.Stored, text string) (Origin, bool) {
	for _, c := range facts.Claims(text) {
		if o, _, ok := t.named(a, news.Figure{AttributedTo: c.By, Sentence: text}); ok {
			return o, true
		}
	}
	return t.unnamed(a), false
}

// unnamed is the origin of what an article says without naming a source:
// its wire, else its outlet.
func (t *tracer) unnamed(a news.Stored) Origin {
	for _, c := range a.Credits {
		if isPhotoCredit(c) {
			continue
		}
		if m, ok := t.g.Resolve(wireName(c)); ok && t.g.Wire(m.Entity) {
			return Origin{ID: m.Entity, Name: m.Canonical, Kind: "wire", Within: t.g.PartOf(m.Entity)}
		}
	}
	// An outlet is known by its site or its address; a file or a corpus
	// line says nothing of who published it, so such an article is an
	// outlet of its own.
	o := a.Site
	if o == "" && len(a.Sources) > 0 {
		if u, err := url.Parse(a.Sources[0].URL); err == nil && u.Host != "" {
			o = strings.TrimPrefix(u.Host, "www.")
		}
	}
	if o == "" {
		return Origin{ID: "outlet:" + articleLabel(a.ID), Name: "the unnamed outlet of " + articleLabel(a.ID), Kind: "outlet"}
	}
	return Origin{ID: "outlet:" + slugOf(o), Name: o, Kind: "outlet"}
}

func within(o Origin, id string) bool {
	for _, w := range o.Within {
		if w == id {
			return true
		}
	}
	return false
}

// bestEcho finds the earlier report r most likely repeats: the same value
// on the same quantity, preferring one whose sentence gives the same other
// figures (the 300 killed / 2,700 injured pair), then one whose wording is
// close, then the earliest. It returns the report and how it matches.
func (t *tracer) bestEcho(r *Reported, earlier []Reported, ok func(Reported) bool) (*Reported, string) {
	var best *Reported
	bestScore, bestHow := -1.0, ""
	rTerms := t.termsOf(r.Sentence)
	for i := range earlier {
		q := &earlier[i]
		if q.Source > 0 || q.Value != r.Value || !ok(*q) {
			continue
		}
		qText := echoText(*q, earlier)
		score, how := 0.0, fmt.Sprintf("same %s as %s", valueText(r.Figure), qText)
		if pair := t.sharedSiblings(*r, *q); len(pair) > 0 {
			score += 2 * float64(len(pair))
			how = fmt.Sprintf("same %s pair as %s", strings.Join(append([]string{valueText(r.Figure)}, pair...), " / "), qText)
		}
		a, b, kind := rTerms, t.termsOf(q.Sentence), "near-copy"
		if t.arts[q.Article].Language != t.arts[r.Article].Language {
			// Across languages only concepts and entities can meet.
			a, b, kind = crossLingual(a), crossLingual(b), "translation"
		}
		if q.EchoOf == nil {
			score += 0.5 // the origin's own report over a repetition of it
		}
		if sim := overlap(a, b); sim >= 0.5 {
			if kind == "translation" {
				score += crossDiscount * sim // concepts meet more easily than words
			} else {
				score += sim
			}
			if sim >= 0.8 {
				how = fmt.Sprintf("%s of the sentence of %s, same %s", kind, qText, valueText(r.Figure))
			}
		}
		if score > bestScore {
			best, bestScore, bestHow = q, score, how
		}
	}
	return best, bestHow
}

// sharedSiblings lists the other figures of r's sentence that q's sentence
// gives too, as text ("2,700 injured").
func (t *tracer) sharedSiblings(r, q Reported) []string {
	var out []string
	qs := t.siblings(q)
	for _, f := range t.siblings(r) {
		for _, g := range qs {
			if f.Kind == g.Kind && f.Value == g.Value {
				out = append(out, valueText(f))
				break
			}
		}
	}
	return out
}

// siblings are the other figures stated in the sentence of r.
func (t *tracer) siblings(r Reported) []news.Figure {
	var out []news.Figure
	for i, f := range t.arts[r.Article].Facts.Figures {
		if i != r.Index && f.Sentence == r.Sentence && f.Kind != "" {
			out = append(out, f)
		}
	}
	return out
}

// crossDiscount weighs a match across languages, where only concepts and
// entities are compared, against one on all the words (as clustering does).
const crossDiscount = 0.55

// crossLingual keeps the terms that read the same in any language:
// concepts and entities.
func crossLingual(m map[string]bool) map[string]bool {
	out := map[string]bool{}
	for k := range m {
		if strings.HasPrefix(k, "C:") || strings.HasPrefix(k, "E:") {
			out[k] = true
		}
	}
	return out
}

// overlap is the share of the smaller term set found in the other.
func overlap(a, b map[string]bool) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	n := 0
	for k := range a {
		if b[k] {
			n++
		}
	}
	return float64(n) / float64(min(len(a), len(b)))
}

// reCite finds who a described source relays: "after a briefing from the
// National Intelligence Service", "citing", "بحسب", "نقلا عن".
var reCite = lazyre.New(`(?i)(?:briefing|briefed|citing|cited|quoting|quoted|according to|provided by|disclosed by|released by|obtained from|نقلا عن|نقلاً عن|بحسب|حسب|وفقا ل|وفقاً ل|استنادا إلى|استناداً إلى)\s+(?:(?:from|by|of|with)\s+)?`)

// reAnaphor opens a sentence that goes on about the information just given.
var reAnaphor = lazyre.New(`(?i)^\s*(?:this|these|the|that|such)\s+(?:information|figures?|numbers?|estimates?|data|assessment|tally|toll)\b|^\s*(?:هذه|وهذه)\s+(?:المعلومات|الأرقام|التقديرات)`)

// named resolves the source an article names for a figure, if it names
// one (what it reads of the article must be in memoKeyOf, since views keep
// its answers in a Memo): an entity, several (a joint assessment), or a description tied to
// an entity. A described source that says whom it relays ("a South Korean
// legislator … after a briefing from the National Intelligence Service")
// has the relayed body as origin.
func (t *tracer) named(a news.Stored, f news.Figure) (Origin, string, bool) {
	by := strings.TrimSpace(f.AttributedTo)
	if by == "" && f.Sentence == "" {
		return Origin{}, "", false
	}
	if m, ok := t.g.Resolve(by); ok && by != "" {
		return t.entityOrigin(m, "named"), "names " + by, true
	}
	ms := t.g.Mentions(by)
	var countries []news.Mention
	seen := map[string]bool{}
	for _, m := range ms {
		if strings.HasPrefix(m.Entity, "country:") && !seen[m.Entity] {
			seen[m.Entity] = true
			countries = append(countries, m)
		}
	}
	if len(countries) >= 2 {
		sort.Slice(countries, func(i, j int) bool { return countries[i].Entity < countries[j].Entity })
		var ids, names []string
		for _, m := range countries {
			ids, names = append(ids, m.Entity), append(names, m.Canonical)
		}
		return Origin{ID: strings.Join(ids, "+"), Name: joinNames(names), Kind: "joint"}, "names " + by + " together", true
	}
	if n := len(ms); n > 0 && strings.HasSuffix(strings.TrimRight(by, " .,:;'\"’"), ms[n-1].Name) && ms[n-1].Type != "name" {
		return t.entityOrigin(ms[n-1], "named"), "names " + by, true
	}
	// A described source, or none: does the sentence, or the next one
	// when it goes on about this information, say whom it relays?
	if o, cite, ok := t.relayed(a, f); ok {
		if by == "" {
			return o, "the sentence cites " + cite, true
		}
		return o, by + ", citing " + cite, true
	}
	if by != "" && len(ms) == 0 && !generic(by) {
		// A source the gazetteer does not know: "the union". A kind of
		// source every language has a word for is one origin in all of
		// them: "laut Polizei" and "police said".
		key := withoutArticle(by)
		if kind, ok := facts.SourceKind(by); ok {
			key = kind
		}
		return Origin{ID: "said:" + slugOf(key), Name: by, Kind: "named"}, "names " + by, true
	}
	if n := len(ms); n > 0 && by != "" {
		m := ms[n-1]
		if m.Type == "name" {
			return Origin{ID: m.Entity, Name: m.Canonical, Kind: "named"}, "names " + by, true
		}
		within := append([]string{m.Entity}, t.g.PartOf(m.Entity)...)
		return Origin{ID: "desc:" + slugOf(by), Name: by, Kind: "described", Within: within}, "names " + by, true
	}
	return Origin{}, "", false
}

func (t *tracer) entityOrigin(m news.Mention, kind string) Origin {
	return Origin{ID: m.Entity, Name: m.Canonical, Kind: kind, Within: t.g.PartOf(m.Entity)}
}

// relayed looks in the figure's sentence, and the next one when it opens
// on "This information", for a named organisation or person introduced
// as the one relayed ("briefing from", "citing", "بحسب").
func (t *tracer) relayed(a news.Stored, f news.Figure) (Origin, string, bool) {
	ss, ok := t.sentences[a.ID]
	if !ok {
		for _, s := range facts.Sentences(a.Text) {
			ss = append(ss, s.Text)
		}
		t.sentences[a.ID] = ss
	}
	window := []string{f.Sentence}
	for i, s := range ss {
		if s == f.Sentence && i+1 < len(ss) && reAnaphor.MatchString(ss[i+1]) {
			window = append(window, ss[i+1])
		}
	}
	for _, s := range window {
		for _, loc := range reCite.FindAllStringIndex(s, -1) {
			rest := strings.TrimLeft(s[loc[1]:], " (\"“«")
			rest = strings.TrimPrefix(strings.TrimPrefix(rest, "the "), "The ")
			ms := t.g.Mentions(rest)
			// The relayed body is what the cue introduces, not a name
			// further on.
			if len(ms) == 0 || !strings.HasPrefix(rest, firstWord(ms[0].Name)) {
				continue
			}
			if m := ms[0]; m.Type == "org" || m.Type == "person" {
				return t.entityOrigin(m, "named"), m.Canonical, true
			}
		}
	}
	return Origin{}, "", false
}

// withoutArticle drops a leading "the", "a" or "an": "the union" and "a
// union" are one source.
func withoutArticle(s string) string {
	l := strings.ToLower(strings.TrimSpace(s))
	for _, a := range []string{"the ", "a ", "an "} {
		if rest, ok := strings.CutPrefix(l, a); ok {
			return rest
		}
	}
	return l
}

func firstWord(s string) string {
	if f := strings.Fields(s); len(f) > 0 {
		return f[0]
	}
	return s
}

// outlet names where an article (or its k-th source) was published: its
// site, else the host of its address, else its file.
func (t *tracer) outlet(a news.Stored, k int) string {
	if k == 0 && a.Site != "" {
		return a.Site
	}
	if k < len(a.Sources) {
		s := a.Sources[k]
		if u, err := url.Parse(s.URL); err == nil && u.Host != "" {
			return strings.TrimPrefix(u.Host, "www.")
		}
		if s.File != "" {
			return path.Base(s.File)
		}
	}
	if a.Site != "" {
		return a.Site
	}
	return articleLabel(a.ID)
}

func isPhotoCredit(c string) bool {
	l := strings.ToLower(c)
	for _, p := range []string{"photo", "image", "picture", "video", "صورة", "الصورة", "تصوير"} {
		if strings.HasPrefix(l, p) {
			return true
		}
	}
	return false
}

// wireName strips a credit down to the agency's name ("(AFP)", "By Reuters").
func wireName(c string) string {
	c = strings.Trim(strings.TrimSpace(c), "()")
	for _, p := range []string{"By ", "by ", "Source: ", "Source:"} {
		c = strings.TrimPrefix(c, p)
	}
	return strings.TrimSpace(c)
}

func joinNames(ns []string) string {
	switch len(ns) {
	case 0:
		return ""
	case 1:
		return ns[0]
	}
	return strings.Join(ns[:len(ns)-1], ", ") + " and " + ns[len(ns)-1]
}

func slugOf(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r > 0x7f && (r < 0x2000 || r > 0x206f):
			b.WriteRune(r)
		default:
			if b.Len() > 0 && !strings.HasSuffix(b.String(), "-") {
				b.WriteByte('-')
			}
		}
	}
	return strings.Trim(b.String(), "-")
}

func articleLabel(id int64) string { return "a" + strconv.FormatInt(id, 10) }

// valueText writes a figure for a reader: "2,700 injured".
func valueText(f news.Figure) string {
	v := GroupDigits(strconv.FormatFloat(f.Value, 'f', -1, 64))
	if f.Unit == "percent" {
		v += "%"
	}
	if f.Kind != "" {
		v += " " + f.Kind
	}
	return v
}

// GroupDigits writes a decimal number's integer part in groups of three
// ("12345.6" → "12,345.6").
func GroupDigits(s string) string {
	intPart, frac, _ := strings.Cut(s, ".")
	neg := strings.HasPrefix(intPart, "-")
	intPart = strings.TrimPrefix(intPart, "-")
	var b strings.Builder
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	out := b.String()
	if frac != "" {
		out += "." + frac
	}
	if neg {
		out = "-" + out
	}
	return out
}

// echoText names an earlier report for a reason and, when it is itself an
// echo, the report it repeats: "the report of 2025-02-14 (a4), which
// repeats the National Intelligence Service report of 2025-01-14 (a2)".
func echoText(q Reported, earlier []Reported) string {
	root := q
	for hops := 0; root.EchoOf != nil && hops < len(earlier); hops++ {
		found := false
		for _, p := range earlier {
			if p.ReportRef() == *root.EchoOf {
				root, found = p, true
				break
			}
		}
		if !found {
			break
		}
	}
	if root.FigureRef == q.FigureRef && root.Source == q.Source {
		return reportText(q)
	}
	return fmt.Sprintf("the report %s (%s), which repeats %s", dateText(q.When), articleLabel(q.Article), reportText(root))
}

func dateText(t time.Time) string {
	if t.IsZero() {
		return "undated"
	}
	return "of " + t.UTC().Format("2006-01-02")
}

// reportText names an earlier report for a reason: "the National
// Intelligence Service report of 2025-01-14 (a2)".
func reportText(q Reported) string {
	return fmt.Sprintf("the %s report %s (%s)", q.Origin.Name, dateText(q.When), articleLabel(q.Article))
}

// genericWords are what unnamed attributions are made of: "recent
// reports", "estimates", "intelligence", "Western newspapers",
// "المعلومات الاستخباراتية", "it's also said".
var genericWords = map[string]bool{
	"the": true, "a": true, "an": true, "some": true, "recent": true, "latest": true, "earlier": true, "previous": true,
	"unnamed": true, "anonymous": true, "other": true, "several": true, "many": true, "various": true, "it": true, "it's": true,
	"is": true, "was": true, "also": true, "has": true, "been": true, "are": true, "were": true, "said": true, "says": true,
	"reportedly": true, "reports": true, "report": true, "estimates": true, "estimate": true, "sources": true, "source": true,
	"officials": true, "official": true, "analysts": true, "experts": true, "observers": true, "intelligence": true,
	"media": true, "news": true, "press": true, "western": true, "local": true, "state": true, "military": true,
	"newspapers": true, "newspaper": true, "data": true, "figures": true, "information": true, "assessments": true,
	"assessment": true, "people": true, "familiar": true, "with": true, "matter": true, "close": true, "to": true,
	"diplomatic": true, "security": true, "informed": true, "government": true, "authorities": true, "suggest": true,
	"تقارير": true, "التقارير": true, "المعلومات": true, "معلومات": true, "الاستخباراتية": true, "استخباراتية": true,
	"مصادر": true, "المصادر": true, "مسؤولون": true, "مسؤولين": true, "تقديرات": true, "التقديرات": true, "وسائل": true,
	"الإعلام": true, "الاعلام": true, "الصحف": true, "الغربية": true, "مطلعة": true, "إعلامية": true, "صحفية": true,
	"وتفيد": true, "تفيد": true, "يقال": true,
}

// generic reports whether an attribution names no one: every word of it
// is one of genericWords.
func generic(by string) bool {
	n := 0
	for _, w := range strings.FieldsFunc(strings.ToLower(by), func(r rune) bool {
		return r == ' ' || r == ',' || r == '،' || r == '.' || r == ':' || r == '"'
	}) {
		w = strings.Trim(strings.ReplaceAll(w, "’", "'"), "'")
		if !genericWords[w] && !genericWords[strings.TrimPrefix(w, "و")] && !facts.GenericSourceWord(w) {
			return false
		}
		n++
	}
	return n > 0
}
