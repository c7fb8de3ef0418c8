package facts

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	tok "dossier/internal/tokenize"
)

// Sentence is a sentence of a text and where it starts.
type Sentence struct {
	Text  string
	Start int
}

// abbreviations do not end a sentence when followed by a period.
var abbreviations = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "prof": true, "gen": true, "col": true, "lt": true, "sgt": true, "capt": true,
	"st": true, "jr": true, "sr": true, "no": true, "vs": true, "etc": true, "inc": true, "corp": true, "ltd": true, "co": true,
	"u.s": true, "u.k": true, "u.n": true, "e.g": true, "i.e": true, "a.m": true, "p.m": true,
	"gov": true, "sen": true, "rep": true, "rev": true, "mt": true, "ft": true, "approx": true, "est": true,
	// scales and labels other languages abbreviate: "2 Mio. Euro", "300 тыс. рублей", "godz. 14"
	"mio": true, "mrd": true, "mln": true, "mld": true, "tys": true, "тыс": true, "млн": true, "млрд": true,
	"ca": true, "nr": true, "godz": true, "ul": true,
}

// The English months' abbreviations (tokenize's table) are abbreviations too.
func init() {
	for mo := time.January; mo <= time.December; mo++ {
		for _, f := range tok.MonthForms("en", mo)[1:] {
			abbreviations[strings.ToLower(f)] = true
		}
	}
}

// MaxSentence is the longest sentence, in bytes, that Sentences returns. A
// longer run of text (a page with no punctuation, a list run together, a
// hostile page repeating one clause) is cut into pieces of at most this
// size at clause or word boundaries, so that what is done per sentence,
// and what is quoted from one, is bounded. News sentences are far shorter:
// in the AEB articles and the seed pages, 99.9% are under 560 bytes.
const MaxSentence = 1000

// Sentences splits text into sentences at line breaks and at ., !, ?, ؟
// and 。 followed by space and a capital letter, digit, quote or a
// character of a caseless script; abbreviations and initials do not end one.
// A sentence longer than MaxSentence bytes is cut into pieces (see
// MaxSentence). It runs in time linear in the text.
func Sentences(text string) []Sentence {
	var out []Sentence
	start := 0
	add := func(s string, at int) {
		for len(s) > MaxSentence {
			cut := cutPoint(s, MaxSentence)
			if p := strings.TrimSpace(s[:cut]); p != "" { // s starts with no space
				out = append(out, Sentence{Text: p, Start: at})
			}
			rest := strings.TrimLeftFunc(s[cut:], unicode.IsSpace)
			at += len(s) - len(rest)
			s = rest
		}
		if s != "" {
			out = append(out, Sentence{Text: s, Start: at})
		}
	}
	emit := func(end int) {
		if s := strings.TrimSpace(text[start:end]); s != "" {
			// The same spaces TrimSpace drops (a vertical tab, a no-break space too).
			lead := len(text[start:end]) - len(strings.TrimLeftFunc(text[start:end], unicode.IsSpace))
			add(s, start+lead)
		}
		start = end
	}
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRuneInString(text[i:])
		switch r {
		case '\n':
			emit(i + n)
		case '.', '!', '?', '؟', '。', '！', '？':
			j := i + n
			for j < len(text) && strings.ContainsRune("\"'”’»)]", rune(text[j])) {
				j++
			}
			if j < len(text) && text[j] != ' ' && text[j] != '\n' {
				break
			}
			k := j
			for k < len(text) && text[k] == ' ' {
				k++
			}
			if k >= len(text) {
				emit(len(text))
				break
			}
			next, _ := utf8.DecodeRuneInString(text[k:])
			if !(unicode.IsUpper(next) || unicode.IsDigit(next) || strings.ContainsRune("\"'“‘«(", next) || (unicode.IsLetter(next) && !unicode.IsLower(next))) {
				break
			}
			if r == '.' && (isAbbreviation(text[start:i]) || dayBeforeMonth(text[start:i], text[k:])) {
				break
			}
			emit(j)
		}
		i += n
	}
	emit(len(text))
	return out
}

// cutPoint returns where to cut s, longer than n bytes, into a first piece
// of at most n bytes: after the last clause mark (",", ";", "،", "、", "，")
// followed by a space in the second half of the piece, else at the last
// space there, else at the last rune boundary.
func cutPoint(s string, n int) int {
	window := s[:n]
	half := n / 2
	best := -1
	for _, mark := range []string{", ", "; ", "، ", "؛ ", "，", "、", "；"} {
		if k := strings.LastIndex(window, mark); k >= half && k+len(mark) > best {
			best = k + len(mark)
		}
	}
	if best > 0 {
		return best
	}
	if k := strings.LastIndexAny(window, " \t\n"); k >= half {
		return k + 1
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	if n == 0 { // not UTF-8 at all: cut anywhere rather than loop
		return len(window)
	}
	return n
}

// isAbbreviation reports whether the text before a period ends with an
// abbreviation or an initial ("J.", "U.S").
func isAbbreviation(before string) bool {
	if len(before) > 16 {
		before = before[len(before)-16:] // abbreviations are short: look no further back
	}
	k := strings.LastIndexAny(before, " \n(\"“")
	w := strings.ToLower(before[k+1:])
	if abbreviations[w] {
		return true
	}
	return utf8.RuneCountInString(w) == 1 && unicode.IsUpper([]rune(before[k+1:])[0])
}

// dayBeforeMonth reports whether the period after before is a German,
// Polish or Czech ordinal day before a month name ("am 14. März", "1.
// července"), which ends no sentence.
func dayBeforeMonth(before, after string) bool {
	n := 0
	for n < len(before) && n < 3 && isDigitByte(before[len(before)-1-n]) {
		n++
	}
	if n == 0 || n > 2 || len(before) > n && !unicode.IsSpace(rune(before[len(before)-1-n])) {
		return false
	}
	end := strings.IndexFunc(after, func(r rune) bool { return !unicode.IsLetter(r) })
	if end < 0 {
		end = len(after)
	}
	_, ok := tok.MonthAny(after[:end])
	return ok
}
