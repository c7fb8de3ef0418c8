package web

import (
	"sort"
	"strconv"
	"strings"

	"dossier/internal/news"
)

// mark is a byte span of a text to highlight.
type mark struct {
	start, end int
	ment       *news.Mention
	fig        *news.Figure
}

// highlight splits an article's text into paragraphs of plain text,
// entity mentions and figures. The analysers keep names and sentences,
// not offsets, so each is found again in the text: a figure's number
// inside its sentence (the whole sentence when the number is written
// another way), a mention's name wherever it is written.
func highlight(text string, f news.Facts) []paragraph {
	var marks []mark
	for i := range f.Figures {
		fg := &f.Figures[i]
		if fg.Sentence == "" {
			continue
		}
		at := strings.Index(text, fg.Sentence)
		if at < 0 {
			continue
		}
		s, e := numberIn(fg.Sentence, fg)
		marks = append(marks, mark{start: at + s, end: at + e, fig: fg})
	}
	seen := map[string]bool{}
	for i := range f.Mentions {
		m := &f.Mentions[i]
		if m.Name == "" || seen[m.Name] {
			continue
		}
		seen[m.Name] = true
		for off := 0; ; {
			j := strings.Index(text[off:], m.Name)
			if j < 0 {
				break
			}
			s := off + j
			e := s + len(m.Name)
			if wordBoundary(text, s, e) {
				marks = append(marks, mark{start: s, end: e, ment: m})
			}
			off = e
		}
	}
	// Figures first where spans overlap, then earlier and longer spans.
	sort.SliceStable(marks, func(i, j int) bool {
		if marks[i].start != marks[j].start {
			return marks[i].start < marks[j].start
		}
		if (marks[i].fig != nil) != (marks[j].fig != nil) {
			return marks[i].fig != nil
		}
		return marks[i].end > marks[j].end
	})
	var kept []mark
	last := 0
	for _, m := range marks {
		if m.start < last {
			continue
		}
		kept = append(kept, m)
		last = m.end
	}
	var paras []paragraph
	var cur paragraph
	tips := 0
	emit := func(s string) {
		for {
			i := strings.IndexByte(s, '\n')
			if i < 0 {
				if s != "" {
					cur = append(cur, segment{Text: s})
				}
				return
			}
			if i > 0 {
				cur = append(cur, segment{Text: s[:i]})
			}
			if len(cur) > 0 {
				paras = append(paras, cur)
				cur = nil
			}
			s = s[i+1:]
		}
	}
	pos := 0
	for _, m := range kept {
		emit(text[pos:m.start])
		seg := segment{Text: text[m.start:m.end]}
		if m.fig != nil {
			tips++
			seg.Figure, seg.TipID, seg.Tip = m.fig, "fig-"+strconv.Itoa(tips), figureTip(*m.fig)
		} else {
			seg.Entity = m.ment
		}
		cur = append(cur, seg)
		pos = m.end
	}
	emit(text[pos:])
	if len(cur) > 0 {
		paras = append(paras, cur)
	}
	return paras
}

// tip is what a figure's highlight explains: its kind, value, subject and
// attribution (the last two in the article's language).
type tip struct {
	Kind, Value, Subject, Source string
}

func figureTip(f news.Figure) tip {
	t := tip{Kind: f.Kind, Value: fmtFigure(f), Subject: f.Subject, Source: f.AttributedTo}
	if t.Kind == "" {
		t.Kind = "figure"
	}
	return t
}

// numberIn finds a figure's number in its sentence, as digits with or
// without thousands separators, or in Arabic-Indic digits; the whole
// sentence when it is written in words.
func numberIn(sent string, f *news.Figure) (int, int) {
	v := f.Value
	if f.IsRange {
		v = f.Low
	}
	if v != float64(int64(v)) {
		return 0, len(sent)
	}
	plain := strconv.FormatInt(int64(v), 10)
	forms := []string{fmtNum(v), plain, arabicDigits(fmtNum(v)), arabicDigits(plain)}
	// "12 ألف", "12 thousand", "1.5 million": the number and the word after it.
	var scaled []string
	for _, unit := range []float64{1e6, 1e3} {
		if v >= unit {
			n := strconv.FormatFloat(v/unit, 'f', -1, 64)
			scaled = append(scaled, n, arabicDigits(n))
		}
	}
	for _, form := range forms {
		for off := 0; ; {
			i := strings.Index(sent[off:], form)
			if i < 0 {
				break
			}
			s := off + i
			e := s + len(form)
			if digitBoundary(sent, s, e) {
				return s, e
			}
			off = e
		}
	}
	for _, form := range scaled {
		for off := 0; ; {
			i := strings.Index(sent[off:], form)
			if i < 0 {
				break
			}
			s := off + i
			e := s + len(form)
			if digitBoundary(sent, s, e) && e < len(sent) && sent[e] == ' ' {
				w := strings.IndexAny(sent[e+1:], " ,.،")
				if w < 0 {
					w = len(sent) - e - 1
				}
				return s, e + 1 + w
			}
			off = e
		}
	}
	return 0, len(sent)
}

func arabicDigits(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune('٠' + (r - '0'))
		case r == ',':
			b.WriteRune('٬')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isDigitByte(c byte) bool { return c >= '0' && c <= '9' }

// digitBoundary reports whether s[a:b] is not part of a longer number.
func digitBoundary(s string, a, b int) bool {
	if a > 0 && (isDigitByte(s[a-1]) || (s[a-1] == ',' || s[a-1] == '.') && a > 1 && isDigitByte(s[a-2])) {
		return false
	}
	if b < len(s) && (isDigitByte(s[b]) || (s[b] == ',' || s[b] == '.') && b+1 < len(s) && isDigitByte(s[b+1])) {
		return false
	}
	return true
}

// wordBoundary reports whether s[a:b] is not inside a longer Latin word.
func wordBoundary(s string, a, b int) bool {
	isWord := func(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || isDigitByte(c) }
	return (a == 0 || !isWord(s[a-1])) && (b >= len(s) || !isWord(s[b]))
}
