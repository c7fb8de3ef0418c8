package export

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"dossier/internal/news"
	"dossier/internal/story"
)

// Snapshot is what an export reads, from one consistent snapshot. Every
// method streams, so that an export's memory does not grow with the
// archive.
type Snapshot interface {
	// Articles calls fn for each article in id order.
	Articles(ctx context.Context, fn func(news.Stored) error) error
	// Stories calls fn for each stored story view in id order.
	Stories(ctx context.Context, fn func(story.View) error) error
	// Mentions calls fn for each entity mention, grouped by entity and in
	// article order within an entity.
	Mentions(ctx context.Context, fn func(m news.Mention, article int64) error) error
	// ClusterChanges calls fn for each merge and split, oldest first.
	ClusterChanges(ctx context.Context, fn func(news.ClusterChange) error) error
	// Counts says how many articles (by language) and stories there are.
	Counts(ctx context.Context) (articles int, languages map[string]int, stories int, err error)
}

// WriteJSON streams the JSON export (the contract of shared/eval/EXPORT.md)
// of src to w. Sections that come from the same records as an earlier one
// (figures and statements from articles; timeline, ledger and
// disagreements from stories) are spooled to temporary files on the way,
// so src is read once and memory stays flat.
func WriteJSON(ctx context.Context, w io.Writer, src Snapshot, now time.Time) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	sp, err := newSpools("figures", "statements", "timeline", "ledger", "disagreements", "status_changes")
	if err != nil {
		return err
	}
	defer sp.close()
	fmt.Fprintf(bw, "{\n \"generated\": %q,\n \"articles\": [", now.UTC().Format(time.RFC3339))
	arts := newArray(bw)
	err = src.Articles(ctx, func(a news.Stored) error {
		entries, figs, stmts := articleEntries(a)
		for _, e := range entries {
			if err := arts.add(e); err != nil {
				return err
			}
		}
		for _, f := range figs {
			if err := sp.add("figures", f); err != nil {
				return err
			}
		}
		for _, s := range stmts {
			if err := sp.add("statements", s); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	arts.end()
	bw.WriteString(",\n \"stories\": [")
	stories := newArray(bw)
	err = src.Stories(ctx, func(v story.View) error {
		e := storyEntries(v)
		if err := stories.add(e.story); err != nil {
			return err
		}
		for _, x := range e.timeline {
			if err := sp.add("timeline", x); err != nil {
				return err
			}
		}
		for _, x := range e.ledger {
			if err := sp.add("ledger", x); err != nil {
				return err
			}
		}
		for _, x := range e.disagreements {
			if err := sp.add("disagreements", x); err != nil {
				return err
			}
		}
		for _, x := range e.status {
			if err := sp.add("status_changes", x); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	stories.end()
	for _, name := range []string{"figures", "disagreements", "timeline", "statements"} {
		if err := sp.copy(bw, name); err != nil {
			return err
		}
	}
	bw.WriteString(",\n \"entities\": [")
	ents := newArray(bw)
	if err := eachEntity(ctx, src, ents.add); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	ents.end()
	for _, name := range []string{"ledger", "status_changes"} {
		if err := sp.copy(bw, name); err != nil {
			return err
		}
	}
	bw.WriteString(",\n \"cluster_changes\": [")
	chs := newArray(bw)
	if err := src.ClusterChanges(ctx, func(c news.ClusterChange) error { return chs.add(change(c)) }); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	chs.end()
	bw.WriteString("\n}\n")
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return nil
}

// array writes the elements of a JSON array, one per line.
type array struct {
	w *bufio.Writer
	n int
}

func newArray(w *bufio.Writer) *array { return &array{w: w} }

func (a *array) add(v any) error {
	b, err := marshal(v)
	if err != nil {
		return err
	}
	if a.n > 0 {
		a.w.WriteByte(',')
	}
	a.w.WriteString("\n  ")
	a.w.Write(b)
	a.n++
	return nil
}

func (a *array) end() {
	if a.n > 0 {
		a.w.WriteString("\n ")
	}
	a.w.WriteByte(']')
}

func marshal(v any) ([]byte, error) {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("export: json: %w", err)
	}
	return []byte(strings.TrimRight(b.String(), "\n")), nil
}

// spools are temporary files holding the elements of later sections.
type spools struct {
	files map[string]*os.File
	bufs  map[string]*bufio.Writer
	n     map[string]int
}

func newSpools(names ...string) (*spools, error) {
	sp := &spools{files: map[string]*os.File{}, bufs: map[string]*bufio.Writer{}, n: map[string]int{}}
	for _, name := range names {
		f, err := os.CreateTemp("", "dossier-export-"+name+"-")
		if err != nil {
			sp.close()
			return nil, fmt.Errorf("export: spool: %w", err)
		}
		os.Remove(f.Name()) // gone from the directory; freed on close
		sp.files[name], sp.bufs[name] = f, bufio.NewWriter(f)
	}
	return sp, nil
}

func (sp *spools) add(name string, v any) error {
	b, err := marshal(v)
	if err != nil {
		return err
	}
	w := sp.bufs[name]
	w.Write(b)
	w.WriteByte('\n')
	sp.n[name]++
	return nil
}

// copy writes the section name, from its spool, as a JSON array.
func (sp *spools) copy(w *bufio.Writer, name string) error {
	fmt.Fprintf(w, ",\n %q: [", name)
	if err := sp.bufs[name].Flush(); err != nil {
		return fmt.Errorf("export: spool: %w", err)
	}
	f := sp.files[name]
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("export: spool: %w", err)
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<30)
	n := 0
	for sc.Scan() {
		if n > 0 {
			w.WriteByte(',')
		}
		w.WriteString("\n  ")
		w.Write(sc.Bytes())
		n++
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("export: spool: %w", err)
	}
	if n > 0 {
		w.WriteString("\n ")
	}
	w.WriteByte(']')
	return nil
}

func (sp *spools) close() {
	for _, f := range sp.files {
		f.Close()
	}
}

// articleEntries maps a stored article to its export entries (its own and
// one per folded copy), its figures and its dated statements.
func articleEntries(a news.Stored) ([]Article, []Figure, []Statement) {
	aid := ArticleID(a.ID)
	var figs []Figure
	for i, f := range a.Facts.Figures {
		ef := Figure{ID: FigureID(story.FigureRef{Article: a.ID, Index: i}), Article: aid, Value: f.Value, Unit: f.Unit,
			Qualifier: strPtr(f.Qualifier), Kind: f.Kind, Subject: f.Subject, AttributedTo: strPtr(f.AttributedTo), Sentence: f.Sentence}
		if a.Story != 0 {
			ef.Story = StoryID(a.Story)
		}
		if f.IsRange {
			lo, hi := f.Low, f.High
			ef.Low, ef.High = &lo, &hi
		}
		figs = append(figs, ef)
	}
	var stmts []Statement
	for _, st := range a.Facts.Statements {
		stmts = append(stmts, Statement{Article: aid, Text: st.Text, Expr: st.Expr, Value: st.Value,
			Earliest: day(st.Earliest), Latest: day(st.Latest), Anchor: st.Anchor})
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
	out := []Article{ea}
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
		out = append(out, cp)
	}
	return out, figs, stmts
}

// storyExport is what one story contributes to each section.
type storyExport struct {
	story         Story
	timeline      []TimelineItem
	ledger        []LedgerLine
	disagreements []Disagreement
	status        []StatusChange
}

func storyEntries(v story.View) storyExport {
	st := v.Story
	sid := StoryID(st.ID)
	var e storyExport
	e.story = Story{ID: sid, Title: st.Title, Summary: st.Summary, Articles: ids(st.Articles, ArticleID), Events: []Event{}}
	for _, ev := range st.Events {
		e.story.Events = append(e.story.Events, Event{ID: EventID(ev.ID), Title: ev.Title, Summary: ev.Summary,
			Articles: ids(ev.Articles, ArticleID), Earliest: day(ev.Earliest), Latest: day(ev.Latest)})
	}
	for _, t := range st.Timeline {
		ti := TimelineItem{Story: sid, Earliest: day(t.Earliest), Latest: day(t.Latest),
			Text: t.Text, Articles: ids(t.Articles, ArticleID), Origins: []TimelineOrigin{}}
		for _, o := range t.Origins {
			ti.Origins = append(ti.Origins, TimelineOrigin{ID: o.ID, Name: o.Name, Kind: o.Kind})
		}
		e.timeline = append(e.timeline, ti)
	}
	ref := func(r story.ReportRef) ReportRef {
		return ReportRef{Figure: FigureID(r.FigureRef), Article: reportArticle(r)}
	}
	for _, l := range st.Ledger {
		ll := LedgerLine{Story: sid, Topic: l.Topic, Kind: l.Kind, Subject: l.Subject, Disagree: l.Disagree, Changed: l.Changed}
		for _, r := range l.Reports {
			lr := LedgerReport{Figure: FigureID(r.FigureRef), Article: reportArticle(r.ReportRef()),
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
		e.ledger = append(e.ledger, ll)
	}
	for _, x := range st.Disagreements {
		dd := Disagreement{Story: sid, Topic: x.Topic, Kind: x.Kind, Values: x.Values, Origins: x.Origins, Note: x.Note}
		for _, f := range x.Figures {
			dd.Figures = append(dd.Figures, FigureID(f))
		}
		for _, p := range x.Positions {
			dd.Positions = append(dd.Positions, Position{Text: p.Text, By: p.By, Party: p.Party, Articles: ids(p.Articles, ArticleID)})
		}
		e.disagreements = append(e.disagreements, dd)
	}
	for _, c := range st.StatusChanges {
		e.status = append(e.status, StatusChange{Story: sid, Topic: c.Topic,
			Before: Position{Text: c.Before.Text, By: c.Before.By, Articles: ids(c.Before.Articles, ArticleID)},
			After:  Position{Text: c.After.Text, By: c.After.By, Articles: ids(c.After.Articles, ArticleID)}})
	}
	return e
}

func change(c news.ClusterChange) Change {
	f := StoryID
	if c.Level == "event" {
		f = EventID
	}
	ec := Change{At: c.At.UTC().Format(time.RFC3339), Kind: c.Kind, Level: c.Level, From: f(c.From), Into: f(c.Into)}
	if c.Article != 0 {
		ec.Article = ArticleID(c.Article)
	}
	return ec
}

// eachEntity groups the mentions of src by entity and calls fn for each.
func eachEntity(ctx context.Context, src Snapshot, fn func(any) error) error {
	var cur *Entity
	flush := func() error {
		if cur == nil {
			return nil
		}
		e := *cur
		cur = nil
		return fn(e)
	}
	err := src.Mentions(ctx, func(m news.Mention, article int64) error {
		if cur != nil && cur.ID != m.Entity {
			if err := flush(); err != nil {
				return err
			}
		}
		if cur == nil {
			cur = &Entity{ID: m.Entity, Type: m.Type, Name: m.Canonical}
		}
		if !contains(cur.Aliases, m.Name) {
			cur.Aliases = append(cur.Aliases, m.Name)
		}
		if aid := ArticleID(article); !contains(cur.Articles, aid) {
			cur.Articles = append(cur.Articles, aid)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return flush()
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// WriteMarkdown streams a readable report of src to w: each story from its
// stored view (events with their articles' titles, timeline, ledger,
// disagreements), then each article.
func WriteMarkdown(ctx context.Context, w io.Writer, src Snapshot, now time.Time) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	n, langs, nstories, err := src.Counts(ctx)
	if err != nil {
		return fmt.Errorf("export: markdown: %w", err)
	}
	fmt.Fprintf(bw, "# dossier report\n\n%d article(s)", n)
	if len(langs) > 0 {
		var ls []string
		for l, n := range langs {
			ls = append(ls, fmt.Sprintf("%s %d", orUnknown(l), n))
		}
		sort.Strings(ls)
		fmt.Fprintf(bw, " (%s)", strings.Join(ls, ", "))
	}
	fmt.Fprintf(bw, ", %d story(ies), generated %s.\n", nstories, now.UTC().Format(time.RFC3339))
	err = src.Stories(ctx, func(v story.View) error {
		writeStoryMarkdown(bw, v)
		return nil
	})
	if err != nil {
		return fmt.Errorf("export: markdown: %w", err)
	}
	if nstories > 0 {
		bw.WriteString("\n# Articles\n")
	}
	err = src.Articles(ctx, func(a news.Stored) error {
		entries, _, _ := articleEntries(a)
		writeArticleMarkdown(bw, entries[0])
		return nil
	})
	if err != nil {
		return fmt.Errorf("export: markdown: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("export: markdown: %w", err)
	}
	return nil
}

func writeStoryMarkdown(b *bufio.Writer, v story.View) {
	e := storyEntries(v)
	st := e.story
	titles := map[string]string{}
	for _, r := range v.Refs {
		t := r.Title
		if t == "" {
			t = "(untitled)"
		}
		titles[ArticleID(r.ID)] = oneLine(t)
	}
	fmt.Fprintf(b, "\n# Story %s: %s\n\n%s\n", st.ID, oneLine(st.Title), oneLine(st.Summary))
	fmt.Fprintf(b, "\n%d article(s), %d event(s).\n", len(st.Articles), len(st.Events))
	for _, ev := range st.Events {
		when := ""
		if ev.Earliest != nil {
			when = " (" + rangeText(&Range{Earliest: ev.Earliest, Latest: ev.Latest}) + ")"
		}
		fmt.Fprintf(b, "\n### Event %s%s: %s\n\n", ev.ID, when, oneLine(ev.Title))
		for _, id := range ev.Articles {
			fmt.Fprintf(b, "- `%s` %s\n", id, titles[id])
		}
	}
	var tl []string
	for _, t := range e.timeline {
		tl = append(tl, fmt.Sprintf("- **%s** %s (%s)", rangeText(&Range{Earliest: t.Earliest, Latest: t.Latest}),
			excerpt(t.Text, 200), strings.Join(t.Articles, ", ")))
	}
	if len(tl) > 0 {
		b.WriteString("\n## Timeline\n\n" + strings.Join(tl, "\n") + "\n")
	}
	var led []string
	for _, l := range e.ledger {
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
	for _, x := range e.disagreements {
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
	for _, c := range e.status {
		dis = append(dis, fmt.Sprintf("- position changed: “%s” (%s) → “%s” (%s)", excerpt(c.Before.Text, 120),
			strings.Join(c.Before.Articles, ", "), excerpt(c.After.Text, 120), strings.Join(c.After.Articles, ", ")))
	}
	if len(dis) > 0 {
		b.WriteString("\n## Disagreements and changes\n\n" + strings.Join(dis, "\n") + "\n")
	}
}

func writeArticleMarkdown(b *bufio.Writer, a Article) {
	title := a.Title
	if title == "" {
		title = "(untitled) " + excerpt(a.Text, 80)
	}
	fmt.Fprintf(b, "\n## %s\n\n", oneLine(title))
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
		fmt.Fprintf(b, "- source: %s%s\n", where, cap)
	}
	fmt.Fprintf(b, "\n> %s\n", excerpt(a.Text, 600))
}
