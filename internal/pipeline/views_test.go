package pipeline

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"dossier/internal/ingest"
	"dossier/internal/news"
	"dossier/internal/sharedtest"
	"dossier/internal/store"
)

// TestLazyViews: a due refresh rebuilds a story's view when the story has
// grown by a quarter (by one article below four) or its view is viewLag old;
// a checkpoint's refresh goes by growth alone; a full refresh rebuilds
// every changed story.
func TestLazyViews(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	s, err := Open(ctx, Config{DataDir: filepath.Join(t.TempDir(), "data"), Now: func() time.Time { return now }}, "test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	n := 0
	add := func(story int64, k int) {
		t.Helper()
		for range k {
			n++
			key := fmt.Sprintf("p%d", n)
			a := store.NewArticle{
				Article: news.Article{Title: fmt.Sprintf("Report %d", n), Text: fmt.Sprintf("Report number %d on story %d.", n, story),
					Language: "en", Site: "example.org", Published: news.DateRange{Earliest: now, Latest: now, Basis: "meta"}},
				Hash: "h" + key, Bands: []int64{int64(n)}, Story: story, Event: story * 10,
			}
			pg := store.Page{Key: key, BodyHash: "b" + key, Origin: key, Captured: now, Format: news.FormatText}
			if _, err := s.st.SavePage(ctx, pg, []store.NewArticle{a}); err != nil {
				t.Fatal(err)
			}
		}
	}
	built := func(story int64) int {
		t.Helper()
		g, err := s.st.ViewGrowth(ctx, story)
		if err != nil {
			t.Fatal(err)
		}
		return g.Built
	}
	due := func(want int) {
		t.Helper()
		got, err := s.RefreshDue(ctx)
		if err != nil || got != want {
			t.Fatalf("RefreshDue rebuilt %d views (%v), want %d", got, err, want)
		}
	}

	add(1, 60) // large
	add(2, 3)  // small
	due(2)     // new stories are due
	if built(1) != 60 || built(2) != 3 {
		t.Fatalf("views count %d and %d articles, want 60 and 3", built(1), built(2))
	}

	add(1, 14)
	add(2, 1)
	due(1) // the small story only
	if built(1) != 60 || built(2) != 4 {
		t.Fatalf("after a small growth: views count %d and %d, want 60 (waiting) and 4", built(1), built(2))
	}
	add(1, 1) // 75: a quarter more than 60
	due(1)
	if built(1) != 75 {
		t.Fatalf("grown by a quarter: view counts %d, want 75", built(1))
	}

	add(1, 1)
	due(0)
	now = now.Add(viewLag)
	// A long ingest's checkpoints go by growth alone, however old the view.
	if got, err := s.refreshGrown(ctx); err != nil || got != 0 {
		t.Fatalf("refreshGrown rebuilt %d (%v), want 0", got, err)
	}
	due(1) // old enough
	if built(1) != 76 {
		t.Fatalf("a minute later: view counts %d, want 76", built(1))
	}

	add(1, 1)
	if got, err := s.RefreshViews(ctx); err != nil || got != 1 || built(1) != 77 {
		t.Fatalf("full refresh rebuilt %d (%v), view counts %d; want 1 and 77", got, err, built(1))
	}
	if d, _ := s.st.DirtyStories(ctx, 0, 10); len(d) != 0 {
		t.Errorf("stories left to refresh: %v", d)
	}
}

// TestViewsRestoreDerived checks that what views derive from articles is
// saved with them and restored by a later process, whose views are then
// built without deriving anything again and come out the same.
func TestViewsRestoreDerived(t *testing.T) {
	ctx := context.Background()
	data := filepath.Join(t.TempDir(), "data")
	cfg := Config{DataDir: data, Now: func() time.Time { return time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC) }}
	views := func(s *Service) map[int64]string {
		t.Helper()
		out := map[int64]string{}
		if err := s.st.EachStoryView(ctx, func(v store.StoryView) error { out[v.Story] = string(v.Data); return nil }); err != nil {
			t.Fatal(err)
		}
		return out
	}
	s, err := Open(ctx, cfg, "test")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Ingest(ctx, []string{sharedtest.Path(t, "seeds")}, IngestOptions{Captured: time.Date(2025, 4, 20, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RefreshViews(ctx); err != nil {
		t.Fatal(err)
	}
	first, w := views(s), s.ViewWork()
	s.Close()
	if len(first) < 2 || w.Derived == 0 || w.Restored != 0 {
		t.Fatalf("first process: %d views, %+v", len(first), w)
	}

	s, err = Open(ctx, cfg, "test")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.st.MarkAllDirty(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RefreshViews(ctx); err != nil {
		t.Fatal(err)
	}
	if w := s.ViewWork(); w.Derived != 0 || w.Restored == 0 || w.Views != int64(len(first)) {
		t.Errorf("second process, every view rebuilt: %+v; want nothing derived, everything restored", w)
	}
	for id, v := range views(s) {
		if v != first[id] {
			t.Errorf("story %d: the view built from restored derivations differs", id)
		}
	}
}

// TestCheckpointViews: a long ingest refreshes the views of the stories it
// grew at a checkpoint (every 1,000 pages) only when viewLag has passed
// since its start or its last refresh; the end of the run refreshes them
// either way.
func TestCheckpointViews(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name    string
		advance time.Duration // the clock moves by this at page 500
		want    bool          // views built by the checkpoint at page 1,000
	}{
		{"within viewLag", viewLag - time.Second, false},
		{"after viewLag", viewLag, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
			s, err := Open(ctx, Config{DataDir: filepath.Join(t.TempDir(), "data"), Now: func() time.Time { return now }}, "test")
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			pages := make([]news.Page, 1100)
			for i := range pages {
				body := fmt.Sprintf("Harbour board meeting number %d\n\nThe harbour board of town %d met on Tuesday and approved budget item %d.", i, i%97, i)
				pages[i] = news.Page{Key: fmt.Sprintf("page-%d", i), Origin: "test", Format: news.FormatText, Body: []byte(body), Clean: true, Captured: now}
			}
			var at1000 int64 = -1
			_, err = s.IngestPages(ctx, pages, IngestOptions{Progress: func(p ingest.Progress) {
				switch p.Pages {
				case 500:
					now = now.Add(tc.advance)
				case 1000:
					at1000 = s.ViewWork().Views
				}
			}})
			if err != nil {
				t.Fatal(err)
			}
			if got := at1000 > 0; got != tc.want {
				t.Errorf("views built by page 1,000: %d; want some: %v", at1000, tc.want)
			}
			if d, _ := s.st.DirtyStories(ctx, 0, 10); len(d) != 0 {
				t.Errorf("stories left to refresh after the run: %v", d)
			}
		})
	}
}
