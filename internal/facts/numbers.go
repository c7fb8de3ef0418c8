// Package facts finds what news articles claim: quantities with their
// hedges, figures (what is counted, by whom it is said), entities and their
// name variants across scripts. It is pure: text in, values out.
package facts

import (
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	tok "dossier/internal/tokenize"
)

// Quantity is a number stated in a text.
type Quantity struct {
	// Start and End are byte offsets of the whole expression in the text.
	Start, End int
	Text       string
	Value      float64
	// Low and High are set, and IsRange true, for "252 to 287 miles".
	Low, High float64
	IsRange   bool
	// Qualifier is the hedge in English ("about", "more than", "up to"), or "".
	Qualifier string
	// Unit is what follows the number when it is a unit: "percent", "$", "miles".
	Unit string
	// Spelled is set when the number was written in words.
	Spelled bool
	// Approximate is set for vague amounts: "thousands of", "dozens".
	Approximate bool
}

// token is a word or number of the text with its byte span.
type token struct {
	s          string // as written
	low        string // lower case, Arabic digits folded
	start, end int
}

// tokenize splits text into words, numbers and single punctuation marks.
// Digits keep their separators ("2,700", "1.3", "٢٫٥").
func tokenize(text string) []token {
	// About one token in four bytes of English (fewer in other scripts):
	// sized once, the slice is not copied as it grows.
	ts := make([]token, 0, len(text)/4+4)
	i := 0
	for i < len(text) {
		r, n := utf8.DecodeRuneInString(text[i:])
		switch {
		case unicode.IsSpace(r):
			i += n
		case isDigit(r):
			j := i + n
			for j < len(text) {
				r2, n2 := utf8.DecodeRuneInString(text[j:])
				if isDigit(r2) {
					j += n2
					continue
				}
				if (r2 == ',' || r2 == '.' || r2 == '٫' || r2 == '٬') && j+n2 < len(text) {
					r3, _ := utf8.DecodeRuneInString(text[j+n2:])
					if isDigit(r3) {
						j += n2
						continue
					}
				}
				break
			}
			ts = append(ts, mk(text, i, j))
			i = j
		case unicode.IsLetter(r) || unicode.IsMark(r):
			j := i + n
			for j < len(text) {
				r2, n2 := utf8.DecodeRuneInString(text[j:])
				if unicode.IsLetter(r2) || unicode.IsMark(r2) || r2 == '\'' || r2 == '’' {
					j += n2
					continue
				}
				break
			}
			ts = append(ts, mk(text, i, j))
			i = j
		default:
			ts = append(ts, mk(text, i, i+n))
			i += n
		}
	}
	return ts
}

func mk(text string, i, j int) token {
	s := text[i:j]
	return token{s: s, low: foldDigits(strings.ToLower(s)), start: i, end: j}
}

func isDigit(r rune) bool {
	return (r >= '0' && r <= '9') || (r >= '٠' && r <= '٩') || (r >= '۰' && r <= '۹')
}

// foldDigits writes Arabic-Indic and Persian digits and separators in ASCII.
func foldDigits(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r > 0x7f && (isDigit(r) || r == '٫' || r == '٬') }) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '٠' && r <= '٩':
			b.WriteRune('0' + r - '٠')
		case r >= '۰' && r <= '۹':
			b.WriteRune('0' + r - '۰')
		case r == '٫':
			b.WriteByte('.')
		case r == '٬':
			b.WriteByte(',')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isNum(t token) bool {
	r, _ := utf8.DecodeRuneInString(t.low)
	return r >= '0' && r <= '9'
}

func parseDigits(s string) (float64, bool) {
	s = strings.ReplaceAll(s, ",", "")
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil
}

var units = map[string]float64{
	"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
	"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
	"seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
	"sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
	// Arabic
	"واحد": 1, "اثنان": 2, "اثنين": 2, "ثلاثة": 3, "ثلاث": 3, "أربعة": 4, "اربعة": 4, "أربع": 4, "خمسة": 5, "خمس": 5,
	"ستة": 6, "ست": 6, "سبعة": 7, "سبع": 7, "ثمانية": 8, "ثماني": 8, "تسعة": 9, "تسع": 9, "عشرة": 10, "عشر": 10,
	"عشرين": 20, "عشرون": 20, "ثلاثين": 30, "أربعين": 40, "خمسين": 50, "مئة": 100, "مائة": 100,
	"ألف": 1000, "ألفين": 2000, "ألفان": 2000, "مليون": 1e6, "مليونين": 2e6, "مليار": 1e9,
}

var scales = map[string]float64{
	"hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
	"k": 1e3, "m": 1e6, "mn": 1e6, "bn": 1e9, "b": 1e9, "tn": 1e12, "crore": 1e7, "lakh": 1e5,
	"ألف": 1e3, "آلاف": 1e3, "الف": 1e3, "مليون": 1e6, "ملايين": 1e6, "مليار": 1e9, "مليارات": 1e9, "مئة": 100, "مائة": 100,
}

// vague amounts: "thousands of", "dozens of", "tens of millions".
var vague = map[string][2]float64{
	"dozens": {12, 120}, "hundreds": {100, 1000}, "thousands": {1e3, 1e4}, "millions": {1e6, 1e7},
	"billions": {1e9, 1e10}, "آلاف": {1e3, 1e4}, "مئات": {100, 1000}, "عشرات": {10, 100}, "ملايين": {1e6, 1e7},
}

// hedges maps hedge phrases (in lower case, as word sequences) to the
// English qualifier recorded.
var hedges = []hedgeCue{
	{[]string{"more", "than"}, "more than"}, {[]string{"greater", "than"}, "more than"}, {[]string{"at", "least"}, "at least"},
	{[]string{"upwards", "of"}, "over"}, {[]string{"in", "excess", "of"}, "over"}, {[]string{"over"}, "over"},
	{[]string{"above"}, "above"}, {[]string{"exceeding"}, "exceeding"}, {[]string{"exceed"}, "more than"}, {[]string{"exceeds"}, "more than"},
	{[]string{"less", "than"}, "less than"}, {[]string{"fewer", "than"}, "fewer than"}, {[]string{"up", "to"}, "up to"},
	{[]string{"at", "most"}, "at most"}, {[]string{"no", "more", "than"}, "no more than"}, {[]string{"under"}, "under"},
	{[]string{"below"}, "below"}, {[]string{"just", "under"}, "under"}, {[]string{"just", "over"}, "over"},
	{[]string{"about"}, "about"}, {[]string{"around"}, "around"}, {[]string{"approximately"}, "approximately"},
	{[]string{"roughly"}, "roughly"}, {[]string{"nearly"}, "nearly"}, {[]string{"almost"}, "almost"},
	{[]string{"some"}, "some"}, {[]string{"close", "to"}, "close to"}, {[]string{"an", "estimated"}, "estimated"},
	{[]string{"estimated"}, "estimated"}, {[]string{"circa"}, "circa"}, {[]string{"~"}, "about"}, {[]string{"c"}, "circa"},
	// Arabic
	{[]string{"نحو"}, "about"}, {[]string{"حوالي"}, "around"}, {[]string{"حوالى"}, "around"}, {[]string{"قرابة"}, "nearly"},
	{[]string{"زهاء"}, "about"}, {[]string{"ما", "يقارب"}, "about"}, {[]string{"ما", "يقرب", "من"}, "about"},
	{[]string{"أكثر", "من"}, "more than"}, {[]string{"اكثر", "من"}, "more than"}, {[]string{"ما", "يزيد", "عن"}, "more than"},
	{[]string{"ما", "يزيد", "على"}, "more than"}, {[]string{"ما", "لا", "يقل", "عن"}, "at least"}, {[]string{"أقل", "من"}, "less than"},
	{[]string{"أزيد", "من"}, "more than"}, {[]string{"قرابة"}, "nearly"},
}

var currencies = map[string]string{"$": "$", "€": "€", "£": "£", "¥": "¥", "₹": "₹", "us$": "$", "a$": "$", "c$": "$", "rs": "₹",
	"usd": "$", "eur": "€", "gbp": "£", "inr": "₹", "jpy": "¥", "cny": "¥", "rmb": "¥", "aud": "$", "cad": "$", "chf": "CHF",
	"ps": "£", "rm": "RM", "sek": "SEK", "nok": "NOK", "dkk": "DKK", "hk$": "$", "nz$": "$", "r$": "R$"}

// currencyGlue are letters written between a currency sign and its digits: "$US55", "$A82".
var currencyGlue = map[string]bool{"us": true, "a": true, "c": true, "nz": true, "hk": true, "s": true}

// monthWords are the English and Arabic month words, lower case (tokenize's
// table): a number beside one is part of a date.
var monthWords = tok.MonthIndex("en", "ar")

// unitSuffixes may be written glued to digits ("64GB", "15kHz") without
// making the number part of a name.
var unitSuffixes = map[string]bool{
	"k": true, "m": true, "bn": true, "mn": true, "b": true, "tn": true, "km": true, "kg": true, "g": true, "mg": true,
	"gb": true, "tb": true, "mb": true, "kb": true, "khz": true, "mhz": true, "ghz": true, "hz": true, "mph": true,
	"kph": true, "cm": true, "mm": true, "ml": true, "l": true, "w": true, "kw": true, "mw": true, "gw": true, "kwh": true,
	"mwh": true, "v": true, "ft": true, "in": true, "lb": true, "lbs": true, "oz": true, "min": true, "mins": true,
	"s": true, "sec": true, "hrs": true, "h": true, "x": true, "p": true, "mp": true, "gbps": true, "mbps": true, "nm": true,
	"deg": true, "degf": true, "degc": true, "pc": true, "bhp": true, "hp": true, "ppg": true, "rpg": true, "apg": true,
	"mah": true, "ps": true, "c": true, "f": true, "yrs": true, "mi": true, "sq": true, "ha": true, "t": true,
}

// percentWords are the signs and words for percent after a number, in
// every language ("per cent", "pour cent", "por ciento" are read as two
// words).
var percentWords = map[string]bool{"%": true, "percent": true, "pc": true, "بالمئة": true, "بالمائة": true, "٪": true,
	"prozent": true, "peratus": true, "persen": true, "procent": true, "proc": true, "процентов": true, "процента": true,
	"процент": true, "percento": true}

// Quantities finds the numbers stated in text. Years, dates, times,
// ordinals and numbers that are part of names ("iPhone 12", "Section 427")
// are not quantities.
func Quantities(text string) []Quantity { return quantities(text, tokenize(text), base()) }

// QuantitiesLang is Quantities in the number format and number words of
// lang: "1.500" is fifteen hundred and "2,5" two and a half in German.
func QuantitiesLang(text, lang string) []Quantity {
	return quantities(text, tokenize(text), lexiconFor(lang))
}

// quantities is Quantities over the tokens of text.
func quantities(text string, ts []token, lx *lexicon) []Quantity {
	var out []Quantity
	for i := 0; i < len(ts); i++ {
		q, next, ok := quantityAt(text, ts, i, lx)
		if !ok {
			continue
		}
		out = append(out, q)
		i = next - 1
	}
	return out
}

// number reads one number starting at token i: digits with an optional
// scale ("1.3 million", "12 ألف", "25k"), or number words ("twenty-five",
// "two hundred"). It returns the value and the index after it.
func number(ts []token, i int, lx *lexicon) (v float64, next int, spelled bool, ok bool) {
	t := ts[i]
	if isNum(t) {
		v, ok = lx.value(ts, i)
		if !ok {
			return 0, i, false, false
		}
		next = i + 1
		// "12 000": groups of three digits set apart by a space.
		if lx.decimalComma && len(t.low) <= 3 && plainDigits(t.low) {
			for next < len(ts) && len(ts[next].low) == 3 && plainDigits(ts[next].low) && ts[next].start > ts[next-1].end &&
				ts[next].start-ts[next-1].end <= 3 && (next+1 >= len(ts) || ts[next+1].start > ts[next].end || !isNum(ts[next+1])) {
				w, _ := parseDigits(ts[next].low)
				v = v*1000 + w
				next++
			}
			if next > i+1 {
				return v, next, false, true
			}
		}
		// A fraction: "1/16", "1⁄32".
		if next+1 < len(ts) && (ts[next].s == "/" || ts[next].s == "⁄") && ts[next].start == t.end && isNum(ts[next+1]) && ts[next+1].start == ts[next].end {
			if d, ok := parseDigits(ts[next+1].low); ok && d > v && d <= 1000 && v == math.Trunc(v) {
				return v / d, next + 2, false, true
			}
		}
		if next < len(ts) && ts[next].start == t.end {
			// a glued suffix: "25k", "1.5bn", "$10m", "4.3M" (but "37m" is metres)
			if s, ok := lx.scales[ts[next].low]; ok && s >= 1000 && (ts[next].low != "m" || ts[next].s == "M" || money(ts, i)) {
				return v * s, next + 1, false, true
			}
			if ts[next].low == "mil" || ts[next].low == "mln" {
				return v * 1e6, next + 1, false, true
			}
			return v, next, false, true
		}
		// "1.3 million", "12 ألف", "4 hundred million"
		last := 0.0
		for next < len(ts) {
			s, ok := lx.scales[ts[next].low]
			if !ok || !(len(ts[next].low) > 2 || ts[next].low == "bn" || ts[next].low == "mn") {
				break
			}
			v *= s
			last = s
			next++
			// An abbreviated scale's point: "2 Mio. Euro", "300 тыс.
			// рублей" (the unit after it is read).
			if lx.own && next < len(ts) && ts[next].s == "." && ts[next].start == ts[next-1].end && len([]rune(ts[next-1].low)) <= 4 {
				next++
			}
		}
		// "2 mil 153", "30 mil 798": thousands, then the rest in digits.
		if lx.own && last == 1e3 && v == math.Trunc(v) && next < len(ts) && len(ts[next].low) <= 3 && plainDigits(ts[next].low) &&
			(next+1 >= len(ts) || lx.scales[ts[next+1].low] == 0) {
			w, _ := parseDigits(ts[next].low)
			return v + w, next + 1, false, true
		}
		return v, next, false, true
	}
	// words
	total, cur := 0.0, 0.0
	j := i
	for j < len(ts) {
		w := ts[j].low
		if u, ok := lx.units[w]; ok && u < 100 {
			cur += u
			j++
			if j+1 < len(ts) && ts[j].s == "-" && ts[j].start == ts[j-1].end {
				if u2, ok := lx.units[ts[j+1].low]; ok && u2 < 10 {
					cur += u2
					j += 2
				}
			}
			continue
		}
		if s, ok := lx.scales[w]; ok && j > i && s >= 100 && len(w) > 2 {
			if cur == 0 {
				cur = 1
			}
			if s == 100 {
				cur *= s
			} else {
				total += cur * s
				cur = 0
			}
			j++
			continue
		}
		if u, ok := lx.units[w]; ok && j == i && u >= 100 { // Arabic "ألف", "مليون" alone
			cur = u
			j++
			continue
		}
		if w == "and" && j > i && j+1 < len(ts) {
			if _, ok := lx.units[ts[j+1].low]; ok && cur >= 100 {
				j++
				continue
			}
		}
		// "treinta y dos", "vinte e três", "vingt et un": tens and units.
		if (w == "y" || w == "e" || w == "et") && lx.own && j > i && j+1 < len(ts) && cur >= 20 && cur < 100 && math.Mod(cur, 10) == 0 {
			if u, ok := lx.units[ts[j+1].low]; ok && u < 10 {
				j++
				continue
			}
		}
		break
	}
	if j == i {
		return 0, i, false, false
	}
	// "dos mil 214", "mil 94": thousands in words, the rest in digits.
	if n := total + cur; lx.own && n >= 1e3 && math.Mod(n, 1e3) == 0 && j < len(ts) && len(ts[j].low) <= 3 && plainDigits(ts[j].low) &&
		(j+1 >= len(ts) || lx.scales[ts[j+1].low] == 0) {
		w, _ := parseDigits(ts[j].low)
		return n + w, j + 1, true, true
	}
	return total + cur, j, true, true
}

// money reports whether a currency sign or code stands just before the number at i.
func money(ts []token, i int) bool {
	for j := i - 1; j >= 0 && j >= i-2; j-- {
		if _, ok := currencies[ts[j].low]; ok {
			return true
		}
	}
	return false
}

var fractions = map[string]float64{"half": 0.5, "third": 1.0 / 3, "thirds": 1.0 / 3, "quarter": 0.25, "quarters": 0.25,
	"fourth": 0.25, "fourths": 0.25, "fifth": 0.2, "fifths": 0.2, "tenth": 0.1, "tenths": 0.1}

var folds = map[string]float64{"twofold": 2, "threefold": 3, "fourfold": 4, "fivefold": 5, "sixfold": 6, "sevenfold": 7,
	"eightfold": 8, "ninefold": 9, "tenfold": 10, "hundredfold": 100}

func quantityAt(text string, ts []token, i int, lx *lexicon) (Quantity, int, bool) {
	t := ts[i]
	// Multiples and fractions: "sixfold", "two-thirds of", "a third of", "nearly half of".
	if f, ok := folds[t.low]; ok {
		return Quantity{Start: t.start, End: t.end, Text: t.s, Value: f, Spelled: true, Qualifier: hedgeBefore(ts, i, lx)}, i + 1, true
	}
	// "one out of three"
	if u, ok := units[t.low]; ok && u < 100 && i+3 < len(ts) && ts[i+1].low == "out" && ts[i+2].low == "of" {
		if d, ok := units[ts[i+3].low]; ok && d > u && d < 100 {
			return Quantity{Start: t.start, End: ts[i+3].end, Text: text[t.start:ts[i+3].end], Value: u / d, Spelled: true}, i + 4, true
		}
	}
	if f, ok := fractions[t.low]; ok && i+1 < len(ts) && ts[i+1].low == "of" && (t.low == "half" || i > 0 && ts[i-1].low != "the") {
		n, start := 0.0, i
		switch {
		case i >= 2 && ts[i-1].s == "-" && units[ts[i-2].low] > 0:
			n, start = units[ts[i-2].low], i-2
		case i >= 1 && (ts[i-1].low == "a" || ts[i-1].low == "one"):
			n, start = 1, i-1
		case i >= 1 && units[ts[i-1].low] > 1 && units[ts[i-1].low] < 10 && (strings.HasSuffix(t.low, "s")):
			n, start = units[ts[i-1].low], i-1
		case t.low == "half":
			n = 1
		}
		if n > 0 {
			return Quantity{Start: ts[start].start, End: t.end, Text: text[ts[start].start:t.end], Value: n * f, Spelled: true,
				Qualifier: hedgeBefore(ts, start, lx)}, i + 1, true
		}
	}
	// Vague amounts: "tens of thousands", "thousands of", "dozens".
	if t.low == "tens" && i+2 < len(ts) && ts[i+1].low == "of" {
		if r, ok := vague[ts[i+2].low]; ok {
			return Quantity{Start: t.start, End: ts[i+2].end, Text: text[t.start:ts[i+2].end], Low: r[0] * 10, High: r[1] * 10,
				IsRange: true, Approximate: true}, i + 3, true
		}
	}
	if r, ok := vague[t.low]; ok && i+1 < len(ts) && (ts[i+1].low == "of" || t.low == "dozens") {
		if i > 0 && (isNum(ts[i-1]) || units[ts[i-1].low] > 0) {
			return Quantity{}, i, false
		}
		return Quantity{Start: t.start, End: t.end, Text: t.s, Low: r[0], High: r[1], IsRange: true, Approximate: true}, i + 1, true
	}
	startTok := i
	cur := ""
	if (t.low == "hk" || t.low == "us" || t.low == "s" || t.low == "nz" || t.low == "a") && i+2 < len(ts) && ts[i+1].s == "$" && isNum(ts[i+2]) {
		i++
		t = ts[i]
	}
	if c, ok := currencies[t.low]; ok && i+1 < len(ts) {
		if isNum(ts[i+1]) || (ts[i+1].s == "-" && i+2 < len(ts) && isNum(ts[i+2])) {
			cur = c
			i++
		} else if i+2 < len(ts) && currencyGlue[ts[i+1].low] && ts[i+1].start == t.end && isNum(ts[i+2]) && ts[i+2].start == ts[i+1].end {
			cur = c
			i += 2
		}
	}
	neg := false
	if cur != "" && i+1 < len(ts) && ts[i].s == "-" && isNum(ts[i+1]) {
		neg = true
		i++
	} else if i > 0 && isNum(ts[i]) && ts[i-1].s == "-" && ts[i-1].end == ts[i].start && (i < 2 || ts[i-2].end < ts[i-1].start || ts[i-2].s == "(") {
		neg = true // "-1.3%"
	} else if i > 0 && (ts[i-1].low == "minus" || ts[i-1].low == "negative") {
		neg = true
	} else if i > 1 && ts[i-1].s == "-" && ts[i-2].low == "minus" {
		neg = true
	}
	if !isNum(ts[i]) {
		if _, ok := lx.units[ts[i].low]; !ok {
			return Quantity{}, i, false
		}
	}
	if skipNumber(ts, i, lx) {
		return Quantity{}, i + 1, false
	}
	v, next, spelled, ok := number(ts, i, lx)
	if !ok {
		return Quantity{}, i, false
	}
	if spelled && !countable(ts, i, next) {
		return Quantity{}, next, false
	}
	if spelled && next < len(ts) && ts[next].s == "-" && ts[next].start == ts[next-1].end {
		return Quantity{}, next, false // "five-year", "three-bed": an adjective
	}
	if i > 0 && ts[i-1].s == "." && ts[i-1].end == ts[i].start && (i < 2 || ts[i-2].end < ts[i-1].start) {
		v, _ = parseDigits("0." + ts[i].low) // ".534"
	}
	if neg {
		v = -v
	}
	q := Quantity{Start: ts[startTok].start, Value: v, Spelled: spelled, Unit: cur}
	hadUnit := false
	// A unit after the number.
	if next < len(ts) {
		switch w := ts[next].low; {
		case percentWords[w]:
			q.Unit, hadUnit = "percent", true
			next++
		case (w == "per" || w == "pour" || w == "por") && next+1 < len(ts) && (ts[next+1].low == "cent" || ts[next+1].low == "ciento" || ts[next+1].low == "cento"):
			q.Unit, hadUnit = "percent", true
			next += 2
		case w == "في" && next+1 < len(ts) && (ts[next+1].low == "المئة" || ts[next+1].low == "المائة"):
			q.Unit, hadUnit = "percent", true
			next += 2
		case q.Unit == "" && unicode.IsLetter(firstRune(w)):
			q.Unit = ts[next].s
		}
	}
	// "between 15kHz and 17kHz", "21 mpg to 23 mpg": the same unit after both ends.
	unitGap := false
	if !hadUnit && next+2 < len(ts) && unicode.IsLetter(firstRune(ts[next].low)) && isSep(ts[next+1].low) && isNum(ts[next+2]) {
		if _, n2, _, ok := number(ts, next+2, lx); ok && n2 < len(ts) && ts[n2].low == ts[next].low {
			next++
			unitGap = true
		}
	}
	// "from 208 pounds to 193": a unit word may stand between the ends.
	rangeFrom := startTok > 0 && (ts[startTok-1].low == "from" || hedgeBefore(ts, startTok, lx) != "" && startTok > 2 && ts[startTok-3].low == "from")
	if rangeFrom && !hadUnit && !unitGap && next+2 < len(ts) && unicode.IsLetter(firstRune(ts[next].low)) && ts[next+1].low == "to" && isNum(ts[next+2]) {
		next++
	}
	// A range: "252 to 287", "1-1.5", "between 15 and 17", "from 13.5 to 14.0".
	if next+1 < len(ts) {
		sep := ts[next].low
		k := next + 1
		if (isSep(sep) || (sep == "or" && spelled)) && k < len(ts) {
			if c, ok := currencies[ts[k].low]; ok && c != "" && k+1 < len(ts) {
				k++
			}
			if k < len(ts) && (isNum(ts[k]) || (spelled && lx.units[ts[k].low] > 0)) && !skipNumber(ts, k, lx) &&
				(sep != "and" || between(ts, startTok)) && (sep != "-" || ts[next].start == ts[next-1].end || spacedRange(ts, next)) &&
				(!hadUnit || sameUnitAfter(ts, k, lx)) {
				if v2, n2, _, ok := number(ts, k, lx); ok {
					q.IsRange, q.Low, q.High = true, v, v2
					// "1 to 1.5 million", "four to five thousand": the scale
					// of the second end applies to the first.
					if s := scaleAt(ts, n2-1, lx); s > 1 && v == math.Trunc(v) && v*s <= v2*1.0001 && v < 1000 {
						q.Low = v * s
					}
					next = n2
					if unitGap && next < len(ts) {
						next++
					}
					if next < len(ts) && (ts[next].low == "%" || ts[next].low == "percent") {
						q.Unit = "percent"
						next++
					}
				}
			}
		}
	}
	q.Qualifier = hedgeBefore(ts, startTok, lx)
	if q.Qualifier == "" && startTok > 0 && ts[startTok-1].low == "from" && q.IsRange {
		q.Qualifier = ""
	}
	q.End = ts[next-1].end
	q.Text = text[q.Start:q.End]
	q.Value, q.Low, q.High = whole(q.Value), whole(q.Low), whole(q.High)
	return q, next, true
}

// whole rounds v to the whole number it is within floating-point error of:
// "4.1 million" is 4.1 × 10⁶ = 4099999.9999999995 otherwise.
func whole(v float64) float64 {
	if r := math.Round(v); r != v && math.Abs(v-r) <= 1e-9*math.Max(1, math.Abs(v)) {
		return r
	}
	return v
}

// cjkRune reports whether r is written in a script whose words stand
// glued to digits: Han, kana, Hangul.
func cjkRune(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
}

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

// spacedRange reports whether "2000 - 2500 Calories" is a range: a spaced
// hyphen between plain numbers followed by a word.
func spacedRange(ts []token, dash int) bool {
	if dash+2 >= len(ts) || !isNum(ts[dash-1]) || !isNum(ts[dash+1]) {
		return false
	}
	return unicode.IsLetter(firstRune(ts[dash+2].low))
}

func isSep(w string) bool {
	return w == "to" || w == "-" || w == "–" || w == "and" || w == "إلى" || w == "و"
}

// sameUnitAfter reports whether the number at k is followed by a percent
// sign too, so that "6.5% to 7%" is a range and "6.5% to 164p" is not.
func sameUnitAfter(ts []token, k int, lx *lexicon) bool {
	_, n, _, ok := number(ts, k, lx)
	return ok && n < len(ts) && (ts[n].low == "%" || ts[n].low == "percent" || ts[n].low == "per")
}

// scaleAt returns the scale word at token i ("million"), or 1.
func scaleAt(ts []token, i int, lx *lexicon) float64 {
	if s, ok := lx.scales[ts[i].low]; ok && s >= 1000 {
		return s
	}
	return 1
}

// between reports whether the range "X and Y" was opened by "between".
func between(ts []token, i int) bool {
	for j := i - 1; j >= 0 && j >= i-3; j-- {
		if ts[j].low == "between" || ts[j].low == "بين" {
			return true
		}
	}
	return false
}

// hedgeBefore returns the qualifier in the words just before token i.
func hedgeBefore(ts []token, i int, lx *lexicon) string {
	for _, h := range lx.hedges {
		n := len(h.words)
		if i-n < 0 {
			continue
		}
		ok := true
		for k, w := range h.words {
			if ts[i-n+k].low != w {
				ok = false
				break
			}
		}
		if ok {
			// "возросло до 12", "berichtete über 3 Verletzte": after a verb
			// of rising or saying the word is a preposition.
			if lx.own && i-n-1 >= 0 && (lx.rise[ts[i-n-1].low] || lx.say[ts[i-n-1].low]) {
				return ""
			}
			return h.q
		}
	}
	// "an additional 2,700", "some 300": skip one article
	if i >= 2 && (ts[i-1].low == "additional" || ts[i-1].low == "estimated") {
		return hedgeBefore(ts, i-1, lx)
	}
	return ""
}

// countable reports whether a spelled number counts something: "two North
// Korean soldiers", not "one of the", "no one", "one day".
func countable(ts []token, i, next int) bool {
	w := ts[i].low
	if w == "one" || w == "واحد" {
		if next >= len(ts) {
			return false
		}
		n := ts[next].low
		switch n {
		case "another", "way", "’s", "'s":
			return false
		}
		if isNum(ts[next]) {
			return false // "just one 52,000 barrel-a-day refinery"
		}
		if i > 0 {
			switch ts[i-1].low {
			case "no", "any", "every", "this", "that", "each", "some":
				return false
			}
		}
	}
	return true
}

// skipNumber reports whether the number at token i is not a quantity: a
// year, part of a date, a time, an ordinal, or part of a name.
func skipNumber(ts []token, i int, lx *lexicon) bool {
	t := ts[i]
	if !isNum(t) {
		return false
	}
	prev, next := "", ""
	if i > 0 {
		prev = ts[i-1].low
	}
	if i+1 < len(ts) {
		next = ts[i+1].low
	}
	glued := i+1 < len(ts) && ts[i+1].start == t.end
	gluedBefore := i > 0 && ts[i-1].end == t.start
	// ordinals: 4th, 21st; times: 9:01, 1.56pm
	if glued {
		switch next {
		case "st", "nd", "rd", "th", "pm", "am", "p", "a":
			if next == "p" || next == "a" {
				return i+3 < len(ts) && ts[i+2].s == "." && (ts[i+3].low == "m")
			}
			return true
		case ":":
			return true
		}
		if !unitSuffixes[next] && unicode.IsLetter(firstRune(next)) && !cjkRune(firstRune(next)) {
			return true // XC40-like: digits glued to a word that is no unit ("12人", "12명" are counts)
		}
	}
	if gluedBefore && unicode.IsLetter(firstRune(prev)) && !cjkRune(lastRune(prev)) {
		if _, isCur := currencies[prev]; !isCur && !(currencyGlue[prev] && i >= 2 && currencies[ts[i-2].low] != "") {
			return true // "XC40", "S8", "M21"
		}
	}
	if gluedBefore && (prev == ":" || prev == "/") {
		return true
	}
	if i+3 < len(ts) && (next == "p" || next == "a") && ts[i+2].s == "." && ts[i+3].low == "m" {
		return true // "2 p.m."
	}
	if next == "/" && i+2 < len(ts) && ts[i+2].s == "$" {
		return true // "$7/$9"
	}
	// ISO dates and timestamps: 2019-09-01, 10:38:07
	if gluedBefore && prev == "-" && i >= 2 && isNum(ts[i-2]) && len(ts[i-2].low) == 4 && ts[i-2].end == ts[i-1].start {
		return true
	}
	if glued && next == "-" && len(t.low) == 4 && i+2 < len(ts) && isNum(ts[i+2]) && len(ts[i+2].low) == 2 {
		return true
	}
	// "Jamie Armstrong, 25, said": an age in apposition.
	if prev == "," && next == "," && i >= 2 && unicode.IsUpper(firstRune(ts[i-2].s)) && !strings.ContainsAny(t.low, ".,") {
		if v, _ := parseDigits(t.low); v >= 10 && v < 110 {
			return true
		}
	}
	if next == ":" && i+2 < len(ts) && isNum(ts[i+2]) && ts[i+2].start == ts[i+1].end {
		return true
	}
	if i+2 < len(ts) && (ts[i+2].low == "m" || ts[i+2].low == "pm" || ts[i+2].low == "am") && next == "." {
		return false
	}
	// dates: "9 May", "May 9", "Oct. 18"
	if lx.month(next) || lx.month(prev) || (prev == "." && i >= 2 && lx.month(ts[i-2].low)) ||
		(next == "." || lx.linkers[next]) && i+2 < len(ts) && lx.month(ts[i+2].low) { // "14. März", "31 de diciembre"
		return true
	}
	// years: 1800-2100, four digits, no separator, not counting a thing
	if len(t.low) == 4 && !strings.ContainsAny(t.low, ",.") {
		if v, _ := parseDigits(t.low); v >= 1800 && v <= 2100 {
			if _, cur := currencies[prev]; !cur && next != "%" && next != "percent" && !countNoun(next) {
				return true
			}
		}
	}
	// "TA-125", "V-6", "ID.3", "A.D. 1000", "10×10−8"
	if gluedBefore && (prev == "-" || prev == ".") && i >= 2 && ts[i-2].end == ts[i-1].start && unicode.IsUpper(firstRune(ts[i-2].s)) {
		return true
	}
	if prev == "×" || next == "×" || (prev == "." && i >= 2 && ts[i-2].low == "d") {
		return true
	}
	if i >= 2 && prev == "/" && ts[i-2].low == "$" {
		return true
	}
	// A capitalised word that does not start the sentence names the
	// number: "Fortune 100", "iPhone 12 Pro", "Stoxx 50", "Big 12".
	if i >= 2 && !gluedBefore {
		p := ts[i-1]
		before := ts[i-2].s
		named := strings.IndexFunc(p.s, unicode.IsUpper) >= 0
		if lx.nounCaps {
			// Every noun is capitalised: only a capital inside the word
			// ("iPhone", "XC") or a word in capitals after the number
			// ("Boeing 737 MAX") names it.
			_, n := utf8.DecodeRuneInString(p.s)
			named = strings.IndexFunc(p.s[n:], unicode.IsUpper) >= 0 ||
				i+1 < len(ts) && len(ts[i+1].s) > 1 && strings.ToUpper(ts[i+1].s) == ts[i+1].s && unicode.IsLetter(firstRune(ts[i+1].s))
		}
		if named && unicode.IsLetter(firstRune(p.s)) && before != "." && before != ":" && before != "\"" && !lx.months[p.low] &&
			!countNoun(next) && next != "%" && next != "percent" && next != "per" && !(glued && unitSuffixes[next]) {
			if _, isCur := currencies[p.low]; !isCur && hedgeBefore(ts, i, lx) == "" {
				return true
			}
		}
	}
	// A label of the language names the number after it: "Flug 9525",
	// "calle 23", "godz. 14", "saat 21".
	if lx.labels[prev] || prev == "." && i >= 2 && lx.labels[ts[i-2].low] {
		return true
	}
	// A time in a language that writes decimals with a comma: "21.00".
	if lx.decimalComma && clockTime(t.low) {
		return true
	}
	// A day and month: "(17/3)", "14/03".
	if lx.own && glued && next == "/" && i+2 < len(ts) && isNum(ts[i+2]) && ts[i+2].start == ts[i+1].end && len(ts[i+2].low) <= 2 && len(t.low) <= 2 {
		return true
	}
	// names: "Section 427", "iPhone 12", "Game 7", "category 4", "No. 3"
	if i > 0 && !gluedBefore {
		p := ts[i-1]
		if p.low == "no" || p.low == "number" || p.low == "#" || p.low == "rank" || p.low == "route" || p.low == "category" ||
			p.low == "game" || p.low == "week" || p.low == "round" || p.low == "level" || p.low == "grade" || p.low == "chapter" ||
			p.low == "phase" || p.low == "version" || p.low == "article" || p.low == "section" || p.low == "room" || p.low == "row" {
			return true
		}
	}
	return false
}

// countNoun reports whether w is a plural noun likely to follow a count.
func countNoun(w string) bool {
	switch w {
	case "this", "was", "has", "his", "its", "thus", "plus", "minus", "less", "unless", "across", "always", "perhaps", "towards", "upwards", "does", "is", "as":
		return false
	}
	return len(w) > 3 && strings.HasSuffix(w, "s") && unicode.IsLower(firstRune(w))
}

// clockTime reports whether s is an hour and minutes written with a
// point: "21.00", "9.30".
func clockTime(s string) bool {
	h, m, ok := strings.Cut(s, ".")
	if !ok || len(m) != 2 || len(h) == 0 || len(h) > 2 || !plainDigits(h) || !plainDigits(m) {
		return false
	}
	hh, _ := strconv.Atoi(h)
	mm, _ := strconv.Atoi(m)
	return hh <= 24 && mm < 60
}
