// Package extract turns a page's bytes into the articles on it: title, main
// text, byline, credits, site and, when the page states it, the publication
// date. It reads HTML (through go-trafilatura, on a DOM parsed once) and
// plain-text scrapes (with its own line classifier). It does no I/O.
package extract

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	trafilatura "github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/text/unicode/norm"

	"dossier/internal/news"
)

// Errors a page can be refused with. They are wrapped with the page's name.
var (
	ErrEmpty     = errors.New("empty page")
	ErrBinary    = errors.New("binary content, not a text or HTML page")
	ErrNotUTF8   = errors.New("not valid UTF-8 text")
	ErrNoArticle = errors.New("no article text found")
)

// Input says what is known about a page besides its bytes.
type Input struct {
	// Name identifies the page in errors (file name or URL).
	Name string
	URL  string
	// Format is html or text; empty means sniff it.
	Format news.Format
	// ContentType is the HTTP Content-Type, if the page was fetched.
	ContentType string
	Captured    time.Time
	// CapturedDay says that only the day of Captured is known.
	CapturedDay bool
	Hint        news.Hint
	// Clean says the text is the article itself (a corpus's text field),
	// not a scrape: when the scrape extractor finds no article in it, the
	// whole text is the article.
	Clean bool
}

// maxInvalidUTF8 is the share of bytes that may be invalid UTF-8 in a text
// page before it is refused rather than repaired.
const maxInvalidUTF8 = 0.01

// Page extracts the articles of one page. The error, if any, wraps one of the
// Err values above and names the page.
func Page(body []byte, in Input) ([]news.Article, error) {
	arts, err := page(body, in)
	if err != nil {
		return nil, fmt.Errorf("extract: %s: %w", in.Name, err)
	}
	for i := range arts {
		a := &arts[i]
		if in.Hint.Title != "" && i == 0 {
			if a.Title != "" && a.Title != in.Hint.Title {
				a.Text = strings.TrimSpace(strings.TrimPrefix(a.Text, in.Hint.Title))
			}
			a.Title = in.Hint.Title
		}
		if in.Hint.Byline != "" && a.Byline == "" && i == 0 {
			a.Byline = in.Hint.Byline
		}
		if !in.Hint.Published.IsZero() && i == 0 {
			a.Published = news.DateRange{Earliest: in.Hint.Published, Latest: in.Hint.Published, Basis: "given"}
		}
	}
	return arts, nil
}

func page(body []byte, in Input) ([]news.Article, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, ErrEmpty
	}
	if isBinary(body) {
		return nil, ErrBinary
	}
	format := in.Format
	if format == "" {
		format = Sniff(body)
	}
	var arts []news.Article
	switch format {
	case news.FormatHTML:
		doc, err := parseHTML(body, in.ContentType)
		if err != nil {
			// Markup the parser refuses (nesting past its limit, say) is
			// still read: as text, line by block element.
			if arts = Text(tokenText(body), in); len(arts) == 0 {
				return nil, err
			}
			break
		}
		a, err := fromDOM(doc, in)
		if err != nil {
			return nil, err
		}
		arts = []news.Article{a}
	default:
		text, err := validText(body)
		if err != nil {
			return nil, err
		}
		arts = Text(text, in)
		if len(arts) == 0 && in.Clean && strings.TrimSpace(text) != "" {
			arts = []news.Article{{Text: strings.TrimSpace(text)}}
		}
	}
	if len(arts) == 0 {
		return nil, ErrNoArticle
	}
	return arts, nil
}

// Sniff tells HTML from plain text by the first kilobyte.
func Sniff(body []byte) news.Format {
	head := body[:min(len(body), 1024)]
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	trim := bytes.TrimSpace(head)
	if bytes.HasPrefix(trim, []byte("<")) {
		return news.FormatHTML
	}
	low := bytes.ToLower(head)
	for _, tag := range []string{"<html", "<body", "<!doctype html", "<p>", "<div", "<article"} {
		if bytes.Contains(low, []byte(tag)) {
			return news.FormatHTML
		}
	}
	return news.FormatText
}

// isBinary looks for the marks of a binary file in the first 8 KB: NUL
// bytes, well-known magic numbers, or many control characters.
func isBinary(body []byte) bool {
	head := body[:min(len(body), 8192)]
	for _, magic := range []string{"%PDF-", "\x89PNG", "\xff\xd8\xff", "GIF8", "PK\x03\x04", "\x1f\x8b", "\x7fELF", "BZh", "\xfd7zXZ", "Rar!"} {
		if bytes.HasPrefix(head, []byte(magic)) {
			return true
		}
	}
	if bytes.HasPrefix(head, []byte("\xff\xfe")) || bytes.HasPrefix(head, []byte("\xfe\xff")) {
		return false // UTF-16 with a BOM: text, decoded by the HTML path
	}
	ctl := 0
	for _, b := range head {
		switch {
		case b == 0:
			return true
		case b < 0x20 && b != '\n' && b != '\r' && b != '\t' && b != '\f' && b != 0x1b:
			ctl++
		}
	}
	return ctl*20 > len(head)
}

// validText returns body as a string, repairing a few invalid UTF-8 bytes and
// refusing text that is mostly not UTF-8.
func validText(body []byte) (string, error) {
	body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	if utf8.Valid(body) {
		return string(body), nil
	}
	bad := 0
	for i := 0; i < len(body); {
		r, n := utf8.DecodeRune(body[i:])
		if r == utf8.RuneError && n == 1 {
			bad++
		}
		i += n
	}
	if float64(bad) > maxInvalidUTF8*float64(len(body)) {
		return "", fmt.Errorf("%w: %d of %d bytes are invalid", ErrNotUTF8, bad, len(body))
	}
	return strings.ToValidUTF8(string(body), "\uFFFD"), nil
}

// parseHTML decodes body to UTF-8 (decodeHTML) and parses it.
func parseHTML(body []byte, contentType string) (*html.Node, error) {
	doc, err := html.Parse(bytes.NewReader(decodeHTML(body, contentType)))
	if err != nil {
		return nil, fmt.Errorf("parse html: %w", err)
	}
	return doc, nil
}

// fromDOM runs go-trafilatura on a parsed page and completes its metadata.
func fromDOM(doc *html.Node, in Input) (news.Article, error) {
	opts := trafilatura.Options{
		ExcludeComments: true,
		HtmlDateMode:    trafilatura.Fast,
	}
	if in.URL != "" {
		if u, err := url.Parse(in.URL); err == nil {
			opts.OriginalURL = u
		}
	}
	prune(doc)
	flat := flatText(doc)
	res, err := trafilatura.ExtractDocument(doc, opts)
	if err != nil {
		return news.Article{}, fmt.Errorf("%w: %v", ErrNoArticle, err)
	}
	var paras []para
	if res.ContentNode != nil {
		paras = splitBody(doc, nodeText(res.ContentNode, flat))
	} else {
		for _, l := range strings.Split(res.ContentText, "\n") {
			paras = append(paras, para{text: l})
		}
	}
	text := cleanHTMLText(paras, res.Metadata.Title)
	if strings.TrimSpace(text) == "" {
		return news.Article{}, ErrNoArticle
	}
	md := res.Metadata
	a := news.Article{
		Title:    strings.TrimSpace(md.Title),
		Text:     text,
		Byline:   strings.TrimSpace(md.Author),
		Site:     strings.TrimSpace(md.Sitename),
		Language: normLang(md.Language),
	}
	if !md.Date.IsZero() {
		d := md.Date.UTC()
		day := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
		a.Published = news.DateRange{Earliest: day, Latest: day.Add(24*time.Hour - time.Second), Basis: "meta"}
	}
	return a, nil
}

// prune removes from a parsed page what is never text and what
// go-trafilatura would remove itself after copying the whole tree three
// times: scripts (but JSON-LD, which carries metadata), styles, SVG
// drawings, templates, frames and comments. Output is unchanged; the
// extractor's copies and selector queries get smaller.
func prune(n *html.Node) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		drop := false
		switch c.Type {
		case html.CommentNode:
			drop = true
		case html.ElementNode:
			switch c.DataAtom {
			case atom.Script:
				drop = !strings.EqualFold(attr(c, "type"), "application/ld+json")
			case atom.Style, atom.Svg, atom.Template, atom.Iframe, atom.Object, atom.Embed, atom.Canvas:
				drop = true
			}
		}
		if drop {
			n.RemoveChild(c)
		} else {
			prune(c)
		}
		c = next
	}
}

// cleanHTMLText drops what survives HTML extraction but is not the article:
// the page's address and the headline repeated above the text, chrome
// lines ("Follow us on …", share and newsletter prompts, comment counters,
// "Related: …"), tickers and lists of links. Paragraphs are joined with
// blank lines.
func cleanHTMLText(paras []para, title string) string {
	var keep []string
	ls := make([]line, len(paras))
	for i, p := range paras {
		ls[i] = classify(p.text)
	}
	markTickers(ls)
	markLinkLists(ls, paras)
	// Above the first paragraph of prose, the page's address and the
	// headline repeated are not the text.
	for i := range ls {
		if urlOnly(ls[i].text) || (title != "" && sameText(ls[i].text, title)) {
			ls[i].kind = kChrome
		}
		if ls[i].kind == kProse {
			break
		}
	}
	for _, l := range ls {
		switch l.kind {
		case kBlank, kChrome, kComments:
			continue
		}
		keep = append(keep, l.text)
	}
	return norm.NFC.String(strings.ReplaceAll(strings.Join(keep, "\n\n"), "\u00ad", ""))
}

// markLinkLists turns lists of links into chrome: navigation menus and
// related-article lists that the extractor kept. A list is a run of lines
// that are links (90% of their text) or short labels between them (four
// words at most, no sentence); it is chrome when it holds at least three
// links and links are two thirds of it.
func markLinkLists(ls []line, paras []para) {
	isLink := func(i int) bool { return paras[i].linkShare() >= 0.9 }
	label := func(i int) bool {
		return ls[i].kind != kProse && words(paras[i].text) <= 4 && !terminal(paras[i].text)
	}
	for i := 0; i < len(paras); {
		if !isLink(i) && !label(i) {
			i++
			continue
		}
		j, end, links := i, i, 0
		for j < len(paras) && (isLink(j) || label(j)) {
			if isLink(j) {
				links++
				end = j + 1 // a list ends with a link, not a label
			}
			j++
		}
		if links >= 3 && links*3 >= (end-i)*2 {
			for k := i; k < end; k++ {
				ls[k].kind = kChrome
			}
		}
		i = j
	}
}

func normLang(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.IndexAny(s, "-_"); i > 0 {
		s = s[:i]
	}
	if len(s) != 2 {
		return ""
	}
	return s
}

// sameText compares two lines ignoring case, spacing and punctuation.
func sameText(a, b string) bool {
	norm := func(s string) string {
		return strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r)
		}), " ")
	}
	return norm(a) == norm(b)
}
