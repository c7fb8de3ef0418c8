package facts

import (
	"regexp"
	"strings"
	"time"

	"dossier/internal/news"
	"dossier/internal/timex"
)

var reYear = regexp.MustCompile(`\d{4}`)

// Analyze finds what an article claims. Relative dates are resolved against
// anchor: its publication date when the page states it (anchorKind
// "published"), else the day it was captured ("captured"). With no anchor,
// only dates that carry their year are kept.
func Analyze(a news.Article, anchor time.Time, anchorKind string, captured time.Time) news.Facts {
	var f news.Facts
	for _, fg := range Figures(a.Text) {
		f.Figures = append(f.Figures, news.Figure{
			Value: fg.Value, Low: fg.Low, High: fg.High, IsRange: fg.IsRange, Qualifier: fg.Qualifier, Unit: fg.Unit,
			Kind: fg.Kind, Subject: fg.Subject, AttributedTo: fg.AttributedTo, Sentence: fg.Sentence,
		})
	}
	var latestPast time.Time
	for _, s := range Sentences(a.Text) {
		for _, x := range timex.TagLang(s.Text, anchor, a.Language) {
			if x.Type != "DATE" || strings.HasSuffix(x.Value, "_REF") {
				continue
			}
			explicit := reYear.MatchString(x.Text)
			if anchor.IsZero() && !explicit {
				continue
			}
			f.Statements = append(f.Statements, news.Statement{Text: s.Text, Expr: x.Text, Value: x.Value,
				Earliest: x.Earliest, Latest: x.Latest, Anchor: anchorKind})
			if explicit && !x.Earliest.IsZero() && (captured.IsZero() || !x.Earliest.After(captured)) && x.Earliest.After(latestPast) {
				latestPast = x.Earliest
			}
		}
	}
	if !captured.IsZero() {
		c := time.Date(captured.Year(), captured.Month(), captured.Day(), 0, 0, 0, 0, time.UTC)
		f.Bounds = news.DateRange{Earliest: latestPast, Latest: c, Basis: "capture"}
	}
	seen := map[string]bool{}
	for _, m := range DefaultGazetteer().Mentions(a.Title + "\n" + a.Text) {
		k := m.Entity + "\x00" + m.Name
		if !seen[k] {
			seen[k] = true
			f.Mentions = append(f.Mentions, m)
		}
	}
	return f
}
