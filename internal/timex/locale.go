package timex

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"dossier/internal/tokenize"
)

// Full dates in other languages ("14 mars 2025", "3. März 2025",
// "14 de marzo de 2025", "14 марта 2025 года", "2025. március 14.",
// "2025年3月14日") are read with the month names of tokenize.Month, in the
// article's language only: a word is a month only where its language says
// so ("mar" is March in Spanish, not in French). English and Arabic are left
// to the rules of Tag, which do better there.
//
// A candidate is a day, a month word and a four-digit year in one of the
// orders languages write them; the month word must be a month of the
// language and the day must exist in that month.
type localePattern struct {
	re *regexp.Regexp
	// day, month, year are the submatch numbers of each part.
	day, month, year int
	// numeric says the month is a number (年月日 and 년월일), not a word.
	numeric bool
}

// word is a month word as the patterns see it: letters and the marks of
// scripts that write vowels as marks (Devanagari, Bengali, Thai).
const word = `([\pL\pM]{2,12})`

var localePatterns = sync.OnceValue(func() []localePattern {
	b, e := `(?:^|[^\pL\pN])(`, `)(?:$|[^\pL\pN])`
	return []localePattern{
		// 14 mars 2025 · 3. März 2025 · 14 de marzo de 2025 · 14 марта 2025
		{re: regexp.MustCompile(b + `(\d{1,2})\.?\s+(?:de\s+)?` + word + `\.?,?\s+(?:de\s+)?(\d{4})` + e), day: 2, month: 3, year: 4},
		// marzo 14, 2025
		{re: regexp.MustCompile(b + word + `\.?\s+(\d{1,2}),?\s+(\d{4})` + e), day: 3, month: 2, year: 4},
		// 2025. március 14. (Hungarian) · 2025 m. kovo 14 d. (Lithuanian)
		{re: regexp.MustCompile(b + `(\d{4})\.?\s+(?:m\.\s+)?` + word + `\s+(\d{1,2})\.?` + e), day: 4, month: 3, year: 2},
		// 2025年3月14日 · 2025년 3월 14일
		// (written without spaces: only digits may not stand around them)
		{re: regexp.MustCompile(`(?:^|[^\pN])((\d{4})年(\d{1,2})月(\d{1,2})日|(\d{4})년\s*(\d{1,2})월\s*(\d{1,2})일)`), day: 4, month: 3, year: 2, numeric: true},
	}
})

// TagLang is Tag with full dates in the article's language (ISO 639-1)
// read when it is neither English nor Arabic.
func TagLang(text string, anchor time.Time, lang string) []Expr {
	xs := Tag(text, anchor)
	if lang == "" || lang == "en" || lang == "ar" {
		return xs
	}
	if !anchor.IsZero() {
		for _, x := range localDays(text, anchor, lang) {
			if !overlaps(xs, x.Start, x.End) {
				xs = append(xs, x)
			}
		}
	}
	if !fourDigits(text) {
		sort.Slice(xs, func(i, j int) bool { return xs[i].Start < xs[j].Start })
		return xs // every full-date pattern has a four-digit year
	}
	for _, p := range localePatterns() {
		for _, m := range p.re.FindAllStringSubmatchIndex(text, -1) {
			s, e := m[2], m[3]
			t, ok := p.date(text, m, lang)
			if !ok {
				continue
			}
			span := strings.TrimRight(text[s:e], ".,")
			if overlaps(xs, s, e) {
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
			xs = append(xs, Expr{Start: s, End: s + len(span), Text: span, Type: "DATE", Value: ymd(t), Earliest: t, Latest: t})
		}
	}
	sort.Slice(xs, func(i, j int) bool { return xs[i].Start < xs[j].Start })
	return xs
}

// overlaps says whether a full date found by an earlier pattern already
// covers part of [s, e).
func overlaps(xs []Expr, s, e int) bool {
	for _, x := range xs {
		if x.Type == "DATE" && x.Start < e && x.End > s && x.End-x.Start >= e-s {
			return true
		}
	}
	return false
}

// date reads the day, month and year of match m, in language lang.
func (p localePattern) date(text string, m []int, lang string) (time.Time, bool) {
	part := func(i int) string {
		if m[2*i] < 0 {
			return ""
		}
		return text[m[2*i]:m[2*i+1]]
	}
	day, month, year := p.day, p.month, p.year
	if p.numeric && part(year) == "" {
		// The Korean alternative: its groups follow the Chinese ones.
		day, month, year = day+3, month+3, year+3
	}
	d, err1 := strconv.Atoi(part(day))
	y, err2 := strconv.Atoi(part(year))
	if err1 != nil || err2 != nil {
		return time.Time{}, false
	}
	var mo time.Month
	if p.numeric {
		n, err := strconv.Atoi(part(month))
		if err != nil || n < 1 || n > 12 {
			return time.Time{}, false
		}
		mo = time.Month(n)
	} else {
		var ok bool
		if mo, ok = tokenize.Month(part(month), lang); !ok {
			return time.Time{}, false
		}
	}
	if lang == "th" && y > 2400 {
		y -= 543 // the Thai solar calendar counts from 543 BC
	}
	t := time.Date(y, mo, d, 0, 0, 0, 0, time.UTC)
	if d < 1 || t.Day() != d || t.Month() != mo {
		return time.Time{}, false
	}
	return t, true
}

// fourDigits reports whether text holds four ASCII digits in a row, as
// every full date of localePatterns does.
func fourDigits(text string) bool {
	n := 0
	for i := 0; i < len(text); i++ {
		if isDigit(text[i]) {
			if n++; n == 4 {
				return true
			}
		} else {
			n = 0
		}
	}
	return false
}

// localDays finds, in a language other than English and Arabic, the days
// named relative to the day of writing ("gestern", "вчера", "am Montag",
// "w środę") and the days of a month with no year ("14. März", "14 de
// marzo", "14 марта"): the last such day up to the day of writing, or
// the next one in a sentence about what will happen.
func localDays(text string, anchor time.Time, lang string) []Expr {
	type word struct {
		s, raw     string // lower case; as written
		start, end int
		upper      bool
	}
	var ws []word
	forEachWord(text, func(i, j int) {
		raw := strings.TrimRight(text[i:j], "-'’")
		r, _ := utf8.DecodeRuneInString(raw)
		ws = append(ws, word{strings.ToLower(raw), raw, i, i + len(raw), unicode.IsUpper(r)})
	})
	// The candidates first: most sentences have none, and what follows
	// (the clauses, their future words) is read only for those that do.
	type cand struct {
		k        int
		month    time.Month
		day, at  int // a day of a month: the day and where its number starts
		relative int
		weekday  time.Weekday
		kind     byte // 'm' month day, 'r' relative day, 'w' weekday
	}
	var cs []cand
	// Languages that write weekdays in lower case: a capitalised one after
	// a capitalised word is a name ("Santo Domingo", "Plácido Domingo").
	lowerDays := lang == "es" || lang == "pt" || lang == "it" || lang == "fr"
	for k, w := range ws {
		// "14. März", "14 de marzo", "1er mars", "14 Mart'ta": the month
		// is looked up only after a day's number.
		n, at := 0, 0
		if k > 0 {
			n, at = dayNumber(ws[k-1].s, lang), ws[k-1].start
			if n == 0 && k > 1 && ws[k-1].s == "de" {
				n, at = dayNumber(ws[k-2].s, lang), ws[k-2].start
			}
		}
		if n > 0 && w.start-at <= 10 {
			if mo, ok := localMonth(w.s, lang); ok {
				if !yearAfter(text[w.end:]) {
					cs = append(cs, cand{k: k, month: mo, day: n, at: at, kind: 'm'})
				}
				continue
			}
		}
		if off, ok := tokenize.RelativeDay(w.s, lang); ok {
			cs = append(cs, cand{k: k, relative: off, kind: 'r'})
			continue
		}
		if wd, ok := tokenize.Weekday(w.s, lang); ok && !(lowerDays && w.upper && k > 0 && ws[k-1].upper && !clauseStart(text, ws[k-1].end, w.start)) {
			cs = append(cs, cand{k: k, weekday: wd, kind: 'w'})
		}
	}
	if len(cs) == 0 {
		return nil
	}
	// A clause about what will happen dates its days forward.
	var marks []int // the byte of each clause mark
	for i, r := range text {
		if strings.ContainsRune(",;:.!?", r) {
			marks = append(marks, i)
		}
	}
	clauseAt := func(i int) int { return sort.SearchInts(marks, i) }
	future := make([]bool, len(marks)+1)
	for _, w := range ws {
		if tokenize.FutureWord(w.raw, lang) {
			future[clauseAt(w.start)] = true
		}
	}
	a := day(anchor)
	var out []Expr
	for _, c := range cs {
		w := ws[c.k]
		fut := future[clauseAt(w.start)]
		var t time.Time
		start := w.start
		switch c.kind {
		case 'm':
			t = time.Date(a.Year(), c.month, c.day, 0, 0, 0, 0, time.UTC)
			if t.After(a) && !fut {
				t = t.AddDate(-1, 0, 0)
			} else if t.Before(a) && fut {
				t = t.AddDate(1, 0, 0)
			}
			if t.Day() != c.day {
				continue
			}
			start = c.at
		case 'r':
			t = a.AddDate(0, 0, c.relative)
		case 'w':
			prev, next := "", ""
			if c.k > 0 {
				prev = ws[c.k-1].s
			}
			if c.k+1 < len(ws) {
				next = ws[c.k+1].s
			}
			d := int(c.weekday) - int(a.Weekday())
			switch {
			case tokenize.PastWord(prev, lang) || tokenize.PastWord(next, lang):
				if d >= 0 {
					d -= 7
				}
			case tokenize.NextWord(prev, lang):
				if d <= 0 {
					d += 7
				}
			case fut:
				if d < 0 {
					d += 7
				}
			case d > 0:
				d -= 7
			}
			t = a.AddDate(0, 0, d)
		}
		out = append(out, Expr{Start: start, End: w.end, Text: text[start:w.end], Type: "DATE", Value: ymd(t), Earliest: t, Latest: t})
	}
	return out
}

// forEachWord calls fn with the byte span of each run of letters and
// digits of text (with the hyphens and apostrophes inside it).
func forEachWord(text string, fn func(i, j int)) {
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRuneInString(text[i:])
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			i += n
			continue
		}
		j := i + n
		for j < len(text) {
			r2, n2 := utf8.DecodeRuneInString(text[j:])
			if !unicode.IsLetter(r2) && !unicode.IsDigit(r2) && r2 != '-' && r2 != '\'' && r2 != '’' {
				break
			}
			j += n2
		}
		fn(i, j)
		i = j
	}
}

// clauseStart reports whether a clause mark stands between two words.
func clauseStart(text string, from, to int) bool {
	return strings.ContainsAny(text[from:to], ",;:.!?")
}

// monthOf reads a month word of lang, with a suffix set apart by an
// apostrophe ("Mart'ta").
func localMonth(w, lang string) (time.Month, bool) {
	if m, ok := tokenize.Month(w, lang); ok {
		return m, true
	}
	if i := strings.IndexAny(w, "'’"); i > 0 {
		return tokenize.Month(w[:i], lang)
	}
	return 0, false
}

// dayNumber reads a day of the month, 1 to 31 ("14", French "1er"), or 0.
func dayNumber(w, lang string) int {
	if lang == "fr" {
		w = strings.TrimSuffix(w, "er")
	}
	if len(w) == 0 || len(w) > 2 {
		return 0
	}
	d, err := strconv.Atoi(w)
	if err != nil || d < 1 || d > 31 {
		return 0
	}
	return d
}

// yearAfter reports whether s starts with a four-digit year (after a
// comma, "de" or spaces): a full date, read by localePatterns.
func yearAfter(s string) bool {
	s = strings.TrimLeft(s, " .,")
	s = strings.TrimPrefix(s, "de ")
	s = strings.TrimLeft(s, " ")
	return len(s) >= 4 && fourDigits(s[:4])
}
