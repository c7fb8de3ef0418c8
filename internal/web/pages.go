package web

import (
	"context"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"dossier/internal/news"
	"dossier/internal/pipeline"
	"dossier/internal/store"
	"dossier/internal/story"
	"dossier/internal/tokenize"
)

// filters are the list filters a page was asked for, as typed.
type filters struct {
	Lang, Outlet, Entity, From, To string
	Story                          string
}

func readFilters(r *http.Request) (filters, time.Time, time.Time, error) {
	f := filters{Lang: trimQuery(r, "lang", 16), Outlet: trimQuery(r, "outlet", 200), Entity: trimQuery(r, "entity", 200),
		From: trimQuery(r, "from", 10), To: trimQuery(r, "to", 10), Story: trimQuery(r, "story", 20)}
	var from, to time.Time
	var err error
	if f.From != "" {
		if from, err = time.Parse("2006-01-02", f.From); err != nil {
			return f, from, to, err
		}
	}
	if f.To != "" {
		if to, err = time.Parse("2006-01-02", f.To); err != nil {
			return f, from, to, err
		}
		to = to.Add(24*time.Hour - time.Nanosecond) // the whole day
	}
	return f, from, to, nil
}

// values returns the filters as a query string, with extra pairs.
func (f filters) values(extra ...string) string {
	v := url.Values{}
	for _, kv := range [][2]string{{"lang", f.Lang}, {"outlet", f.Outlet}, {"entity", f.Entity}, {"from", f.From}, {"to", f.To}, {"story", f.Story}} {
		if kv[1] != "" {
			v.Set(kv[0], kv[1])
		}
	}
	for i := 0; i+1 < len(extra); i += 2 {
		if extra[i+1] != "" {
			v.Set(extra[i], extra[i+1])
		}
	}
	return v.Encode()
}

// Any reports whether any filter is set.
func (f filters) Any() bool {
	return f.Lang != "" || f.Outlet != "" || f.Entity != "" || f.From != "" || f.To != "" || f.Story != ""
}

type storyItem struct {
	pipeline.StorySummary
	Spark template.HTML
}

type storiesData struct {
	Filters filters
	Stories []storyItem
	Next    string
}

func (h *Handler) stories(w http.ResponseWriter, r *http.Request) {
	f, from, to, err := readFilters(r)
	if err != nil {
		h.fail(w, r, http.StatusBadRequest, "Dates are written YYYY-MM-DD.")
		return
	}
	stamp, ok := h.stamp(w, r)
	if !ok {
		return
	}
	cursor := trimQuery(r, "cursor", 400)
	h.renderCached(w, r, "stories?"+r.URL.RawQuery, stamp, func(ctx context.Context) (string, page, error) {
		p, err := h.svc.Stories(ctx, pipeline.StoryFilter{Lang: f.Lang, Outlet: f.Outlet, Entity: f.Entity, From: from, To: to,
			Cursor: cursor, Limit: 25})
		if err != nil {
			return "", page{}, err
		}
		d := storiesData{Filters: f}
		for _, s := range p.Stories {
			for _, cs := range [][]story.Count{s.Languages, s.Outlets} {
				sort.SliceStable(cs, func(i, j int) bool { return cs[i].N > cs[j].N })
			}
			d.Stories = append(d.Stories, storyItem{StorySummary: s, Spark: sparkline(s.Days, sparkSmall)})
		}
		if p.Next != "" {
			d.Next = "/?" + f.values("cursor", p.Next)
		}
		return "stories", page{Title: "Stories", Nav: "stories", Data: d}, nil
	})
}

// stamp reads the store's stamp, the key of the pages kept in the cache
// that any change of the store may alter; on an error it answers r.
func (h *Handler) stamp(w http.ResponseWriter, r *http.Request) (string, bool) {
	stamp, err := h.svc.Stamp(r.Context())
	if err != nil {
		h.failErr(w, r, err)
		return "", false
	}
	return stamp, true
}

// eventGroup is an event of a story with its articles.
type eventGroup struct {
	story.Event
	// Refs are the articles shown, Total how many the event has.
	Refs  []story.ArticleRef
	Total int
}

type ledgerLine struct {
	story.Line
	Chart template.HTML
	ID    string
	// Rows are the reports the table shows (the latest).
	Rows []story.Reported
}

type storyData struct {
	V             story.View
	TitleLang     string
	Updated       time.Time
	Refs          map[int64]story.ArticleRef
	FirstRef      *story.ArticleRef
	LatestRef     *story.ArticleRef
	Events        []eventGroup
	Ledger        []ledgerLine
	Spark         template.HTML
	TimelineChart template.HTML
	// Timeline holds the entries listed (the latest), TimelineStart the
	// number of earlier ones left out.
	Timeline      []story.Entry
	TimelineStart int
}

func pathID(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id, err == nil && id > 0
}

func (h *Handler) story(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.fail(w, r, http.StatusNotFound, "No such story.")
		return
	}
	// The stamp is the view's own: pages of other stories stay cached
	// while this one changes.
	stamp, err := h.svc.StoryStamp(r.Context(), id)
	if errors.Is(err, pipeline.ErrNotFound) {
		// A story merged into another: its page is that story's.
		into, merr := h.svc.StoryMoved(r.Context(), id)
		if merr == nil {
			loc := "/stories/" + strconv.FormatInt(into, 10)
			if r.URL.RawQuery != "" {
				loc += "?" + r.URL.RawQuery
			}
			http.Redirect(w, r, loc, http.StatusTemporaryRedirect)
			return
		}
		if !errors.Is(merr, pipeline.ErrNotFound) {
			err = merr
		}
	}
	if err != nil {
		h.failErr(w, r, err)
		return
	}
	h.renderCached(w, r, "story/"+strconv.FormatInt(id, 10), stamp.UTC().Format(time.RFC3339Nano), func(ctx context.Context) (string, page, error) {
		v, updated, err := h.svc.Story(ctx, id)
		if err != nil {
			return "", page{}, err
		}
		return "story", page{Title: v.Title, Nav: "stories", Data: newStoryData(v, updated)}, nil
	})
}

// A large story's page shows every report in its charts but bounds its
// lists: the newest articles of each event, the latest timeline entries,
// the latest reports of each quantity, each with a note of what is left out.
const (
	maxEventRefs    = 20
	maxEventsListed = 15
	maxTimelineRows = 100
	maxLedgerRows   = 30
)

func newStoryData(v story.View, updated time.Time) storyData {
	d := storyData{V: v, Updated: updated, Refs: map[int64]story.ArticleRef{}}
	for i := range v.Refs {
		ref := v.Refs[i]
		d.Refs[ref.ID] = ref
		if ref.Title == v.Title && d.TitleLang == "" {
			d.TitleLang = ref.Language
		}
		if !ref.When.IsZero() {
			if d.FirstRef == nil || ref.When.Before(d.FirstRef.When) {
				d.FirstRef = &v.Refs[i]
			}
			if d.LatestRef == nil || !ref.When.Before(d.LatestRef.When) {
				d.LatestRef = &v.Refs[i]
			}
		}
	}
	byEvent := map[int64][]story.ArticleRef{}
	for _, ref := range v.Refs {
		byEvent[ref.Event] = append(byEvent[ref.Event], ref)
	}
	group := func(e story.Event, refs []story.ArticleRef) eventGroup {
		g := eventGroup{Event: e, Refs: refs, Total: len(refs)}
		if len(refs) > maxEventRefs {
			g.Refs = refs[len(refs)-maxEventRefs:] // the newest, in the order reported
		}
		return g
	}
	for _, e := range v.Events {
		d.Events = append(d.Events, group(e, byEvent[e.ID]))
		delete(byEvent, e.ID)
	}
	// Past maxEventsListed events, the earlier ones keep their heading and
	// count but list no articles.
	for i := 0; i+maxEventsListed < len(d.Events); i++ {
		d.Events[i].Refs = nil
	}
	if len(byEvent) > 0 { // articles whose event the view does not list
		var rest []story.ArticleRef
		for _, refs := range byEvent {
			rest = append(rest, refs...)
		}
		sort.Slice(rest, func(i, j int) bool { return rest[i].When.Before(rest[j].When) })
		d.Events = append(d.Events, group(story.Event{Title: "Other articles"}, rest))
	}
	for i, l := range v.Ledger {
		ll := ledgerLine{Line: l, ID: "q" + strconv.Itoa(i+1), Rows: l.Reports}
		if len(l.Reports) > 1 { // one report is a table row, not a chart
			ll.Chart = ledgerChart(l, d.Refs)
		}
		if n := len(ll.Rows); n > maxLedgerRows {
			ll.Rows = ll.Rows[n-maxLedgerRows:]
		}
		d.Ledger = append(d.Ledger, ll)
	}
	d.Timeline, d.TimelineStart = v.Timeline, 0
	if n := len(v.Timeline); n > maxTimelineRows {
		d.Timeline, d.TimelineStart = v.Timeline[n-maxTimelineRows:], n-maxTimelineRows
	}
	d.Spark = sparkline(v.Coverage.Days, sparkLarge)
	d.TimelineChart = timelineAxis(v.Timeline)
	return d
}

// segment is a piece of an article's text: plain, an entity or a figure.
type segment struct {
	Text   string
	Entity *news.Mention
	Figure *news.Figure
	Tip    tip
	TipID  string
}

type paragraph []segment

type articleData struct {
	A          news.Stored
	Paragraphs []paragraph
	Entities   []entityCount
	Published  string
	Bounds     string
	OriginURL  string
	// History: later versions of the article and its archived captures.
	History articleHistory
}

type entityCount struct {
	ID, Name, Type string
	N              int
}

func (h *Handler) article(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.fail(w, r, http.StatusNotFound, "No such article.")
		return
	}
	stamp, ok := h.stamp(w, r)
	if !ok {
		return
	}
	h.renderCached(w, r, "article/"+strconv.FormatInt(id, 10), stamp, func(ctx context.Context) (string, page, error) {
		a, err := h.svc.Article(ctx, id)
		if err != nil {
			return "", page{}, err
		}
		return "article", articlePage(a, h.history(ctx, a.ID)), nil
	})
}

// articlePage is an article's page: its text with entities and figures
// marked, what its dates rest on, and its versions and archived copies.
func articlePage(a news.Stored, hist articleHistory) page {
	d := articleData{A: a, Paragraphs: highlight(a.Text, a.Facts), History: hist}
	d.Published = describeRange(a.Published)
	d.Bounds = describeRange(a.Facts.Bounds)
	for _, s := range a.Sources {
		if u, err := url.Parse(s.URL); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
			d.OriginURL = s.URL
			break
		}
	}
	seen := map[string]int{}
	for _, m := range a.Facts.Mentions {
		if i, ok := seen[m.Entity]; ok {
			d.Entities[i].N++
			continue
		}
		seen[m.Entity] = len(d.Entities)
		d.Entities = append(d.Entities, entityCount{ID: m.Entity, Name: m.Canonical, Type: m.Type, N: 1})
	}
	title := a.Title
	if title == "" {
		title = "Article " + strconv.FormatInt(a.ID, 10)
	}
	return page{Title: title, Data: d}
}

// describeRange says what a date range is and what it rests on.
func describeRange(r news.DateRange) string {
	if !r.Known() {
		return ""
	}
	s := fmtSpan(r.Earliest, r.Latest)
	if !r.Earliest.IsZero() && !r.Latest.IsZero() && isoDate(r.Earliest) != isoDate(r.Latest) {
		s = "between " + fmtDate(r.Earliest) + " and " + fmtDate(r.Latest)
	}
	if r.Basis != "" {
		s += " (" + basisText(r.Basis) + ")"
	}
	return s
}

func basisText(b string) string {
	switch b {
	case "meta":
		return "stated in the page's metadata"
	case "dateline":
		return "stated in the dateline"
	case "age":
		return "from the page's stated age"
	case "given":
		return "given with the input"
	case "capture-bound", "capture":
		return "bounded by the capture date"
	}
	return b
}

type entityData struct {
	pipeline.EntityPage
	Stories []pipeline.StorySummary
}

func (h *Handler) entity(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if id == "" || len(id) > 200 {
		h.fail(w, r, http.StatusNotFound, "No such entity.")
		return
	}
	stamp, ok := h.stamp(w, r)
	if !ok {
		return
	}
	h.renderCached(w, r, "entity/"+id, stamp, func(ctx context.Context) (string, page, error) {
		e, err := h.svc.Entity(ctx, id, "", 1)
		if err != nil {
			return "", page{}, err
		}
		sp, err := h.svc.Stories(ctx, pipeline.StoryFilter{Entity: id, Limit: 50})
		if err != nil {
			return "", page{}, err
		}
		d := entityData{EntityPage: e, Stories: sp.Stories}
		// Figures in date order, as reported.
		sort.SliceStable(d.Figures, func(i, j int) bool { return figWhen(d.Figures[i]).Before(figWhen(d.Figures[j])) })
		return "entity", page{Title: e.Name, Data: d}, nil
	})
}

func figWhen(f store.FigureRow) time.Time {
	if !f.Published.IsZero() {
		return f.Published
	}
	return f.Captured
}

type hit struct {
	pipeline.SearchHit
	Snippet template.HTML
}

type searchData struct {
	Query    string
	Filters  filters
	Hits     []hit
	Entities []pipeline.EntityRef
	Next     string
	Searched bool
}

func (h *Handler) search(w http.ResponseWriter, r *http.Request) {
	q := trimQuery(r, "q", 500)
	f, from, to, err := readFilters(r)
	if err != nil {
		h.fail(w, r, http.StatusBadRequest, "Dates are written YYYY-MM-DD.")
		return
	}
	var storyID int64
	if f.Story != "" {
		if storyID, err = strconv.ParseInt(f.Story, 10, 64); err != nil {
			h.fail(w, r, http.StatusBadRequest, "A story is given by its number.")
			return
		}
	}
	stamp, ok := h.stamp(w, r)
	if !ok {
		return
	}
	// Ranking boosts recent articles, measured from now: a kept page
	// serves for the hour it was built in (a cursor carries its own now).
	stamp += "|" + h.opts.Now().UTC().Truncate(time.Hour).Format(time.RFC3339)
	cursor := trimQuery(r, "cursor", 400)
	h.renderCached(w, r, "search?"+r.URL.RawQuery, stamp, func(ctx context.Context) (string, page, error) {
		d := searchData{Query: q, Filters: f}
		if q != "" {
			res, err := h.svc.Search(ctx, pipeline.SearchRequest{Query: q, Lang: f.Lang, Outlet: f.Outlet, Entity: f.Entity,
				Story: storyID, From: from, To: to, Cursor: cursor, Limit: 20})
			if err != nil {
				return "", page{}, err
			}
			d.Searched, d.Entities = true, res.Entities
			for _, x := range res.Hits {
				d.Hits = append(d.Hits, hit{SearchHit: x, Snippet: markSnippet(x.Snippet)})
			}
			if res.Next != "" {
				d.Next = "/search?" + f.values("q", q, "cursor", res.Next)
			}
		}
		title := "Search"
		if q != "" {
			title = q + " – Search"
		}
		return "search", page{Title: title, Nav: "search", Query: q, Data: d}, nil
	})
}

// markSnippet escapes a snippet and wraps its highlights in <mark>.
func markSnippet(s tokenize.Snippet) template.HTML {
	var b strings.Builder
	last := 0
	for _, hl := range s.Highlights {
		if hl[0] < last || hl[1] > len(s.Text) || hl[0] > hl[1] {
			continue
		}
		b.WriteString(template.HTMLEscapeString(s.Text[last:hl[0]]))
		b.WriteString("<mark>")
		b.WriteString(template.HTMLEscapeString(s.Text[hl[0]:hl[1]]))
		b.WriteString("</mark>")
		last = hl[1]
	}
	b.WriteString(template.HTMLEscapeString(s.Text[last:]))
	return template.HTML(b.String())
}

type sourcesData struct {
	Outlets []store.Outlet
}

func (h *Handler) sources(w http.ResponseWriter, r *http.Request) {
	// The store keeps the counts as articles arrive: no request counts
	// the archive.
	outs, err := h.svc.Outlets(r.Context())
	if err != nil {
		h.failErr(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "sources", page{Title: "Sources", Nav: "sources", Data: sourcesData{Outlets: outs}})
}
