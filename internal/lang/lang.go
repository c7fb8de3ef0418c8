// Package lang identifies the language of an article's text, on the start
// of the text: a naive Bayes classifier over the letter trigrams of each
// word, backing off to bigrams and single letters, with the n-gram model
// that genmodel derives from lingua-go's (see model.go), over the languages
// dossier recognises plus a set of neighbours it does not: a text in one of
// those (Catalan, Basque, Icelandic…) is "und", undetermined, rather than
// mislabelled as the nearest recognised language. Maltese, which the model
// lacks, is recognised by its letters ħ ċ ġ. Text decoded in the wrong
// encoding (mojibake) is "und".
package lang

import (
	"math"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"dossier/internal/lazyre"
)

// sample is how many characters of text are read; more adds time, not accuracy.
const sample = 400

// Und is the code of a text whose language is not recognised.
const Und = "und"

// recognised are the languages dossier labels, by ISO 639-1 code: the EU's
// official languages (Maltese apart, see above), the languages of the
// larger news markets, and Norwegian (Bokmål).
var recognised = []string{
	"en", "ar", "fr", "de", "es", "it", "pt", "ru", "uk", "zh", "ja", "ko",
	"tr", "fa", "ur", "hi", "id", "ms", "nl", "pl", "he", "sv",
	"bg", "hr", "cs", "da", "et", "fi", "el", "hu", "ga", "lv", "lt", "ro",
	"sk", "sl", "bn", "sw", "th", "vi", "nb",
}

// neighbours are languages that are detected only so that their texts are
// not taken for a recognised language: they come out as Und. Measured on
// testdata/sentences.tsv they turn eight wrong labels into und and cost
// none (see TestAccuracy).
var neighbours = []string{
	"ca", "eu", "is", "sq", "af", "az", "nn", "sr", "bs", "mk", "be", "tl",
	"la", "eo", "cy", "so", "kk",
}

// ModelCodes lists the languages the n-gram model holds, for genmodel.
func ModelCodes() []string {
	return append(slices.Clone(recognised), neighbours...)
}

// Codes returns the ISO 639-1 codes the detector can give, besides Und.
func Codes() []string {
	return append([]string{"mt"}, recognised...)
}

// Guess is a detected language with the detector's confidence in it (0 to
// 1): the share of the probability that falls to it among the languages
// written in the text's script.
type Guess struct {
	Code       string
	Confidence float64
}

// Detector identifies languages. It is safe for concurrent use.
type Detector struct {
	once  sync.Once
	m     *model
	err   error
	label []string // by model language: its code, or Und for a neighbour
}

// New builds a detector. The model loads on first use.
func New() *Detector {
	return &Detector{}
}

func (d *Detector) load() {
	d.m, d.err = loadModel(modelData)
	if d.err != nil {
		return
	}
	for _, c := range d.m.codes {
		if slices.Contains(recognised, c) {
			d.label = append(d.label, c)
		} else {
			d.label = append(d.label, Und)
		}
	}
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
	d.once.Do(d.load)
	if d.err != nil {
		// The model is compiled in; a corrupt one is a build defect that
		// the package's tests catch.
		return Guess{Code: Und}
	}
	l, conf := d.classify(s)
	if l < 0 {
		return Guess{Code: Und}
	}
	return Guess{Code: d.label[l], Confidence: conf}
}

// floor is the logarithm given to a letter a language's model has never
// seen, at any order: below the rarest letters the models hold (about
// -18.5), so that an unseen letter never scores as well as a seen one.
// Accuracy is the same anywhere from -12 to -24.
const floor = -20.0

// classify returns the most likely model language of s and its share of
// the probability, or -1 when no language stands out.
func (d *Detector) classify(s string) (int, float64) {
	m := d.m
	// Words: runs of letters, lower-cased; Chinese, Japanese and Korean
	// characters are each a word of their own, as in the models.
	// The script of most words decides the candidates.
	var words [][]rune
	var counts [numScripts]int
	var cur []rune
	kana := 0
	flush := func() {
		if len(cur) > 0 {
			words = append(words, cur)
			counts[scriptOf(cur[0])]++
			cur = nil
		}
	}
	for _, r := range s {
		if !unicode.IsLetter(r) {
			flush()
			continue
		}
		r = unicode.ToLower(r)
		if sc := scriptOf(r); sc == scriptCJ || sc == scriptHangul {
			flush()
			cur = append(cur, r)
			flush()
			if isKana(r) {
				kana++
			}
			continue
		}
		cur = append(cur, r)
	}
	flush()
	main := script(0)
	for sc := range counts {
		if sc != int(scriptOther) && counts[sc] > counts[main] {
			main = script(sc)
		}
	}
	if main == scriptOther || counts[main] == 0 {
		return -1, 0
	}
	if main == scriptCJ {
		// Japanese writes with kana as well as Chinese characters; Chinese
		// never does, and characters alone do not tell the two apart.
		code := "zh"
		if kana*20 >= counts[main] {
			code = "ja"
		}
		if l := slices.Index(m.codes, code); l >= 0 {
			return l, 1
		}
		return -1, 0
	}
	var cands []int
	for l, sc := range m.script {
		if sc == main {
			cands = append(cands, l)
		}
	}
	switch len(cands) {
	case 0:
		return -1, 0
	case 1:
		return cands[0], 1
	}
	nl := len(m.codes)
	sum := make([]float64, nl)
	val := make([]float64, nl)
	set := make([]bool, nl)
	// add scores one n-gram for every candidate: its logarithm where the
	// language has it, else its suffix's (the bigram of a trigram's last
	// two letters, then its last letter), else the floor.
	add := func(g []rune) {
		clear(set)
		for n := len(g); n > 0; n-- {
			for _, p := range m.lookup(key(g[len(g)-n:]...)) {
				l := int(p >> 8)
				if !set[l] {
					set[l], val[l] = true, logp(byte(p))
				}
			}
		}
		for _, l := range cands {
			if set[l] {
				sum[l] += val[l]
			} else {
				sum[l] += floor
			}
		}
	}
	ngrams := 0
	for _, w := range words {
		if scriptOf(w[0]) != main {
			continue
		}
		if len(w) < 3 {
			add(w)
			ngrams++
			continue
		}
		for i := 0; i+3 <= len(w); i++ {
			add(w[i : i+3])
			ngrams++
		}
	}
	if ngrams == 0 {
		return -1, 0
	}
	best, second := -1, -1
	for _, l := range cands {
		switch {
		case best < 0 || sum[l] > sum[best]:
			best, second = l, best
		case second < 0 || sum[l] > sum[second]:
			second = l
		}
	}
	if sum[best] == sum[second] {
		return -1, 0
	}
	total := 0.0
	for _, l := range cands {
		total += math.Exp(sum[l] - sum[best])
	}
	return best, 1 / total
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
