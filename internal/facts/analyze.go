package facts

import (
	"context"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"dossier/internal/lazyre"
	"dossier/internal/news"
	"dossier/internal/timex"
)

var reYear = lazyre.New(`\d{4}`)

// Limits on what one article's analysis reads and keeps, whatever its
// text. News articles come nowhere near them (the 181 AEB articles are at
// most 96 KB, the next longest 21 KB, with at most 4 figures, 43 dated
// statements and 410 distinct names); a page that does is cut, and the cut
// is counted in news.Facts.Dropped. With sentences of at most MaxSentence
// bytes and quotes of at most MaxQuote, the facts of one article stay under
// about 1.5 MB, and its analysis under about a second of CPU, however long
// its text.
const (
	MaxFigures    = 500
	MaxStatements = 500
	MaxMentions   = 2000
	// MaxQuote is the longest sentence quoted whole with a figure or a
	// dated statement; a longer one is quoted as a window of this many
	// bytes around the figure or the date.
	MaxQuote = 600
	// MaxText is how much of an article's text, in bytes (whole
	// sentences), is searched for figures and names. The rest is counted
	// in Dropped.Unanalysed.
	MaxText = 256 << 10
	// MaxDateText is how much is searched for temporal expressions. The
	// search costs up to about 10 µs a byte of CPU on text dense with
	// date-like words (30 regular expressions, each candidate checked for a
	// future marker), ten times what figures cost, so it gets a smaller
	// budget. The rest is counted in Dropped.DateText.
	MaxDateText = 64 << 10
)

// mentionChunk is about how much text is searched for names at once
// between two checks for cancellation.
const mentionChunk = 32 << 10

// Analyze finds what an article claims. Relative dates are resolved against
// anchor: its publication date when the page states it (anchorKind
// "published"), else the day it was captured ("captured"). With no anchor,
// only dates that carry their year are kept.
//
// It runs in time linear in the text (sentences are capped at MaxSentence
// bytes), reads the first MaxText bytes for figures and names and the first
// MaxDateText for dates, and keeps at most MaxFigures figures,
// MaxStatements statements and MaxMentions mentions, counting the rest in
// Dropped.
func Analyze(a news.Article, anchor time.Time, anchorKind string, captured time.Time) news.Facts {
	f, _ := AnalyzeContext(context.Background(), a, anchor, anchorKind, captured)
	return f
}

// AnalyzeContext is Analyze that stops when ctx is done: it checks ctx
// after every sentence and every few tens of kilobytes of name search, so
// it returns within milliseconds of a cancellation, with ctx's error and
// the facts found so far.
func AnalyzeContext(ctx context.Context, a news.Article, anchor time.Time, anchorKind string, captured time.Time) (news.Facts, error) {
	var f news.Facts
	var latestPast time.Time
	read, dateText := 0, 0 // read: where the last sentence analysed ends
	lx := lexiconFor(a.Language)
	for _, s := range Sentences(a.Text) {
		if err := ctx.Err(); err != nil {
			return f, err
		}
		if s.Start+len(s.Text) > MaxText {
			f.Dropped.Unanalysed = len(a.Text) - s.Start
			f.Dropped.DateText += f.Dropped.Unanalysed
			break
		}
		read = s.Start + len(s.Text)
		for _, fg := range sentenceFigures(s, lx) {
			if len(f.Figures) >= MaxFigures {
				f.Dropped.Figures++
				continue
			}
			f.Figures = append(f.Figures, news.Figure{
				Value: fg.Value, Low: fg.Low, High: fg.High, IsRange: fg.IsRange, Qualifier: fg.Qualifier, Unit: fg.Unit,
				Kind: fg.Kind, Subject: fg.Subject, AttributedTo: fg.AttributedTo,
				Sentence: Quote(s.Text, fg.Start-s.Start, fg.End-s.Start),
			})
		}
		if dateText += len(s.Text); dateText > MaxDateText {
			f.Dropped.DateText += len(s.Text)
			continue
		}
		for _, x := range timex.TagLang(s.Text, anchor, a.Language) {
			if x.Type != "DATE" || strings.HasSuffix(x.Value, "_REF") {
				continue
			}
			explicit := reYear.MatchString(x.Text)
			if anchor.IsZero() && !explicit {
				continue
			}
			if explicit && !x.Earliest.IsZero() && (captured.IsZero() || !x.Earliest.After(captured)) && x.Earliest.After(latestPast) {
				latestPast = x.Earliest
			}
			if len(f.Statements) >= MaxStatements {
				f.Dropped.Statements++
				continue
			}
			f.Statements = append(f.Statements, news.Statement{Text: Quote(s.Text, x.Start, x.End), Expr: x.Text, Value: x.Value,
				Earliest: x.Earliest, Latest: x.Latest, Anchor: anchorKind})
		}
	}
	if !captured.IsZero() {
		c := time.Date(captured.Year(), captured.Month(), captured.Day(), 0, 0, 0, 0, time.UTC)
		f.Bounds = news.DateRange{Earliest: latestPast, Latest: c, Basis: "capture"}
	}
	seen := map[string]bool{}
	add := func(ms []news.Mention) {
		for _, m := range ms {
			k := m.Entity + "\x00" + m.Name
			if seen[k] {
				continue
			}
			if len(f.Mentions) >= MaxMentions {
				f.Dropped.Mentions++
				continue
			}
			seen[k] = true
			f.Mentions = append(f.Mentions, m)
		}
	}
	g := DefaultGazetteer()
	for _, part := range mentionParts(a.Title+"\n"+a.Text[:read], mentionChunk) {
		if err := ctx.Err(); err != nil {
			return f, err
		}
		add(g.MentionsLang(part, a.Language))
	}
	return f, nil
}

// mentionParts cuts text into parts of about n bytes for the name search,
// each ending just after a punctuation mark followed by white space: no
// name runs across a punctuation mark, so searching the parts one by one
// finds what searching the whole text would. A text with no such place
// for 4n bytes is cut at white space (or anywhere) to keep parts bounded.
func mentionParts(text string, n int) []string {
	var parts []string
	for len(text) > n {
		cut := -1
		for i := n; i < len(text) && i < 4*n; i++ {
			if isCutSpace(text[i]) && i > 0 && isPunctByte(text, i) {
				cut = i
				break
			}
		}
		if cut < 0 {
			cut = min(4*n, len(text))
			if k := strings.LastIndexAny(text[:cut], " \t\n"); k > 0 {
				cut = k
			}
			for cut < len(text) && !utf8.RuneStart(text[cut]) {
				cut++
			}
		}
		parts = append(parts, text[:cut])
		text = text[cut:]
	}
	return append(parts, text)
}

func isCutSpace(b byte) bool { return b == ' ' || b == '\n' || b == '\t' || b == '\r' }

// isPunctByte reports whether the rune ending just before byte i of text
// is a punctuation mark.
func isPunctByte(text string, i int) bool {
	r, _ := utf8.DecodeLastRuneInString(text[:i])
	return unicode.IsPunct(r)
}

// Quote returns sentence s whole when it is at most MaxQuote bytes long,
// else a window of about MaxQuote bytes around [start, end) cut at white
// space, with "…" where it was cut.
func Quote(s string, start, end int) string {
	if len(s) <= MaxQuote {
		return s
	}
	start, end = max(0, min(start, len(s))), max(0, min(end, len(s)))
	if end-start > MaxQuote {
		end = start + MaxQuote
	}
	room := (MaxQuote - (end - start)) / 2
	lo, hi := max(0, start-room), min(len(s), end+room)
	// Give what one side cannot use to the other.
	if lo == 0 {
		hi = min(len(s), MaxQuote)
	}
	if hi == len(s) {
		lo = max(0, len(s)-MaxQuote)
	}
	if lo > 0 {
		if k := strings.IndexAny(s[lo:start], " \t\n"); k >= 0 {
			lo += k + 1
		}
		for lo < len(s) && !utf8.RuneStart(s[lo]) {
			lo++
		}
	}
	if hi < len(s) {
		if k := strings.LastIndexAny(s[end:hi], " \t\n"); k >= 0 {
			hi = end + k
		}
		for hi > lo && hi < len(s) && !utf8.RuneStart(s[hi]) {
			hi--
		}
	}
	q := strings.TrimSpace(s[lo:hi])
	if lo > 0 {
		q = "…" + q
	}
	if hi < len(s) {
		q += "…"
	}
	return q
}
