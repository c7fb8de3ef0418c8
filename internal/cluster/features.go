// Package cluster groups articles into events and events into stories,
// incrementally: each article is assigned as it arrives, against clusters
// found through an inverted index, without reclustering the archive. It is
// pure: article values in, assignments out.
package cluster

import (
	_ "embed"
	"math"
	"slices"
	"sort"

	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"dossier/internal/arabic"
	"dossier/internal/news"
	"dossier/internal/tokenize"
)

// Feature weights. Language-independent evidence (entities, concepts,
// numbers, dates) is what lets an Arabic report meet English coverage.
const (
	wTitle   = 2.0
	wEntity  = 1.5
	wConcept = 1.5
	wNumber  = 1.2
	wDate    = 0.8
	wProper  = 1.0
)

// Term is one feature of a vector.
type Term struct {
	Key string
	W   float32
}

// Vec is a sparse vector sorted by Key, L2-normalised after weighting.
type Vec []Term

// Doc is an article as the clusterer sees it.
type Doc struct {
	ID   int64
	Lang string
	// Day is the article's date (publication, else capture) as days since
	// the epoch; 0 when unknown.
	Day   int
	Title string
	// Raw holds term counts before IDF weighting.
	Raw map[string]float32
	// Emb is an optional unit embedding from an external service.
	Emb []float32
}

//go:embed concepts.tsv
var conceptsTSV string

// concepts maps a word (lower case, any language) to a concept id shared
// across languages: "withdraw", "withdrawal", "انسحاب", "撤军" → withdraw.
// Han entries are matched as substrings.
var concepts, hanConcepts = func() (map[string]string, map[string]string) {
	m, h := map[string]string{}, map[string]string{}
	for _, line := range strings.Split(conceptsTSV, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.SplitN(line, "\t", 2)
		if len(f) != 2 {
			continue
		}
		for _, w := range strings.Split(f[1], "|") {
			w = strings.ToLower(strings.TrimSpace(w))
			if w == "" {
				continue
			}
			if isHan(firstRune(w)) {
				h[w] = f[0]
			} else {
				m[foldArabic(w)] = f[0]
			}
		}
	}
	return m, h
}()

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

func isCJK(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
}

// NewDoc builds the clusterer's view of an article, without translations.
func NewDoc(id int64, a news.Article, day int) Doc { return NewDocDict(id, a, day, nil) }

// NewDocDict builds the clusterer's view of an article; the words of an
// article in a language dict covers also add the English stems they
// translate to (nil: none).
func NewDocDict(id int64, a news.Article, day int, dict *Dict) Doc {
	d := Doc{ID: id, Lang: a.Language, Day: day, Title: a.Title, Raw: map[string]float32{}, Emb: a.Embedding}
	addText(d.Raw, a.Title, wTitle, a.Language, dict)
	addText(d.Raw, a.Text, 1, a.Language, dict)
	seen := map[string]bool{}
	for _, m := range a.Facts.Mentions {
		if m.Type == "name" && !strings.Contains(m.Name, " ") {
			continue // a lone unknown capitalised word is weak evidence
		}
		k := "E:" + m.Entity
		if !seen[k] {
			seen[k] = true
			d.Raw[k] += wEntity
		}
	}
	addNumbersAndNames(d.Raw, a.Title+"\n"+a.Text)
	for _, s := range a.Facts.Statements {
		if len(s.Value) >= 7 && s.Value[4] == '-' {
			d.Raw["D:"+s.Value[:7]] += wDate
		}
	}
	return d
}

// addText adds the words of s: content words in lower case, lightly
// stemmed, with concepts shared across languages; Chinese as character
// bigrams.
// maxWord is the longest run of letters or digits taken as a word, in
// runes: longer runs (a page that is one "word", base64, a hash) are not
// evidence of anything, and would be kept whole in the model.
const maxWord = 48

func addText(raw map[string]float32, s string, w float32, lang string, dict *Dict) {
	stopAll, stopLang := stop(), stopByLang()[lang]
	// English words are their own translation: with dictionaries, their
	// stems are translation terms (the same terms under another key, so
	// that English articles compare with each other as without).
	english := lang == "en" && dict != nil
	if english {
		dict = nil
	}
	var word []rune
	flush := func() {
		if len(word) == 0 {
			return
		}
		if isHan(word[0]) {
			addHan(raw, string(word), w)
			word = word[:0]
			return
		}
		if len(word) > maxWord {
			word = word[:0] // no word of any language is this long
			return
		}
		t := foldArabic(strings.ToLower(string(word)))
		word = word[:0]
		if c, ok := concepts[t]; ok {
			raw["C:"+c] += w * wConcept
		}
		if utf8.RuneCountInString(t) < 3 || stopAll[t] || stopLang[t] {
			return
		}
		st := stemLang(t, lang)
		if english {
			raw["T:"+st] += w
			return
		}
		raw[st] += w
		if en := dict.lookup(lang, t); len(en) > 0 {
			for _, e := range en {
				raw["T:"+e] += w * wDict / float32(len(en))
			}
		}
	}
	for _, r := range s {
		switch {
		case isHan(r):
			if len(word) > 0 && !isHan(word[0]) {
				flush()
			}
			word = append(word, r)
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r):
			if len(word) > 0 && isHan(word[0]) {
				flush()
			}
			word = append(word, r)
		default:
			flush()
		}
	}
	flush()
}

func addHan(raw map[string]float32, s string, w float32) {
	rs := []rune(s)
	for i := 0; i+1 < len(rs); i++ {
		raw[string(rs[i:i+2])] += w * 0.5
	}
	for k, c := range hanConcepts {
		if strings.Contains(s, k) {
			raw["C:"+c] += w * wConcept
		}
	}
}

// foldArabic removes diacritics and tatweel, folds alef and yeh forms and
// strips the article and the clitics و، ب، ل، ف glued in front.
func foldArabic(s string) string {
	if !arabic.Has(s) {
		return s
	}
	t := arabic.Fold(s)
	for _, p := range []string{"وال", "بال", "فال", "كال", "لل", "ال"} {
		if rest, ok := strings.CutPrefix(t, p); ok && utf8.RuneCountInString(rest) >= 3 {
			return rest
		}
	}
	if rest, ok := strings.CutPrefix(t, "و"); ok && utf8.RuneCountInString(rest) >= 4 {
		return rest
	}
	return t
}

// truncate is the length to which words of inflected languages without a
// stemmer here are cut: "regierung", "regierungsbündnis" and "regierungen"
// meet at "regier" (truncation does about as well as a stemmer for
// retrieval in such languages).
const truncate = 6

// stemLang stems w as a word of lang: English and Malay by suffix, the
// inflected languages with a language code by truncation.
func stemLang(w, lang string) string {
	switch lang {
	case "de", "es", "fr", "it", "pt", "pl", "tr", "ru", "nl", "sv", "da", "no", "fi", "cs", "ro", "hu", "uk":
		n := 0
		for i := range w {
			if n == truncate {
				return w[:i]
			}
			n++
		}
		return w
	}
	return tokenize.StemEnglish(w)
}

// Weigh turns raw counts into an L2-normalised TF-IDF vector.
func Weigh(raw map[string]float32, idf func(string) float32) Vec {
	v := make(Vec, 0, len(raw))
	for k, c := range raw {
		w := float32(1+math.Log(float64(c))) * idf(k)
		if c < 1 {
			w = c * idf(k)
		}
		if w <= 0 {
			continue
		}
		v = append(v, Term{k, w})
	}
	// The norm is summed in key order: in the map's order, which changes
	// from run to run, its last bits could too, and with them an
	// assignment at a threshold.
	slices.SortFunc(v, func(a, b Term) int { return strings.Compare(a.Key, b.Key) })
	var norm float64
	for _, t := range v {
		norm += float64(t.W) * float64(t.W)
	}
	if norm == 0 {
		return nil
	}
	n := float32(math.Sqrt(norm))
	for i := range v {
		v[i].W /= n
	}
	return v
}

// Cos is the dot product of two normalised vectors.
func Cos(a, b Vec) float64 { return dotBy(a, b, nil) }

// dotBy is the dot product of a and b with each shared term's product
// multiplied by weight(term) (nil: by 1).
func dotBy(a, b Vec, weight func(string) float64) float64 {
	var s float64
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i].Key == b[j].Key:
			p := float64(a[i].W) * float64(b[j].W)
			if weight != nil {
				p *= weight(a[i].Key)
			}
			s += p
			i++
			j++
		case a[i].Key < b[j].Key:
			i++
		default:
			j++
		}
	}
	return s
}

// Top returns the n heaviest terms of v.
func Top(v Vec, n int) Vec {
	if len(v) <= n {
		return v
	}
	c := append(Vec(nil), v...)
	sort.Slice(c, func(i, j int) bool { return c[i].W > c[j].W })
	c = c[:n]
	sort.Slice(c, func(i, j int) bool { return c[i].Key < c[j].Key })
	return c
}

// stop and stopByLang are tokenize's stop words, Arabic folded as addText
// folds it, built on first use, not when a process starts. The common list
// applies to every language; the others to their own only.
var stop = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, w := range tokenize.CommonStopWords() {
		m[foldArabic(w)] = true
	}
	return m
})

// stopByLang holds the stop words of languages whose articles carry a
// language code: a word is only a stop word in its own language ("war",
// "die" and "son" are English content words).
var stopByLang = sync.OnceValue(func() map[string]map[string]bool {
	m := map[string]map[string]bool{}
	for _, l := range tokenize.StopWordLanguages() {
		m[l] = map[string]bool{}
		for _, w := range tokenize.StopWords(l) {
			m[l][w] = true
		}
	}
	return m
})

// Terms returns the content terms of a short text (a sentence or a
// subject): stemmed words and the concepts they carry, Chinese bigrams.
func Terms(s string) []string {
	raw := map[string]float32{}
	addText(raw, s, 1, "", nil)
	out := make([]string, 0, len(raw))
	for k := range raw {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// addNumbersAndNames adds what reads the same in any language written in
// Latin script or with Arabic digits: numbers (N:, "10", "93", "2024") and
// proper nouns and acronyms (P:, "Fiona", "Pfizer", "NUG"), so that Malay
// and English coverage, or Chinese with Latin names, share features.
func addNumbersAndNames(raw map[string]float32, s string) {
	seen := map[string]bool{}
	start := true // at the start of a sentence or line
	var word []rune
	flush := func(next rune) {
		defer func() { word = word[:0] }()
		if len(word) == 0 || len(word) > maxWord {
			return
		}
		w := string(word)
		switch {
		case unicode.IsDigit(word[0]):
			n := strings.TrimLeft(strings.Map(func(r rune) rune {
				if d, ok := tokenize.DigitValue(r); ok {
					return '0' + rune(d) // "٢٠٢٠" and "2020" are one number
				}
				return -1
			}, w), "0")
			if len(n) >= 1 && n != "1" && !seen["N:"+n] {
				seen["N:"+n] = true
				raw["N:"+n] += wNumber * 0.5
			}
		case unicode.IsUpper(word[0]) && word[0] < 0x250 && (!start || isAcronym(w)) && utf8.RuneCountInString(w) >= 3:
			k := "P:" + strings.ToLower(w)
			if !seen[k] && !stop()[strings.ToLower(w)] {
				seen[k] = true
				raw[k] += wProper
			}
		}
	}
	for _, r := range s {
		// Chinese and Japanese run words together without spaces: a Latin
		// name or a number inside them is a word of its own.
		if (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'') && !isCJK(r) {
			// Arabic glues its conjunction and prepositions to what follows,
			// numbers too ("و٣٥", "and 35"): the number is a word of its own.
			if unicode.IsDigit(r) && len(word) > 0 && unicode.Is(unicode.Arabic, word[len(word)-1]) && unicode.IsLetter(word[len(word)-1]) {
				flush(r)
			}
			word = append(word, r)
			continue
		}
		wasWord := len(word) > 0
		flush(r)
		if strings.ContainsRune(".!?\n:\"“", r) {
			start = true
		} else if wasWord || isCJK(r) {
			start = false
		}
	}
	flush(0)
}

func isAcronym(w string) bool {
	for _, r := range w {
		if !unicode.IsUpper(r) && !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}
