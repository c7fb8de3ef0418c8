package extract

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// A body container is an element whose children include paragraphs.
type container struct {
	n     *html.Node
	sig   string   // tag and class attribute
	paras []string // text of its <p> children, in order
}

// splitBody puts back the parts of an article body that the page splits
// into several containers of the same kind (the text cut into chunks by
// advertisements or embeds: <div class="article-body">…</div><div
// class="ad">…</div><div class="article-body">…</div>) when the extractor
// kept only one of them. The container holding most of the extracted
// paragraphs is found in the page; containers with the same tag and class
// elsewhere in the page, outside navigation, asides, footers and comment
// sections, whose paragraphs are prose and not yet extracted, add their
// paragraphs before or after it, in page order.
func splitBody(doc *html.Node, paras []para) []para {
	have := make(map[string]int, len(paras))
	for i, p := range paras {
		have[p.text] = i
	}
	var cs []container
	var walk func(n *html.Node, chrome bool)
	walk = func(n *html.Node, chrome bool) {
		if n.Type != html.ElementNode && n.Type != html.DocumentNode {
			return
		}
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Svg:
				return
			case atom.Nav, atom.Aside, atom.Footer, atom.Form:
				chrome = true
			}
			if !chrome && n.DataAtom != atom.Body && n.DataAtom != atom.Html && chromeName(n) {
				chrome = true
			}
		}
		var ps []string
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode && c.DataAtom == atom.P {
				if t := inlineText(c); t != "" {
					ps = append(ps, t)
				}
			}
		}
		if len(ps) > 0 && !chrome && n.Type == html.ElementNode {
			cs = append(cs, container{n: n, sig: n.Data + "." + attr(n, "class"), paras: ps})
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, chrome)
		}
	}
	walk(doc, false)

	main, best := -1, 1
	for i, c := range cs {
		k := 0
		for _, p := range c.paras {
			if _, ok := have[p]; ok {
				k++
			}
		}
		if k > best {
			main, best = i, k
		}
	}
	if main < 0 || strings.HasSuffix(cs[main].sig, ".") {
		return paras
	}
	first, last := len(paras), -1
	for _, p := range cs[main].paras {
		if i, ok := have[p]; ok {
			first, last = min(first, i), max(last, i)
		}
	}
	var before, after []para
	for i, c := range cs {
		if i == main || c.sig != cs[main].sig || contains(c.n, cs[main].n) || contains(cs[main].n, c.n) {
			continue
		}
		var add []para
		prose, size := 0, 0
		for _, p := range c.paras {
			if _, ok := have[p]; ok {
				continue
			}
			add = append(add, para{text: p})
			size += len(p)
			if classify(p).kind == kProse {
				prose += len(p)
			}
		}
		if len(add) == 0 || prose*2 < size || size < 200 {
			continue
		}
		if i < main {
			before = append(before, add...)
		} else {
			after = append(after, add...)
		}
	}
	if len(before) == 0 && len(after) == 0 {
		return paras
	}
	out := make([]para, 0, len(paras)+len(before)+len(after))
	out = append(out, paras[:first]...)
	out = append(out, before...)
	out = append(out, paras[first:last+1]...)
	out = append(out, after...)
	return append(out, paras[last+1:]...)
}

// chromeName says whether an element's class or id names a part of the
// page that is not the article.
func chromeName(n *html.Node) bool {
	for _, a := range n.Attr {
		if a.Key != "class" && a.Key != "id" {
			continue
		}
		s := a.Val
		for len(s) > 0 {
			i := strings.IndexAny(s, " -_")
			if i < 0 {
				i = len(s)
			}
			if chromeWord(s[:i]) {
				return true
			}
			s = s[min(i+1, len(s)):]
		}
	}
	return false
}

func chromeWord(w string) bool {
	for _, c := range [...]string{"comment", "comments", "related", "footer", "sidebar", "aside", "recirc", "promo",
		"newsletter", "share", "social", "nav", "navigation", "menu"} {
		if strings.EqualFold(w, c) {
			return true
		}
	}
	return false
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// contains says whether n is a or one of its ancestors.
func contains(a, n *html.Node) bool {
	for ; n != nil; n = n.Parent {
		if n == a {
			return true
		}
	}
	return false
}

// inlineText is the text of an element with whitespace collapsed and
// nothing added between inline elements, as a reader sees it.
func inlineText(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			b.WriteString(n.Data)
			return
		case html.ElementNode:
			if skipped(n.DataAtom) {
				return
			}
			if n.DataAtom == atom.Br || blocks[n.DataAtom] {
				b.WriteByte(' ')
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}
