// Package storetest is the conformance suite every store.Store must pass.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"dossier/internal/news"
	"dossier/internal/store"
)

// Run runs the suite. open returns a new, empty store for each subtest.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		fn   func(*testing.T, store.Store)
	}{
		{"SaveAndRead", testSaveAndRead},
		{"ResaveIsNoOp", testResaveIsNoOp},
		{"FoldDuplicate", testFoldDuplicate},
		{"NewVersionOfAPage", testNewVersionOfAPage},
		{"Candidates", testCandidates},
		{"SaveIsAtomic", testSaveIsAtomic},
		{"PageBatch", testPageBatch},
		{"TimesOutOfRange", testTimesOutOfRange},
		{"Failures", testFailures},
		{"FeedState", testFeedState},
		{"KnownPages", testKnownPages},
		{"Facts", testFacts},
		{"Clusters", testClusters},
		{"AssignClusters", testAssignClusters},
		{"Embeddings", testEmbeddings},
		{"ArticleAndStory", testArticleAndStory},
		{"Views", testViews},
		{"Search", testSearch},
		{"EntitiesAndFigures", testEntitiesAndFigures},
		{"ChangesSince", testChangesSince},
		{"ClearFailure", testClearFailure},
		{"ReadTxIsASnapshot", testReadTxIsASnapshot},
		{"ManyArticlesStream", testManyArticlesStream},
		{"Outlets", testOutlets},
		{"Handoff", testHandoff},
		{"Alerts", testAlerts},
		{"Stamps", testStamps},
	}
	tests = append(tests, watchTests...)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			t.Cleanup(func() { s.Close() })
			tt.fn(t, s)
		})
	}
}

var day = time.Date(2025, 7, 8, 0, 0, 0, 0, time.UTC)

func page(key string) store.Page {
	return store.Page{Key: key, BodyHash: "h-" + key, Origin: "in/" + key, File: key + ".txt", URL: "https://example.org/" + key,
		Captured: day, Format: news.FormatText}
}

func article(text string, idx int) store.NewArticle {
	return store.NewArticle{
		Article: news.Article{Title: "Title " + text, Text: text, Byline: "Omar Nasser", Credits: []string{"Photo: AFP"},
			Site: "Example", Language: "en", Index: idx,
			Published: news.DateRange{Earliest: day.Add(-24 * time.Hour), Latest: day, Basis: "age"}},
		Hash: "hash-" + text, Bands: []int64{int64(len(text)), -7},
	}
}

func all(t *testing.T, s store.Store) []news.Stored {
	t.Helper()
	var out []news.Stored
	if err := s.Articles(context.Background(), func(a news.Stored) error { out = append(out, a); return nil }); err != nil {
		t.Fatalf("Articles: %v", err)
	}
	return out
}

func testSaveAndRead(t *testing.T, s store.Store) {
	ctx := context.Background()
	saved, err := s.SavePage(ctx, page("p1"), []store.NewArticle{article("first text", 0), article("second text", 1)})
	if err != nil {
		t.Fatal(err)
	}
	if saved.Existed || saved.New != 2 || len(saved.IDs) != 2 {
		t.Fatalf("SavePage = %+v, want 2 new articles", saved)
	}
	if ok, err := s.HasPage(ctx, "p1", "h-p1"); err != nil || !ok {
		t.Fatalf("HasPage = %v, %v; want true", ok, err)
	}
	if ok, _ := s.HasPage(ctx, "p1", "other"); ok {
		t.Fatal("HasPage true for another body hash")
	}
	got := all(t, s)
	if len(got) != 2 {
		t.Fatalf("got %d articles, want 2", len(got))
	}
	a := got[0]
	want := article("first text", 0)
	if a.Title != want.Title || a.Text != want.Text || a.Byline != want.Byline || a.Site != want.Site || a.Language != "en" ||
		!reflect.DeepEqual(a.Credits, want.Credits) || a.Hash != want.Hash {
		t.Errorf("article round trip: got %+v", a.Article)
	}
	if !a.Published.Earliest.Equal(want.Published.Earliest) || !a.Published.Latest.Equal(day) || a.Published.Basis != "age" {
		t.Errorf("published = %+v, want %+v", a.Published, want.Published)
	}
	if len(a.Sources) != 1 || a.Sources[0].File != "p1.txt" || a.Sources[0].URL != "https://example.org/p1" || !a.Sources[0].Captured.Equal(day) {
		t.Errorf("sources = %+v", a.Sources)
	}
	if got[1].Sources[0].Index != 1 {
		t.Errorf("second article index = %d, want 1", got[1].Sources[0].Index)
	}
	var after []news.Stored
	if err := s.ArticlesAfter(ctx, got[0].ID, func(a news.Stored) error { after = append(after, a); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(after) != 1 || after[0].ID != got[1].ID || len(after[0].Sources) != 1 || after[0].Text != "second text" {
		t.Errorf("ArticlesAfter(%d) = %+v, want only the second article, whole", got[0].ID, after)
	}
	st, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Pages != 1 || st.Articles != 2 || st.Sources != 2 || st.Languages["en"] != 2 {
		t.Errorf("Stats = %+v", st)
	}
}

func testResaveIsNoOp(t *testing.T, s store.Store) {
	ctx := context.Background()
	arts := []store.NewArticle{article("only text", 0)}
	if _, err := s.SavePage(ctx, page("p1"), arts); err != nil {
		t.Fatal(err)
	}
	saved, err := s.SavePage(ctx, page("p1"), arts)
	if err != nil {
		t.Fatal(err)
	}
	if !saved.Existed || saved.New != 0 {
		t.Errorf("second SavePage = %+v, want Existed", saved)
	}
	if st, _ := s.Stats(ctx); st.Pages != 1 || st.Articles != 1 || st.Sources != 1 {
		t.Errorf("after re-save: %+v", st)
	}
}

func testFoldDuplicate(t *testing.T, s store.Store) {
	ctx := context.Background()
	first, err := s.SavePage(ctx, page("p1"), []store.NewArticle{article("wire copy", 0)})
	if err != nil {
		t.Fatal(err)
	}
	dup := article("wire copy", 0)
	dup.Title = "Retitled"
	dup.DuplicateOf = first.IDs[0]
	saved, err := s.SavePage(ctx, page("p2"), []store.NewArticle{dup})
	if err != nil {
		t.Fatal(err)
	}
	if saved.Dup != 1 || saved.IDs[0] != first.IDs[0] {
		t.Errorf("SavePage dup = %+v", saved)
	}
	got := all(t, s)
	if len(got) != 1 || len(got[0].Sources) != 2 {
		t.Fatalf("want one article with two sources, got %d articles, %+v", len(got), got)
	}
	if got[0].Sources[1].Title != "Retitled" || got[0].Sources[1].File != "p2.txt" {
		t.Errorf("second source = %+v", got[0].Sources[1])
	}
}

func testCandidates(t *testing.T, s store.Store) {
	ctx := context.Background()
	a := article("candidate text", 0)
	a.Bands = []int64{11, 22}
	if _, err := s.SavePage(ctx, page("p1"), []store.NewArticle{a}); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name  string
		hash  string
		bands []int64
		want  int
	}{
		{"by hash", a.Hash, nil, 1},
		{"by band", "nope", []int64{5, 22}, 1},
		{"none", "nope", []int64{5, 6}, 0},
	} {
		cs, err := s.Candidates(ctx, tt.hash, tt.bands)
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) != tt.want {
			t.Errorf("%s: %d candidates, want %d", tt.name, len(cs), tt.want)
		}
		if len(cs) == 1 && (cs[0].Text != "candidate text" || cs[0].Language != "en") {
			t.Errorf("%s: candidate = %+v", tt.name, cs[0])
		}
	}
}

func testSaveIsAtomic(t *testing.T, s store.Store) {
	ctx := context.Background()
	bad := article("dangling", 1)
	bad.DuplicateOf = 987654 // no such article: the insert must fail
	if _, err := s.SavePage(ctx, page("p1"), []store.NewArticle{article("good", 0), bad}); err == nil {
		t.Fatal("SavePage with a dangling duplicate succeeded")
	}
	if st, _ := s.Stats(ctx); st.Pages != 0 || st.Articles != 0 {
		t.Errorf("a failed save left %+v", st)
	}
	if ok, _ := s.HasPage(ctx, "p1", "h-p1"); ok {
		t.Error("a failed save left its page")
	}
}

// testPageBatch: a batch's pages are stored at its commit and not before,
// its Candidates see what it saved, and a rollback leaves nothing.
func testPageBatch(t *testing.T, s store.Store) {
	ctx := context.Background()
	b, err := s.BeginPages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	first := article("first of the batch", 0)
	first.Bands = []int64{31, 32}
	first.Search = store.SearchDoc{Title: "batchtitle", Body: "batchword"}
	saved, err := b.SavePage(ctx, page("b1"), []store.NewArticle{first})
	if err != nil || saved.New != 1 || len(saved.IDs) != 1 {
		t.Fatalf("batch SavePage = %+v, %v", saved, err)
	}
	cs, err := b.Candidates(ctx, "nope", []int64{32})
	if err != nil || len(cs) != 1 || cs[0].ID != saved.IDs[0] || cs[0].Text != "first of the batch" {
		t.Fatalf("batch Candidates = %+v, %v; want the article the batch saved", cs, err)
	}
	dup := article("first of the batch", 0)
	dup.DuplicateOf = saved.IDs[0]
	if got, err := b.SavePage(ctx, page("b2"), []store.NewArticle{dup}); err != nil || got.Dup != 1 {
		t.Fatalf("batch SavePage of a copy = %+v, %v", got, err)
	}
	if again, err := b.SavePage(ctx, page("b1"), []store.NewArticle{first}); err != nil || !again.Existed {
		t.Fatalf("batch SavePage of a page it saved = %+v, %v; want Existed", again, err)
	}
	if err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	if st, _ := s.Stats(ctx); st.Pages != 2 || st.Articles != 1 || st.Sources != 2 {
		t.Errorf("after commit: %+v, want 2 pages, 1 article, 2 sources", st)
	}
	// The search terms are the batch's too (SQLite writes them at the
	// commit).
	if hits, err := s.Search(ctx, store.SearchQuery{Terms: [][]string{{"batchword"}}, Limit: 10}); err != nil || len(hits) != 1 || hits[0].Article != saved.IDs[0] {
		t.Errorf("search after commit = %+v, %v; want the batch's article", hits, err)
	}

	b, err = s.BeginPages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	back := article("rolled back", 0)
	back.Search = store.SearchDoc{Body: "rolledword"}
	if _, err := b.SavePage(ctx, page("b3"), []store.NewArticle{back}); err != nil {
		t.Fatal(err)
	}
	if err := b.Rollback(); err != nil {
		t.Fatal(err)
	}
	if ok, _ := s.HasPage(ctx, "b3", "h-b3"); ok {
		t.Error("a rolled-back batch left its page")
	}
	if st, _ := s.Stats(ctx); st.Pages != 2 || st.Articles != 1 {
		t.Errorf("after rollback: %+v, want the committed 2 pages and 1 article", st)
	}
	if hits, err := s.Search(ctx, store.SearchQuery{Terms: [][]string{{"rolledword"}}, Limit: 10}); err != nil || len(hits) != 0 {
		t.Errorf("search after rollback = %+v, %v; want nothing", hits, err)
	}
	// The store writes again after a batch: the batch let go of its lock.
	if _, err := s.SavePage(ctx, page("b4"), []store.NewArticle{article("after the batch", 0)}); err != nil {
		t.Fatalf("SavePage after a batch: %v", err)
	}
}

// testTimesOutOfRange: a time outside the years 1 to 9999, which RFC 3339
// (and so the export) cannot hold, is stored as unknown by every backend:
// PostgreSQL kept 442 BC, and the story's view then failed to encode.
func testTimesOutOfRange(t *testing.T, s store.Store) {
	ctx := context.Background()
	a := article("ancient history", 0)
	bc := time.Date(-441, 1, 1, 0, 0, 0, 0, time.UTC)
	far := time.Date(12025, 1, 1, 0, 0, 0, 0, time.UTC)
	a.Published = news.DateRange{Earliest: bc, Latest: far, Basis: "meta"}
	a.Facts.Statements = []news.Statement{{Text: "Founded 2466 years ago.", Expr: "2466 years ago", Value: "-441", Earliest: bc, Latest: far}}
	if _, err := s.SavePage(ctx, page("old"), []store.NewArticle{a}); err != nil {
		t.Fatal(err)
	}
	got := all(t, s)
	if len(got) != 1 {
		t.Fatalf("%d articles", len(got))
	}
	if p := got[0].Published; !p.Earliest.IsZero() || !p.Latest.IsZero() {
		t.Errorf("published = %+v, want unknown bounds", p)
	}
	if sts := got[0].Facts.Statements; len(sts) != 1 || !sts[0].Earliest.IsZero() || !sts[0].Latest.IsZero() {
		t.Errorf("statements = %+v, want one with unknown bounds", sts)
	}
}

func testFailures(t *testing.T, s store.Store) {
	ctx := context.Background()
	for i := 0; i < 2; i++ {
		if err := s.RecordFailure(ctx, store.Failure{Input: "bad.bin", Err: "binary content"}); err != nil {
			t.Fatal(err)
		}
	}
	fs, err := s.Failures(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 1 || fs[0].Input != "bad.bin" || fs[0].At.IsZero() {
		t.Errorf("Failures = %+v, want one", fs)
	}
}

func testFeedState(t *testing.T, s store.Store) {
	ctx := context.Background()
	if _, err := s.FeedState(ctx, "https://example.org/feed"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("FeedState of a new feed: err = %v, want ErrNotFound", err)
	}
	want := store.FeedState{URL: "https://example.org/feed", ETag: `"abc"`, LastModified: "Mon, 07 Jul 2025 10:00:00 GMT", Checked: day}
	if err := s.SetFeedState(ctx, want); err != nil {
		t.Fatal(err)
	}
	got, err := s.FeedState(ctx, want.URL)
	if err != nil || got.ETag != want.ETag || got.LastModified != want.LastModified || !got.Checked.Equal(day) {
		t.Errorf("FeedState = %+v, %v", got, err)
	}
}

func testFacts(t *testing.T, s store.Store) {
	ctx := context.Background()
	a := article("facts text", 0)
	a.Facts = news.Facts{
		Figures: []news.Figure{
			{Value: 300, Qualifier: "about", Kind: "killed", Subject: "soldiers", AttributedTo: "NIS", Sentence: "About 300 soldiers were killed, NIS said."},
			{Value: 252, Low: 252, High: 287, IsRange: true, Unit: "miles", Sentence: "from 252 to 287 miles"},
		},
		Statements: []news.Statement{{Text: "Units withdrew in mid-January.", Expr: "mid-January", Value: "2025-01",
			Earliest: time.Date(2025, 1, 10, 0, 0, 0, 0, time.UTC), Latest: time.Date(2025, 1, 20, 0, 0, 0, 0, time.UTC), Anchor: "captured"}},
		Mentions: []news.Mention{{Entity: "country:KP", Type: "place", Name: "Pyongyang", Canonical: "North Korea"}},
		Bounds:   news.DateRange{Earliest: time.Date(2024, 9, 1, 0, 0, 0, 0, time.UTC), Latest: day, Basis: "capture"},
	}
	saved, err := s.SavePage(ctx, page("p1"), []store.NewArticle{a})
	if err != nil {
		t.Fatal(err)
	}
	got := all(t, s)[0].Facts
	if !reflect.DeepEqual(got, a.Facts) {
		t.Errorf("facts round trip:\n got %+v\nwant %+v", got, a.Facts)
	}
	if err := s.SetFacts(ctx, saved.IDs[0], news.Facts{Figures: []news.Figure{{Value: 600, Kind: "killed"}}}, store.SearchDoc{}, nil); err != nil {
		t.Fatal(err)
	}
	got = all(t, s)[0].Facts
	if len(got.Figures) != 1 || got.Figures[0].Value != 600 || len(got.Statements) != 0 || len(got.Mentions) != 0 || got.Bounds.Known() {
		t.Errorf("after SetFacts: %+v", got)
	}
}

func testClusters(t *testing.T, s store.Store) {
	ctx := context.Background()
	a, b := article("first", 0), article("second", 1)
	a.Story, a.Event = 1, 2
	b.Story, b.Event = 3, 4
	saved, err := s.SavePage(ctx, page("p1"), []store.NewArticle{a, b})
	if err != nil {
		t.Fatal(err)
	}
	// A later page merges event 4 into event 2, and story 3 into story 1.
	c := article("third", 0)
	c.Story, c.Event = 1, 2
	p2 := page("p2")
	p2.Changes = []news.ClusterChange{{Kind: "merge", Level: "event", From: 4, Into: 2, Score: 0.6},
		{Kind: "merge", Level: "story", From: 3, Into: 1, Score: 0.6}}
	if _, err := s.SavePage(ctx, p2, []store.NewArticle{c}); err != nil {
		t.Fatal(err)
	}
	for _, got := range all(t, s) {
		if got.Story != 1 || got.Event != 2 {
			t.Errorf("article %d in story %d event %d, want 1 and 2 after the merge", got.ID, got.Story, got.Event)
		}
	}
	if err := s.SetClusters(ctx, map[int64][2]int64{saved.IDs[1]: {5, 6}}, []news.ClusterChange{{Kind: "split", Level: "event", From: 2, Into: 6}}); err != nil {
		t.Fatal(err)
	}
	changes, err := s.ClusterChanges(ctx)
	if err != nil || len(changes) != 3 || changes[0].Kind != "merge" || changes[2].Kind != "split" || changes[2].At.IsZero() {
		t.Errorf("changes = %+v, %v", changes, err)
	}
	// The merges logged with the page after the first: what a model saved
	// at its last article has not seen (the split has no article).
	after, err := s.ClusterChangesAfter(ctx, saved.IDs[1])
	if err != nil || len(after) != 2 || after[0].Level != "event" || after[1].Level != "story" || after[0].Article <= saved.IDs[1] {
		t.Errorf("ClusterChangesAfter(%d) = %+v, %v", saved.IDs[1], after, err)
	} else if later, err := s.ClusterChangesAfter(ctx, after[0].Article); err != nil || len(later) != 0 {
		t.Errorf("ClusterChangesAfter(%d) = %+v, %v", after[0].Article, later, err)
	}
	if got := all(t, s)[1]; got.Story != 5 || got.Event != 6 {
		t.Errorf("after SetClusters: story %d event %d", got.Story, got.Event)
	}
	// Where a merged story went: its last story merge, not an event's
	// (events and stories may share ids) nor a split.
	if err := s.SetClusters(ctx, nil, []news.ClusterChange{{Kind: "merge", Level: "story", From: 3, Into: 5},
		{Kind: "merge", Level: "event", From: 3, Into: 9}, {Kind: "split", Level: "story", From: 3, Into: 8}}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		story, into int64
		err         error
	}{{3, 5, nil}, {1, 0, store.ErrNotFound}, {4, 0, store.ErrNotFound}, {99, 0, store.ErrNotFound}} {
		if into, err := s.MergedInto(ctx, c.story); into != c.into || !errors.Is(err, c.err) {
			t.Errorf("MergedInto(%d) = %d, %v; want %d, %v", c.story, into, err, c.into, c.err)
		}
	}
	// A page whose first article is a copy of one stored before: its
	// change is recorded with the article it added, after the copy's.
	dup, added := article("first", 0), article("fourth", 1)
	dup.DuplicateOf = saved.IDs[0]
	added.Story, added.Event = 7, 8
	p3 := page("p3")
	p3.Changes = []news.ClusterChange{{Kind: "merge", Level: "event", From: 11, Into: 8}}
	s3, err := s.SavePage(ctx, p3, []store.NewArticle{dup, added})
	if err != nil {
		t.Fatal(err)
	}
	if later, err := s.ClusterChangesAfter(ctx, s3.IDs[1]-1); err != nil || len(later) != 1 || later[0].Article != s3.IDs[1] {
		t.Errorf("ClusterChangesAfter(%d) = %+v, %v; want the change of page p3 with article %d", s3.IDs[1]-1, later, err, s3.IDs[1])
	}
	if _, _, err := s.LoadModel(ctx); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("LoadModel before any save: %v", err)
	}
	if err := s.SaveModel(ctx, []byte("model"), 42); err != nil {
		t.Fatal(err)
	}
	if data, last, err := s.LoadModel(ctx); err != nil || string(data) != "model" || last != 42 {
		t.Errorf("LoadModel = %q, %d, %v", data, last, err)
	}
}

func testEmbeddings(t *testing.T, s store.Store) {
	ctx := context.Background()
	with := article("embedded text", 0)
	with.Embedding = []float32{0.6, -0.8, 0, 1e-7}
	if _, err := s.SavePage(ctx, page("p1"), []store.NewArticle{with, article("plain text", 1)}); err != nil {
		t.Fatal(err)
	}
	got := all(t, s)
	if len(got) != 2 {
		t.Fatalf("got %d articles, want 2", len(got))
	}
	if !reflect.DeepEqual(got[0].Embedding, with.Embedding) {
		t.Errorf("embedding = %v, want %v", got[0].Embedding, with.Embedding)
	}
	if got[1].Embedding != nil {
		t.Errorf("article saved without an embedding has %v", got[1].Embedding)
	}
	var after []news.Stored
	if err := s.ArticlesAfter(ctx, 0, func(a news.Stored) error { after = append(after, a); return nil }); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(after[0].Embedding, with.Embedding) {
		t.Errorf("ArticlesAfter embedding = %v", after[0].Embedding)
	}
}

func testKnownPages(t *testing.T, s store.Store) {
	ctx := context.Background()
	if _, err := s.SavePage(ctx, page("p1"), []store.NewArticle{article("known text", 0)}); err != nil {
		t.Fatal(err)
	}
	refs := []string{"p1", "https://example.org/p1", "p2", "https://example.org/p2"}
	for i := 0; i < 1000; i++ { // more than one query's worth
		refs = append(refs, fmt.Sprintf("https://example.org/other/%d", i))
	}
	known, err := s.KnownPages(ctx, refs)
	if err != nil {
		t.Fatal(err)
	}
	if len(known) != 2 || !known["p1"] || !known["https://example.org/p1"] {
		t.Errorf("KnownPages = %v, want p1 by key and by URL", known)
	}
	if known, err := s.KnownPages(ctx, nil); err != nil || len(known) != 0 {
		t.Errorf("KnownPages(nil) = %v, %v", known, err)
	}
}

func testOutlets(t *testing.T, s store.Store) {
	ctx := context.Background()
	if o, err := s.Outlets(ctx); err != nil || len(o) != 0 {
		t.Fatalf("Outlets of an empty store = %+v, %v", o, err)
	}
	ar := article("نص عربي", 1)
	ar.Language = "ar"
	ar.Published = news.DateRange{Earliest: day.AddDate(0, 0, -30), Latest: day.AddDate(0, 0, -30)}
	other := article("other outlet", 2)
	other.Site = "Other"
	saved, err := s.SavePage(ctx, page("p1"), []store.NewArticle{article("first text", 0), ar, other})
	if err != nil {
		t.Fatal(err)
	}
	// A folded duplicate is not a second article of its outlet.
	dup := article("first text", 0)
	dup.DuplicateOf = saved.IDs[0]
	if _, err := s.SavePage(ctx, page("p2"), []store.NewArticle{dup}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Outlets(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("Outlets = %+v, want Example and Other", got)
	}
	ex := got[0]
	if ex.Site != "Example" || ex.Articles != 2 {
		t.Fatalf("first outlet = %+v, want Example with 2 articles", ex)
	}
	if !reflect.DeepEqual(ex.Languages, []store.LangCount{{Language: "ar", N: 1}, {Language: "en", N: 1}}) {
		t.Errorf("Example languages = %+v", ex.Languages)
	}
	if !ex.First.Equal(day.AddDate(0, 0, -30)) || !ex.Last.Equal(day) {
		t.Errorf("Example first/last = %v/%v, want %v/%v", ex.First, ex.Last, day.AddDate(0, 0, -30), day)
	}
	if got[1].Site != "Other" || got[1].Articles != 1 || len(got[1].Languages) != 1 || got[1].Languages[0] != (store.LangCount{Language: "en", N: 1}) {
		t.Errorf("second outlet = %+v, want Other with one English article", got[1])
	}
}

// testNewVersionOfAPage saves a page, then a new version of it (same key,
// another body) whose article folds into the first: the page stays one
// source of the article.
func testNewVersionOfAPage(t *testing.T, s store.Store) {
	ctx := context.Background()
	first, err := s.SavePage(ctx, page("p1"), []store.NewArticle{article("same words", 0)})
	if err != nil {
		t.Fatal(err)
	}
	v2 := page("p1")
	v2.BodyHash = "h-p1-whitespace-edit"
	dup := article("same words", 0)
	dup.DuplicateOf = first.IDs[0]
	if _, err := s.SavePage(ctx, v2, []store.NewArticle{dup}); err != nil {
		t.Fatal(err)
	}
	if ok, _ := s.HasPage(ctx, "p1", v2.BodyHash); !ok {
		t.Error("the new version of the page is not recorded")
	}
	if got := all(t, s); len(got) != 1 || len(got[0].Sources) != 1 {
		t.Errorf("a new version of a page became a second source: %+v", got)
	}
}

// testAssignClusters assigns articles stored without a cluster, with a
// merge that takes in a story assigned before: its articles follow.
func testAssignClusters(t *testing.T, s store.Store) {
	ctx := context.Background()
	a, b := article("first", 0), article("second", 1)
	a.Story, a.Event = 3, 30
	saved, err := s.SavePage(ctx, page("p1"), []store.NewArticle{a, b})
	if err != nil {
		t.Fatal(err)
	}
	// b had no cluster; assigning it to story 5 merged story 3 into 5
	// and event 30 into 50.
	if err := s.AssignClusters(ctx, map[int64][2]int64{saved.IDs[1]: {5, 50}}, []news.ClusterChange{
		{Kind: "merge", Level: "event", From: 30, Into: 50, Article: saved.IDs[1], Score: 0.5},
		{Kind: "merge", Level: "story", From: 3, Into: 5, Article: saved.IDs[1], Score: 0.5}}); err != nil {
		t.Fatal(err)
	}
	for _, got := range all(t, s) {
		if got.Story != 5 || got.Event != 50 {
			t.Errorf("article %d in story %d event %d, want 5 and 50", got.ID, got.Story, got.Event)
		}
	}
	if into, err := s.MergedInto(ctx, 3); into != 5 || err != nil {
		t.Errorf("MergedInto(3) = %d, %v", into, err)
	}
	if dirty, err := s.DirtyStories(ctx, 0, 10); err != nil || !slices.Contains(dirty, 5) {
		t.Errorf("DirtyStories = %v, %v; want story 5 marked", dirty, err)
	}
}
