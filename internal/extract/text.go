package extract

import (
	"strings"
	"time"
	"unicode/utf8"

	"dossier/internal/news"
)

// minRelatedBody is the body length (in characters) below which an article
// found after a "Related Articles" marker is taken for a teaser, not an article.
const minRelatedBody = 400

// block is an article being assembled.
type block struct {
	title   string
	outlet  string
	age     string
	dated   news.DateRange // from a line that is only a date
	byline  string
	credits []string
	body    []string
	prose   int // characters of prose in body
	main    bool
}

// Text extracts the articles of a plain-text scrape: one line a paragraph,
// with whatever chrome the scraper picked up. The first article is the page's
// main article; full articles after a "Related Articles" marker or an
// outlet/age line follow it. Articles too short to be more than teasers are
// dropped, as are tickers, follow-us lines, counters and promos.
func Text(body string, in Input) []news.Article {
	raw := strings.Split(strings.ReplaceAll(body, "\r\n", "\n"), "\n")
	ls := make([]line, len(raw))
	for i, r := range raw {
		ls[i] = classify(r)
	}
	// The page's address above the article is not its text; addresses
	// inside it (a list of links) are.
	for i := range ls {
		if urlOnly(ls[i].text) {
			ls[i].kind = kChrome
			continue
		}
		if ls[i].kind == kProse {
			break
		}
	}
	markTickers(ls)
	markTeasers(ls)
	markOutlets(ls)
	markLists(ls)

	site := ""
	for _, l := range ls {
		if m := reFollowSite.FindStringSubmatch(l.text); m != nil && !strings.EqualFold(m[1], "us") {
			site = strings.TrimSpace(m[1])
			break
		}
	}

	var blocks []*block
	cur := &block{main: true}
	blocks = append(blocks, cur)
	inComments := false
	pendingOutlet := ""
	start := func() {
		cur = &block{outlet: pendingOutlet}
		pendingOutlet = ""
		blocks = append(blocks, cur)
	}
	for i, l := range ls {
		switch l.kind {
		case kBlank, kChrome:
		case kSection:
			inComments = false
			start()
		case kComments:
			inComments = true
		case kOutlet:
			if cur.prose > 0 || cur.age != "" {
				pendingOutlet = l.value
			} else if cur.outlet == "" {
				cur.outlet = l.value
			}
		case kAge:
			inComments = false
			if cur.prose > 0 || cur.age != "" || cur.main {
				start()
			}
			cur.age = l.text
		case kByline:
			if cur.byline == "" {
				cur.byline = l.value
			}
		case kCredit:
			cur.credits = appendUnique(cur.credits, l.value)
		case kDate:
			if !cur.dated.Known() && cur.prose == 0 {
				cur.dated, _ = leadingDate(l.text)
			}
		case kShort:
			if inComments {
				continue
			}
			nx := nextContent(ls, i)
			leadsProse := nx >= 0 && (ls[nx].kind == kProse || ((ls[nx].kind == kByline || ls[nx].kind == kCredit || ls[nx].kind == kDate) && followsToProse(ls, nx)))
			if !leadsProse {
				continue // a stray short line: menu item, label, trailing teaser
			}
			if !cur.main && cur.prose > 0 {
				// A new headline followed by text after a related-articles
				// marker starts another article.
				start()
			}
			if cur.title == "" && cur.prose == 0 {
				cur.title = l.text
			} else {
				cur.body = append(cur.body, l.text) // a heading inside the article
			}
		case kProse:
			if inComments {
				continue
			}
			cur.body = append(cur.body, l.text)
			cur.prose += utf8.RuneCountInString(l.text)
		}
	}

	var out []news.Article
	for _, b := range blocks {
		if b.prose == 0 || (!b.main && b.prose < minRelatedBody) {
			continue
		}
		text := strings.Join(trimHeadings(b.body), "\n\n")
		if strings.TrimSpace(text) == "" {
			continue // its one paragraph read as a heading: no article
		}
		a := news.Article{
			Title:   b.title,
			Text:    text,
			Byline:  b.byline,
			Credits: b.credits,
			Site:    site,
			Index:   len(out),
		}
		if !b.main && b.outlet != "" {
			a.Site = b.outlet
		}
		if len(b.body) > 0 {
			if m := reDatelineWire.FindStringSubmatch(firstChars(b.body[0], 120)); m != nil {
				a.Credits = appendUnique(a.Credits, wireName(m[1]))
			}
			if d, ok := leadingDate(b.body[0]); ok {
				a.Published = d
			}
		}
		if !a.Published.Known() && b.dated.Known() {
			a.Published = b.dated
		}
		if !a.Published.Known() && b.age != "" && !in.Captured.IsZero() {
			a.Published = ageRange(b.age, in.Captured, in.CapturedDay)
		}
		out = append(out, a)
	}
	return out
}

// markOutlets finds the outlet lines around an age line: the short line just
// before it ("Dubai Eye") and a "- Dubai Eye" line just after.
func markOutlets(ls []line) {
	for i, l := range ls {
		if l.kind != kAge {
			continue
		}
		if j := prevContent(ls, i); j >= 0 && ls[j].kind == kShort && words(ls[j].text) <= 6 {
			ls[j].kind, ls[j].value = kOutlet, ls[j].text
		}
		if j := nextContent(ls, i); j >= 0 && (ls[j].kind == kShort || ls[j].kind == kChrome) {
			t := strings.TrimSpace(ls[j].text)
			if rest, ok := cutDash(t); ok && words(rest) <= 6 {
				ls[j].kind, ls[j].value = kOutlet, rest
			}
		}
	}
}

// markLists turns runs of three or more short lines (menus, tag lists,
// headline lists) into chrome.
func markLists(ls []line) {
	for i := 0; i < len(ls); {
		if ls[i].kind != kShort {
			i++
			continue
		}
		j := i
		for j < len(ls) && ls[j].kind == kShort {
			j++
		}
		if j-i >= 3 {
			for k := i; k < j; k++ {
				ls[k].kind = kChrome
			}
		}
		i = j
	}
}

func followsToProse(ls []line, i int) bool {
	for j := i; j >= 0 && j < len(ls); j = nextContent(ls, j) {
		switch ls[j].kind {
		case kProse:
			return true
		case kByline, kCredit, kChrome, kDate:
			continue
		default:
			return false
		}
	}
	return false
}

// trimHeadings drops short lines left at the end of a body.
func trimHeadings(body []string) []string {
	for len(body) > 0 {
		last := body[len(body)-1]
		if utf8.RuneCountInString(last) >= 160 || terminal(last) {
			break
		}
		body = body[:len(body)-1]
	}
	return body
}

func cutDash(s string) (string, bool) {
	for _, p := range []string{"- ", "– ", "— "} {
		if rest, ok := strings.CutPrefix(s, p); ok {
			return strings.TrimSpace(rest), true
		}
	}
	return "", false
}

func appendUnique(xs []string, x string) []string {
	for _, y := range xs {
		if strings.EqualFold(x, y) {
			return xs
		}
	}
	return append(xs, x)
}

func wireName(s string) string {
	if w, ok := wires[strings.ToLower(s)]; ok {
		return w
	}
	return s
}

func firstChars(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// ageRange turns "10 hours ago" into the range of instants it can mean, given
// the capture time. If only the capture day is known (day is true), the range
// spans that whole day.
func ageRange(age string, captured time.Time, day bool) news.DateRange {
	lo, hi := captured, captured
	if day {
		lo = time.Date(captured.Year(), captured.Month(), captured.Day(), 0, 0, 0, 0, captured.Location())
		hi = lo.Add(24*time.Hour - time.Second)
	}
	back, unit, ok := parseAge(fold(age))
	if !ok {
		return news.DateRange{}
	}
	if unit >= 24*time.Hour {
		// Sites count whole days: "a day ago" is the previous calendar day.
		d := int(back / (24 * time.Hour))
		lo = time.Date(lo.Year(), lo.Month(), lo.Day()-d, 0, 0, 0, 0, lo.Location())
		hi = time.Date(hi.Year(), hi.Month(), hi.Day()-d, 23, 59, 59, 0, hi.Location())
		if unit > 24*time.Hour {
			lo = lo.Add(-unit + 24*time.Hour)
		}
		return news.DateRange{Earliest: lo, Latest: hi, Basis: "age"}
	}
	// "10 hours ago" is shown for 10h to 10h59m; allow for the rounding.
	return news.DateRange{Earliest: lo.Add(-back - unit), Latest: hi.Add(-back), Basis: "age"}
}

// urlOnly reports whether s is a web address and nothing more, allowing for
// the detokenised form "http: / / www. example. com / a - b".
func urlOnly(s string) bool {
	s = strings.TrimSpace(s)
	if !reURLLine.MatchString(s) {
		return false
	}
	return !strings.ContainsAny(reURLJoin.ReplaceAllString(s, "$1"), " \t")
}
