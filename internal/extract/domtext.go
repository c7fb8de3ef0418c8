package extract

import (
	"bytes"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// blocks are the elements that start a new paragraph of text.
var blocks = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Li: true, atom.Ul: true, atom.Ol: true, atom.Dl: true, atom.Dt: true, atom.Dd: true, atom.Blockquote: true,
	atom.Pre: true, atom.Table: true, atom.Tr: true, atom.Section: true, atom.Article: true, atom.Header: true,
	atom.Footer: true, atom.Figure: true, atom.Figcaption: true, atom.Hr: true, atom.Br: true, atom.Main: true,
	atom.Aside: true, atom.Nav: true, atom.Form: true, atom.Fieldset: true, atom.Address: true, atom.Details: true,
	atom.Summary: true, atom.Caption: true, atom.Title: true, atom.Head: true, atom.Body: true, atom.Html: true,
}

// skipped are the elements whose content is never text.
func skipped(a atom.Atom) bool {
	switch a {
	case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Svg:
		return true
	}
	return false
}

func nodeAtom(n *html.Node) atom.Atom {
	if n.DataAtom == 0 { // nodes built by the extractor carry only their name
		return atom.Lookup([]byte(n.Data))
	}
	return n.DataAtom
}

// pageText is a page's text in document order, every run of whitespace
// written as one space and every block boundary as one newline, with the
// byte ranges of it that are link text. It is the reference nodeText aligns
// an extracted tree against, to put back the spaces and breaks the
// extractor lost and to tell links from prose.
type pageText struct {
	s     string
	links [][2]int // [start, end) in s, in order
}

// flatText renders doc as a pageText.
func flatText(doc *html.Node) pageText {
	var b strings.Builder
	var links [][2]int
	pending := byte(0) // ' ' or '\n' to write before the next character
	sep := func(c byte) {
		if b.Len() > 0 && pending != '\n' {
			pending = c
		}
	}
	inLink := 0
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			for _, r := range n.Data {
				if unicode.IsSpace(r) {
					sep(' ')
					continue
				}
				if pending != 0 {
					b.WriteByte(pending)
					pending = 0
				}
				if inLink > 0 {
					at := b.Len()
					if k := len(links) - 1; k >= 0 && links[k][1] >= at-1 {
						links[k][1] = at + utf8.RuneLen(r)
					} else {
						links = append(links, [2]int{at, at + utf8.RuneLen(r)})
					}
				}
				b.WriteRune(r)
			}
			return
		case html.ElementNode:
			a := nodeAtom(n)
			if skipped(a) {
				return
			}
			switch {
			case blocks[a]:
				sep('\n')
				defer sep('\n')
			case a == atom.Td || a == atom.Th:
				sep(' ')
				defer sep(' ')
			case a == atom.A:
				inLink++
				defer func() { inLink-- }()
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return pageText{s: b.String(), links: links}
}

// linkBytes counts the bytes of s[start:end] that are link text.
func (p pageText) linkBytes(start, end int) int {
	i := sort.Search(len(p.links), func(i int) bool { return p.links[i][1] > start })
	n := 0
	for ; i < len(p.links) && p.links[i][0] < end; i++ {
		n += min(end, p.links[i][1]) - max(start, p.links[i][0])
	}
	return n
}

// aligner finds the pieces of an extracted text, in order, in the flat text
// of the page they came from.
type aligner struct {
	pageText
	cur int
	// bare is s without its spaces and newlines, and at[i] where bare[i]
	// is in s; built when a piece is first not found as it is.
	bare []byte
	at   []int
}

// find returns where p starts in the page text, searching from the end of
// the previous piece first, or -1.
func (a *aligner) find(p string) int {
	if a == nil || a.s == "" {
		return -1
	}
	pos := -1
	if i := strings.Index(a.s[a.cur:], p); i >= 0 {
		pos = a.cur + i
	} else {
		pos = strings.Index(a.s, p)
	}
	if pos >= 0 {
		a.cur = pos + len(p)
	}
	return pos
}

// respace finds p in the page text ignoring all whitespace, for a piece the
// extractor built by running several blocks together ("Headline
// 1Officials said …"), and returns the page's own text of it, spaces and
// newlines included, with its position; or "", -1.
func (a *aligner) respace(p string) (string, int) {
	if a == nil || a.s == "" {
		return "", -1
	}
	if a.at == nil {
		a.bare = make([]byte, 0, len(a.s))
		a.at = make([]int, 0, len(a.s))
		for i := 0; i < len(a.s); i++ {
			if c := a.s[i]; c != ' ' && c != '\n' {
				a.bare = append(a.bare, c)
				a.at = append(a.at, i)
			}
		}
	}
	q := []byte(strings.ReplaceAll(p, " ", ""))
	if len(q) == 0 {
		return "", -1
	}
	from, _ := slices.BinarySearch(a.at, a.cur)
	i := bytes.Index(a.bare[from:], q)
	if i >= 0 {
		i += from
	} else if i = bytes.Index(a.bare, q); i < 0 {
		return "", -1
	}
	start, end := a.at[i], a.at[i+len(q)-1]+1
	a.cur = end
	return a.s[start:end], start
}

// para is one paragraph of extracted text and how many of its bytes were
// link text on the page.
type para struct {
	text string
	link int
}

// linkShare is the share of p's text that was link text.
func (p para) linkShare() float64 {
	if p.text == "" {
		return 0
	}
	return float64(p.link) / float64(len(p.text))
}

// nodeText renders an extracted content tree as paragraphs, whitespace
// inside each collapsed. The extractor trims the text around inline
// elements ("<b>PHEVs</b> have" comes back as "PHEVs" and "have"); page,
// the flat text of the original page, says whether a space stood between
// two pieces. With an empty page the pieces are joined as they are.
func nodeText(n *html.Node, page pageText) []para {
	al := &aligner{pageText: page}
	var lines []para
	var pieces []string
	flush := func() {
		ps, multi := joinPieces(pieces, al)
		pieces = pieces[:0]
		switch {
		case len(ps) == 0:
		case multi:
			lines = addBlocks(lines, ps)
		case len(lines) > 0 && closingOnly(ps[0].text):
			// Punctuation the extractor cut off into a block of its own
			// ("review</a><em>.</em><br>") ends the paragraph before it.
			lines[len(lines)-1].text += ps[0].text
		default:
			lines = append(lines, ps[0])
		}
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			pieces = append(pieces, n.Data)
			return
		case html.ElementNode:
			a := nodeAtom(n)
			if skipped(a) {
				return
			}
			switch a {
			case atom.Td, atom.Th:
				pieces = append(pieces, " ")
			}
			if blocks[a] {
				flush()
				defer flush()
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	flush()
	return lines
}

// joinPieces joins the text pieces of one block of the content tree, with a
// space between two of them when either side has one or the page had one
// there. It is one paragraph, unless a piece ran several blocks of the page
// together: then it is split where the page has block boundaries, and
// multi is true.
func joinPieces(pieces []string, al *aligner) (ps []para, multi bool) {
	var b strings.Builder
	link := 0
	emit := func() {
		if b.Len() > 0 {
			ps = append(ps, para{text: b.String(), link: link})
		}
		b.Reset()
		link = 0
	}
	pending := false // whitespace seen since the last written piece
	prevEnd := -1    // end of the last piece in the page text
	for _, raw := range pieces {
		p := strings.Join(strings.Fields(raw), " ")
		if p == "" {
			pending = pending || raw != ""
			continue
		}
		r, _ := utf8.DecodeRuneInString(raw)
		pending = pending || unicode.IsSpace(r)
		pos := al.find(p)
		if pos < 0 {
			if t, at := al.respace(p); at >= 0 {
				p, pos = t, at
			}
		}
		if b.Len() > 0 && (pending || spaced(al, prevEnd, pos)) {
			b.WriteByte(' ')
		}
		if pos < 0 {
			b.WriteString(p)
		} else {
			// p is the page's own text from pos: split it at block
			// boundaries and count its link text.
			at := pos
			for i, part := range strings.Split(p, "\n") {
				if i > 0 {
					emit()
					multi = true
				}
				b.WriteString(part)
				link += al.linkBytes(at, at+len(part))
				at += len(part) + 1
			}
		}
		r, _ = utf8.DecodeLastRuneInString(raw)
		pending = unicode.IsSpace(r)
		prevEnd = -1
		if pos >= 0 {
			prevEnd = pos + len(p)
		}
	}
	emit()
	return ps, multi
}

// addBlocks adds the paragraphs of a piece that ran several blocks of the
// page together. On short pages the extractor adds the text of the whole
// page after the paragraphs it found: that text, in page order, then
// replaces them. Otherwise its paragraphs not already there are added.
func addBlocks(lines, blocks []para) []para {
	in := map[string]bool{}
	for _, b := range blocks {
		in[b.text] = true
	}
	all := true
	for _, l := range lines {
		all = all && in[l.text]
	}
	if all {
		return append(lines[:0], blocks...)
	}
	had := map[string]bool{}
	for _, l := range lines {
		had[l.text] = true
	}
	for _, b := range blocks {
		if !had[b.text] {
			lines = append(lines, b)
			had[b.text] = true
		}
	}
	return lines
}

// closingOnly says whether s is only punctuation that closes a sentence.
func closingOnly(s string) bool {
	for _, r := range s {
		if !strings.ContainsRune(".,;:!?)]”’»…", r) {
			return false
		}
	}
	return true
}

// spaced says whether the page had whitespace between the piece ending at
// prevEnd and the one starting at pos (either may be unknown, -1).
func spaced(al *aligner, prevEnd, pos int) bool {
	if al == nil {
		return false
	}
	s := al.s
	if pos > 0 && (s[pos-1] == ' ' || s[pos-1] == '\n') {
		return true
	}
	if prevEnd >= 0 && prevEnd < len(s) && (s[prevEnd] == ' ' || s[prevEnd] == '\n') && (pos < 0 || (pos >= prevEnd && pos-prevEnd < 200)) {
		return true
	}
	return false
}

// tokenText renders HTML as text with the tokenizer alone, one line per
// block element: the fallback for markup too broken to build a tree from.
func tokenText(body []byte) string {
	z := html.NewTokenizer(bytes.NewReader(body))
	var b strings.Builder
	skip := 0
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return b.String()
		case html.TextToken:
			if skip == 0 {
				b.Write(bytes.Join(bytes.Fields(z.Text()), []byte(" ")))
				b.WriteByte(' ')
			}
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if skipped(a) {
				if tt == html.StartTagToken {
					skip++
				} else if skip > 0 {
					skip--
				}
			}
			if blocks[a] {
				b.WriteByte('\n')
			}
		}
	}
}
