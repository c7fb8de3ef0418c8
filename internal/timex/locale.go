package timex

import (
	"regexp"
	"sort"
	"strings"
	"time"

	dateparser "github.com/markusmobius/go-dateparser"
)

// Full dates in other languages ("14 mars 2025", "3. März 2025",
// "14 de marzo de 2025", "14 марта 2025 года") are read by go-dateparser,
// which knows month names in 200+ locales. dossier finds the candidate spans
// itself and gives the parser only those, in the article's language: that
// is fast (the parser's own search is slow and guesses junk, see the README)
// and leaves English and Arabic, where dossier's rules do better, alone.
var reLocaleDate = regexp.MustCompile(`(?:^|[^\pL\pN])(\d{1,2}\.?\s+(?:de\s+)?\pL{3,12}\.?,?\s+(?:de\s+)?\d{4}|\pL{3,12}\.?\s+\d{1,2},?\s+\d{4}|\d{4}年\d{1,2}月\d{1,2}日|\d{4}년\s*\d{1,2}월\s*\d{1,2}일)`)

// TagLang is Tag with full dates in the article's language (ISO 639-1) read
// by go-dateparser when it is neither English nor Arabic.
func TagLang(text string, anchor time.Time, lang string) []Expr {
	xs := Tag(text, anchor)
	if lang == "" || lang == "en" || lang == "ar" {
		return xs
	}
	cfg := &dateparser.Configuration{
		Languages:     []string{lang},
		CurrentTime:   anchor,
		StrictParsing: true,
		RequiredParts: []string{"day", "month", "year"},
	}
	for _, m := range reLocaleDate.FindAllStringSubmatchIndex(text, -1) {
		s, e := m[2], m[3]
		span := strings.TrimRight(text[s:e], ".,")
		d, err := dateparser.Parse(cfg, span)
		if err != nil || d.IsZero() {
			continue
		}
		// The full date replaces the shorter expressions inside it ("2025").
		kept := xs[:0]
		for _, x := range xs {
			if x.Start >= e || x.End <= s || (x.End-x.Start) > (e-s) {
				kept = append(kept, x)
			}
		}
		xs = kept
		t := day(d.Time)
		xs = append(xs, Expr{Start: s, End: s + len(span), Text: span, Type: "DATE", Value: ymd(t), Earliest: t, Latest: t})
	}
	sort.Slice(xs, func(i, j int) bool { return xs[i].Start < xs[j].Start })
	return xs
}
