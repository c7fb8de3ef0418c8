package facts

import (
	"strings"
	"unicode"
	"unicode/utf8"
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
	"jan": true, "feb": true, "mar": true, "apr": true, "jun": true, "jul": true, "aug": true, "sep": true, "sept": true,
	"oct": true, "nov": true, "dec": true, "u.s": true, "u.k": true, "u.n": true, "e.g": true, "i.e": true, "a.m": true, "p.m": true,
	"gov": true, "sen": true, "rep": true, "rev": true, "mt": true, "ft": true, "approx": true, "est": true,
}

// Sentences splits text into sentences at line breaks and at ., !, ?, ؟
// and 。 followed by space and a capital letter, digit, quote or a
// character of a caseless script; abbreviations and initials do not end one.
func Sentences(text string) []Sentence {
	var out []Sentence
	start := 0
	emit := func(end int) {
		if s := strings.TrimSpace(text[start:end]); s != "" {
			lead := len(text[start:end]) - len(strings.TrimLeft(text[start:end], " \t\r\n"))
			out = append(out, Sentence{Text: s, Start: start + lead})
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
			if r == '.' && isAbbreviation(text[start:i]) {
				break
			}
			emit(j)
		}
		i += n
	}
	emit(len(text))
	return out
}

// isAbbreviation reports whether the text before a period ends with an
// abbreviation or an initial ("J.", "U.S").
func isAbbreviation(before string) bool {
	k := strings.LastIndexAny(before, " \n(\"“")
	w := strings.ToLower(before[k+1:])
	if abbreviations[w] {
		return true
	}
	return utf8.RuneCountInString(w) == 1 && unicode.IsUpper([]rune(before[k+1:])[0])
}
