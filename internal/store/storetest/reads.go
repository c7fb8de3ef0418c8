package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"dossier/internal/news"
	"dossier/internal/store"
)

// clustered saves an article in a story and event, with search terms.
func clustered(t *testing.T, s store.Store, key, text string, st, ev int64, terms string, mentions ...news.Mention) int64 {
	t.Helper()
	a := article(text, 0)
	a.Story, a.Event = st, ev
	a.Search = store.SearchDoc{Title: "title " + terms, Body: terms}
	a.Facts.Mentions = mentions
	saved, err := s.SavePage(context.Background(), page(key), []store.NewArticle{a})
	if err != nil {
		t.Fatal(err)
	}
	return saved.IDs[0]
}

func testArticleAndStory(t *testing.T, s store.Store) {
	ctx := context.Background()
	a := clustered(t, s, "p1", "one", 7, 70, "")
	clustered(t, s, "p2", "two", 8, 80, "")
	b := clustered(t, s, "p3", "three", 7, 71, "")
	got, err := s.Article(ctx, b)
	if err != nil || got.Text != "three" || got.Story != 7 || got.Event != 71 || len(got.Sources) != 1 {
		t.Errorf("Article(%d) = %+v, %v", b, got, err)
	}
	if _, err := s.Article(ctx, 99999); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Article of a missing id: %v, want ErrNotFound", err)
	}
	var ids []int64
	if err := s.StoryArticles(ctx, 7, func(x news.Stored) error { ids = append(ids, x.ID); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(ids) != 2 || ids[0] != a || ids[1] != b {
		t.Errorf("StoryArticles(7) = %v, want [%d %d]", ids, a, b)
	}
}

func testViews(t *testing.T, s store.Store) {
	ctx := context.Background()
	a1 := clustered(t, s, "p1", "one", 7, 70, "")
	a2 := clustered(t, s, "p2", "two", 8, 80, "")
	dirty, err := s.DirtyStories(ctx, 0, 10)
	if err != nil || len(dirty) != 2 || dirty[0] != 7 || dirty[1] != 8 {
		t.Fatalf("DirtyStories after saving = %v, %v; want [7 8]", dirty, err)
	}
	jan := time.Date(2025, 1, 5, 0, 0, 0, 0, time.UTC)
	// Both views in one call (one transaction); a facet named twice counts
	// both times.
	if err := s.SaveStoryViews(ctx,
		store.StoryView{Story: 7, Title: "Seven", Articles: 1, First: jan, Latest: jan, Data: []byte(`{"n":7}`),
			Facets: []store.Facet{{Kind: "lang", Value: "en", N: 1}, {Kind: "entity", Value: "country:KP", N: 1}}},
		store.StoryView{Story: 8, Title: "Eight", Articles: 1, First: jan, Latest: jan.AddDate(0, 1, 0), Data: []byte(`{"n":8}`),
			Facets: []store.Facet{{Kind: "lang", Value: "ar", N: 1}, {Kind: "outlet", Value: "Example", N: 1}, {Kind: "outlet", Value: "Example", N: 2}}},
	); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveStoryViews(ctx); err != nil {
		t.Errorf("SaveStoryViews of no views: %v", err)
	}
	if dirty, _ := s.DirtyStories(ctx, 0, 10); len(dirty) != 0 {
		t.Errorf("DirtyStories after saving views = %v", dirty)
	}
	v, err := s.StoryView(ctx, 7)
	if err != nil || v.Title != "Seven" || string(v.Data) != `{"n":7}` || !v.Latest.Equal(jan) || len(v.Facets) != 1 || v.Facets[0].Kind != "lang" || v.Updated.IsZero() {
		t.Errorf("StoryView(7) = %+v, %v", v, err)
	}
	if _, err := s.StoryView(ctx, 9); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("StoryView of a missing story: %v", err)
	}
	list := func(q store.StoryQuery) string {
		t.Helper()
		vs, err := s.StoryViews(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		var out string
		for _, v := range vs {
			out += fmt.Sprint(v.Story, " ")
			if v.Data != nil {
				t.Errorf("StoryViews returns the data of story %d", v.Story)
			}
		}
		return out
	}
	for _, tt := range []struct {
		name string
		q    store.StoryQuery
		want string
	}{
		{"newest first", store.StoryQuery{}, "8 7 "},
		{"by language", store.StoryQuery{Lang: "en"}, "7 "},
		{"by outlet", store.StoryQuery{Outlet: "Example"}, "8 "},
		{"by entity", store.StoryQuery{Entity: "country:KP"}, "7 "},
		{"from", store.StoryQuery{From: jan.AddDate(0, 0, 10)}, "8 "},
		{"to", store.StoryQuery{To: jan}, "7 "},
		{"page 1", store.StoryQuery{Limit: 1}, "8 "},
		{"page 2", store.StoryQuery{Limit: 1, AfterLatest: jan.AddDate(0, 1, 0), AfterStory: 8}, "7 "},
	} {
		if got := list(tt.q); got != tt.want {
			t.Errorf("StoryViews %s = %q, want %q", tt.name, got, tt.want)
		}
	}
	// An undated story lists after every dated one, and pages reach it.
	if err := s.SaveStoryViews(ctx, store.StoryView{Story: 9, Title: "Undated", Articles: 1, Data: []byte(`{}`)}); err != nil {
		t.Fatal(err)
	}
	if got := list(store.StoryQuery{}); got != "8 7 9 " {
		t.Errorf("StoryViews with an undated story = %q, want %q", got, "8 7 9 ")
	}
	if got := list(store.StoryQuery{Limit: 5, AfterLatest: jan, AfterStory: 7}); got != "9 " {
		t.Errorf("StoryViews after the last dated story = %q, want %q", got, "9 ")
	}
	if err := s.SaveStoryViews(ctx, store.StoryView{Story: 9}); err != nil {
		t.Fatal(err)
	}
	var each []int64
	if err := s.EachStoryView(ctx, func(v store.StoryView) error { each = append(each, v.Story); return nil }); err != nil || len(each) != 2 {
		t.Errorf("EachStoryView = %v, %v", each, err)
	}
	// A new article in story 7 marks it again; an empty view deletes it.
	clustered(t, s, "p3", "three", 7, 70, "")
	if dirty, _ := s.DirtyStories(ctx, 0, 10); len(dirty) != 1 || dirty[0] != 7 {
		t.Errorf("DirtyStories after a new article = %v, want [7]", dirty)
	}
	if err := s.SaveStoryViews(ctx, store.StoryView{Story: 8}); err != nil {
		t.Fatal(err)
	}
	if got := list(store.StoryQuery{Lang: "ar"}); got != "" {
		t.Errorf("a deleted view is still listed: %q", got)
	}
	if err := s.MarkAllDirty(ctx); err != nil {
		t.Fatal(err)
	}
	if dirty, _ := s.DirtyStories(ctx, 0, 10); len(dirty) != 2 {
		t.Errorf("MarkAllDirty marked %v", dirty)
	}
	if st, err := s.Stats(ctx); err != nil || st.Stories != 1 {
		t.Errorf("Stats.Stories = %d, %v", st.Stories, err)
	}

	// What a view derived from its articles is kept with it, the latest
	// saved for each article.
	if err := s.SaveStoryViews(ctx, store.StoryView{Story: 7, Title: "Seven", Articles: 1, Data: []byte(`{}`),
		Derived: map[int64][]byte{a1: []byte("old")}}); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveStoryViews(ctx, store.StoryView{Story: 8, Title: "Eight", Articles: 1, Data: []byte(`{}`),
		Derived: map[int64][]byte{a2: []byte("two")}}, store.StoryView{Story: 7, Title: "Seven", Articles: 1, Data: []byte(`{}`),
		Derived: map[int64][]byte{a1: {0, 1, 2}}}); err != nil {
		t.Fatal(err)
	}
	got, err := s.ArticleDerived(ctx, []int64{a1, a2, 99999})
	if err != nil || len(got) != 2 || string(got[a1]) != "\x00\x01\x02" || string(got[a2]) != "two" {
		t.Errorf("ArticleDerived = %v, %v", got, err)
	}
	if got, err := s.ArticleDerived(ctx, nil); err != nil || len(got) != 0 {
		t.Errorf("ArticleDerived of none = %v, %v", got, err)
	}
}

func testSearch(t *testing.T, s store.Store) {
	ctx := context.Background()
	kp := news.Mention{Entity: "country:KP", Type: "place", Name: "كوريا الشمالية", Canonical: "North Korea"}
	a := clustered(t, s, "p1", "troops", 1, 1, "north korean troop deploy")
	b := clustered(t, s, "p2", "storm", 2, 2, "typhoon land 台风 风登")
	c := clustered(t, s, "p3", "arabic", 1, 3, "قتل جندي", kp)
	now := time.Now()
	search := func(q store.SearchQuery) []store.Hit {
		t.Helper()
		q.Now = now // as a cursor carries it: scores must not shift between pages
		hits, err := s.Search(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		return hits
	}
	if h := search(store.SearchQuery{Terms: [][]string{{"troops", "troop"}}}); len(h) != 1 || h[0].Article != a || h[0].ViaEntity {
		t.Errorf("troops: %+v", h)
	}
	if h := search(store.SearchQuery{Terms: [][]string{{"台风"}}}); len(h) != 1 || h[0].Article != b {
		t.Errorf("台风: %+v", h)
	}
	if h := search(store.SearchQuery{Terms: [][]string{{"قتل"}}}); len(h) != 1 || h[0].Article != c {
		t.Errorf("قتل: %+v", h)
	}
	if h := search(store.SearchQuery{Terms: [][]string{{"troop"}, {"typhoon"}}}); len(h) != 0 {
		t.Errorf("every word must match: %+v", h)
	}
	h := search(store.SearchQuery{Terms: [][]string{{"troop"}}, Entities: []string{"country:KP"}})
	if len(h) != 2 || h[0].Article != a || h[1].Article != c || !h[1].ViaEntity {
		t.Errorf("entity widening: %+v", h)
	}
	if h := search(store.SearchQuery{Terms: [][]string{{"troop"}}, Entities: []string{"country:KP"}, Story: 1, Limit: 1}); len(h) != 1 {
		t.Errorf("limit: %+v", h)
	} else if h2 := search(store.SearchQuery{Terms: [][]string{{"troop"}}, Entities: []string{"country:KP"}, Limit: 1,
		AfterScore: h[0].Score, AfterID: h[0].Article}); len(h2) != 1 || h2[0].Article != c {
		t.Errorf("second page: %+v", h2)
	}
	if h := search(store.SearchQuery{Terms: [][]string{{"troop"}}, Story: 2}); len(h) != 0 {
		t.Errorf("story filter: %+v", h)
	}
	if h := search(store.SearchQuery{Terms: [][]string{{`"`}, {"a OR b"}}}); len(h) != 0 {
		t.Errorf("query syntax must not leak into the index query: %+v", h)
	}
	// Reanalysis replaces the terms.
	if err := s.SetFacts(ctx, a, news.Facts{}, store.SearchDoc{Body: "withdrawal"}, nil); err != nil {
		t.Fatal(err)
	}
	if h := search(store.SearchQuery{Terms: [][]string{{"troop"}}}); len(h) != 0 {
		t.Errorf("old terms found after SetFacts: %+v", h)
	}
	if h := search(store.SearchQuery{Terms: [][]string{{"withdrawal"}}}); len(h) != 1 {
		t.Errorf("new terms not found after SetFacts: %+v", h)
	}
}

func testEntitiesAndFigures(t *testing.T, s store.Store) {
	ctx := context.Background()
	m1 := news.Mention{Entity: "org:nis", Type: "org", Name: "NIS", Canonical: "National Intelligence Service"}
	m2 := news.Mention{Entity: "org:nis", Type: "org", Name: "South Korea's spy agency", Canonical: "National Intelligence Service"}
	for i, ms := range [][]news.Mention{{m1}, {m1, m2}, {m2}} {
		a := article(fmt.Sprint("figures ", i), 0)
		a.Story, a.Event = 5, 5
		a.Facts.Mentions = ms
		a.Facts.Figures = []news.Figure{{Value: float64(300 * (i + 1)), Kind: "killed", Subject: "North Korean soldiers", AttributedTo: "NIS"},
			{Value: 12000, Kind: "deployed", Subject: "troops", AttributedTo: "Ukraine"}}
		a.SourceEntities = []string{"org:nis", ""}
		if _, err := s.SavePage(ctx, page(fmt.Sprint("f", i)), []store.NewArticle{a}); err != nil {
			t.Fatal(err)
		}
	}
	e, err := s.Entity(ctx, "org:nis")
	if err != nil || e.Name != "National Intelligence Service" || e.Articles != 3 || len(e.Aliases) != 2 || e.Aliases[0].N != 2 {
		t.Errorf("Entity = %+v, %v", e, err)
	}
	if _, err := s.Entity(ctx, "org:none"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Entity of a missing id: %v", err)
	}
	// The entity's stories: by how many of their articles name it, then
	// the latest development first, undated last.
	day := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	if err := s.SaveStoryViews(ctx,
		store.StoryView{Story: 51, Title: "a", Articles: 2, Latest: day, Data: []byte(`{}`), Facets: []store.Facet{{Kind: "entity", Value: "org:nis", N: 2}}},
		store.StoryView{Story: 52, Title: "b", Articles: 2, Latest: day.AddDate(0, 0, 2), Data: []byte(`{}`), Facets: []store.Facet{{Kind: "entity", Value: "org:nis", N: 2}}},
		store.StoryView{Story: 53, Title: "c", Articles: 5, Latest: day, Data: []byte(`{}`), Facets: []store.Facet{{Kind: "entity", Value: "org:nis", N: 5}}},
		store.StoryView{Story: 54, Title: "d", Articles: 2, Data: []byte(`{}`), Facets: []store.Facet{{Kind: "entity", Value: "org:nis", N: 2}}},
	); err != nil {
		t.Fatal(err)
	}
	if e, err := s.Entity(ctx, "org:nis"); err != nil || fmt.Sprint(e.Stories) != "[53 52 51 54]" {
		t.Errorf("Entity stories = %v, %v; want [53 52 51 54]", e.Stories, err)
	}
	ids, err := s.EntityArticles(ctx, "org:nis", 0, 2)
	if err != nil || len(ids) != 2 || ids[0] <= ids[1] {
		t.Errorf("EntityArticles = %v, %v", ids, err)
	}
	if more, _ := s.EntityArticles(ctx, "org:nis", ids[1], 2); len(more) != 1 {
		t.Errorf("EntityArticles second page = %v", more)
	}
	var n int
	if err := s.EachMention(ctx, func(news.Mention, int64) error { n++; return nil }); err != nil || n != 4 {
		t.Errorf("EachMention saw %d, %v", n, err)
	}
	figs := func(q store.FigureQuery) []store.FigureRow {
		t.Helper()
		rows, err := s.Figures(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}
	if r := figs(store.FigureQuery{Kind: "killed"}); len(r) != 3 || r[0].Value != 900 || r[0].Story != 5 || r[0].SourceEntity != "org:nis" {
		t.Errorf("killed: %+v", r)
	}
	if r := figs(store.FigureQuery{Entity: "org:nis"}); len(r) != 3 {
		t.Errorf("by source entity: %d", len(r))
	}
	if r := figs(store.FigureQuery{Source: "Ukraine", Story: 5}); len(r) != 3 || r[0].Kind != "deployed" {
		t.Errorf("by source: %+v", r)
	}
	if r := figs(store.FigureQuery{Subject: "Korean"}); len(r) != 3 {
		t.Errorf("by subject: %d", len(r))
	}
	first := figs(store.FigureQuery{Limit: 4})
	rest := figs(store.FigureQuery{Limit: 4, BeforeArticle: first[3].Article, BeforeIndex: first[3].Index})
	if len(first) != 4 || len(rest) != 2 {
		t.Errorf("figure pages: %d then %d, want 4 then 2", len(first), len(rest))
	}
}

func testChangesSince(t *testing.T, s store.Store) {
	ctx := context.Background()
	clustered(t, s, "p1", "one", 1, 1, "")
	ch, err := s.ChangesSince(ctx, store.ChangeCursor{}, 10)
	if err != nil || len(ch.Articles) != 1 || len(ch.Clusters) != 0 {
		t.Fatalf("ChangesSince(start) = %+v, %v", ch, err)
	}
	p := page("p2")
	p.Changes = []news.ClusterChange{{Kind: "merge", Level: "story", From: 2, Into: 1}}
	if _, err := s.SavePage(ctx, p, []store.NewArticle{article("two", 0)}); err != nil {
		t.Fatal(err)
	}
	ch2, err := s.ChangesSince(ctx, ch.Next, 10)
	if err != nil || len(ch2.Articles) != 1 || len(ch2.Clusters) != 1 || ch2.Clusters[0].From != 2 {
		t.Fatalf("ChangesSince(next) = %+v, %v", ch2, err)
	}
	if ch3, err := s.ChangesSince(ctx, ch2.Next, 10); err != nil || len(ch3.Articles)+len(ch3.Clusters) != 0 || ch3.Next != ch2.Next {
		t.Errorf("ChangesSince(end) = %+v, %v", ch3, err)
	}
}

func testClearFailure(t *testing.T, s store.Store) {
	ctx := context.Background()
	for _, in := range []string{"a.html", "b.html"} {
		if err := s.RecordFailure(ctx, store.Failure{Input: in, Err: "timeout"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.ClearFailure(ctx, "a.html"); err != nil {
		t.Fatal(err)
	}
	if fs, _ := s.Failures(ctx); len(fs) != 1 || fs[0].Input != "b.html" {
		t.Errorf("after ClearFailure: %+v", fs)
	}
}

func testReadTxIsASnapshot(t *testing.T, s store.Store) {
	ctx := context.Background()
	clustered(t, s, "p1", "one", 1, 1, "")
	err := s.ReadTx(ctx, func(r store.Reader) error {
		before, err := r.Stats(ctx)
		if err != nil {
			return err
		}
		clustered(t, s, "p2", "two", 1, 1, "") // written while the snapshot is open
		n := 0
		if err := r.Articles(ctx, func(news.Stored) error { n++; return nil }); err != nil {
			return err
		}
		if before.Articles != 1 || n != 1 {
			t.Errorf("the snapshot saw a write made after it began: %d then %d articles", before.Articles, n)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := s.Stats(ctx); st.Articles != 2 {
		t.Errorf("after the snapshot: %d articles", st.Articles)
	}
}

// testManyArticlesStream checks that iterations cross chunk boundaries.
func testManyArticlesStream(t *testing.T, s store.Store) {
	ctx := context.Background()
	const n = 600
	var arts []store.NewArticle
	for i := 0; i < n; i++ {
		a := article(fmt.Sprint("text ", i), i)
		a.Story, a.Event = 1, 1
		a.Facts.Figures = []news.Figure{{Value: float64(i)}}
		arts = append(arts, a)
	}
	if _, err := s.SavePage(ctx, page("big"), arts); err != nil {
		t.Fatal(err)
	}
	for name, iter := range map[string]func(func(news.Stored) error) error{
		"Articles":      func(fn func(news.Stored) error) error { return s.Articles(ctx, fn) },
		"StoryArticles": func(fn func(news.Stored) error) error { return s.StoryArticles(ctx, 1, fn) },
	} {
		i := 0
		err := iter(func(a news.Stored) error {
			if len(a.Facts.Figures) != 1 || a.Facts.Figures[0].Value != float64(i) {
				return fmt.Errorf("article %d: figures %+v", i, a.Facts.Figures)
			}
			i++
			return nil
		})
		if err != nil || i != n {
			t.Errorf("%s: %d of %d, %v", name, i, n, err)
		}
	}
}
