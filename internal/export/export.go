// Package export writes what dossier knows as one JSON document (the
// contract in shared/eval/EXPORT.md) or as a Markdown report.
package export

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
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
}

// ArticleID is the export id of a stored article.
func ArticleID(id int64) string { return fmt.Sprintf("a%d", id) }

// StoryID and EventID are the export ids of clusters.
func StoryID(id int64) string { return fmt.Sprintf("s%d", id) }
func EventID(id int64) string { return fmt.Sprintf("e%d", id) }

func ids(xs []int64, f func(int64) string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = f(x)
	}
	return out
}

// Build assembles the export of stored articles, their stories and the
// recorded cluster changes.
func Build(arts []news.Stored, stories []story.Story, changes []news.ClusterChange, now time.Time) *Doc {
	d := &Doc{
		Generated: now.UTC().Format(time.RFC3339), Articles: []Article{}, Stories: []Story{},
		Figures: []Figure{}, Disagreements: []Disagreement{}, Timeline: []TimelineItem{},
		Statements: []Statement{}, Entities: []Entity{}, Ledger: []LedgerLine{}, StatusChanges: []StatusChange{},
		Changes: []Change{},
	}
	figID := map[story.FigureRef]string{}
	ents := map[string]*Entity{}
	var entOrder []string
	for _, a := range arts {
		aid := ArticleID(a.ID)
		for i, f := range a.Facts.Figures {
			figID[story.FigureRef{Article: a.ID, Index: i}] = fmt.Sprintf("f%d", len(d.Figures)+1)
			ef := Figure{ID: fmt.Sprintf("f%d", len(d.Figures)+1), Article: aid, Value: f.Value, Unit: f.Unit,
				Qualifier: strPtr(f.Qualifier), Kind: f.Kind, Subject: f.Subject, AttributedTo: strPtr(f.AttributedTo), Sentence: f.Sentence}
			if a.Story != 0 {
				ef.Story = StoryID(a.Story)
			}
			if f.IsRange {
				lo, hi := f.Low, f.High
				ef.Low, ef.High = &lo, &hi
			}
			d.Figures = append(d.Figures, ef)
		}
		for _, st := range a.Facts.Statements {
			d.Statements = append(d.Statements, Statement{Article: aid, Text: st.Text, Expr: st.Expr, Value: st.Value,
				Earliest: day(st.Earliest), Latest: day(st.Latest), Anchor: st.Anchor})
		}
		for _, m := range a.Facts.Mentions {
			e := ents[m.Entity]
			if e == nil {
				e = &Entity{ID: m.Entity, Type: m.Type, Name: m.Canonical}
				ents[m.Entity] = e
				entOrder = append(entOrder, m.Entity)
			}
			if !contains(e.Aliases, m.Name) {
				e.Aliases = append(e.Aliases, m.Name)
			}
			if !contains(e.Articles, aid) {
				e.Articles = append(e.Articles, aid)
			}
		}
		ea := Article{
			ID: aid, Language: a.Language, Title: a.Title, Text: a.Text,
			Byline: a.Byline, Credits: a.Credits, Site: a.Site, Published: dateRange(a.Published),
			Sources: []Source{},
		}
		for _, s := range a.Sources {
			es := Source{File: s.File, ID: s.ID, Title: s.Title, URL: strPtr(s.URL)}
			if !s.Captured.IsZero() {
				es.Captured = strPtr(s.Captured.UTC().Format(time.RFC3339))
			}
			ea.Sources = append(ea.Sources, es)
		}
		if len(ea.Sources) > 0 {
			ea.Source = ea.Sources[0]
		}
		if a.Facts.Bounds.Known() {
			ea.Bounds = dateRange(a.Facts.Bounds)
		}
		if a.Story != 0 {
			st, ev := StoryID(a.Story), EventID(a.Event)
			ea.Story, ea.Event = &st, &ev
		}
		d.Articles = append(d.Articles, ea)
		for k, src := range ea.Sources {
			if k == 0 {
				continue
			}
			cp := ea
			cp.ID = fmt.Sprintf("%s-%d", ea.ID, k)
			cp.Source, cp.Sources, cp.DuplicateOf = src, []Source{src}, ea.ID
			if src.Title != "" {
				cp.Title = src.Title
			}
			d.Articles = append(d.Articles, cp)
		}
	}
	for _, id := range entOrder {
		d.Entities = append(d.Entities, *ents[id])
	}
	for _, st := range stories {
		sid := StoryID(st.ID)
		es := Story{ID: sid, Title: st.Title, Summary: st.Summary, Articles: ids(st.Articles, ArticleID), Events: []Event{}}
		for _, e := range st.Events {
			es.Events = append(es.Events, Event{ID: EventID(e.ID), Title: e.Title, Summary: e.Summary,
				Articles: ids(e.Articles, ArticleID), Earliest: day(e.Earliest), Latest: day(e.Latest)})
		}
		d.Stories = append(d.Stories, es)
		for _, t := range st.Timeline {
			d.Timeline = append(d.Timeline, TimelineItem{Story: sid, Earliest: day(t.Earliest), Latest: day(t.Latest),
				Text: t.Text, Articles: ids(t.Articles, ArticleID)})
		}
		for _, l := range st.Ledger {
			ll := LedgerLine{Story: sid, Topic: l.Topic, Kind: l.Kind, Subject: l.Subject, Disagree: l.Disagree, Changed: l.Changed}
			ref := func(r story.ReportRef) ReportRef {
				return ReportRef{Figure: figID[r.FigureRef], Article: reportArticle(r)}
			}
			for _, r := range l.Reports {
				lr := LedgerReport{Figure: figID[r.FigureRef], Article: reportArticle(r.ReportRef()),
					Value: r.Value, Qualifier: strPtr(r.Qualifier), AttributedTo: strPtr(r.AttributedTo), Reported: day(r.When),
					Origin: r.Origin.ID, OriginName: r.Origin.Name, FirstFromOrigin: r.First, Why: r.Why}
				if r.EchoOf != nil {
					e := ref(*r.EchoOf)
					lr.EchoOf = &e
				}
				ll.Reports = append(ll.Reports, lr)
			}
			ll.IndependentOrigins, ll.Origins = len(l.Origins), []LedgerOrigin{}
			for _, o := range l.Origins {
				ll.Origins = append(ll.Origins, LedgerOrigin{ID: o.ID, Name: o.Name, Kind: o.Kind, Within: o.Within,
					First: ref(o.First), FirstReported: day(o.FirstWhen), Reports: o.Reports, Values: o.Values})
			}
			d.Ledger = append(d.Ledger, ll)
		}
		for _, x := range st.Disagreements {
			dd := Disagreement{Story: sid, Topic: x.Topic, Kind: x.Kind, Values: x.Values, Origins: x.Origins, Note: x.Note}
			for _, f := range x.Figures {
				dd.Figures = append(dd.Figures, figID[f])
			}
			for _, p := range x.Positions {
				dd.Positions = append(dd.Positions, Position{Text: p.Text, By: p.By, Party: p.Party, Articles: ids(p.Articles, ArticleID)})
			}
			d.Disagreements = append(d.Disagreements, dd)
		}
		for _, c := range st.StatusChanges {
			d.StatusChanges = append(d.StatusChanges, StatusChange{Story: sid, Topic: c.Topic,
				Before: Position{Text: c.Before.Text, By: c.Before.By, Articles: ids(c.Before.Articles, ArticleID)},
				After:  Position{Text: c.After.Text, By: c.After.By, Articles: ids(c.After.Articles, ArticleID)}})
		}
	}
	for _, c := range changes {
		f := StoryID
		if c.Level == "event" {
			f = EventID
		}
		ec := Change{At: c.At.UTC().Format(time.RFC3339), Kind: c.Kind, Level: c.Level, From: f(c.From), Into: f(c.Into)}
		if c.Article != 0 {
			ec.Article = ArticleID(c.Article)
		}
		d.Changes = append(d.Changes, ec)
	}
	return d
}

// reportArticle is the export id of the article that carried a report:
// the article, or the duplicate entry of its folded copy.
func reportArticle(r story.ReportRef) string {
	if r.Source > 0 {
		return fmt.Sprintf("%s-%d", ArticleID(r.Article), r.Source)
	}
	return ArticleID(r.Article)
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
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

// WriteJSON writes d as indented JSON.
func WriteJSON(w io.Writer, d *Doc) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(d); err != nil {
		return fmt.Errorf("export: json: %w", err)
	}
	return nil
}

// WriteMarkdown writes a readable report of d.
func WriteMarkdown(w io.Writer, d *Doc) error {
	var b strings.Builder
	langs := map[string]int{}
	n := 0
	for _, a := range d.Articles {
		if a.DuplicateOf == "" {
			langs[a.Language]++
			n++
		}
	}
	fmt.Fprintf(&b, "# dossier report\n\n%d article(s)", n)
	if len(langs) > 0 {
		var ls []string
		for l, n := range langs {
			ls = append(ls, fmt.Sprintf("%s %d", orUnknown(l), n))
		}
		sort.Strings(ls)
		fmt.Fprintf(&b, " (%s)", strings.Join(ls, ", "))
	}
	fmt.Fprintf(&b, ", %d story(ies), generated %s.\n", len(d.Stories), d.Generated)
	titles := map[string]string{}
	for _, a := range d.Articles {
		t := a.Title
		if t == "" {
			t = excerpt(a.Text, 60)
		}
		titles[a.ID] = oneLine(t)
	}
	for _, st := range d.Stories {
		fmt.Fprintf(&b, "\n# Story %s: %s\n\n%s\n", st.ID, oneLine(st.Title), oneLine(st.Summary))
		fmt.Fprintf(&b, "\n%d article(s), %d event(s).\n", len(st.Articles), len(st.Events))
		for _, e := range st.Events {
			when := ""
			if e.Earliest != nil {
				when = " (" + rangeText(&Range{Earliest: e.Earliest, Latest: e.Latest}) + ")"
			}
			fmt.Fprintf(&b, "\n### Event %s%s: %s\n\n", e.ID, when, oneLine(e.Title))
			for _, id := range e.Articles {
				fmt.Fprintf(&b, "- `%s` %s\n", id, titles[id])
			}
		}
		var tl []string
		for _, t := range d.Timeline {
			if t.Story == st.ID {
				tl = append(tl, fmt.Sprintf("- **%s** %s (%s)", rangeText(&Range{Earliest: t.Earliest, Latest: t.Latest}),
					excerpt(t.Text, 200), strings.Join(t.Articles, ", ")))
			}
		}
		if len(tl) > 0 {
			b.WriteString("\n## Timeline\n\n" + strings.Join(tl, "\n") + "\n")
		}
		var led []string
		for _, l := range d.Ledger {
			if l.Story != st.ID {
				continue
			}
			flags := ""
			if l.Disagree {
				flags += " **sources disagree**"
			}
			if l.Changed {
				flags += " **changed over time**"
			}
			led = append(led, fmt.Sprintf("- %s: %s%s", l.Topic, originsText(l), flags))
			for _, r := range l.Reports {
				q, by, when := "", "unattributed", "date unknown"
				if r.Qualifier != nil {
					q = *r.Qualifier + " "
				}
				if r.AttributedTo != nil {
					by = "per " + *r.AttributedTo
				}
				if r.Reported != nil {
					when = *r.Reported
				}
				trace := "first report from " + r.OriginName
				if !r.FirstFromOrigin {
					trace = "from " + r.OriginName
				}
				if r.EchoOf != nil {
					trace = "echo of " + r.OriginName + ": " + r.Why
				}
				led = append(led, fmt.Sprintf("  - %s%s, %s, %s (`%s`) · %s", q, strconv.FormatFloat(r.Value, 'f', -1, 64), by, when, r.Article, trace))
			}
		}
		if len(led) > 0 {
			b.WriteString("\n## Figure ledger\n\n" + strings.Join(led, "\n") + "\n")
		}
		var dis []string
		for _, x := range d.Disagreements {
			if x.Story != st.ID {
				continue
			}
			if len(x.Values) > 0 {
				var vs []string
				for _, v := range x.Values {
					vs = append(vs, strconv.FormatFloat(v, 'f', -1, 64))
				}
				label := map[string]string{"conflict": "sources disagree", "change": "changed over time", "differ": "sources differ at different times"}[x.Kind]
				if label == "" {
					label = x.Kind
				}
				dis = append(dis, fmt.Sprintf("- %s (%s): %s. %s", x.Topic, label, strings.Join(vs, " / "), x.Note))
			}
			for _, p := range x.Positions {
				who := p.By
				if p.Party != "" && !strings.EqualFold(p.Party, p.By) {
					who += " (for " + p.Party + ")"
				}
				dis = append(dis, fmt.Sprintf("- %s: %s says “%s” (%s)", x.Topic, who, excerpt(p.Text, 160), strings.Join(p.Articles, ", ")))
			}
		}
		for _, c := range d.StatusChanges {
			if c.Story == st.ID {
				dis = append(dis, fmt.Sprintf("- position changed: “%s” (%s) → “%s” (%s)", excerpt(c.Before.Text, 120),
					strings.Join(c.Before.Articles, ", "), excerpt(c.After.Text, 120), strings.Join(c.After.Articles, ", ")))
			}
		}
		if len(dis) > 0 {
			b.WriteString("\n## Disagreements and changes\n\n" + strings.Join(dis, "\n") + "\n")
		}
	}
	if len(d.Stories) > 0 {
		b.WriteString("\n# Articles\n")
	}
	for _, a := range d.Articles {
		if a.DuplicateOf != "" {
			continue
		}
		title := a.Title
		if title == "" {
			title = "(untitled) " + excerpt(a.Text, 80)
		}
		fmt.Fprintf(&b, "\n## %s\n\n", oneLine(title))
		var meta []string
		meta = append(meta, "`"+a.ID+"`", "language "+orUnknown(a.Language))
		if a.Published != nil {
			meta = append(meta, "published "+rangeText(a.Published))
		} else {
			meta = append(meta, "publication date unknown")
		}
		if a.Byline != "" {
			meta = append(meta, "by "+a.Byline)
		}
		if a.Site != "" {
			meta = append(meta, a.Site)
		}
		if len(a.Credits) > 0 {
			meta = append(meta, "credits: "+strings.Join(a.Credits, ", "))
		}
		b.WriteString(strings.Join(meta, " · ") + "\n\n")
		for _, s := range a.Sources {
			where := s.File
			if s.ID != "" {
				where += "#" + s.ID
			}
			if s.URL != nil {
				where = strings.TrimSpace(where + " " + *s.URL)
			}
			cap := ""
			if s.Captured != nil {
				cap = ", captured " + (*s.Captured)[:10]
			}
			fmt.Fprintf(&b, "- source: %s%s\n", where, cap)
		}
		fmt.Fprintf(&b, "\n> %s\n", excerpt(a.Text, 600))
	}
	_, err := io.WriteString(w, b.String())
	if err != nil {
		return fmt.Errorf("export: markdown: %w", err)
	}
	return nil
}

// originsText says how many sources stand behind a ledger line: "5
// reports, 1 independent source: National Intelligence Service, first
// reported 2025-01-14 by `a2`".
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
