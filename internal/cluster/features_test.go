package cluster

import (
	"testing"

	"dossier/internal/news"
)

// TestNumbersAcrossScripts: a number reads the same whatever digits write
// it, so that coverage in two scripts shares it.
func TestNumbersAcrossScripts(t *testing.T) {
	for _, c := range []struct{ lang, text string }{
		{"en", "Some 2020 people and 35 more"},
		{"ar", "نحو ٢٠٢٠ شخصا و٣٥ آخرين"},
		{"fa", "حدود ۲۰۲۰ نفر و ۳۵ نفر دیگر"},
		{"zh", "约２０２０人，另有３５人"},
		{"hi", "लगभग २०२० लोग और ३५ और"},
	} {
		d := NewDoc(1, news.Article{Language: c.lang, Text: c.text}, 0)
		for _, k := range []string{"N:2020", "N:35"} {
			if d.Raw[k] == 0 {
				t.Errorf("%s %q: no %s in %v", c.lang, c.text, k, d.Raw)
			}
		}
	}
}
