// Package timex finds temporal expressions in English and Arabic news text
// and resolves them against an anchor date (the article's own date): each
// gets a TIMEX3 value ("2025-01", "2024-SU", "PRESENT_REF") and an absolute
// range of days. It handles what general date parsers miss in news:
// "mid-January", "last August", "last fall", "three years ago",
// "منتصف يناير/كانون الثاني", "يونيو/حزيران 2024", "أواخر عام 2024".
// It is pure: text and a date in, values out.
package timex

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"dossier/internal/lazyre"
	"dossier/internal/tokenize"
)

// Expr is a temporal expression found in a text.
type Expr struct {
	// Start and End are byte offsets in the text.
	Start, End int
	Text       string
	// Type is DATE, TIME or DURATION (TimeML).
	Type string
	// Value is the TIMEX3 value.
	Value string
	// Mod is START, MID or END for "early", "mid-", "late".
	Mod string
	// Earliest and Latest bound the days the expression means; a zero
	// bound is open (PAST_REF has no earliest).
	Earliest, Latest time.Time
}

// Tag finds and resolves the temporal expressions of text against anchor,
// the date the text was written (or the best bound known for it).
func Tag(text string, anchor time.Time) []Expr {
	anchor = day(anchor)
	var cands []Expr
	low := lowerForRules(text)
	for _, r := range rules {
		if r.need != nil && !r.need(low) {
			continue
		}
		// Matches are searched one after another from the end of the last
		// expression, not of the last match, so that the boundary after one
		// expression can open the next ("2009-2010").
		for from := 0; from < len(text); {
			m := r.re.FindStringSubmatchIndex(text[from:])
			if m == nil {
				break
			}
			for k := range m {
				if m[k] >= 0 {
					m[k] += from
				}
			}
			s, e := m[2], m[3] // group 1 is the expression; boundaries sit outside it
			from = e
			if e == s {
				from++
				continue
			}
			g := make([]string, len(m)/2)
			for k := range g {
				if m[2*k] >= 0 {
					g[k] = text[m[2*k]:m[2*k+1]]
				}
			}
			x, ok := r.fn(g, ctx{anchor: anchor, future: futureAround(text, s, e), before: text[max(0, s-16):s]})
			if !ok {
				continue
			}
			x.Start, x.End, x.Text = s, e, text[s:e]
			cands = append(cands, x)
		}
	}
	// Keep the longest of overlapping candidates, leftmost first.
	sort.SliceStable(cands, func(i, j int) bool {
		if cands[i].Start != cands[j].Start {
			return cands[i].Start < cands[j].Start
		}
		return cands[i].End-cands[i].Start > cands[j].End-cands[j].Start
	})
	var out []Expr
	for _, c := range cands {
		overlap := false
		for k := range out {
			if c.Start < out[k].End && out[k].Start < c.End {
				overlap = true
				if c.End-c.Start > out[k].End-out[k].Start {
					out[k] = c
				}
				break
			}
		}
		if !overlap {
			out = append(out, c)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	for i := range out {
		if out[i].Earliest.IsZero() && out[i].Latest.IsZero() {
			out[i].Earliest, out[i].Latest = Range(out[i].Value, out[i].Mod, anchor)
		}
	}
	return out
}

type ctx struct {
	anchor time.Time
	future bool
	// before is the text just before the expression.
	before string
}

// afterPreposition reports whether before ends with a preposition that
// makes an ambiguous month name a month: "in May", "by May".
func afterPreposition(before string) bool {
	f := strings.Fields(strings.ToLower(before))
	if len(f) == 0 {
		return false
	}
	switch f[len(f)-1] {
	case "in", "by", "until", "till", "since", "from", "through", "of", "during", "early", "late", "mid", "before", "after":
		return true
	}
	return false
}

// lowerForRules is text in lower case as the rules' pre-tests read it: the
// rules match case-insensitively, where the long s (ſ) is an s, which
// ToLower keeps.
func lowerForRules(text string) string {
	low := strings.ToLower(text)
	if strings.ContainsRune(low, 'ſ') {
		low = strings.ReplaceAll(low, "ſ", "s")
	}
	return low
}

type rule struct {
	re lazyre.Regexp
	fn func(g []string, c ctx) (Expr, bool)
	// need reports whether the text (lower case) may hold a match: a
	// condition every match meets, cheaper than the expression (nil: try
	// the rule on every text).
	need func(low string) bool
}

// anyOf needs one of subs in the text.
func anyOf(subs ...string) func(string) bool {
	return func(low string) bool {
		for _, n := range subs {
			if strings.Contains(low, n) {
				return true
			}
		}
		return false
	}
}

// both needs a and b.
func both(a, b func(string) bool) func(string) bool {
	return func(low string) bool { return a(low) && b(low) }
}

var (
	needDigit = anyOf("0", "1", "2", "3", "4", "5", "6", "7", "8", "9")
	// needMonthEn: a word that ends with an English month name or
	// abbreviation. Every English month in the rules stands between
	// non-letters or right after a modifier ("midjanuary" ends with one);
	// a substring test ("mar" in "market", "oct" in "doctor") let the
	// month rules run on a fifth of all sentences, this on a twelfth.
	needMonthEn = func(low string) bool {
		if !monthStem(low) {
			return false
		}
		for i := 0; i < len(low); {
			r, n := utf8.DecodeRuneInString(low[i:])
			if !unicode.IsLetter(r) {
				i += n
				continue
			}
			j := i + n
			for j < len(low) {
				r, n := utf8.DecodeRuneInString(low[j:])
				if !unicode.IsLetter(r) {
					break
				}
				j += n
			}
			for k := 3; k <= 9 && k <= j-i; k++ {
				if enMonthWords[low[j-k:j]] {
					return true
				}
			}
			i = j
		}
		return false
	}
	// monthStem: the first three letters of an English month somewhere,
	// the quick test before the one by words.
	monthStem = anyOf("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
	// needYear: four digits that begin 16 to 20, as the year rules'
	// ((?:1[6-9]|20)\d{2}) and the decades' ((?:1[6-9]|20)\d)0s need.
	needYear = func(low string) bool {
		for i := 0; i+4 <= len(low); i++ {
			a, b := low[i], low[i+1]
			if (a == '1' && b >= '6' && b <= '9' || a == '2' && b == '0') && isDigit(low[i+2]) && isDigit(low[i+3]) {
				return true
			}
		}
		return false
	}
	needWeekday = anyOf("day")
	needMonthAr = anyOf(func() []string {
		var ks []string
		for k := range monthNames {
			if k[0] >= 0x80 {
				ks = append(ks, k)
			}
		}
		return ks
	}()...)
	needNowAr      = anyOf("أمس", "البارحة", "اليوم", "غدا", "حاليا", "الآن")
	needRelAr      = anyOf("الماضي", "الماضية", "الحالي", "الحالية", "الجاري", "الجارية", "المقبل", "المقبلة", "القادم", "القادمة", "المنصرم")
	needSeasonAr   = anyOf("الصيف", "الربيع", "الخريف", "الشتاء")
	needWeekdayAr  = anyOf("الأحد", "الاحد", "الاثنين", "الإثنين", "الثلاثاء", "الأربعاء", "الاربعاء", "الخميس", "الجمعة", "السبت")
	needYearWordAr = anyOf("عام", "سنة")
)

// enMonthWords are the English month forms, lower case.
var enMonthWords = func() map[string]bool {
	out := map[string]bool{}
	for k := range monthNames {
		if k[0] < 0x80 {
			out[k] = true
		}
	}
	return out
}()

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

func day(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// monthNames are the English and Arabic month words, the Levantine and
// Maghrebi ones with them (tokenize's table), lower case, that Tag's rules
// read.
var monthNames = tokenize.MonthIndex("en", "ar", tokenize.ArabicRegional)

var weekdays = map[string]time.Weekday{
	"sunday": 0, "monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5, "saturday": 6,
	"الأحد": 0, "الاحد": 0, "الاثنين": 1, "الإثنين": 1, "الثلاثاء": 2, "الأربعاء": 3, "الاربعاء": 3, "الخميس": 4, "الجمعة": 5, "السبت": 6,
}

var numberWords = map[string]int{"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
	"eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "several": -1, "few": -1,
	"واحد": 1, "ثلاثة": 3, "ثلاث": 3, "أربعة": 4, "أربع": 4, "خمسة": 5, "خمس": 5, "ستة": 6, "ست": 6, "سبعة": 7, "عشرة": 10, "عشر": 10}

func alt(m map[string]time.Month) string {
	var ks []string
	for k := range m {
		ks = append(ks, regexp.QuoteMeta(k))
	}
	sort.Slice(ks, func(i, j int) bool { return len(ks[i]) > len(ks[j]) })
	return strings.Join(ks, "|")
}

var (
	// English months: the names, then the abbreviations (the longer of a
	// month's first: "sept" before "sep"), each with its optional dot.
	enMonth = func() string {
		var names, abbr []string
		for mo := time.January; mo <= time.December; mo++ {
			forms := tokenize.MonthForms("en", mo)
			names = append(names, strings.ToLower(forms[0]))
			short := forms[1:]
			sort.SliceStable(short, func(i, j int) bool { return len(short[i]) > len(short[j]) })
			for _, f := range short {
				abbr = append(abbr, strings.ToLower(f)+`\.?`)
			}
		}
		return `(?:` + strings.Join(append(names, abbr...), "|") + `)`
	}()
	arMonth = func() string {
		m := map[string]time.Month{}
		for k, v := range monthNames {
			if k[0] >= 0x80 {
				m[k] = v
			}
		}
		return alt(m)
	}()
	// an Arabic month, optionally with its Levantine twin: "يناير/كانون الثاني"
	arMonthDual = `(?:` + arMonth + `)(?:\s*/\s*(?:` + arMonth + `))?`
	wd          = `(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)`
	season      = `(?:spring|summer|fall|autumn|winter)`
	numWord     = `(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|several|few)`
	mods        = `(?:early|earlier|mid|mid-|middle of|late|later|the end of|end of|the beginning of|beginning of|the start of|start of|the middle of)`
	// B and E delimit an English expression: group 1 is what lies between.
	B = `(?i)(?:^|[^\pL\pN])(`
	E = `)(?:$|[^\pL\pN])`
	// A and Z delimit an Arabic expression; Arabic glues و, ب, ل, ف to words.
	A = `(?:^|[\s(«"،,؛]|[وبلف])(`
	Z = `)(?:$|[^\pL\pN])`
)

func monthOf(s string) time.Month {
	s = strings.ToLower(strings.TrimSuffix(strings.TrimSpace(s), "."))
	if m, ok := monthNames[s]; ok {
		return m
	}
	if i := strings.Index(s, "/"); i > 0 {
		return monthOf(s[:i])
	}
	return 0
}

func modOf(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	switch {
	case s == "":
		return ""
	case strings.Contains(s, "early") || strings.Contains(s, "beginning") || strings.Contains(s, "start") ||
		strings.Contains(s, "أوائل") || strings.Contains(s, "اوائل") || strings.Contains(s, "مطلع") || strings.Contains(s, "بداية"):
		return "START"
	case strings.Contains(s, "mid") || strings.Contains(s, "middle") || strings.Contains(s, "منتصف") || strings.Contains(s, "أواسط"):
		return "MID"
	case strings.Contains(s, "late") || strings.Contains(s, "end") || strings.Contains(s, "أواخر") || strings.Contains(s, "اواخر") || strings.Contains(s, "نهاية"):
		return "END"
	}
	return ""
}

func ymd(t time.Time) string { return t.Format("2006-01-02") }
func ym(y int, m time.Month) string {
	return fmt.Sprintf("%04d-%02d", y, int(m))
}

// yearFor picks the year of a month named without one: the last such
// month up to the anchor, or the next one when the text speaks of the future.
func yearFor(m time.Month, c ctx) int {
	y := c.anchor.Year()
	if c.future {
		if m < c.anchor.Month() {
			y++
		}
		return y
	}
	if m > c.anchor.Month() {
		y--
	}
	return y
}

// relYear is the year offset a relative word names: -1 for "last" and
// "الماضي", 1 for "next" and "المقبل", 0 for "this" and "الحالي".
func relYear(rel string) int {
	switch strings.TrimPrefix(strings.ToLower(strings.Join(strings.Fields(rel), " ")), "the ") {
	case "last", "past", "previous", "الماضي", "الماضية", "المنصرم":
		return -1
	case "next", "following", "coming", "المقبل", "المقبلة", "القادم", "القادمة":
		return 1
	}
	return 0
}

func count(s string) (int, bool) {
	s = strings.ToLower(s)
	if n, err := strconv.Atoi(s); err == nil {
		return n, true
	}
	n, ok := numberWords[s]
	return n, ok && n > 0
}

func isoWeek(t time.Time) string {
	y, w := t.ISOWeek()
	return fmt.Sprintf("%04d-W%02d", y, w)
}

func seasonCode(s string) string {
	switch strings.ToLower(s) {
	case "spring", "الربيع":
		return "SP"
	case "summer", "الصيف":
		return "SU"
	case "fall", "autumn", "الخريف":
		return "FA"
	case "winter", "الشتاء":
		return "WI"
	}
	return ""
}

// seasonOf returns the season code and its year for a date (winter belongs
// to the year of its December).
func seasonOf(t time.Time) (string, int) {
	switch m := t.Month(); {
	case m >= 3 && m <= 5:
		return "SP", t.Year()
	case m >= 6 && m <= 8:
		return "SU", t.Year()
	case m >= 9 && m <= 11:
		return "FA", t.Year()
	case m == 12:
		return "WI", t.Year()
	default:
		return "WI", t.Year() - 1
	}
}

var seasonOrder = map[string]int{"WI": 0, "SP": 1, "SU": 2, "FA": 3}

// seasonYear resolves "last/this/next SEASON" against the anchor.
func seasonYear(code, rel string, c ctx) int {
	cur, y := seasonOf(c.anchor)
	// Within the season year y the order is SP, SU, FA, WI (WI starts in December).
	order := func(s string) int { return (seasonOrder[s] + 3) % 4 }
	d := order(code) - order(cur)
	switch rel {
	case "last", "past", "الماضي":
		if d >= 0 {
			return y - 1
		}
		return y
	case "next", "coming", "المقبل", "القادم":
		if d <= 0 {
			return y + 1
		}
		return y
	default: // this
		return y
	}
}

// dayDate builds a DATE from a year (empty: the year the month falls in,
// from the anchor and tense), a month name and a day of the month.
func dayDate(year, month, dayOfMonth string, c ctx) (Expr, bool) {
	m := monthOf(month)
	d, _ := strconv.Atoi(dayOfMonth)
	y := yearFor(m, c)
	if year != "" {
		y, _ = strconv.Atoi(year)
	}
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return Expr{Type: "DATE", Value: ymd(t)}, m > 0 && d >= 1 && d <= 31 && t.Day() == d
}

var rules = []rule{
	// 2013-03-22
	{lazyre.New(B + `\d{4}-\d{2}-\d{2}` + E), func(g []string, c ctx) (Expr, bool) {
		t, err := time.Parse("2006-01-02", g[1])
		return Expr{Type: "DATE", Value: ymd(t)}, err == nil
	}, both(needDigit, anyOf("-"))},
	// Friday, March 22, 2013 / March 22, 2013 / Feb. 28
	{lazyre.New(B + `(?:` + wd + `,?\s+)?(` + enMonth + `)\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?` + E), func(g []string, c ctx) (Expr, bool) {
		return dayDate(g[4], g[2], g[3], c)
	}, needMonthEn},
	// 22 March 2013 / 7 July 2025 / 16 فبراير 2025
	{lazyre.New(B + `(?:` + wd + `,?\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(` + enMonth + `)(?:,?\s+(\d{4}))?` + E), func(g []string, c ctx) (Expr, bool) {
		return dayDate(g[4], g[3], g[2], c)
	}, needMonthEn},
	{lazyre.New(A + `(\d{1,2})\s+(` + arMonthDual + `)(?:\s+(?:عام\s+)?(\d{4}))?` + Z), func(g []string, c ctx) (Expr, bool) {
		return dayDate(g[4], g[3], g[2], c)
	}, both(needDigit, needMonthAr)},
	// (early|mid-|late) May 2010, May 2010, early December, mid-January
	{lazyre.New(B + `(?:(` + mods + `)\s*-?\s*)?(` + enMonth + `)(?:,?\s+(?:of\s+)?(\d{4}))?` + E), func(g []string, c ctx) (Expr, bool) {
		m := monthOf(g[3])
		if m == 0 {
			return Expr{}, false
		}
		if strings.EqualFold(g[3], "may") && g[2] == "" && g[4] == "" && !afterPreposition(c.before) {
			return Expr{}, false // "may" the verb
		}
		if strings.EqualFold(strings.TrimSuffix(g[3], "."), "mar") || strings.EqualFold(g[3], "dec") {
			if g[4] == "" {
				return Expr{}, false
			}
		}
		y := yearFor(m, c)
		if g[4] != "" {
			y, _ = strconv.Atoi(g[4])
		}
		return Expr{Type: "DATE", Value: ym(y, m), Mod: modOf(g[2])}, true
	}, needMonthEn},
	// منتصف يناير/كانون الثاني، يونيو/حزيران 2024، في أبريل
	{lazyre.New(A + `(?:(منتصف|أواسط|أوائل|اوائل|مطلع|بداية|أواخر|اواخر|نهاية)\s+(?:شهر\s+)?)?(` + arMonthDual + `)(?:\s+(?:عام\s+|سنة\s+)?(\d{4}))?` + Z), func(g []string, c ctx) (Expr, bool) {
		m := monthOf(g[3])
		y := yearFor(m, c)
		if g[4] != "" {
			y, _ = strconv.Atoi(g[4])
		}
		return Expr{Type: "DATE", Value: ym(y, m), Mod: modOf(g[2])}, m > 0
	}, needMonthAr},
	// May last year, early May of next year, December this year: one
	// expression, the month of the year named relative to the anchor.
	{lazyre.New(B + `(?:(` + mods + `)\s*-?\s*)?(` + enMonth + `)\s+(?:of\s+)?(last|next|this|past|previous|the previous|the following|the coming|the past)\s+year` + E), func(g []string, c ctx) (Expr, bool) {
		m := monthOf(g[3])
		return Expr{Type: "DATE", Value: ym(c.anchor.Year()+relYear(g[4]), m), Mod: modOf(g[2])}, m > 0
	}, both(needMonthEn, anyOf("year"))},
	// مايو من العام الماضي، أواخر يونيو/حزيران من العام المقبل، مايو الماضي
	{lazyre.New(A + `(?:(منتصف|أواسط|أوائل|اوائل|مطلع|بداية|أواخر|اواخر|نهاية)\s+(?:شهر\s+)?)?(` + arMonthDual + `)\s+(?:(?:من\s+)?(?:العام|السنة|عام)\s+)?(الماضي|الماضية|المنصرم|المقبل|المقبلة|القادم|القادمة|الحالي|الحالية|الجاري|الجارية)` + Z), func(g []string, c ctx) (Expr, bool) {
		m := monthOf(g[3])
		if m == 0 {
			return Expr{}, false
		}
		y := c.anchor.Year()
		if strings.Contains(g[0], "عام") || strings.Contains(g[0], "سنة") {
			y += relYear(g[4])
		} else {
			// "مايو الماضي" is the last May before the anchor, "مايو المقبل"
			// the next one.
			switch relYear(g[4]) {
			case -1:
				if m >= c.anchor.Month() {
					y--
				}
			case 1:
				if m <= c.anchor.Month() {
					y++
				}
			}
		}
		return Expr{Type: "DATE", Value: ym(y, m), Mod: modOf(g[2])}, true
	}, needRelAr},
	// last May, next June, this March, late last July
	{lazyre.New(B + `(?:(` + mods + `)\s+)?(last|next|this|past)\s+(` + enMonth + `)` + E), func(g []string, c ctx) (Expr, bool) {
		m := monthOf(g[4])
		y := c.anchor.Year()
		switch strings.ToLower(g[3]) {
		case "last", "past":
			if m >= c.anchor.Month() {
				y--
			}
		case "next":
			if m <= c.anchor.Month() {
				y++
			}
		}
		return Expr{Type: "DATE", Value: ym(y, m), Mod: modOf(g[2])}, m > 0
	}, both(needMonthEn, anyOf("last", "next", "this", "past"))},
	// (early|late) 2011, the end of 2024, in 2010 (bare years)
	{lazyre.New(B + `(?:(` + mods + `)\s+)?((?:1[6-9]|20)\d{2})` + E), func(g []string, c ctx) (Expr, bool) {
		return Expr{Type: "DATE", Value: g[3], Mod: modOf(g[2])}, true
	}, needYear},
	// أواخر عام 2024، عام 2024
	{lazyre.New(A + `(?:(منتصف|أوائل|اوائل|مطلع|بداية|أواخر|اواخر|نهاية)\s+)?(?:عام|العام|سنة)\s+((?:19|20)\d{2})` + Z), func(g []string, c ctx) (Expr, bool) {
		return Expr{Type: "DATE", Value: g[3], Mod: modOf(g[2])}, true
	}, both(needYear, needYearWordAr)},
	// the 1990s, the '90s
	{lazyre.New(B + `(?:the\s+)?((?:1[6-9]|20)\d)0s` + E), func(g []string, c ctx) (Expr, bool) {
		return Expr{Type: "DATE", Value: g[2]}, true
	}, needYear},
	// the 20th century
	{lazyre.New(B + `(?:the\s+)?(\d{2})(?:st|nd|rd|th)\s+century` + E), func(g []string, c ctx) (Expr, bool) {
		n, _ := strconv.Atoi(g[2])
		return Expr{Type: "DATE", Value: fmt.Sprintf("%02d", n-1)}, n > 0
	}, anyOf("century")},
	// today, now, yesterday, tomorrow, currently
	{lazyre.New(B + `today|tonight|now|currently|at present|nowadays|these days|yesterday|tomorrow|the past|in the past|the future|at the time` + E), func(g []string, c ctx) (Expr, bool) {
		switch strings.ToLower(g[1]) {
		case "yesterday":
			return Expr{Type: "DATE", Value: ymd(c.anchor.AddDate(0, 0, -1))}, true
		case "tomorrow":
			return Expr{Type: "DATE", Value: ymd(c.anchor.AddDate(0, 0, 1))}, true
		case "the past", "in the past", "at the time":
			return Expr{Type: "DATE", Value: "PAST_REF"}, true
		case "the future":
			return Expr{Type: "DATE", Value: "FUTURE_REF"}, true
		}
		return Expr{Type: "DATE", Value: "PRESENT_REF"}, true
	}, anyOf("today", "tonight", "now", "currently", "present", "these days", "yesterday", "tomorrow", "past", "future", "at the time")},
	{lazyre.New(A + `أمس|الأمس|البارحة|اليوم|غدا|غداً|حاليا|حالياً|الآن` + Z), func(g []string, c ctx) (Expr, bool) {
		switch g[1] {
		case "أمس", "الأمس", "البارحة":
			return Expr{Type: "DATE", Value: ymd(c.anchor.AddDate(0, 0, -1))}, true
		case "غدا", "غداً":
			return Expr{Type: "DATE", Value: ymd(c.anchor.AddDate(0, 0, 1))}, true
		}
		return Expr{Type: "DATE", Value: "PRESENT_REF"}, true
	}, needNowAr},
	// (early|late) this/last/next week|month|year|fiscal year
	{lazyre.New(B + `(?:(` + mods + `)\s+)?(?:the\s+)?(this|last|next|past|coming|previous|current)\s+(fiscal\s+year|week|month|year|quarter)` + E), func(g []string, c ctx) (Expr, bool) {
		rel := strings.ToLower(g[3])
		d := 0
		switch rel {
		case "last", "past", "previous":
			d = -1
		case "next", "coming":
			d = 1
		}
		a := c.anchor
		x := Expr{Type: "DATE", Mod: modOf(g[2])}
		switch unit := strings.Join(strings.Fields(strings.ToLower(g[4])), " "); unit {
		case "week":
			x.Value = isoWeek(a.AddDate(0, 0, 7*d))
		case "month":
			t := time.Date(a.Year(), a.Month()+time.Month(d), 1, 0, 0, 0, 0, time.UTC)
			x.Value = ym(t.Year(), t.Month())
		case "quarter":
			q := (int(a.Month())-1)/3 + d
			y := a.Year()
			for q < 0 {
				q += 4
				y--
			}
			for q > 3 {
				q -= 4
				y++
			}
			x.Value = fmt.Sprintf("%04d-Q%d", y, q+1)
		default:
			x.Value = strconv.Itoa(a.Year() + d)
		}
		return x, true
	}, both(anyOf("week", "month", "year", "quarter"), anyOf("this", "last", "next", "past", "coming", "previous", "current"))},
	{lazyre.New(A + `(?:(منتصف|أوائل|مطلع|بداية|أواخر|نهاية)\s+)?(الأسبوع|الاسبوع|الشهر|العام|السنة)\s+(الماضي|الماضية|الحالي|الحالية|الجاري|الجارية|المقبل|المقبلة|القادم|القادمة)` + Z), func(g []string, c ctx) (Expr, bool) {
		d := 0
		switch g[4] {
		case "الماضي", "الماضية":
			d = -1
		case "المقبل", "المقبلة", "القادم", "القادمة":
			d = 1
		}
		a := c.anchor
		x := Expr{Type: "DATE", Mod: modOf(g[2])}
		switch g[3] {
		case "الأسبوع", "الاسبوع":
			x.Value = isoWeek(a.AddDate(0, 0, 7*d))
		case "الشهر":
			t := time.Date(a.Year(), a.Month()+time.Month(d), 1, 0, 0, 0, 0, time.UTC)
			x.Value = ym(t.Year(), t.Month())
		default:
			x.Value = strconv.Itoa(a.Year() + d)
		}
		return x, true
	}, needRelAr},
	// this/last/next summer; هذا الصيف, الصيف الماضي
	{lazyre.New(B + `(?:(` + mods + `)\s+)?(this|last|next|past|coming)\s+(` + season + `)` + E), func(g []string, c ctx) (Expr, bool) {
		code := seasonCode(g[4])
		return Expr{Type: "DATE", Value: fmt.Sprintf("%04d-%s", seasonYear(code, strings.ToLower(g[3]), c), code), Mod: modOf(g[2])}, code != ""
	}, anyOf("spring", "summer", "fall", "autumn", "winter")},
	{lazyre.New(A + `(?:(?:هذا|هذه)\s+(الصيف|الربيع|الخريف|الشتاء)|(الصيف|الربيع|الخريف|الشتاء)\s+(الماضي|المقبل|القادم|الحالي))` + Z), func(g []string, c ctx) (Expr, bool) {
		s, rel := g[2], "this"
		if s == "" {
			s, rel = g[3], g[4]
		}
		code := seasonCode(s)
		return Expr{Type: "DATE", Value: fmt.Sprintf("%04d-%s", seasonYear(code, rel, c), code)}, code != ""
	}, needSeasonAr},
	// three years ago, a day ago, 10 hours ago
	{lazyre.New(B + `(` + numWord + `)\s+(year|month|week|day|hour|minute)s?\s+(ago)` + E), func(g []string, c ctx) (Expr, bool) {
		n, ok := count(g[2])
		if !ok {
			return Expr{}, false
		}
		a := c.anchor
		switch strings.ToLower(g[3]) {
		case "year":
			// "2,500 years ago" names no year a TIMEX3 value can hold.
			return Expr{Type: "DATE", Value: strconv.Itoa(a.Year() - n)}, a.Year()-n >= 1
		case "month":
			t := time.Date(a.Year(), a.Month()-time.Month(n), 1, 0, 0, 0, 0, time.UTC)
			return Expr{Type: "DATE", Value: ym(t.Year(), t.Month())}, true
		case "week":
			return Expr{Type: "DATE", Value: isoWeek(a.AddDate(0, 0, -7*n))}, true
		case "day":
			return Expr{Type: "DATE", Value: ymd(a.AddDate(0, 0, -n))}, true
		}
		return Expr{Type: "TIME", Value: "PRESENT_REF"}, true
	}, anyOf(" ago")},
	{lazyre.New(A + `منذ\s+(\d+|ثلاثة|ثلاث|أربعة|أربع|خمسة|خمس|ستة|عشرة)?\s*(سنوات|سنة|عام|أعوام|عامين|سنتين|أشهر|شهور|شهر|شهرين|أسابيع|أسبوع|أسبوعين|أيام|يوم|يومين)` + Z), func(g []string, c ctx) (Expr, bool) {
		n := 1
		if g[2] != "" {
			var ok bool
			if n, ok = count(g[2]); !ok {
				return Expr{}, false
			}
		}
		if strings.HasSuffix(g[3], "ين") {
			n = 2
		}
		a := c.anchor
		switch {
		case strings.Contains("سنوات سنة عام أعوام عامين سنتين", g[3]):
			return Expr{Type: "DATE", Value: strconv.Itoa(a.Year() - n)}, a.Year()-n >= 1
		case strings.Contains("أشهر شهور شهر شهرين", g[3]):
			t := time.Date(a.Year(), a.Month()-time.Month(n), 1, 0, 0, 0, 0, time.UTC)
			return Expr{Type: "DATE", Value: ym(t.Year(), t.Month())}, true
		case strings.Contains("أسابيع أسبوع أسبوعين", g[3]):
			return Expr{Type: "DATE", Value: isoWeek(a.AddDate(0, 0, -7*n))}, true
		}
		return Expr{Type: "DATE", Value: ymd(a.AddDate(0, 0, -n))}, true
	}, anyOf("منذ")},
	// five years, three months (durations, kept apart from dates)
	{lazyre.New(B + `(` + numWord + `)\s+(year|month|week|day)s?` + E), func(g []string, c ctx) (Expr, bool) {
		n, ok := count(g[2])
		if !ok {
			return Expr{}, false
		}
		return Expr{Type: "DURATION", Value: fmt.Sprintf("P%d%s", n, strings.ToUpper(g[3][:1]))}, true
	}, anyOf("year", "month", "week", "day")},
	// on Friday, last Friday, next Monday
	{lazyre.New(B + `(?:(last|next|this|past|coming)\s+)?(` + wd + `)` + E), func(g []string, c ctx) (Expr, bool) {
		w := weekdays[strings.ToLower(g[3])]
		a := c.anchor
		d := int(w) - int(a.Weekday())
		switch rel := strings.ToLower(g[2]); {
		case rel == "next" || rel == "coming":
			if d <= 0 {
				d += 7
			}
		case rel == "" && c.future:
			if d < 0 {
				d += 7
			}
		case rel == "last" || rel == "past":
			if d >= 0 {
				d -= 7
			}
		default:
			if d > 0 {
				d -= 7
			}
		}
		return Expr{Type: "DATE", Value: ymd(a.AddDate(0, 0, d))}, true
	}, needWeekday},
	{lazyre.New(A + `(?:يوم\s+)?(الأحد|الاثنين|الإثنين|الثلاثاء|الأربعاء|الخميس|الجمعة|السبت)(?:\s+(الماضي|المقبل|القادم))?` + Z), func(g []string, c ctx) (Expr, bool) {
		w := weekdays[g[2]]
		a := c.anchor
		d := int(w) - int(a.Weekday())
		switch {
		case g[3] == "المقبل" || g[3] == "القادم" || (g[3] == "" && c.future):
			if d <= 0 {
				d += 7
			}
		default:
			if d > 0 {
				d -= 7
			}
		}
		return Expr{Type: "DATE", Value: ymd(a.AddDate(0, 0, d))}, true
	}, needWeekdayAr},
	// New Year, Christmas: the last one up to the anchor, or the next in a
	// future context.
	{lazyre.New(B + `new year(?:'s|’s)?(?:\s+(?:day|eve))?|christmas(?:\s+(?:day|eve))?|رأس السنة` + E), func(g []string, c ctx) (Expr, bool) {
		m, dd := time.January, 1
		low := strings.ToLower(g[1])
		if strings.HasPrefix(low, "christmas") {
			m, dd = time.December, 25
		}
		if strings.HasSuffix(low, "eve") {
			if m == time.January {
				m, dd = time.December, 31
			} else {
				dd = 24
			}
		}
		t := time.Date(c.anchor.Year(), m, dd, 0, 0, 0, 0, time.UTC)
		if c.future && t.Before(c.anchor) {
			t = t.AddDate(1, 0, 0)
		} else if !c.future && t.After(c.anchor) {
			t = t.AddDate(-1, 0, 0)
		}
		return Expr{Type: "DATE", Value: ymd(t)}, true
	}, anyOf("new year", "christmas", "رأس السنة")},
	// in the fall, last fall
	{lazyre.New(B + `(?:(` + mods + `)\s+)?(?:the\s+)?(` + season + `)\s+(?:of\s+)?((?:19|20)\d{2})` + E), func(g []string, c ctx) (Expr, bool) {
		return Expr{Type: "DATE", Value: g[4] + "-" + seasonCode(g[3]), Mod: modOf(g[2])}, true
	}, anyOf("spring", "summer", "fall", "autumn", "winter")},
}

var reFuture = lazyre.New(`(?i)(?:^|[^\pL])(will|would|'ll|shall|going to|plans? to|scheduled|due to|upcoming|سوف|المقبل|القادم)(?:$|[^\pL])`)

// futureAround reports whether the clause around [s, e) speaks of the
// future: a future marker within 50 bytes before it or 20 after, in the
// same sentence.
func futureAround(text string, s, e int) bool {
	a := max(strings.LastIndexAny(text[:s], ".!?؟\n;")+1, s-50)
	b := min(len(text), e+20)
	if k := strings.IndexAny(text[e:b], ".!?؟\n;"); k >= 0 {
		b = e + k
	}
	for a > 0 && a < len(text) && !utf8.RuneStart(text[a]) {
		a--
	}
	for b < len(text) && !utf8.RuneStart(text[b]) {
		b++
	}
	return reFuture.MatchString(text[a:s]) || reFuture.MatchString(text[e:b])
}

// Range returns the first and last day a TIMEX3 value covers, narrowed by
// mod, given the anchor for PRESENT_REF, PAST_REF and FUTURE_REF. A bound
// outside the years 1 to 9999, which no date format dossier writes can
// hold (RFC 3339), is returned as unknown (zero).
func Range(value, mod string, anchor time.Time) (time.Time, time.Time) {
	lo, hi := rangeOf(value, mod, anchor)
	return inYears(lo), inYears(hi)
}

// inYears is t, or zero when t falls outside the years 1 to 9999.
func inYears(t time.Time) time.Time {
	if y := t.Year(); y < 1 || y > 9999 {
		return time.Time{}
	}
	return t
}

func rangeOf(value, mod string, anchor time.Time) (time.Time, time.Time) {
	var lo, hi time.Time
	switch {
	case value == "PRESENT_REF":
		return anchor, anchor
	case value == "PAST_REF":
		return time.Time{}, anchor
	case value == "FUTURE_REF":
		return anchor, time.Time{}
	case len(value) == 10:
		t, err := time.Parse("2006-01-02", value)
		if err != nil {
			return lo, hi
		}
		return t, t
	case len(value) == 7 && value[4] == '-' && value[5] != 'W' && value[5] != 'Q' && value[5] != 'S' && value[5] != 'F':
		t, err := time.Parse("2006-01", value)
		if err != nil {
			return lo, hi
		}
		lo, hi = t, t.AddDate(0, 1, -1)
		switch mod {
		case "START":
			hi = t.AddDate(0, 0, 9)
		case "MID":
			lo, hi = t.AddDate(0, 0, 9), t.AddDate(0, 0, 19)
		case "END":
			lo = t.AddDate(0, 0, 20)
		}
		return lo, hi
	case len(value) == 8 && value[5] == 'W':
		y, _ := strconv.Atoi(value[:4])
		w, _ := strconv.Atoi(value[6:])
		jan4 := time.Date(y, 1, 4, 0, 0, 0, 0, time.UTC)
		mon := jan4.AddDate(0, 0, -((int(jan4.Weekday())+6)%7)+7*(w-1))
		return mon, mon.AddDate(0, 0, 6)
	case len(value) == 7 && value[5] == 'Q':
		y, _ := strconv.Atoi(value[:4])
		q, _ := strconv.Atoi(value[6:])
		lo = time.Date(y, time.Month(3*q-2), 1, 0, 0, 0, 0, time.UTC)
		return lo, lo.AddDate(0, 3, -1)
	case len(value) == 7 && value[4] == '-':
		y, _ := strconv.Atoi(value[:4])
		switch value[5:] {
		case "SP":
			lo = time.Date(y, 3, 1, 0, 0, 0, 0, time.UTC)
		case "SU":
			lo = time.Date(y, 6, 1, 0, 0, 0, 0, time.UTC)
		case "FA":
			lo = time.Date(y, 9, 1, 0, 0, 0, 0, time.UTC)
		case "WI":
			lo = time.Date(y, 12, 1, 0, 0, 0, 0, time.UTC)
		default:
			return lo, hi
		}
		// A season is three months; let it run to the end of the fourth to
		// allow for "fall" meaning September to December.
		return lo, lo.AddDate(0, 4, -1)
	case len(value) == 4:
		y, err := strconv.Atoi(value)
		if err != nil {
			return lo, hi
		}
		lo, hi = time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC)
		switch mod {
		case "START":
			hi = time.Date(y, 4, 30, 0, 0, 0, 0, time.UTC)
		case "MID":
			lo, hi = time.Date(y, 5, 1, 0, 0, 0, 0, time.UTC), time.Date(y, 8, 31, 0, 0, 0, 0, time.UTC)
		case "END":
			lo = time.Date(y, 9, 1, 0, 0, 0, 0, time.UTC)
		}
		return lo, hi
	case len(value) == 3: // decade
		d, err := strconv.Atoi(value)
		if err != nil {
			return lo, hi
		}
		return time.Date(d*10, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(d*10+9, 12, 31, 0, 0, 0, 0, time.UTC)
	case len(value) == 2: // century
		c, err := strconv.Atoi(value)
		if err != nil {
			return lo, hi
		}
		return time.Date(c*100, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(c*100+99, 12, 31, 0, 0, 0, 0, time.UTC)
	}
	return lo, hi
}
