package extract

import (
	"fmt"
	"strings"
	"testing"
)

// TestSplitBody builds the page whose article body is cut into chunks of
// the same kind by advertisements and a sidebar, the layout on which the
// extractor keeps only the first chunk; a container of the same class in a
// comments section and one of teasers must stay out.
func TestSplitBody(t *testing.T) {
	para := func(chunk, i int) string {
		return fmt.Sprintf("In part %d, paragraph %d of the report, the inspectors describe how the river authority kept records of the flood defences it had repaired, and which of them failed during the storm of the previous winter.", chunk, i)
	}
	chunk := func(c int) string {
		var b strings.Builder
		b.WriteString(`<div class="grid"><div class="body__container article__body">`)
		for i := 1; i <= 3; i++ {
			b.WriteString("<p>" + para(c, i) + "</p>")
		}
		b.WriteString(`</div><div class="grid-layout__aside"><div class="ad ad--rail"></div></div></div>`)
		return b.String()
	}
	page := `<html><head><title>Flood defences report</title></head><body><main><article><h1>Flood defences report</h1>` +
		chunk(1) + `<div class="row full-bleed-ad"><span>Advertisement</span></div>` + chunk(2) +
		`<div class="row full-bleed-ad"><span>Advertisement</span></div>` + chunk(3) +
		`</article><section class="comments"><div class="body__container article__body"><p>` + strings.Repeat("I disagree with every word of this report and the council should resign. ", 4) + `</p><p>` +
		strings.Repeat("Another reader's long comment about the river and the council. ", 4) + `</p></div></section>` +
		`</main></body></html>`
	arts, err := Page([]byte(page), Input{Name: "split", Format: "html"})
	if err != nil {
		t.Fatal(err)
	}
	text := arts[0].Text
	var want []string
	for c := 1; c <= 3; c++ {
		for i := 1; i <= 3; i++ {
			want = append(want, para(c, i))
		}
	}
	if got := strings.Split(text, "\n\n"); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("text:\n%s\nwant the nine paragraphs in order", text)
	}
}
