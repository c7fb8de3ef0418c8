package tokenize

import (
	"strings"
	"unicode/utf8"
)

// Snippet is an excerpt of a text around the words a query matched.
type Snippet struct {
	Text string `json:"text"`
	// Highlights are byte spans of Text that matched the query.
	Highlights [][2]int `json:"highlights"`
}

// Matcher tells whether a word of a text matches a query.
type Matcher struct {
	forms map[string]bool
}

// NewMatcher returns a matcher for the words of query q.
func NewMatcher(q string) Matcher {
	m := Matcher{forms: map[string]bool{}}
	for _, alts := range QueryTerms(q) {
		for _, f := range alts {
			m.forms[f] = true
		}
	}
	return m
}

// Empty reports whether the query had no words.
func (m Matcher) Empty() bool { return len(m.forms) == 0 }

func (m Matcher) match(t Token, lang string) bool {
	if t.CJK {
		return m.forms[t.Norm]
	}
	return m.forms[t.Norm] || m.forms[Stem(t.Norm, lang)]
}

// Snippet returns about max bytes of text (in language lang) around the
// stretch with the most matching words, with the matches marked. With no
// match it returns the opening of the text.
func (m Matcher) Snippet(text, lang string, max int) Snippet {
	var hits []Token
	for _, t := range Tokens(text) {
		if m.match(t, lang) {
			hits = append(hits, t)
		}
	}
	if len(hits) == 0 {
		return Snippet{Text: cut(text, 0, max), Highlights: [][2]int{}}
	}
	// The window that starts at a hit and holds the most hits.
	best, bestN := 0, 0
	for i := range hits {
		n := 0
		for j := i; j < len(hits) && hits[j].End-hits[i].Start <= max; j++ {
			n++
		}
		if n > bestN {
			best, bestN = i, n
		}
	}
	start := hits[best].Start - max/5
	if start < 0 {
		start = 0
	}
	start = wordStart(text, start)
	end := start + max
	if end > len(text) {
		end = len(text)
	}
	end = wordEnd(text, end)
	var b strings.Builder
	off := 0
	if start > 0 {
		b.WriteString("…")
		off = len("…")
	}
	body := strings.Join(strings.Fields(text[start:end]), " ")
	// Highlights are found again in the whitespace-normalised excerpt.
	b.WriteString(body)
	if end < len(text) {
		b.WriteString("…")
	}
	s := Snippet{Text: b.String(), Highlights: [][2]int{}}
	for _, t := range Tokens(body) {
		if m.match(t, lang) {
			if k := len(s.Highlights); k > 0 && s.Highlights[k-1][1] > t.Start+off {
				s.Highlights[k-1][1] = t.End + off // overlapping CJK bigrams
				continue
			}
			s.Highlights = append(s.Highlights, [2]int{t.Start + off, t.End + off})
		}
	}
	return s
}

// Mark returns s with each highlight wrapped in open and close.
func (s Snippet) Mark(open, close string) string {
	var b strings.Builder
	last := 0
	for _, h := range s.Highlights {
		b.WriteString(s.Text[last:h[0]])
		b.WriteString(open)
		b.WriteString(s.Text[h[0]:h[1]])
		b.WriteString(close)
		last = h[1]
	}
	b.WriteString(s.Text[last:])
	return b.String()
}

func cut(s string, start, max int) string {
	end := start + max
	if end >= len(s) {
		return strings.Join(strings.Fields(s[start:]), " ")
	}
	end = wordEnd(s, end)
	return strings.Join(strings.Fields(s[start:end]), " ") + "…"
}

// wordStart moves i back to the start of the word it falls in.
func wordStart(s string, i int) int {
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	for i > 0 {
		r, n := utf8.DecodeLastRuneInString(s[:i])
		if !wordRune(r) || isCJK(r) {
			break
		}
		i -= n
	}
	return i
}

// wordEnd moves i forward to the end of the word it falls in.
func wordEnd(s string, i int) int {
	for i < len(s) && !utf8.RuneStart(s[i]) {
		i++
	}
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !wordRune(r) || isCJK(r) {
			break
		}
		i += n
	}
	return i
}
