package extract

import (
	"strings"
	"testing"
)

// TestShortPages builds the small pages on which go-trafilatura falls back
// to taking the whole body and appends it, blocks run together, after the
// paragraphs it found ("Headline 1Officials said …"): with and without a
// <title>, with one paragraph or several, and with a subheading. The
// headline must be the title, never glued to the text, and no paragraph
// may come twice.
func TestShortPages(t *testing.T) {
	p1 := "Officials said the road would stay closed."
	p2 := "The council meets on Thursday."
	for _, tt := range []struct {
		name, page string
		want       []string
	}{
		{"no title, one paragraph", `<html><body><h1>Headline 1</h1><p>` + p1 + `</p></body></html>`, []string{p1}},
		{"no title, fragment", `<h1>Headline 1</h1><p>` + p1 + `</p><p>` + p2 + `</p>`, []string{p1, p2}},
		{"title", `<html><head><title>Headline 1</title></head><body><h1>Headline 1</h1><p>` + p1 + `</p><p>` + p2 + `</p></body></html>`, []string{p1, p2}},
		{"article element", `<html><body><article><h1>Headline 1</h1><p>` + p1 + `</p><p>` + p2 + `</p></article></body></html>`, []string{p1, p2}},
		{"subheading", `<html><body><h1>Headline 1</h1><p>` + p1 + `</p><h2>What next</h2><p>` + p2 + `</p></body></html>`, []string{p1, "What next", p2}},
	} {
		arts, err := Page([]byte(tt.page), Input{Name: tt.name, Format: "html"})
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		a := arts[0]
		if a.Title != "Headline 1" {
			t.Errorf("%s: title %q", tt.name, a.Title)
		}
		if want := strings.Join(tt.want, "\n\n"); a.Text != want {
			t.Errorf("%s: text\n%q\nwant\n%q", tt.name, a.Text, want)
		}
	}
}
