package tokenize

import (
	"strings"
	"unicode/utf8"
)

// stemmed lists the languages with a stemmer, in the order QueryTerms
// tries them. Adding a language is one entry here and one case in Stem.
var stemmed = []string{"en", "de", "fr", "es", "it", "pt", "nl", "ar", "ms", "id"}

// suffixes are the inflections each light stemmer strips, longest first.
// They are deliberately few: a light stemmer that conflates too little
// costs some recall, one that conflates too much costs precision everywhere.
var suffixes = map[string][]string{
	"de": {"ern", "em", "en", "er", "es", "e", "n", "s"},
	"fr": {"aux", "es", "s", "x"},
	"es": {"es", "s"},
	"it": {"i", "e"},
	"pt": {"ões", "es", "s"},
	"nl": {"en", "s"},
}

// Stem returns a light stem of a folded word in language lang; words in
// other languages, short words and numbers pass unchanged.
func Stem(w, lang string) string {
	n := utf8.RuneCountInString(w)
	if n < 4 || w[0] >= '0' && w[0] <= '9' {
		return w
	}
	switch lang {
	case "en", "ms", "id":
		return StemEnglish(w)
	case "ar":
		return stemArabic(w)
	}
	for _, suf := range suffixes[lang] {
		if rest, ok := strings.CutSuffix(w, suf); ok && utf8.RuneCountInString(rest) >= 3 {
			return rest
		}
	}
	return w
}

// StemEnglish strips plural and verb endings ("troops" → "troop",
// "casualties" → "casualty", "killed" → "kill").
func StemEnglish(w string) string {
	n := len(w)
	switch {
	case n > 5 && strings.HasSuffix(w, "ing"):
		return w[:n-3]
	case n > 4 && strings.HasSuffix(w, "ies"):
		return w[:n-3] + "y"
	case n > 4 && strings.HasSuffix(w, "ed"):
		return w[:n-2]
	case n > 4 && strings.HasSuffix(w, "es") && !strings.HasSuffix(w, "ses"):
		return w[:n-2]
	case n > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss"):
		return w[:n-1]
	}
	return w
}

// stemArabic strips the article and the conjunctions and prepositions
// written joined to it ("والقوات" → "قوات").
func stemArabic(w string) string {
	for _, p := range []string{"وال", "بال", "فال", "كال", "لل", "ال"} {
		if rest, ok := strings.CutPrefix(w, p); ok && utf8.RuneCountInString(rest) >= 3 {
			return rest
		}
	}
	return w
}
