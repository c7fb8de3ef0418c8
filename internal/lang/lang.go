// Package lang identifies the language of an article's text. It wraps
// lingua-go in low-accuracy mode (trigram models only), on the start of the
// text, over the languages dossier recognises plus a set of neighbours it
// does not: a text in one of those (Catalan, Basque, Icelandic…) is "und",
// undetermined, rather than mislabelled as the nearest recognised language.
// Maltese, which lingua lacks, is recognised by its letters ħ ċ ġ. Text
// decoded in the wrong encoding (mojibake) is "und".
package lang

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pemistahl/lingua-go"

	"dossier/internal/lazyre"
)

// sample is how many characters of text are read; more adds time, not accuracy.
const sample = 400

// Und is the code of a text whose language is not recognised.
const Und = "und"

// recognised maps the languages dossier labels to their ISO 639-1 codes:
// the EU's official languages (Maltese apart, see above), the languages of
// the larger news markets, and Norwegian.
var recognised = map[lingua.Language]string{
	lingua.English: "en", lingua.Arabic: "ar", lingua.French: "fr", lingua.German: "de",
	lingua.Spanish: "es", lingua.Italian: "it", lingua.Portuguese: "pt", lingua.Russian: "ru",
	lingua.Ukrainian: "uk", lingua.Chinese: "zh", lingua.Japanese: "ja", lingua.Korean: "ko",
	lingua.Turkish: "tr", lingua.Persian: "fa", lingua.Urdu: "ur", lingua.Hindi: "hi",
	lingua.Indonesian: "id", lingua.Malay: "ms", lingua.Dutch: "nl", lingua.Polish: "pl",
	lingua.Hebrew: "he", lingua.Swedish: "sv",
	lingua.Bulgarian: "bg", lingua.Croatian: "hr", lingua.Czech: "cs", lingua.Danish: "da",
	lingua.Estonian: "et", lingua.Finnish: "fi", lingua.Greek: "el", lingua.Hungarian: "hu",
	lingua.Irish: "ga", lingua.Latvian: "lv", lingua.Lithuanian: "lt", lingua.Romanian: "ro",
	lingua.Slovak: "sk", lingua.Slovene: "sl", lingua.Bengali: "bn", lingua.Swahili: "sw",
	lingua.Thai: "th", lingua.Vietnamese: "vi", lingua.Bokmal: "nb",
}

// neighbours are languages that are detected only so that their texts are
// not taken for a recognised language: they come out as Und. Measured on
// testdata/sentences.tsv they turn eight wrong labels into und and cost
// none (see TestAccuracy).
var neighbours = []lingua.Language{
	lingua.Catalan, lingua.Basque, lingua.Icelandic, lingua.Albanian, lingua.Afrikaans, lingua.Azerbaijani,
	lingua.Nynorsk, lingua.Serbian, lingua.Bosnian, lingua.Macedonian, lingua.Belarusian, lingua.Tagalog,
	lingua.Latin, lingua.Esperanto, lingua.Welsh, lingua.Somali, lingua.Kazakh,
}

// Codes returns the ISO 639-1 codes the detector can give, besides Und.
func Codes() []string {
	out := []string{"mt"}
	for _, c := range recognised {
		out = append(out, c)
	}
	return out
}

// Guess is a detected language with lingua's confidence in it (0 to 1).
type Guess struct {
	Code       string
	Confidence float64
}

// Detector identifies languages. It is safe for concurrent use.
type Detector struct {
	d lingua.LanguageDetector
}

// New builds a detector. Models load lazily on first use.
func New() *Detector {
	langs := make([]lingua.Language, 0, len(recognised)+len(neighbours))
	for l := range recognised {
		langs = append(langs, l)
	}
	langs = append(langs, neighbours...)
	d := lingua.NewLanguageDetectorBuilder().
		FromLanguages(langs...).
		WithLowAccuracyMode().
		Build()
	return &Detector{d: d}
}

// Detect returns the ISO 639-1 code of the language of title and text, Und
// when it is none that dossier recognises or the text is mojibake, or ""
// when there is no text.
func (d *Detector) Detect(title, text string) string {
	return d.Guess(title, text).Code
}

// Guess is Detect with the confidence of the answer.
func (d *Detector) Guess(title, text string) Guess {
	s := title + "\n" + head(text, sample)
	if strings.TrimSpace(s) == "" {
		return Guess{}
	}
	if Mojibake(s) {
		return Guess{Code: Und}
	}
	if maltese(s) {
		return Guess{Code: "mt", Confidence: 1}
	}
	vs := d.d.ComputeLanguageConfidenceValues(s)
	if len(vs) == 0 || vs[0].Value() == 0 || (len(vs) > 1 && vs[0].Value() == vs[1].Value()) {
		return Guess{Code: Und}
	}
	code, ok := recognised[vs[0].Language()]
	if !ok {
		code = Und
	}
	return Guess{Code: code, Confidence: vs[0].Value()}
}

// maltese says whether s is written with Maltese's own letters ħ, ċ, ġ,
// which no other language dossier meets uses: two of them, or one and the
// hyphenated article ("il-lejl", "x-xmara").
func maltese(s string) bool {
	n := 0
	for _, r := range s {
		switch unicode.ToLower(r) {
		case 'ħ', 'ċ', 'ġ':
			n++
		}
	}
	return n >= 2 || (n == 1 && reArticle.MatchString(s))
}

var reArticle = lazyre.New(`(?i)(^|\s)(il|l|[ċdnrstxżz])-\pL`)

// Mojibake says whether s looks like text decoded in the wrong encoding:
// many replacement characters, UTF-8 read as Latin-1 ("Ã©"), or letters
// that are mostly from the Latin-1 range, as Chinese or Cyrillic bytes read
// as Windows-1252 come out ("Ã·Ãº½ÌÓý"). No language writes that way:
// the Latin-1 letters of French, German or Hungarian are a small share of
// their letters.
func Mojibake(s string) bool {
	letters, latin1, repl, nonASCII, pairs := 0, 0, 0, 0, 0
	prev := rune(0)
	for _, r := range s {
		if r >= 0x80 {
			nonASCII++
		}
		switch {
		case r == utf8.RuneError:
			repl++
		case unicode.IsLetter(r):
			letters++
			if r >= 0xC0 && r <= 0xFF {
				latin1++
			}
		}
		// A UTF-8 lead byte and its continuation read as two Latin-1
		// characters: "Ã©" for é, "Å\u0082" for ł.
		if prev >= 0xC2 && prev <= 0xDF && r >= 0x80 && r <= 0xBF {
			pairs++
		}
		prev = r
	}
	switch {
	case nonASCII == 0:
		return false
	case repl*20 > nonASCII && repl >= 3:
		return true
	case pairs >= 2 && pairs*4 >= nonASCII:
		return true
	case letters >= 20 && latin1*100 > letters*35:
		return true
	}
	// C1 controls, and Windows-1252 symbols standing where letters should
	// ("zamknê³a", "wci¹¿").
	sym := 0
	var p2, p1 rune
	for _, r := range s {
		if r >= 0x80 && r <= 0x9F {
			sym++
		}
		if unicode.IsLetter(p2) && isSymbol1252(p1) && unicode.IsLetter(r) {
			sym++
		}
		p2, p1 = p1, r
	}
	return sym >= 2 && sym*10 > nonASCII
}

// isSymbol1252 says whether r is a symbol Windows-1252 or Latin-1 puts
// where other code pages have letters.
func isSymbol1252(r rune) bool {
	return (r >= 0xA1 && r <= 0xBF && r != 0xAB && r != 0xBB && r != 0xB7) || strings.ContainsRune("‚ƒ„†‡ˆ‰‹Œ•˜™›œ", r)
}

// head returns the first n characters of s, cut at a word boundary.
func head(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i, c := 0, 0
	for i = range s {
		if c == n {
			break
		}
		c++
	}
	if j := strings.LastIndexAny(s[:i], " \n\t"); j > i/2 {
		i = j
	}
	return s[:i]
}
