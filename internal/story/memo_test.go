package story

import (
	"reflect"
	"testing"
	"time"

	"dossier/internal/news"
)

// growing returns the articles of the test stories (the strike fixtures
// and the floods) as one story, in the order reported.
func growing() []news.Stored {
	arts := append(Fixtures(), floods()...)
	for i := range arts {
		arts[i].ID = int64(i + 1)
		arts[i].Story = 1
	}
	return arts
}

// TestMemoSameView checks that a view built with a memo, as the story
// grows one article at a time and with every article already in the memo,
// is the view built without one.
func TestMemoSameView(t *testing.T) {
	arts := growing()
	memo := NewMemo(100)
	for n := 1; n <= len(arts); n++ {
		want := NewView(1, arts[:n])
		for pass := range 2 {
			var tally Tally
			for _, a := range arts[:n] {
				tally.Add(a)
			}
			if got := tally.View(1, arts[:n], memo); !reflect.DeepEqual(got, want) {
				t.Fatalf("%d articles, pass %d: the view built with the memo differs:\n got %+v\nwant %+v", n, pass, got, want)
			}
		}
	}
	if memo.Len() != len(arts) {
		t.Errorf("memo holds %d articles, want %d", memo.Len(), len(arts))
	}
}

// TestMemoChangedArticle checks that an article whose text or statements
// changed under the same id is derived again, not taken from the memo.
func TestMemoChangedArticle(t *testing.T) {
	arts := growing()
	memo := NewMemo(100)
	var tally Tally
	tally.View(1, arts, memo)
	changed := append([]news.Stored(nil), arts...)
	changed[0].Facts.Statements = nil
	changed[1].Text = "The terminal was quiet on Tuesday."
	want := NewView(1, changed)
	if reflect.DeepEqual(want.Disagreements, NewView(1, arts).Disagreements) {
		t.Fatal("the change makes no difference to the disagreements; the test needs another")
	}
	if got := tally.View(1, changed, memo); !reflect.DeepEqual(got.Story, want.Story) {
		t.Errorf("a changed article was taken from the memo:\n got %+v\nwant %+v", got.Story, want.Story)
	}
}

// TestMemoBound checks that the memo holds at most its bound.
func TestMemoBound(t *testing.T) {
	arts := growing()
	memo := NewMemo(4)
	var tally Tally
	for i := range arts {
		tally.View(1, arts[i:i+1], memo)
		if memo.Len() > 4 {
			t.Fatalf("after %d articles the memo holds %d, bound 4", i+1, memo.Len())
		}
	}
	if last := memoKeyOf(arts[len(arts)-1]); memo.get(last) == nil {
		t.Error("the article derived last is not in the memo")
	}
}

// TestMemoKeyCoversInputs checks that a change to each field the
// derivation reads gives another memo key.
func TestMemoKeyCoversInputs(t *testing.T) {
	base := growing()[1]
	if len(base.Facts.Statements) == 0 || len(base.Facts.Figures) == 0 || len(base.Sources) == 0 {
		t.Fatal("the article needs statements, figures and a source")
	}
	for _, tc := range []struct {
		field  string
		change func(a *news.Stored)
	}{
		{"ID", func(a *news.Stored) { a.ID++ }},
		{"Text", func(a *news.Stored) { a.Text += " More." }},
		{"statement text", func(a *news.Stored) { a.Facts.Statements[0].Text += "!" }},
		{"statement earliest", func(a *news.Stored) {
			a.Facts.Statements[0].Earliest = a.Facts.Statements[0].Earliest.Add(-24 * time.Hour)
		}},
		{"statement latest", func(a *news.Stored) { a.Facts.Statements[0].Latest = a.Facts.Statements[0].Latest.Add(24 * time.Hour) }},
		{"statements", func(a *news.Stored) { a.Facts.Statements = a.Facts.Statements[:len(a.Facts.Statements)-1] }},
		{"figure source", func(a *news.Stored) { a.Facts.Figures[0].AttributedTo = "the governor" }},
		{"figure sentence", func(a *news.Stored) { a.Facts.Figures[0].Sentence += "!" }},
		{"credits", func(a *news.Stored) { a.Credits = append(a.Credits, "Reuters") }},
		{"site", func(a *news.Stored) { a.Site = "example.org" }},
		{"first address", func(a *news.Stored) { a.Sources[0].URL = "https://example.org/a" }},
	} {
		a := base
		a.Facts.Statements = append([]news.Statement(nil), base.Facts.Statements...)
		a.Facts.Figures = append([]news.Figure(nil), base.Facts.Figures...)
		a.Credits = append([]string(nil), base.Credits...)
		a.Sources = append([]news.Source(nil), base.Sources...)
		tc.change(&a)
		if memoKeyOf(a) == memoKeyOf(base) {
			t.Errorf("a changed %s keeps the memo key", tc.field)
		}
	}
}
