package cluster

import (
	"maps"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"dossier/internal/tokenize"
)

// wDict is the weight a word of an article in another language gives
// the English words it translates to (translation terms, "T:" and the
// English stem), shared among them; an English word gives its own stem.
var wDict = float32(2.0) // a variable for the tuning tests (WD)

// isTrans reports whether a term is a translation term.
func isTrans(k string) bool { return len(k) > 2 && k[0] == 'T' && k[1] == ':' }

// dictSenses bounds the English words a word adds: the first listed
// senses, the commonest.
const dictSenses = 3

// Dict translates words of other languages into English, so that an
// article and coverage in another language meet on English stems (the
// keys an English article has for its own words). It holds a bilingual
// dictionary per language, read through a function the caller gives (the
// dictionaries are data on the user's disk, read when a language is first
// needed); it is safe for concurrent use.
type Dict struct {
	langs map[string]*dictLang
}

// DictCache keeps prepared dictionaries between processes: reading and
// normalising a large dictionary (German FreeDict: 250,000 headwords) takes
// seconds, reading its prepared form milliseconds. Get returns what Put
// stored for a language, if anything; the caller's keys must change when
// the dictionary's files or this program do. Errors are the cache's to
// swallow: a failed Put costs the next process a rebuild.
type DictCache interface {
	Get(lang string) ([]byte, bool)
	Put(lang string, data []byte)
}

type dictLang struct {
	once  sync.Once
	load  func() (map[string][]string, error)
	cache DictCache
	// words maps a word as addText sees it (lower case, Arabic folded) to
	// the English stems it translates to; stems the same by the word's
	// stem, for inflected forms the dictionary does not list.
	words, stems map[string][]string
	err          error
}

// NewDict returns a dictionary for langs, whose words load(lang) returns
// when first needed: each word (any case) with the English words or short
// phrases it translates to, commonest sense first.
func NewDict(langs []string, load func(lang string) (map[string][]string, error)) *Dict {
	return NewCachedDict(langs, load, nil)
}

// NewCachedDict is NewDict with the prepared form of each language kept in
// cache (nil: none): a language found there is not loaded.
func NewCachedDict(langs []string, load func(lang string) (map[string][]string, error), cache DictCache) *Dict {
	d := &Dict{langs: map[string]*dictLang{}}
	for _, l := range langs {
		if l == "en" || l == "" {
			continue
		}
		d.langs[l] = &dictLang{load: func() (map[string][]string, error) { return load(l) }, cache: cache}
	}
	return d
}

// Covers reports whether articles in lang share English stems with
// English coverage: English itself, and the languages with a dictionary.
func (d *Dict) Covers(lang string) bool {
	if lang == "en" {
		return true
	}
	if d == nil {
		return false
	}
	_, ok := d.langs[lang]
	return ok
}

// lookup returns the English stems a word of lang translates to.
func (d *Dict) lookup(lang, w string) []string {
	if d == nil {
		return nil
	}
	l := d.langs[lang]
	if l == nil {
		return nil
	}
	l.once.Do(func() { l.prepare(lang) })
	if t, ok := l.words[w]; ok {
		return t
	}
	return l.stems[stemLang(w, lang)]
}

// prepare reads the prepared dictionary of lang from the cache, or loads
// and normalises it (and caches the result).
func (l *dictLang) prepare(lang string) {
	load := l.load
	l.load = nil
	if l.cache != nil {
		if b, ok := l.cache.Get(lang); ok {
			if words, stems, err := decodePrepared(b); err == nil {
				l.words, l.stems = words, stems
				return
			}
		}
	}
	raw, err := load()
	if err != nil {
		l.err = err
		return
	}
	l.normalise(lang, raw)
	if l.cache != nil {
		l.cache.Put(lang, encodePrepared(l.words, l.stems))
	}
}

// normalise builds words and stems from a dictionary's raw entries.
func (l *dictLang) normalise(lang string, raw map[string][]string) {
	l.words = make(map[string][]string, len(raw))
	l.stems = map[string][]string{}
	stemFrom := map[string]string{} // stem → the headword its translations come from
	stopAll, stopLang := stop(), stopByLang()[lang]
	// Headwords in order: several fold to one word ("Haus", "haus"), and
	// the last of them gives the word's senses (a stem's come from its
	// shortest headword, the first on a tie), the same in every run (in
	// the map's order, one word's translations changed from run to run).
	for _, head := range slices.Sorted(maps.Keys(raw)) {
		ens := raw[head]
		w := foldArabic(strings.ToLower(head))
		if utf8.RuneCountInString(w) < 3 || stopAll[w] || stopLang[w] {
			continue
		}
		var out []string
		for _, e := range ens {
			for _, f := range strings.Fields(strings.ToLower(e)) {
				if utf8.RuneCountInString(f) < 3 || stopAll[f] {
					continue
				}
				s := tokenize.StemEnglish(f)
				if !slices.Contains(out, s) {
					out = append(out, s)
				}
			}
			if len(out) >= dictSenses {
				break
			}
		}
		if len(out) > dictSenses {
			out = out[:dictSenses]
		}
		if len(out) == 0 {
			continue
		}
		l.words[w] = out
		// The shortest headword of a stem stands for it ("regieren", not
		// "regierungsbildung"), the first in order on a tie.
		s := stemLang(w, lang)
		if s == w {
			continue
		}
		if prev, ok := stemFrom[s]; !ok || len(w) < len(prev) || (len(w) == len(prev) && w < prev) {
			stemFrom[s] = w
			l.stems[s] = out
		}
	}
}
