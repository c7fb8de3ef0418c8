package store_test

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"dossier/internal/news"
	"dossier/internal/store"
	"dossier/internal/store/postgres"
	"dossier/internal/store/postgres/pgtest"
	"dossier/internal/store/sqlite"
)

var day = time.Date(2025, 7, 8, 10, 30, 0, 0, time.UTC)

// terms is a stand-in for ingest.Index: lower-cased words.
func terms(a news.Article) store.SearchDoc {
	return store.SearchDoc{Title: strings.ToLower(a.Title), Body: strings.ToLower(a.Text)}
}

// fill writes a bit of everything a store holds.
func fill(t *testing.T, s store.Store) {
	t.Helper()
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	art := func(text, lang string, story, event int64) store.NewArticle {
		a := store.NewArticle{Article: news.Article{Title: "Title " + text, Text: text, Byline: "Omar Nasser", Credits: []string{"AFP"},
			Site: "example.org", Language: lang, Published: news.DateRange{Earliest: day.Add(-time.Hour), Latest: day, Basis: "meta"}},
			Hash: "h-" + text, Bands: []int64{int64(len(text)), 7}, Story: story, Event: event}
		a.Search = terms(a.Article)
		return a
	}
	page := func(key string) store.Page {
		return store.Page{Key: key, BodyHash: "b-" + key, Origin: "in/" + key, File: key + ".html", ID: "x" + key,
			URL: "https://example.org/" + key, Captured: day, Format: news.FormatHTML}
	}
	a1 := art("troops deployed to kursk", "en", 1, 1)
	a1.Facts = news.Facts{
		Figures: []news.Figure{{Value: 12000, Kind: "deployed", Subject: "troops", AttributedTo: "NIS", Sentence: "12,000 troops"},
			{Value: 2, Low: 2, High: 3, IsRange: true, Unit: "days"}},
		Statements: []news.Statement{{Text: "on Monday", Expr: "Monday", Value: "2025-07-07", Earliest: day.AddDate(0, 0, -1), Latest: day, Anchor: "published"}},
		Mentions: []news.Mention{{Entity: "country:KP", Type: "place", Name: "North Korea", Canonical: "North Korea"},
			{Entity: "place:kursk", Type: "place", Name: "Kursk", Canonical: "Kursk"}},
		Bounds: news.DateRange{Earliest: day.AddDate(0, -1, 0), Latest: day, Basis: "capture"},
	}
	a1.SourceEntities = []string{"org:nis", ""}
	a1.Embedding = []float32{0.6, 0.8}
	a2 := art("مقتل جنود في كورسك", "ar", 1, 2)
	a2.Index = 1
	a2.Facts.Mentions = []news.Mention{{Entity: "country:KP", Type: "place", Name: "كوريا الشمالية", Canonical: "North Korea"}}
	s1, err := s.SavePage(ctx, page("p1"), []store.NewArticle{a1, a2})
	must(err)
	a3 := art("台风在广东登陆", "zh", 2, 3)
	a3.Index = 0
	_, err = s.SavePage(ctx, page("p2"), []store.NewArticle{a3})
	must(err)
	dup := art("troops deployed to kursk", "en", 0, 0)
	dup.Title, dup.DuplicateOf = "Retitled", s1.IDs[0]
	p3 := page("p3")
	p3.Changes = []news.ClusterChange{{Kind: "merge", Level: "event", From: 2, Into: 1, Score: 0.7, At: day}}
	_, err = s.SavePage(ctx, p3, []store.NewArticle{dup})
	must(err)
	_, err = s.SavePage(ctx, page("empty"), nil) // a page with no article
	must(err)
	must(s.SetClusters(ctx, map[int64][2]int64{s1.IDs[1]: {3, 4}}, []news.ClusterChange{{Kind: "split", Level: "event", From: 1, Into: 4, At: day}}))
	must(s.SaveStoryViews(ctx, store.StoryView{Story: 1, Title: "Kursk", Summary: "s", Articles: 1, First: day, Latest: day, Updated: day,
		Data: []byte(`{"id":1}`), Facets: []store.Facet{{Kind: "lang", Value: "en", N: 1}, {Kind: "entity", Value: "country:KP", N: 1}}}))
	must(s.SaveModel(ctx, []byte("model bytes"), 3))
	must(s.RecordFailure(ctx, store.Failure{Input: "bad.bin", Err: "binary", At: day}))
	must(s.SetFeedState(ctx, store.FeedState{URL: "https://example.org/feed", ETag: `"e"`, LastModified: "Tue", Checked: day}))
	_, _, err = s.Follow(ctx, store.Subscription{URL: "https://example.org/feed.xml", Kind: store.KindFeed, Title: "Example", Added: day})
	must(err)
}

// snapshot is everything a reader can see of a store, times to the
// microsecond (PostgreSQL's precision).
func snapshot(t *testing.T, s store.Store) map[string]any {
	t.Helper()
	ctx := context.Background()
	out := map[string]any{}
	put := func(k string, v any, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", k, err)
		}
		out[k] = v
	}
	var arts []news.Stored
	put("articles", nil, s.Articles(ctx, func(a news.Stored) error {
		a.Added = a.Added.Truncate(time.Microsecond)
		arts = append(arts, a)
		return nil
	}))
	out["articles"] = arts
	st, err := s.Stats(ctx)
	st.Bytes = 0 // each database's own measure
	put("stats", st, err)
	for _, q := range [][][]string{{{"troops"}}, {{"كورسك"}}, {{"台风在广东登陆"}}, {{"kursk"}, {"deployed"}}} {
		h, err := s.Search(ctx, store.SearchQuery{Terms: q, Entities: []string{"country:KP"}, Now: day})
		var ids []string
		for _, x := range h {
			ids = append(ids, fmt.Sprint(x.Article, x.ViaEntity))
		}
		put(fmt.Sprint("search ", q), ids, err)
	}
	vs, err := s.StoryViews(ctx, store.StoryQuery{})
	put("views", vs, err)
	v, err := s.StoryView(ctx, 1)
	put("view 1", v, err)
	ch, err := s.ClusterChanges(ctx)
	put("changes", ch, err)
	cs, err := s.ChangesSince(ctx, store.ChangeCursor{}, 100)
	put("changes since", cs, err)
	fs, err := s.Failures(ctx)
	put("failures", fs, err)
	fe, err := s.FeedState(ctx, "https://example.org/feed")
	put("feed", fe, err)
	m, last, err := s.LoadModel(ctx)
	put("model", fmt.Sprint(string(m), last), err)
	d, err := s.DirtyStories(ctx, 0, 100)
	put("dirty", d, err)
	c, err := s.Candidates(ctx, "none", []int64{7})
	put("candidates", c, err)
	for _, k := range []string{"p1", "empty"} {
		ok, err := s.HasPage(ctx, k, "b-"+k)
		put("has page "+k, ok, err)
	}
	figs, err := s.Figures(ctx, store.FigureQuery{})
	put("figures", figs, err)
	e, err := s.Entity(ctx, "country:KP")
	put("entity", e, err)
	subs, err := s.Subscriptions(ctx)
	var followed []string
	for _, x := range subs {
		followed = append(followed, fmt.Sprint(x.URL, " ", x.Kind, " ", x.Title, " ", x.Added.UTC()))
	}
	put("followed", followed, err)
	var ms []string
	put("mentions", nil, s.EachMention(ctx, func(m news.Mention, a int64) error { ms = append(ms, fmt.Sprint(m, a)); return nil }))
	out["mentions"] = ms
	return out
}

func TestCopySQLiteToPostgres(t *testing.T) {
	ctx := context.Background()
	src, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "dossier.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	fill(t, src)
	dst, err := postgres.Open(ctx, pgtest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	n, err := store.Copy(ctx, dst, src, terms, nil)
	if err != nil {
		t.Fatal(err)
	}
	if n.Pages != 4 || n.Articles != 3 || n.Sources != 4 || n.Changes != 2 || n.Views != 1 || n.Failures != 1 || n.Feeds != 1 || n.Subscriptions != 1 {
		t.Errorf("copied %+v", n)
	}
	want, got := snapshot(t, src), snapshot(t, dst)
	if len(want["articles"].([]news.Stored)) != 3 || len(want["search [[troops]]"].([]string)) != 2 || len(want["figures"].([]store.FigureRow)) != 2 {
		t.Fatalf("the source does not hold what fill wrote: %+v", want)
	}
	for k, w := range want {
		if !reflect.DeepEqual(w, got[k]) {
			t.Errorf("%s differs after the copy:\nsqlite   %+v\npostgres %+v", k, w, got[k])
		}
	}
	// A second copy is refused; the copy goes on taking new ids.
	if _, err := store.Copy(ctx, dst, src, terms, nil); err == nil {
		t.Error("a copy into a store that is not empty succeeded")
	}
	saved, err := dst.SavePage(ctx, store.Page{Key: "new", BodyHash: "n"}, []store.NewArticle{{Hash: "new"}})
	if err != nil || saved.IDs[0] != 4 {
		t.Errorf("after the copy, a new article: %+v, %v; want id 4", saved, err)
	}
}
