package pipeline

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"dossier/internal/facts"
	"dossier/internal/news"
	"dossier/internal/store"
	"dossier/internal/story"
	"dossier/internal/tokenize"
)

// ErrBadCursor is returned for a cursor this service did not issue.
var ErrBadCursor = errors.New("bad cursor")

// ErrNotFound is returned when a story, article or entity does not exist.
var ErrNotFound = store.ErrNotFound

// Cursors are opaque to clients: base64url of a few fields.
func encodeCursor(fields ...string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strings.Join(fields, "|")))
}

func decodeCursor(c string, n int) ([]string, error) {
	if c == "" {
		return nil, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return nil, ErrBadCursor
	}
	f := strings.Split(string(b), "|")
	if len(f) != n {
		return nil, ErrBadCursor
	}
	return f, nil
}

func cursorInt(s string) (int64, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, ErrBadCursor
	}
	return n, nil
}

func cursorTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return t, ErrBadCursor
	}
	return t, nil
}

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// StoryFilter selects stories.
type StoryFilter struct {
	Lang, Outlet, Entity string
	From, To             time.Time
	Cursor               string
	Limit                int
}

// StorySummary is a story as a list shows it.
type StorySummary struct {
	ID       int64
	Title    string
	Summary  string
	Articles int
	First    time.Time
	Latest   time.Time
	// Languages and Outlets count the story's articles by each.
	Languages []story.Count
	Outlets   []story.Count
	// Days counts articles per day, oldest first (a sparkline).
	Days []story.Count
}

// StoryPage is one page of stories and the cursor of the next ("" at the end).
type StoryPage struct {
	Stories []StorySummary
	Next    string
}

// Stories lists stories, latest development first.
func (s *Service) Stories(ctx context.Context, f StoryFilter) (StoryPage, error) {
	q := store.StoryQuery{Lang: f.Lang, Outlet: f.Outlet, Entity: f.Entity, From: f.From, To: f.To, Limit: limit(f.Limit, 20, 200)}
	c, err := decodeCursor(f.Cursor, 2)
	if err != nil {
		return StoryPage{}, err
	}
	if c != nil {
		if q.AfterLatest, err = cursorTime(c[0]); err != nil {
			return StoryPage{}, err
		}
		if q.AfterStory, err = cursorInt(c[1]); err != nil {
			return StoryPage{}, err
		}
	}
	views, err := s.st.StoryViews(ctx, q)
	if err != nil {
		return StoryPage{}, err
	}
	p := StoryPage{Stories: []StorySummary{}}
	for _, v := range views {
		ss := StorySummary{ID: v.Story, Title: v.Title, Summary: v.Summary, Articles: v.Articles, First: v.First, Latest: v.Latest,
			Languages: []story.Count{}, Outlets: []story.Count{}, Days: []story.Count{}}
		for _, f := range v.Facets {
			c := story.Count{Key: f.Value, N: f.N}
			switch f.Kind {
			case "lang":
				ss.Languages = append(ss.Languages, c)
			case "outlet":
				ss.Outlets = append(ss.Outlets, c)
			case "day":
				ss.Days = append(ss.Days, c)
			}
		}
		sort.Slice(ss.Days, func(i, j int) bool { return ss.Days[i].Key < ss.Days[j].Key })
		p.Stories = append(p.Stories, ss)
	}
	if len(views) == q.Limit {
		last := views[len(views)-1]
		p.Next = encodeCursor(fmtTime(last.Latest), strconv.FormatInt(last.Story, 10))
	}
	return p, nil
}

func limit(n, def, max int) int {
	switch {
	case n <= 0:
		return def
	case n > max:
		return max
	}
	return n
}

// Story returns a story's stored view.
func (s *Service) Story(ctx context.Context, id int64) (story.View, time.Time, error) {
	sv, err := s.st.StoryView(ctx, id)
	if err != nil {
		return story.View{}, time.Time{}, err
	}
	var v story.View
	if err := json.Unmarshal(sv.Data, &v); err != nil {
		return v, sv.Updated, fmt.Errorf("pipeline: story %d: stored view: %w", id, err)
	}
	return v, sv.Updated, nil
}

// StoryMoved returns the story that a story no longer stored went into,
// following merges (a story merged into one later merged itself), or
// ErrNotFound when id was never merged away. A reader's link or an
// export's story id keeps leading somewhere when stories merge.
func (s *Service) StoryMoved(ctx context.Context, id int64) (int64, error) {
	seen := map[int64]bool{id: true}
	for {
		into, err := s.st.MergedInto(ctx, id)
		if err != nil {
			return 0, err
		}
		if seen[into] {
			// A loop of merges (a recluster undid one): none of them
			// is the story's home.
			return 0, fmt.Errorf("pipeline: story %d: merges loop at %d: %w", id, into, ErrNotFound)
		}
		seen[into] = true
		if _, err := s.st.StoryStamp(ctx, into); err == nil {
			return into, nil
		} else if !errors.Is(err, store.ErrNotFound) {
			return 0, err
		}
		id = into
	}
}

// storyNow is the story a filter on story id selects now: id itself,
// or, for a story merged away, the one it went into (0: no filter).
func (s *Service) storyNow(ctx context.Context, id int64) (int64, error) {
	if id == 0 {
		return 0, nil
	}
	if _, err := s.st.StoryStamp(ctx, id); !errors.Is(err, store.ErrNotFound) {
		return id, err
	}
	into, err := s.StoryMoved(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return id, nil
	}
	return into, err
}

// StoryStamp returns when a story's view was last stored (the time Story
// returns with it), without reading the view: a cheap key for caching
// what is built from the view.
func (s *Service) StoryStamp(ctx context.Context, id int64) (time.Time, error) {
	return s.st.StoryStamp(ctx, id)
}

// Stamp returns a value that changes whenever anything stored changes, by
// this process or another. Read it before the data a cache keeps under it.
func (s *Service) Stamp(ctx context.Context) (string, error) { return s.st.Stamp(ctx) }

// Article returns one article with its sources and facts.
func (s *Service) Article(ctx context.Context, id int64) (news.Stored, error) {
	return s.st.Article(ctx, id)
}

// EntityPage is an entity with a page of the articles that mention it and
// the figures attributed to it.
type EntityPage struct {
	store.Entity
	ArticleIDs []int64
	Figures    []store.FigureRow
	Next       string
}

// Entity returns what the store knows of an entity: every name it goes by
// with counts, its stories, a page of its articles (newest first) and the
// figures whose source it is.
func (s *Service) Entity(ctx context.Context, id, cursor string, n int) (EntityPage, error) {
	e, err := s.st.Entity(ctx, id)
	if err != nil {
		return EntityPage{}, err
	}
	p := EntityPage{Entity: e}
	c, err := decodeCursor(cursor, 1)
	if err != nil {
		return p, err
	}
	var before int64
	if c != nil {
		if before, err = cursorInt(c[0]); err != nil {
			return p, err
		}
	}
	n = limit(n, 20, 200)
	if p.ArticleIDs, err = s.st.EntityArticles(ctx, id, before, n); err != nil {
		return p, err
	}
	if len(p.ArticleIDs) == n {
		p.Next = encodeCursor(strconv.FormatInt(p.ArticleIDs[n-1], 10))
	}
	if c == nil {
		if p.Figures, err = s.st.Figures(ctx, store.FigureQuery{Entity: id, Limit: 200}); err != nil {
			return p, err
		}
	}
	return p, nil
}

// FigureFilter selects figures.
type FigureFilter struct {
	Kind, Subject, Entity, Source string
	Story                         int64
	Cursor                        string
	Limit                         int
}

// FigurePage is a page of figures, newest article first.
type FigurePage struct {
	Figures []store.FigureRow
	Next    string
}

// Figures lists figures by kind, subject, source entity, source text or story.
func (s *Service) Figures(ctx context.Context, f FigureFilter) (FigurePage, error) {
	var err error
	if f.Story, err = s.storyNow(ctx, f.Story); err != nil {
		return FigurePage{}, err
	}
	q := store.FigureQuery{Kind: f.Kind, Subject: f.Subject, Entity: f.Entity, Source: f.Source, Story: f.Story, Limit: limit(f.Limit, 50, 500)}
	c, err := decodeCursor(f.Cursor, 2)
	if err != nil {
		return FigurePage{}, err
	}
	if c != nil {
		if q.BeforeArticle, err = cursorInt(c[0]); err != nil {
			return FigurePage{}, err
		}
		idx, err := cursorInt(c[1])
		if err != nil {
			return FigurePage{}, err
		}
		q.BeforeIndex = int(idx)
	}
	rows, err := s.st.Figures(ctx, q)
	if err != nil {
		return FigurePage{}, err
	}
	p := FigurePage{Figures: rows}
	if len(rows) == q.Limit {
		last := rows[len(rows)-1]
		p.Next = encodeCursor(strconv.FormatInt(last.Article, 10), strconv.Itoa(last.Index))
	}
	return p, nil
}

// SearchRequest is a full-text search.
type SearchRequest struct {
	Query                string
	Lang, Outlet, Entity string
	Story                int64
	From, To             time.Time
	Cursor               string
	Limit                int
}

// SearchHit is one article found, with a snippet around what matched.
type SearchHit struct {
	Article   int64
	Title     string
	Language  string
	Site      string
	Published time.Time
	Story     int64
	Score     float64
	Snippet   tokenize.Snippet
	// ViaEntity says the article was found because it mentions an entity
	// the query names, not by its words.
	ViaEntity bool
}

// EntityRef is an entity a query names.
type EntityRef struct {
	ID, Type, Name string
	Aliases        []store.Alias
}

// SearchResult is a page of hits, the entities the query names (whose
// articles are included, in any script), and the next cursor.
type SearchResult struct {
	Hits     []SearchHit
	Entities []EntityRef
	Next     string
}

// Search finds articles whose title or text holds every word of the query
// (folded and stemmed as at index time), and articles that mention an
// entity the query names, ranked by relevance with a recency boost.
func (s *Service) Search(ctx context.Context, r SearchRequest) (SearchResult, error) {
	res := SearchResult{Hits: []SearchHit{}, Entities: []EntityRef{}}
	var err error
	if r.Story, err = s.storyNow(ctx, r.Story); err != nil {
		return res, err
	}
	q := store.SearchQuery{Terms: tokenize.QueryTerms(r.Query), Lang: r.Lang, Outlet: r.Outlet, Entity: r.Entity,
		Story: r.Story, From: r.From, To: r.To, Now: s.cfg.now(), Limit: limit(r.Limit, 20, 100)}
	// The cursor carries the time recency was measured from, so that the
	// next page ranks by the same scores as the first.
	c, err := decodeCursor(r.Cursor, 3)
	if err != nil {
		return res, err
	}
	if c != nil {
		if q.AfterScore, err = strconv.ParseFloat(c[0], 64); err != nil {
			return res, ErrBadCursor
		}
		if q.AfterID, err = cursorInt(c[1]); err != nil {
			return res, err
		}
		if q.Now, err = cursorTime(c[2]); err != nil || q.Now.IsZero() {
			return res, ErrBadCursor
		}
	}
	for _, id := range queryEntities(r.Query) {
		e, err := s.st.Entity(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return res, err
		}
		al := e.Aliases
		if len(al) > 8 {
			al = al[:8]
		}
		res.Entities = append(res.Entities, EntityRef{ID: e.ID, Type: e.Type, Name: e.Name, Aliases: al})
		q.Entities = append(q.Entities, e.ID)
	}
	hits, err := s.st.Search(ctx, q)
	if err != nil {
		return res, err
	}
	// The hits' texts in one light read (no sources or facts); an article
	// found through an entity is read whole, for the name its snippet marks.
	ids := make([]int64, len(hits))
	for i, h := range hits {
		ids[i] = h.Article
	}
	texts, err := s.st.ArticleTexts(ctx, ids)
	if err != nil {
		return res, err
	}
	byID := make(map[int64]news.Stored, len(texts))
	for _, a := range texts {
		byID[a.ID] = a
	}
	m := tokenize.NewMatcher(r.Query)
	for _, h := range hits {
		a, ok := byID[h.Article]
		if !ok || h.ViaEntity {
			if a, err = s.st.Article(ctx, h.Article); err != nil {
				return res, err
			}
		}
		sh := SearchHit{Article: a.ID, Title: a.Title, Language: a.Language, Site: a.Site, Published: a.Published.Latest,
			Story: a.Story, Score: h.Score, ViaEntity: h.ViaEntity, Snippet: m.Snippet(a.Text, a.Language, 240)}
		if h.ViaEntity {
			sh.Snippet = entitySnippet(a, q.Entities)
		}
		res.Hits = append(res.Hits, sh)
	}
	if len(hits) == q.Limit {
		last := hits[len(hits)-1]
		res.Next = encodeCursor(strconv.FormatFloat(last.Score, 'g', -1, 64), strconv.FormatInt(last.Article, 10), fmtTime(q.Now))
	}
	return res, nil
}

// queryEntities resolves the names in a query to entity ids, as the
// analysers resolve names in articles (so "Zelenskyy" finds the articles
// that write زيلينسكي). A query typed in lower case is tried capitalised.
func queryEntities(q string) []string {
	gz := facts.DefaultGazetteer()
	var ids []string
	seen := map[string]bool{}
	for _, text := range []string{q, titleCase(q)} {
		for _, m := range gz.Mentions(text) {
			if !seen[m.Entity] {
				seen[m.Entity] = true
				ids = append(ids, m.Entity)
			}
		}
	}
	return ids
}

func titleCase(s string) string {
	ws := strings.Fields(s)
	for i, w := range ws {
		r := []rune(w)
		if len(r) > 0 {
			r[0] = []rune(strings.ToUpper(string(r[0])))[0]
		}
		ws[i] = string(r)
	}
	return strings.Join(ws, " ")
}

// entitySnippet marks the first mention of one of the entities in a.
func entitySnippet(a news.Stored, ents []string) tokenize.Snippet {
	for _, m := range a.Facts.Mentions {
		for _, e := range ents {
			if m.Entity == e {
				return tokenize.NewMatcher(m.Name).Snippet(a.Text, a.Language, 240)
			}
		}
	}
	return tokenize.NewMatcher("").Snippet(a.Text, a.Language, 240)
}

// Changes is what was stored after a cursor: new articles (ids), merges
// and splits, and the cursor to ask from next time.
type Changes struct {
	Articles []int64
	Clusters []store.ClusterChangeRow
	Next     string
}

// ChangesSince returns what was stored after cursor ("" for the start).
func (s *Service) ChangesSince(ctx context.Context, cursor string, n int) (Changes, error) {
	var cc store.ChangeCursor
	c, err := decodeCursor(cursor, 2)
	if err != nil {
		return Changes{}, err
	}
	if c != nil {
		if cc.Article, err = cursorInt(c[0]); err != nil {
			return Changes{}, err
		}
		if cc.Change, err = cursorInt(c[1]); err != nil {
			return Changes{}, err
		}
	}
	ch, err := s.st.ChangesSince(ctx, cc, limit(n, 100, 1000))
	if err != nil {
		return Changes{}, err
	}
	out := Changes{Articles: ch.Articles, Clusters: ch.Clusters,
		Next: encodeCursor(strconv.FormatInt(ch.Next.Article, 10), strconv.FormatInt(ch.Next.Change, 10))}
	if out.Articles == nil {
		out.Articles = []int64{}
	}
	if out.Clusters == nil {
		out.Clusters = []store.ClusterChangeRow{}
	}
	return out, nil
}

// Outlets lists the sites articles came from, with their article counts,
// languages and first and last dates, most articles first.
func (s *Service) Outlets(ctx context.Context) ([]store.Outlet, error) { return s.st.Outlets(ctx) }
