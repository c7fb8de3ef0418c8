package export

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"sort"
	"testing"
	"time"

	"dossier/internal/facts"
	"dossier/internal/golden"
	"dossier/internal/news"
	"dossier/internal/story"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func fixture() ([]news.Stored, []news.ClusterChange) {
	day := func(s string) time.Time { t, _ := time.Parse("2006-01-02", s); return t }
	mk := func(id int64, captured, title, text string, sources ...news.Source) news.Stored {
		a := news.Article{Title: title, Text: text, Language: "en", Credits: []string{"Reuters"}}
		a.Facts = facts.Analyze(a, day(captured), "captured", day(captured))
		return news.Stored{ID: id, Story: 7, Event: 8, Article: a, Sources: sources}
	}
	arts := []news.Stored{
		mk(1, "2025-03-04", "Dock workers strike at the port of Kharkiv",
			"About 300 dock workers walked out on Monday, the union said. The strike began in mid-February, according to the port authority.",
			news.Source{File: "a.html", URL: "https://example.org/a", Captured: day("2025-03-04")},
			news.Source{File: "copy.html", Title: "Strike at Kharkiv port", Captured: day("2025-03-05")}),
		mk(2, "2025-03-05", "Kharkiv port strike spreads",
			"More than 500 dock workers are now on strike, the port authority said on Tuesday.",
			news.Source{File: "b.txt", Captured: day("2025-03-05")}),
	}
	arts[0].Published = news.DateRange{Earliest: day("2025-03-03"), Latest: day("2025-03-03"), Basis: "meta"}
	changes := []news.ClusterChange{{At: day("2025-03-05"), Kind: "merge", Level: "event", From: 9, Into: 8, Article: 2, Score: 0.6}}
	return arts, changes
}

// memSnapshot is a Snapshot of articles held in memory, with their story
// views computed as the pipeline stores them.
type memSnapshot struct {
	arts    []news.Stored
	changes []news.ClusterChange
}

func (m memSnapshot) Articles(_ context.Context, fn func(news.Stored) error) error {
	for _, a := range m.arts {
		if err := fn(a); err != nil {
			return err
		}
	}
	return nil
}

func (m memSnapshot) Stories(_ context.Context, fn func(story.View) error) error {
	by := map[int64][]news.Stored{}
	var order []int64
	for _, a := range m.arts {
		if _, ok := by[a.Story]; !ok {
			order = append(order, a.Story)
		}
		by[a.Story] = append(by[a.Story], a)
	}
	sort.Slice(order, func(i, j int) bool { return order[i] < order[j] })
	for _, id := range order {
		if err := fn(story.NewView(id, by[id])); err != nil {
			return err
		}
	}
	return nil
}

func (m memSnapshot) Mentions(_ context.Context, fn func(news.Mention, int64) error) error {
	type mention struct {
		m  news.Mention
		id int64
	}
	var ms []mention
	for _, a := range m.arts {
		for _, x := range a.Facts.Mentions {
			ms = append(ms, mention{x, a.ID})
		}
	}
	sort.SliceStable(ms, func(i, j int) bool { return ms[i].m.Entity < ms[j].m.Entity })
	for _, x := range ms {
		if err := fn(x.m, x.id); err != nil {
			return err
		}
	}
	return nil
}

func (m memSnapshot) ClusterChanges(_ context.Context, fn func(news.ClusterChange) error) error {
	for _, c := range m.changes {
		if err := fn(c); err != nil {
			return err
		}
	}
	return nil
}

func (m memSnapshot) Counts(context.Context) (int, map[string]int, int, error) {
	langs := map[string]int{}
	stories := map[int64]bool{}
	for _, a := range m.arts {
		langs[a.Language]++
		stories[a.Story] = true
	}
	return len(m.arts), langs, len(stories), nil
}

func TestExportGolden(t *testing.T) {
	arts, changes := fixture()
	src := memSnapshot{arts, changes}
	now := time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)
	ctx := context.Background()
	var j, md bytes.Buffer
	if err := WriteJSON(ctx, &j, src, now); err != nil {
		t.Fatal(err)
	}
	if err := WriteMarkdown(ctx, &md, src, now); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "testdata/export.golden.json", j.Bytes(), *update)
	golden.Check(t, "testdata/report.golden.md", md.Bytes(), *update)

	// The contract the scorers read (shared/eval/EXPORT.md).
	var v struct {
		Articles []struct {
			ID          string `json:"id"`
			Story       string `json:"story"`
			Event       string `json:"event"`
			DuplicateOf string `json:"duplicate_of"`
			Source      struct {
				File string `json:"file"`
			} `json:"source"`
			Published *struct{ Earliest, Latest *string } `json:"published"`
		} `json:"articles"`
		Figures []struct {
			ID, Story, Article string
			Value              float64
		} `json:"figures"`
	}
	if err := json.Unmarshal(j.Bytes(), &v); err != nil {
		t.Fatal(err)
	}
	if len(v.Articles) != 3 || v.Articles[1].DuplicateOf != "a1" || v.Articles[1].Source.File != "copy.html" {
		t.Errorf("articles: %+v", v.Articles)
	}
	if v.Articles[0].Story != "s7" || v.Articles[0].Event != "e8" || v.Articles[0].Published == nil || *v.Articles[0].Published.Earliest != "2025-03-03" {
		t.Errorf("first article: %+v", v.Articles[0])
	}
	if v.Articles[2].Published != nil {
		t.Errorf("an article without a stated date must export published null, got %+v", v.Articles[2].Published)
	}
	if len(v.Figures) != 2 || v.Figures[0].Story != "s7" || v.Figures[1].Value != 500 {
		t.Errorf("figures: %+v", v.Figures)
	}
}
