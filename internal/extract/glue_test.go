package extract

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/text/unicode/norm"
)

// visibleLines renders a page the way a browser lays it out, independently
// of the extractor: text nodes concatenated as they are (an inline element
// adds no space), a line break at every block element, scripts and the head
// skipped. It is the reference the whitespace tests compare against.
func visibleLines(t testing.TB, body []byte) []string {
	t.Helper()
	doc, err := parseHTML(body, "")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			b.WriteString(n.Data)
			return
		case html.ElementNode:
			switch n.DataAtom {
			case atom.Head, atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Svg:
				return
			case atom.Td, atom.Th:
				b.WriteByte(' ')
			case atom.Span, atom.A, atom.B, atom.I, atom.Em, atom.Strong, atom.Small, atom.Sub, atom.Sup, atom.U,
				atom.Mark, atom.Abbr, atom.Cite, atom.Code, atom.Q, atom.S, atom.Time, atom.Font, atom.Label, atom.Tt:
			default:
				b.WriteByte('\n')
				defer b.WriteByte('\n')
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	s := norm.NFC.String(strings.ReplaceAll(b.String(), "\u00ad", ""))
	return strings.Split(s, "\n")
}

// gluedWords returns the words of text that are not words of the page's
// visible text but are two consecutive visible words written together.
func gluedWords(lines []string, text string) []string {
	words := map[string]bool{}
	joined := map[string]bool{}
	for _, l := range lines {
		f := strings.Fields(l)
		for i, w := range f {
			words[w] = true
			if i > 0 {
				joined[f[i-1]+w] = true
			}
		}
	}
	var glued []string
	for _, w := range strings.Fields(text) {
		if !words[w] && joined[w] {
			glued = append(glued, w)
		}
	}
	return glued
}

// splitWords returns the pairs of consecutive words of text that are one
// visible word of the page cut in two, neither half being a visible word.
func splitWords(lines []string, text string) []string {
	words := map[string]bool{}
	for _, l := range lines {
		for _, w := range strings.Fields(l) {
			words[w] = true
		}
	}
	var split []string
	for _, l := range strings.Split(text, "\n") {
		f := strings.Fields(l)
		for i := 1; i < len(f); i++ {
			if words[f[i-1]+f[i]] && !words[f[i-1]] && !words[f[i]] {
				split = append(split, f[i-1]+" "+f[i])
			}
		}
	}
	return split
}

// TestNoGluedWordsAEB: over every AEB page, no word of the extracted text is
// two consecutive words of the page's visible text run together, and no
// visible word is cut in two.
func TestNoGluedWordsAEB(t *testing.T) {
	pages := loadAEB(t)
	bad := 0
	for _, p := range pages {
		arts, err := Page(p.body, Input{Name: p.key, Format: "html"})
		if err != nil {
			continue
		}
		if g := gluedWords(visibleLines(t, p.body), arts[0].Text); len(g) > 0 {
			bad++
			t.Errorf("%s: %d glued words, e.g. %q", p.key, len(g), g[:min(len(g), 5)])
		}
		if g := splitWords(visibleLines(t, p.body), arts[0].Text); len(g) > 0 {
			bad++
			t.Errorf("%s: %d split words, e.g. %q", p.key, len(g), g[:min(len(g), 5)])
		}
	}
	t.Logf("%d glued or split words in %d pages", bad, len(pages))
}

// TestInlineSpacing builds the class of page whose words the extractor used
// to glue: an inline element followed by a space and a word, list items
// opening with a bold lead, links side by side, and the opposite cases
// where no space stands (a suffix after a bold word, Chinese text).
func TestInlineSpacing(t *testing.T) {
	filler := " The committee heard from residents who live along the river and from the engineers who built the new barrier last year."
	page := `<html><head><title>River barrier holds</title></head><body><nav><a href="/">Home</a></nav><article>
<h1>River barrier holds</h1>
<p>Many <b>PHEVs</b> have <em>chargers</em> in the garage, and <a href="/x">most owners</a> plug in at night.` + filler + `</p>
<blockquote><strong>Summary</strong> Studies show that the barrier held during the storm.` + filler + `</blockquote>
<ul><li><strong>The mayor spoke in May 2020.</strong> Legere will hand over the reins to the deputy.` + filler + `</li>
<li><strong>The council met.</strong>&nbsp;Masayoshi Son told the council he wants more funds.` + filler + `</li></ul>
<p>Readers can <a href="/a">sign</a> <a href="/b">the</a> <a href="/c">petition</a> online, or write to the <i>Gazette</i>'s editor.` + filler + `</p>
<p>Two <b>PHEV</b>s and a <b>bus</b>-sized truck crossed the bridge.` + filler + `</p>
<p>中国<b>经济</b>增长放缓，官员表示将继续观察河流水位的变化情况，并在必要时采取措施。</p>
</article><footer>© 2025 Gazette</footer></body></html>`
	arts, err := Page([]byte(page), Input{Name: "inline", Format: "html"})
	if err != nil {
		t.Fatal(err)
	}
	text := arts[0].Text
	lines := visibleLines(t, []byte(page))
	if g := gluedWords(lines, text); len(g) > 0 {
		t.Errorf("glued words %q in\n%s", g, text)
	}
	if g := splitWords(lines, text); len(g) > 0 {
		t.Errorf("split words %q in\n%s", g, text)
	}
	for _, want := range []string{
		"Many PHEVs have chargers in the garage, and most owners plug in at night.",
		"Summary Studies show",
		"May 2020. Legere will",
		"The council met. Masayoshi Son",
		"sign the petition online, or write to the Gazette's editor.",
		"Two PHEVs and a bus-sized truck",
		"中国经济增长放缓",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
}
