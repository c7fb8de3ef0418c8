package pipeline

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"dossier/internal/news"
	"dossier/internal/store"
)

func TestFigureChanges(t *testing.T) {
	at := time.Date(2025, 7, 8, 14, 5, 0, 0, time.UTC)
	killed := func(v float64, q string) news.Figure {
		return news.Figure{Value: v, Qualifier: q, Unit: "people", Kind: "killed", Subject: "people", Sentence: "s"}
	}
	injured := news.Figure{Value: 40, Kind: "injured", Subject: "people", Sentence: "i"}
	tests := []struct {
		name     string
		old, cur []news.Figure
		want     []store.FigureChange
	}{
		{"same", []news.Figure{killed(300, "")}, []news.Figure{killed(300, "")}, nil},
		{"revised", []news.Figure{killed(300, "")}, []news.Figure{killed(600, "")},
			[]store.FigureChange{{Quantity: "killed people", Old: "300 people", New: "600 people", OldValue: 300, NewValue: 600, Sentence: "s", At: at}}},
		{"hedge changed", []news.Figure{killed(300, "")}, []news.Figure{killed(300, "at least")},
			[]store.FigureChange{{Quantity: "killed people", Old: "300 people", New: "at least 300 people", OldValue: 300, NewValue: 300, Sentence: "s", At: at}}},
		{"added and dropped", []news.Figure{injured}, []news.Figure{killed(5, "")},
			[]store.FigureChange{{Quantity: "killed people", New: "5 people", NewValue: 5, Sentence: "s", At: at},
				{Quantity: "injured people", Old: "40", OldValue: 40, Sentence: "i", At: at}}},
		{"paired in order", []news.Figure{killed(10, ""), killed(20, "")}, []news.Figure{killed(10, ""), killed(25, "")},
			[]store.FigureChange{{Quantity: "killed people", Old: "20 people", New: "25 people", OldValue: 20, NewValue: 25, Sentence: "s", At: at}}},
		{"a range", []news.Figure{{Value: 300, Low: 300, High: 400, IsRange: true, Kind: "displaced"}}, []news.Figure{{Value: 300, Low: 300, High: 500, IsRange: true, Kind: "displaced"}},
			[]store.FigureChange{{Quantity: "displaced", Old: "300-400", New: "300-500", OldValue: 300, NewValue: 300, At: at}}},
	}
	for _, tt := range tests {
		if got := FigureChanges(tt.old, tt.cur, at); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tt.name, got, tt.want)
		}
	}
}

func TestIngestWatched(t *testing.T) {
	ctx := context.Background()
	svc, err := Open(ctx, Config{DataDir: filepath.Join(t.TempDir(), "d")}, "test")
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	body := func(chrome, n string) []byte {
		return []byte("<html><body><nav>" + chrome + "</nav><article><h1>Floods in the north</h1><p>Officials said " + n +
			" people were killed in the floods in the northern province on Monday, as rescue teams reached the villages.</p><p>Aid agencies appealed for clean water and shelter.</p></article></body></html>")
	}
	at := time.Date(2025, 7, 8, 9, 0, 0, 0, time.UTC)
	pg := func(key string, b []byte, h int) news.Page {
		return news.Page{Key: key, Origin: key, URL: key, Captured: at.Add(time.Duration(h) * time.Hour), Format: news.FormatHTML, Body: b}
	}
	const a, copyKey = "https://a.example/floods", "https://b.example/floods-copy"
	if w, err := svc.IngestWatched(ctx, pg(a, body("Home", "300"), 0)); err != nil || w.Articles != 1 {
		t.Fatalf("first version: %+v, %v", w, err)
	}
	if w, err := svc.IngestWatched(ctx, pg(a, body("Home", "300"), 1)); err != nil || !w.Unchanged {
		t.Errorf("the same page again: %+v, %v", w, err)
	}
	if w, err := svc.IngestWatched(ctx, pg(a, body("Home | Sport", "300"), 2)); err != nil || !w.Unchanged || w.Version != nil {
		t.Errorf("a change around the article: %+v, %v", w, err)
	}
	// Another outlet's copy is folded into the article; its later edit is
	// not a version of the article.
	if w, err := svc.IngestWatched(ctx, pg(copyKey, body("B", "300"), 3)); err != nil || w.Duplicates != 1 {
		t.Fatalf("a copy: %+v, %v", w, err)
	}
	if w, err := svc.IngestWatched(ctx, pg(copyKey, body("B", "900"), 4)); err != nil || w.Version != nil {
		t.Errorf("an edit of the copy became a version of the original: %+v, %v", w, err)
	}
	w, err := svc.IngestWatched(ctx, pg(a, body("Home", "600"), 5))
	if err != nil || w.Version == nil || w.Version.Version != 2 || len(w.Version.Changes) != 1 || w.Version.Changes[0].New != "600 people" {
		t.Fatalf("the toll revised: %+v, %v", w, err)
	}
	art, err := svc.Article(ctx, w.Version.Article)
	if err != nil || len(art.Facts.Figures) == 0 || art.Facts.Figures[0].Value != 600 {
		t.Errorf("the article is not its new version: %+v, %v", art.Facts.Figures, err)
	}
}
