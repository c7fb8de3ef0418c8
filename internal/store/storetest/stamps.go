package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"dossier/internal/news"
	"dossier/internal/store"
)

// testStamps checks the stamps the server's caches are keyed by: the
// store's stamp moves with every write of what reads show and stays put
// otherwise; a story's stamp is its view's Updated; and the list facets a
// view's row keeps read back as the facets table holds them.
func testStamps(t *testing.T, s store.Store) {
	ctx := context.Background()
	stamp := func() string {
		t.Helper()
		st, err := s.Stamp(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	s0 := stamp()
	if s1 := stamp(); s1 != s0 {
		t.Errorf("stamp moved without a write: %q, then %q", s0, s1)
	}
	id := clustered(t, s, "p1", "one", 7, 70, "")
	s1 := stamp()
	// The light read of search hits: what Article says, without facts.
	full, err := s.Article(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	texts, err := s.ArticleTexts(ctx, []int64{id + 100, id})
	if err != nil || len(texts) != 1 {
		t.Fatalf("ArticleTexts = %+v, %v; want article %d alone", texts, err, id)
	}
	if a := texts[0]; a.ID != id || a.Text != full.Text || a.Title != full.Title || a.Story != 7 || a.Event != 70 ||
		a.Language != full.Language || a.Site != full.Site || !a.Published.Latest.Equal(full.Published.Latest) || !a.Added.Equal(full.Added) {
		t.Errorf("ArticleTexts = %+v, want as Article: %+v", a, full)
	}
	if s1 == s0 {
		t.Errorf("stamp did not move when an article was saved: %q", s1)
	}
	if _, err := s.StoryStamp(ctx, 7); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("StoryStamp of a story with no view: %v", err)
	}
	upd := time.Date(2025, 3, 4, 5, 6, 7, 123456000, time.UTC)
	facets := []store.Facet{{Kind: "lang", Value: "en", N: 3}, {Kind: "lang", Value: "ar", N: 5}, {Kind: "outlet", Value: "Example", N: 8},
		{Kind: "day", Value: "2025-01-05", N: 6}, {Kind: "day", Value: "2025-01-04", N: 2}, {Kind: "entity", Value: "country:KP", N: 4},
		{Kind: "outlet", Value: "Example", N: 1}}
	if err := s.SaveStoryViews(ctx, store.StoryView{Story: 7, Title: "Seven", Articles: 8, Updated: upd, Data: []byte(`{}`), Facets: facets}); err != nil {
		t.Fatal(err)
	}
	s2 := stamp()
	if s2 == s1 {
		t.Errorf("stamp did not move when a view was saved: %q", s2)
	}
	got, err := s.StoryStamp(ctx, 7)
	if err != nil || !got.Equal(upd) {
		t.Errorf("StoryStamp(7) = %v, %v; want %v", got, err, upd)
	}
	v, err := s.StoryView(ctx, 7)
	if err != nil || !v.Updated.Equal(got) {
		t.Errorf("StoryView(7).Updated = %v, %v; StoryStamp %v", v.Updated, err, got)
	}
	// By kind, then most articles first; equal facets merged; no entities.
	want := []store.Facet{{Kind: "day", Value: "2025-01-05", N: 6}, {Kind: "day", Value: "2025-01-04", N: 2},
		{Kind: "lang", Value: "ar", N: 5}, {Kind: "lang", Value: "en", N: 3}, {Kind: "outlet", Value: "Example", N: 9}}
	if !reflect.DeepEqual(v.Facets, want) {
		t.Errorf("StoryView(7).Facets = %v, want %v", v.Facets, want)
	}
	list, err := s.StoryViews(ctx, store.StoryQuery{})
	if err != nil || len(list) != 1 || !reflect.DeepEqual(list[0].Facets, want) {
		t.Errorf("StoryViews = %+v, %v; want the facets %v", list, err, want)
	}
	if s3 := stamp(); s3 != s2 {
		t.Errorf("stamp moved with reads only: %q, then %q", s2, s3)
	}
	if err := s.SaveStoryViews(ctx, store.StoryView{Story: 7}); err != nil {
		t.Fatal(err)
	}
	if s4 := stamp(); s4 == s2 {
		t.Errorf("stamp did not move when a view was deleted: %q", s4)
	}

	// An entity's names and article count are kept as mentions come and
	// go (a reanalysis replaces an article's mentions).
	nis := news.Mention{Entity: "org:nis", Type: "org", Name: "NIS", Canonical: "National Intelligence Service"}
	spy := news.Mention{Entity: "org:nis", Type: "org", Name: "spy agency", Canonical: "National Intelligence Service"}
	a1 := clustered(t, s, "e1", "nis one", 8, 80, "", nis, spy)
	clustered(t, s, "e2", "nis two", 8, 80, "", nis)
	entity := func() string {
		t.Helper()
		e, err := s.Entity(ctx, "org:nis")
		if errors.Is(err, store.ErrNotFound) {
			return "none"
		}
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprintf("%s %s %d %v", e.Type, e.Name, e.Articles, e.Aliases)
	}
	if got, want := entity(), "org National Intelligence Service 2 [{NIS 2} {spy agency 1}]"; got != want {
		t.Errorf("Entity = %q, want %q", got, want)
	}
	s5 := stamp()
	if err := s.SetFacts(ctx, a1, news.Facts{Mentions: []news.Mention{spy}}, store.SearchDoc{}, nil); err != nil {
		t.Fatal(err)
	}
	if s6 := stamp(); s6 == s5 {
		t.Errorf("stamp did not move with a reanalysis: %q", s6)
	}
	if got, want := entity(), "org National Intelligence Service 2 [{NIS 1} {spy agency 1}]"; got != want {
		t.Errorf("Entity after a reanalysis = %q, want %q", got, want)
	}
	if err := s.SetFacts(ctx, a1, news.Facts{}, store.SearchDoc{}, nil); err != nil {
		t.Fatal(err)
	}
	if got, want := entity(), "org National Intelligence Service 1 [{NIS 1}]"; got != want {
		t.Errorf("Entity after its mentions left an article = %q, want %q", got, want)
	}
}
