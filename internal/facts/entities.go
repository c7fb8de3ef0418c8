package facts

import (
	_ "embed"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
	"golang.org/x/text/unicode/norm"

	"dossier/internal/arabic"
	"dossier/internal/news"
	tok "dossier/internal/tokenize"
)

//go:embed gazetteer.tsv
var gazetteerTSV string

// cldrLanguages are the languages whose country names come from CLDR
// (Chinese in both scripts: Taiwan and Hong Kong outlets write 俄羅斯).
var cldrLanguages = []string{"en", "ar", "fr", "de", "es", "it", "pt", "ru", "uk", "zh", "zh-Hant", "ja", "ko", "tr", "fa", "ur", "hi", "id", "ms", "nl", "pl", "he", "sv"}

type entity struct {
	id, typ, canonical string
}

// Gazetteer resolves names to entities. It is built once and is safe for
// concurrent use.
type Gazetteer struct {
	// han holds aliases written in Chinese characters or Japanese kana,
	// matched as substrings since Chinese and Japanese have no spaces;
	// hanMax is the longest.
	han      map[string]entity
	hanMax   int
	byKey    map[string]entity    // normalised alias → entity
	exact    map[string]entity    // short all-capital aliases, matched as written
	skeleton map[string]skelEntry // consonant skeleton of names → entity
	// lower holds the one-word aliases written in lower case ("dpa"):
	// any other one-word name matches a word only when it is capitalised,
	// so that "того" ("of that") is not Togo nor "turkey" Turkey.
	lower map[string]bool
	// capLast holds the aliases of several words whose last is
	// capitalised ("La Réunion"): written in lower case, they are words.
	capLast map[string]bool
	// inflected maps a language and the stem of a one-word country name
	// in it ("pl:polsk", "ru:росси") to the country, for the languages
	// whose names take case endings (caseEndings).
	inflected map[string]entity
	maxWords  int
	// first maps the first token of each alias to the most tokens an alias
	// starting with it has, so that most tokens are rejected at once.
	first map[string]int
	// info holds what the curated table says of an entity beyond its
	// names: what it is part of, and its tags.
	info map[string]entityInfo
}

// entityInfo is what the curated table says of an entity besides its names.
type entityInfo struct {
	canonical string
	// partOf is the entity this one belongs to or speaks for: the NIS is
	// part of South Korea, Shoigu speaks for Russia.
	partOf string
	// wire is set on news agencies whose copy other outlets carry; media
	// on every news outlet (wires included).
	wire, media bool
}

var (
	defaultGaz  *Gazetteer
	defaultOnce sync.Once
)

// DefaultGazetteer returns the gazetteer built from CLDR country names and
// the curated table, building it on first use.
func DefaultGazetteer() *Gazetteer {
	defaultOnce.Do(func() { defaultGaz = NewGazetteer() })
	return defaultGaz
}

// NewGazetteer builds a gazetteer.
func NewGazetteer() *Gazetteer {
	g := &Gazetteer{byKey: map[string]entity{}, exact: map[string]entity{}, skeleton: map[string]skelEntry{}, first: map[string]int{}, lower: map[string]bool{}, capLast: map[string]bool{}, inflected: map[string]entity{},
		han: map[string]entity{}, info: map[string]entityInfo{}}
	// CLDR: every country's name in each supported language.
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			r, err := language.ParseRegion(string([]rune{a, b}))
			if err != nil || !r.IsCountry() {
				continue
			}
			if r.Canonicalize() != r {
				// A code no longer in use ("DD", "BU", "YD") has the
				// names of the country whose code replaced it, and came
				// first in this loop: Germany's names in six languages
				// were "country:DD", its curated ones "country:DE".
				continue
			}
			e := entity{id: "country:" + r.String(), typ: "place", canonical: display.English.Regions().Name(r)}
			for _, l := range cldrLanguages {
				if name := display.Regions(language.Make(l)).Name(r); name != "" && name != r.String() {
					g.add(name, e, false)
					g.addInflected(name, l, e, 3)
				}
			}
		}
	}
	// The curated table overrides and extends CLDR.
	for _, line := range strings.Split(gazetteerTSV, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) < 3 {
			continue
		}
		e := entity{id: f[0], typ: f[1], canonical: f[2]}
		if e.typ == "none" {
			// A phrase that holds a name but names nothing ("北京时间",
			// Beijing time, is a clock): matched, in Chinese and Japanese
			// runs, to be passed over.
			for _, a := range strings.Split(f[3], "|") {
				if r := []rune(a); len(r) > 0 && cjk(r[0]) {
					g.add(a, e, true)
				}
			}
			continue
		}
		g.add(f[2], e, true)
		if len(f) > 3 {
			for _, a := range strings.Split(f[3], "|") {
				g.add(a, e, true)
				g.addCaseStems(a, e)
			}
		}
		in := entityInfo{canonical: f[2]}
		if len(f) > 4 {
			in.partOf = strings.TrimSpace(f[4])
		}
		if len(f) > 5 {
			for _, t := range strings.Split(f[5], ",") {
				in.wire = in.wire || strings.TrimSpace(t) == "wire"
				in.media = in.media || strings.TrimSpace(t) == "wire" || strings.TrimSpace(t) == "media"
			}
		}
		g.info[f[0]] = in
	}
	return g
}

// PartOf returns the entities id belongs to or speaks for, nearest first
// ("org:nis" → "country:KR"); nil when the table names none.
func (g *Gazetteer) PartOf(id string) []string {
	var out []string
	for seen := map[string]bool{id: true}; ; {
		p := g.info[id].partOf
		if p == "" || seen[p] {
			return out
		}
		seen[p] = true
		out = append(out, p)
		id = p
	}
}

// Party returns the outermost entity id belongs to (itself when it
// belongs to none): Moscow, Shoigu and RIA Novosti all speak for Russia.
func (g *Gazetteer) Party(id string) string {
	if ps := g.PartOf(id); len(ps) > 0 {
		return ps[len(ps)-1]
	}
	return id
}

// Wire reports whether id is a news agency whose copy other outlets carry.
func (g *Gazetteer) Wire(id string) bool { return g.info[id].wire }

// Media reports whether id is a news outlet or agency: it carries a story
// rather than taking part in it.
func (g *Gazetteer) Media(id string) bool { return g.info[id].media }

// Canonical returns the canonical name of an entity id the table or CLDR
// knows, else "".
func (g *Gazetteer) Canonical(id string) string {
	if in, ok := g.info[id]; ok {
		return in.canonical
	}
	if r, ok := strings.CutPrefix(id, "country:"); ok {
		if reg, err := language.ParseRegion(r); err == nil {
			return display.English.Regions().Name(reg)
		}
	}
	return ""
}

func (g *Gazetteer) add(name string, e entity, override bool) {
	name = strings.TrimSpace(name)
	if name == "" {
		return
	}
	if isShortCaps(name) {
		g.exact[name] = e
		return
	}
	if r := []rune(name); cjk(r[0]) {
		if _, ok := g.han[name]; !ok || override {
			g.han[name] = e
		}
		g.hanMax = max(g.hanMax, len(r))
		return
	}
	ts := nameTokens(name)
	key := strings.Join(ts, " ")
	if len(ts) == 1 && unicode.IsLower(firstRune(name)) {
		g.lower[key] = true
	}
	if f := strings.Fields(name); len(f) > 1 && unicode.IsUpper(firstRune(f[len(f)-1])) {
		g.capLast[key] = true
	}
	if _, ok := g.byKey[key]; ok && !override {
		return
	}
	g.byKey[key] = e
	if len(ts) > g.maxWords {
		g.maxWords = len(ts)
	}
	if len(ts) > g.first[ts[0]] {
		g.first[ts[0]] = len(ts)
	}
	if e.typ != "org" {
		if sk := skeleton(name); len(sk) >= 4 {
			se, ok := g.skeleton[sk]
			if !ok || (override && se.e.id != e.id) {
				se = skelEntry{e: e}
			}
			if se.e.id == e.id && latinName(name) {
				se.latin = append(se.latin, nameLetters(name))
			}
			g.skeleton[sk] = se
		}
	}
}

// isShortCaps reports whether name is a short all-capital alias ("US",
// "NIS", "U.S.") that must match as written, not as a word ("us").
func isShortCaps(name string) bool {
	letters := 0
	for _, r := range name {
		if unicode.IsLetter(r) {
			letters++
			if !unicode.IsUpper(r) {
				return false
			}
		}
	}
	return letters > 0 && letters <= 4
}

// nameTokens normalises a name into comparable tokens: lower case, Latin
// accents and Arabic diacritics removed, Arabic letter variants folded,
// "'s" split off.
func nameTokens(s string) []string {
	var out []string
	for _, t := range tokenize(s) {
		w := foldName(t.low)
		if w == "" {
			continue
		}
		if strings.HasSuffix(w, "'s") || strings.HasSuffix(w, "’s") {
			out = append(out, strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s"), "'s")
			continue
		}
		out = append(out, w)
	}
	return out
}

func foldName(w string) string {
	if ascii(w) {
		return w // nothing to fold, and most words of most texts
	}
	w = norm.NFD.String(w)
	var b strings.Builder
	for _, r := range w {
		r, keep := arabic.FoldRune(r)
		switch {
		case !keep, unicode.Is(unicode.Mn, r): // accents, harakat, tatweel
		case r == '’':
			b.WriteRune('\'')
		default:
			b.WriteRune(r)
		}
	}
	return norm.NFC.String(b.String())
}

// arabicLatin transliterates Arabic letters to the Latin consonants a
// skeleton keeps; vowels and weak letters are dropped.
var arabicLatin = map[rune]string{
	'ب': "b", 'ت': "t", 'ث': "t", 'ج': "j", 'خ': "k", 'د': "d", 'ذ': "z", 'ر': "r", 'ز': "z", 'س': "s", 'ش': "s",
	'ص': "s", 'ض': "d", 'ط': "t", 'ظ': "z", 'غ': "j", 'ف': "f", 'ق': "k", 'ك': "k", 'ل': "l", 'م': "m", 'ن': "n",
	'پ': "b", 'چ': "j", 'ڤ': "f", 'گ': "j",
}

// skeleton reduces a name, in Latin or Arabic script, to consonants that
// survive transliteration: "Zelenskyy", "Zelenskiy" and "زيلينسكي" all
// become "zlnsk"; "Pyongyang" and "بيونج يانج" become "bnjnj".
func skeleton(name string) string {
	s := strings.ToLower(norm.NFD.String(name))
	var b strings.Builder
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		next := rune(0)
		if i+1 < len(rs) {
			next = rs[i+1]
		}
		var c string
		switch {
		case r >= 0x0600 && r <= 0x06FF:
			c = arabicLatin[r]
		case r == 'c' && next == 'h', r == 's' && next == 'h', r == 'k' && next == 'h', r == 'p' && next == 'h', r == 't' && next == 'h', r == 'z' && next == 'h':
			c = map[rune]string{'c': "s", 's': "s", 'k': "k", 'p': "f", 't': "t", 'z': "z"}[r]
			i++
		case r == 'c' || r == 'q' || r == 'k':
			c = "k"
		case r == 'g':
			c = "j"
		case r == 'p':
			c = "b"
		case r == 'v':
			c = "f"
		case r == 'x':
			c = "ks"
		case strings.ContainsRune("aeiouyhw", r):
		case r >= 'a' && r <= 'z':
			c = string(r)
		}
		if c != "" && !strings.HasSuffix(b.String(), c) {
			b.WriteString(c)
		}
	}
	return b.String()
}

// Resolve returns the entity a name names, if the gazetteer knows it by
// that name, or by a spelling or script with the same skeleton.
func (g *Gazetteer) Resolve(name string) (news.Mention, bool) {
	if e, ok := g.exact[strings.TrimSpace(name)]; ok {
		return news.Mention{Entity: e.id, Type: e.typ, Name: name, Canonical: e.canonical}, true
	}
	ts := nameTokens(name)
	if len(ts) > 0 && (ts[0] == "the" || ts[0] == "a") {
		ts = ts[1:]
	}
	if e, ok := g.byKey[strings.Join(ts, " ")]; ok {
		return news.Mention{Entity: e.id, Type: e.typ, Name: name, Canonical: e.canonical}, true
	}
	if sk := skeleton(name); len(sk) >= 5 {
		if se, ok := g.skeleton[sk]; ok && se.near(name) {
			return news.Mention{Entity: se.e.id, Type: se.e.typ, Name: name, Canonical: se.e.canonical}, true
		}
	}
	return news.Mention{}, false
}

// arabicClitics are letters glued to the front of an Arabic word.
var arabicClitics = []string{"و", "ب", "ل", "ف", "ك", "وب", "ول", "لل"}

// Mentions finds the names in text and resolves them. Known names are
// matched longest first; capitalised names the gazetteer does not know
// become entities of their own, keyed by their skeleton, so that spelling
// variants meet.
func (g *Gazetteer) Mentions(text string) []news.Mention { return g.MentionsLang(text, "") }

// MentionsLang is Mentions on a text in lang: a capitalised word alone
// that the language writes so without naming anyone is no name (its
// function words and the names of its days and months, and in German the
// nouns, known by the words before them and their endings: "die Krise",
// "im Jahr", "100 Menschen", "Regierung"); its titles are not part of a
// name; a country in one of its cases is the country ("w Polsce"). ""
// knows no language: English's titles only.
func (g *Gazetteer) MentionsLang(text, lang string) []news.Mention {
	ts := tokenize(text)
	keys := make([]string, len(ts))
	for i, t := range ts {
		keys[i] = foldName(t.low)
	}
	var out []news.Mention
	for i := 0; i < len(ts); {
		if r := firstRune(ts[i].s); cjk(r) {
			out = append(out, g.hanMentions(ts[i].s)...)
			i++
			continue
		}
		if e, n, ok := g.matchAt(ts, keys, i); ok {
			out = append(out, news.Mention{Entity: e.id, Type: e.typ, Name: text[ts[i].start:ts[i+n-1].end], Canonical: e.canonical})
			i += n
			continue
		}
		// An unknown capitalised name: "Omar Nasser", "Gurugram".
		if s, n := capitalisedRun(ts, i); n > 0 {
			// A relative day that opens the sentence is not part of the
			// name after it: "Wczoraj Andrzej Duda …", "Gestern Olaf
			// Scholz …".
			opens := s == 0 || strings.ContainsAny(ts[s-1].s, ".!?\n\"“:")
			if opens && n > 1 && lang != "" && leadWord(ts[s].low, lang) {
				s, n = s+1, n-1
			}
			if n > 1 && allTitles(ts[s:s+n], lang) {
				i = s + n // "Vice President": a title with no name
				continue
			}
			// Nor is a title: "President Trump" is Trump, "Prezydent
			// Andrzej Duda" Andrzej Duda; but a place or a body named
			// after someone keeps it ("Premier League", "Queen Elizabeth
			// Hospital", "King Abdulaziz Airport").
			if !institution[ts[s+n-1].low] {
				for n > 1 && isTitle(ts[s].low, lang) {
					s, n = s+1, n-1
				}
			}
			name := text[ts[s].start:ts[s+n-1].end]
			m, ok := g.Resolve(name)
			if !ok && n == 1 && lang != "" {
				if commonWord(ts, s, lang) {
					i = s + 1
					continue
				}
				// "w Polsce", "в России": a country in one of its cases.
				if e, found := g.inflectedName(name, lang); found {
					m, ok = news.Mention{Entity: e.id, Type: e.typ, Name: name, Canonical: e.canonical}, true
				}
			}
			if !ok && n > 1 && lang != "" {
				// A title or a preposition before a country in one of
				// its cases ("Ambasador Rosji", "W Australii"): the name
				// is the country.
				if _, found := g.inflectedName(ts[s+n-1].s, lang); found {
					i = s + n - 1
					continue
				}
			}
			if !ok {
				// A title before a known name ("President Volodymyr
				// Zelenskyy", "Secretary Sergei Shoigu"): the name is
				// what the run names.
				if j := g.knownTail(ts, keys, s, n); j > s {
					i = j
					continue
				}
			}
			if !ok {
				m = news.Mention{Entity: "name:" + slug(name), Type: "name", Name: name, Canonical: name}
			}
			out = append(out, m)
			i = s + n
			continue
		}
		i++
	}
	return out
}

func (g *Gazetteer) matchAt(ts []token, keys []string, i int) (entity, int, bool) {
	w := strings.TrimSuffix(keys[i], "'s")
	most := g.first[w]
	for _, c := range arabicClitics {
		if rest, ok := strings.CutPrefix(w, c); ok && g.first[rest] > most {
			most = g.first[rest]
		}
	}
	if r := firstRune(ts[i].s); unicode.IsUpper(r) && most < 4 {
		most = 4 // short all-capital aliases ("U.S.") span up to four tokens
	}
	// The keys of each span are built in one buffer: the map lookups with
	// string(buf) do not copy it.
	var arr [128]byte
	buf := arr[:0]
	// A one-word name in a script with capitals matches a capitalised
	// word (or a lower-case alias).
	oneLower := unicode.IsLower(firstRune(ts[i].s)) && !g.lower[strings.TrimSuffix(keys[i], "'s")]
	for n := min(most, len(ts)-i); n >= 1; n-- {
		if n == 1 && oneLower {
			break
		}
		buf = buf[:0]
		for k := 0; k < n; k++ {
			buf = append(buf, ts[i+k].s...)
		}
		if e, ok := g.exact[string(buf)]; ok && n <= 4 {
			return e, n, true
		}
		buf = buf[:0]
		for k := 0; k < n; k++ {
			if k > 0 {
				buf = append(buf, ' ')
			}
			w := keys[i+k]
			if base, ok := strings.CutSuffix(w, "'s"); ok {
				buf = append(append(buf, base...), " 's"...)
				continue
			}
			buf = append(buf, w...)
		}
		if e, ok := g.byKey[string(buf)]; ok && !(n > 1 && g.capLast[string(buf)] && unicode.IsLower(firstRune(ts[i+n-1].s))) {
			return e, n, true // but "la réunion" ("the meeting") is not La Réunion
		}
		// "Russia's Kursk" names Russia: try without the possessive.
		if len(buf) > 3 && string(buf[len(buf)-3:]) == " 's" {
			if e, ok := g.byKey[string(buf[:len(buf)-3])]; ok {
				return e, n, true
			}
		}
		// Arabic clitics: "وموسكو", "لروسيا", "بكورسك"
		for _, c := range arabicClitics {
			if len(buf) > len(c)+3 && string(buf[:len(c)]) == c {
				if e, ok := g.byKey[string(buf[len(c):])]; ok {
					return e, n, true
				}
			}
		}
	}
	return entity{}, 0, false
}

// knownTail returns where, inside the capitalised run of n tokens at s, a
// name the gazetteer knows begins and runs to the end of the run; s when
// none does.
func (g *Gazetteer) knownTail(ts []token, keys []string, s, n int) int {
	for j := s + 1; j < s+n; j++ {
		if _, k, ok := g.matchAt(ts, keys, j); ok && j+k == s+n {
			return j
		}
	}
	return s
}

// capitalisedRun returns where a run of capitalised words at i that looks
// like a name starts, and its length (0 when there is none): not a lone
// sentence-initial word, not a month or a weekday.
func capitalisedRun(ts []token, i int) (start, n int) {
	for i+n < len(ts) && n < 5 {
		t := ts[i+n]
		r := firstRune(t.s)
		if !unicode.IsUpper(r) || !unicode.IsLetter(r) || calendarWord[t.low] {
			break
		}
		n++
	}
	if n == 0 {
		return i, 0
	}
	sentenceStart := i == 0 || strings.ContainsAny(ts[i-1].s, ".!?\n\"“:")
	if sentenceStart && commonCapital[ts[i].low] {
		if n == 1 {
			return i, 0
		}
		s, m := capitalisedRun(ts, i+1)
		return s, min(m, n-1)
	}
	if n == 1 && (sentenceStart || len(ts[i].s) < 3) {
		return i, 0
	}
	return i, n
}

// calendarWord are capitalised words that are not names.
var calendarWord = func() map[string]bool {
	m := map[string]bool{"monday": true, "tuesday": true, "wednesday": true, "thursday": true, "friday": true, "saturday": true, "sunday": true}
	for mo := time.January; mo <= time.December; mo++ {
		m[strings.ToLower(tok.MonthForms("en", mo)[0])] = true // the name, not "Jan"
	}
	return m
}()

// commonCapital are sentence-opening words that are not part of a name.
var commonCapital = map[string]bool{"the": true, "a": true, "in": true, "on": true, "at": true, "but": true, "and": true,
	"as": true, "while": true, "after": true, "during": true, "although": true, "since": true, "meanwhile": true, "if": true,
	"it": true, "this": true, "that": true, "north": false}

func slug(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(norm.NFD.String(s)) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		case unicode.Is(unicode.Mn, r):
		default:
			if b.Len() > 0 && !strings.HasSuffix(b.String(), "-") {
				b.WriteByte('-')
			}
		}
	}
	return strings.Trim(b.String(), "-")
}

// cjk reports whether r is written in a script without spaces between
// words: Chinese characters or Japanese kana.
func cjk(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana)
}

// katakana reports whether r is written in katakana, the prolonged sound
// mark "ー" included.
func katakana(r rune) bool { return unicode.Is(unicode.Katakana, r) || r == 'ー' }

// hanMentions finds known names inside a run of Chinese or Japanese text,
// longest first.
func (g *Gazetteer) hanMentions(s string) []news.Mention {
	var out []news.Mention
	rs := []rune(s)
	for i := 0; i < len(rs); {
		found := false
		// A name in katakana is a word of its own: "タイ" (Thailand) is
		// not inside "ネクタイ" (a necktie) or "タイヤ" (a tyre).
		kana := katakana(rs[i])
		for n := min(g.hanMax, len(rs)-i); n >= 2 && !(kana && i > 0 && katakana(rs[i-1])); n-- {
			if kana && i+n < len(rs) && katakana(rs[i+n]) {
				continue
			}
			if e, ok := g.han[string(rs[i:i+n])]; ok {
				if e.typ != "none" {
					out = append(out, news.Mention{Entity: e.id, Type: e.typ, Name: string(rs[i : i+n]), Canonical: e.canonical})
				}
				i += n
				found = true
				break
			}
		}
		if !found {
			i++
		}
	}
	return out
}

// ascii reports whether s is all ASCII.
func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// skelEntry is the entity a consonant skeleton stands for, with the names
// in Latin script it was made from (as letters only, folded).
type skelEntry struct {
	e     entity
	latin []string
}

// near reports whether a name with this skeleton may be taken for the
// entity. A skeleton carries a name across scripts and spellings
// ("Zelenskiy", "زيلينسكي"), but two Latin names share one by chance as
// often as by descent ("Wisconsin" and "Ascension", "Columbine" and
// "Colombia", "Broncos" and "Francja"): a name in Latin script must also
// be within a few edits of one of the entity's Latin names, as an
// inflection or a misspelling is ("Australian", "Francji", "Turmp").
func (se skelEntry) near(name string) bool {
	if !latinName(name) {
		return true
	}
	w := nameLetters(name)
	for _, l := range se.latin {
		n := max(utf8.RuneCountInString(w), utf8.RuneCountInString(l))
		if editDistance(w, l) <= max(1, n/5) {
			return true
		}
	}
	return false
}

// latinName reports whether the letters of name are all Latin.
func latinName(name string) bool {
	seen := false
	for _, r := range name {
		if unicode.IsLetter(r) {
			if !unicode.Is(unicode.Latin, r) {
				return false
			}
			seen = true
		}
	}
	return seen
}

// nameLetters returns the letters of name, lower case, accents removed:
// "Hong  Kong" and "Hongkong" are both "hongkong".
func nameLetters(name string) string {
	var b strings.Builder
	for _, r := range foldName(strings.ToLower(name)) {
		if unicode.IsLetter(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// editDistance is the optimal string alignment distance between a and b,
// in runes: insertions, deletions, substitutions and transpositions of two
// neighbours each count one.
func editDistance(a, b string) int {
	x, y := []rune(a), []rune(b)
	d := make([][]int, len(x)+1)
	for i := range d {
		d[i] = make([]int, len(y)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(x); i++ {
		for j := 1; j <= len(y); j++ {
			cost := 1
			if x[i-1] == y[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && x[i-1] == y[j-2] && x[i-2] == y[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(x)][len(y)]
}

// commonWord reports whether the capitalised word ts[i], alone, is a word
// of lang rather than a name: a function word ("Sie", a "The" that opens a
// headline's second line), a day or a month of the language, or a German
// noun (nounCaps): after an article or a number, or with the ending of a
// common noun.
func commonWord(ts []token, i int, lang string) bool {
	if acronym(ts, i) {
		return false // "WHO", "die CDU"
	}
	w := ts[i].low
	if functionWord(w, lang) {
		return true
	}
	lx := lexiconFor(lang)
	if !lx.nounCaps || innerCapital(ts[i].s) {
		return false // "die McLaren-Gruppe"
	}
	if i+1 < len(ts) && (ts[i+1].s == "-" || ts[i+1].s == "–") {
		return false // "die Wagner-Gruppe": the article is the compound's
	}
	for _, e := range lx.nounEndings {
		if len(w) > len(e)+2 && strings.HasSuffix(w, e) {
			return true
		}
	}
	if i == 0 {
		return false
	}
	p := ts[i-1]
	if (p.s == "-" || p.s == "–") && i >= 2 {
		p = ts[i-2] // "der 31-Jährige"
	}
	return lx.nounBefore[p.low] || unicode.IsDigit(firstRune(p.s))
}

// functionWord reports whether w (lower case) is a function word of lang
// (its own: Malay "yang" is a Chinese surname in English), or a day or a
// month of lang.
func functionWord(w, lang string) bool {
	if tok.StopWord(w, lang) {
		return true
	}
	if _, ok := tok.Weekday(w, lang); ok {
		return true
	}
	if _, ok := tok.Month(w, lang); ok {
		return true
	}
	return leadWord(w, lang)
}

// leadWord reports whether w (lower case) is a relative day of lang
// ("Wczoraj", "Gestern"): a word that opens a sentence before a name and
// is never part of one. Articles are ("Las Vegas", "Die Linke", "Al
// Jazeera"), and so are days and months ("Julio Iglesias", "Domingo
// Cavallo", "Kasım Gülpınar").
func leadWord(w, lang string) bool {
	_, ok := tok.RelativeDay(w, lang)
	return ok
}

func wordSet(ws []string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}

// acronym reports whether ts[i] is written in capitals, as an acronym is,
// in text that is not: a headline in capitals has no acronyms to tell.
func acronym(ts []token, i int) bool {
	caps := func(s string) bool {
		n := 0
		for _, r := range s {
			if unicode.IsLower(r) {
				return false
			}
			if unicode.IsUpper(r) {
				n++
			}
		}
		return n >= 2
	}
	if !caps(ts[i].s) {
		return false
	}
	return (i == 0 || !caps(ts[i-1].s)) && (i+1 == len(ts) || !caps(ts[i+1].s))
}

// innerCapital reports whether a capital follows the first letter of s.
func innerCapital(s string) bool {
	for j, r := range s {
		if j > 0 && unicode.IsUpper(r) {
			return true
		}
	}
	return false
}

// caseStems returns the stems a one-word name may have in lang's cases:
// lower case, without each case ending it ends with, and for Polish with
// the consonant an ending softens restored ("Polsce" → "polsk", like
// "Polska"; "Kanadzie" → "kanad"; "Niemczech" → "niemc", like "Niemcy";
// "Włoszech" → "włoch"); none when lang has no case endings or the name is
// more than one word. No stem is shorter than three letters.
func caseStems(name, lang string) []string {
	lx := lexiconFor(lang)
	if len(lx.caseEndings) == 0 || strings.ContainsAny(name, " -") {
		return nil
	}
	w := strings.ToLower(name)
	var out []string
	add := func(st string) {
		if utf8.RuneCountInString(st) >= 3 && !slices.Contains(out, st) {
			out = append(out, st)
		}
	}
	add(w)
	for _, e := range lx.caseEndings {
		rest, ok := strings.CutSuffix(w, e)
		if !ok {
			continue
		}
		add(rest)
		if lang == "pl" {
			for _, soft := range [][2]string{{"sc", "sk"}, {"dz", "d"}, {"dz", "g"}, {"cz", "c"}, {"sz", "ch"}} {
				if r, ok := strings.CutSuffix(rest, soft[0]); ok {
					add(r + soft[1])
				}
			}
		}
	}
	return out
}

// addCaseStems lets a curated one-word alias be found in the cases of the
// languages with case endings that write its script ("Путина", "в Москве",
// "Trumpa"), as CLDR's country names are; a stem CLDR gave a country
// stays the country's.
func (g *Gazetteer) addCaseStems(alias string, e entity) {
	alias = strings.TrimSpace(alias)
	// An acronym takes no case endings, and a short name's stems ("Kim",
	// "Gaza" → "gaz") are other words' too ("Kimi", "Gaz-System").
	if isShortCaps(alias) || utf8.RuneCountInString(alias) < 4 {
		return
	}
	r, _ := utf8.DecodeRuneInString(alias)
	var langs []string
	switch {
	case unicode.Is(unicode.Cyrillic, r):
		langs = []string{"ru", "uk"}
	case unicode.Is(unicode.Latin, r):
		langs = []string{"pl"}
	}
	for _, l := range langs {
		g.addInflected(alias, l, e, 4)
	}
}

// addInflected files the stems of name in lang's cases (caseStems) of at
// least minLen letters under e, unless an earlier name has them.
func (g *Gazetteer) addInflected(name, lang string, e entity, minLen int) {
	for _, stem := range caseStems(name, lang) {
		if utf8.RuneCountInString(stem) < minLen {
			continue
		}
		if _, ok := g.inflected[lang+":"+stem]; !ok {
			g.inflected[lang+":"+stem] = e
		}
	}
}

// inflectedName returns the entity a one-word name in one of lang's
// cases names: a country, or a curated name (addCaseStems).
func (g *Gazetteer) inflectedName(name, lang string) (entity, bool) {
	for _, st := range caseStems(name, lang) {
		if e, ok := g.inflected[lang+":"+st]; ok {
			return e, true
		}
	}
	return entity{}, false
}

// englishTitles are the words of a title or an office before a name in
// English; the other languages' are their lexicon's titles.
const englishTitles = `president vice prime minister chancellor senator sen rep representative governor gov mayor
	colonel col captain capt lieutenant lt sergeant sgt admiral adm commander king queen pope sheikh emir sultan
	dr mr mrs ms miss sir dame secretary ambassador chairman chairwoman coach pastor rev reverend cardinal
	archbishop rabbi imam detective sheriff inspector professor prof premier spokesman spokeswoman spokesperson
	former late`

// allTitles reports whether every word of ts is a title word.
func allTitles(ts []token, lang string) bool {
	for _, t := range ts {
		if !isTitle(t.low, lang) {
			return false
		}
	}
	return true
}

// institution are the last words of a name that is a place or a body
// named after someone, not the person.
var institution = wordSet(strings.Fields(`hospital airport stadium university college school street road avenue square
	bridge park hall center centre foundation institute trophy cup prize award league island islands mosque church
	cathedral palace museum airways airlines bank`))

// isTitle reports whether w (lower case) is a title word of lang or of
// English: "regina" is a title in Italian, Regina a name in English.
func isTitle(w, lang string) bool {
	return nameTitles()[""][w] || nameTitles()[lang][w]
}

// nameTitles are the title words of each language, lower case, English's
// under "".
var nameTitles = sync.OnceValue(func() map[string]map[string]bool {
	m := map[string]map[string]bool{"": wordSet(strings.Fields(englishTitles))}
	for lang, w := range figureWords {
		if w.titles != "" {
			m[lang] = wordSet(strings.Split(w.titles, "|"))
		}
	}
	return m
})
