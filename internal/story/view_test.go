package story

import (
	"fmt"
	"testing"
	"time"

	"dossier/internal/news"
)

// TestTallyBoundsDetail checks that a view built from a story's latest
// articles still counts its coverage, dates and articles over all of them.
func TestTallyBoundsDetail(t *testing.T) {
	day := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	var arts []news.Stored
	for i := 0; i < 50; i++ {
		lang := "en"
		if i%5 == 0 {
			lang = "ar"
		}
		a := news.Stored{ID: int64(i + 1), Story: 9, Event: 9, Article: news.Article{Title: fmt.Sprint("Report ", i), Language: lang,
			Site: "Outlet", Text: "Officials said troops moved.", Published: news.DateRange{Latest: day.AddDate(0, 0, i)}}}
		arts = append(arts, a)
	}
	var tally Tally
	for _, a := range arts {
		tally.Add(a)
	}
	v := tally.View(9, arts[40:], nil)
	if v.Omitted != 40 || len(v.Refs) != 10 || len(v.Articles) != 50 {
		t.Errorf("omitted %d, refs %d, articles %d; want 40, 10, 50", v.Omitted, len(v.Refs), len(v.Articles))
	}
	if !v.First.Equal(day) || !v.Latest.Equal(day.AddDate(0, 0, 49)) || len(v.Coverage.Days) != 50 {
		t.Errorf("dates %v – %v, %d days; want the whole story", v.First, v.Latest, len(v.Coverage.Days))
	}
	if v.Coverage.Languages[0] != (Count{Key: "en", N: 40}) || v.Coverage.Languages[1] != (Count{Key: "ar", N: 10}) {
		t.Errorf("languages %v", v.Coverage.Languages)
	}
	if full := NewView(9, arts); full.Omitted != 0 || len(full.Refs) != 50 {
		t.Errorf("a view of every article omits %d", full.Omitted)
	}
}
