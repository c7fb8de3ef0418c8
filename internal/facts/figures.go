package facts

import (
	"math"
	"sort"
	"strings"
	"unicode"

	"dossier/internal/arabic"
)

// Figure is a quantity an article states about the world, with what it
// counts and whom the article says it comes from.
type Figure struct {
	Quantity
	// Kind is what happened to what is counted: killed, injured, captured,
	// deployed, to be sent, casualties, arrested, displaced, missing,
	// rescued, infected, recovered, protesting, on strike, laid off,
	// size, rate.
	Kind string
	// Subject is what is counted, as the article words it.
	Subject string
	// AttributedTo is the source the article gives, or "".
	AttributedTo string
	Sentence     string
	// SentenceStart is the byte offset of the sentence in the text.
	SentenceStart int
}

// kinds maps cue words (lower case, Arabic without diacritics) to a kind.
// Multi-word cues are matched as sequences.
var kinds = []kindCue{
	{[]string{"lost", "their", "lives"}, "killed"}, {[]string{"death", "toll"}, "killed"},
	{[]string{"killed"}, "killed"}, {[]string{"died"}, "killed"}, {[]string{"dead"}, "killed"}, {[]string{"deaths"}, "killed"},
	{[]string{"fatalities"}, "killed"}, {[]string{"قتل"}, "killed"}, {[]string{"مقتل"}, "killed"}, {[]string{"قتلى"}, "killed"},
	{[]string{"لقوا", "حتفهم"}, "killed"}, {[]string{"توفي"}, "killed"}, {[]string{"وفاة"}, "killed"},
	{[]string{"injured"}, "injured"}, {[]string{"wounded"}, "injured"}, {[]string{"injuries"}, "injured"}, {[]string{"hurt"}, "injured"},
	{[]string{"اصيب"}, "injured"}, {[]string{"اصيبوا"}, "injured"}, {[]string{"جرحى"}, "injured"}, {[]string{"جريح"}, "injured"}, {[]string{"مصاب"}, "injured"},
	{[]string{"captured"}, "captured"}, {[]string{"taken", "prisoner"}, "captured"}, {[]string{"اسر"}, "captured"}, {[]string{"اسرى"}, "captured"},
	{[]string{"casualties"}, "casualties"}, {[]string{"خسائر"}, "casualties"},
	{[]string{"will", "send"}, "to be sent"}, {[]string{"will", "dispatch"}, "to be sent"}, {[]string{"will", "deploy"}, "to be sent"},
	{[]string{"to", "send"}, "to be sent"}, {[]string{"to", "dispatch"}, "to be sent"}, {[]string{"to", "be", "sent"}, "to be sent"},
	{[]string{"سترسل"}, "to be sent"}, {[]string{"سيرسل"}, "to be sent"}, {[]string{"لارسال"}, "to be sent"},
	{[]string{"deployed"}, "deployed"}, {[]string{"sent"}, "deployed"}, {[]string{"dispatched"}, "deployed"}, {[]string{"stationed"}, "deployed"},
	{[]string{"نشرت"}, "deployed"}, {[]string{"نشر"}, "deployed"}, {[]string{"ارسلت"}, "deployed"}, {[]string{"ارسل"}, "deployed"},
	{[]string{"arrested"}, "arrested"}, {[]string{"detained"}, "arrested"}, {[]string{"اعتقال"}, "arrested"},
	{[]string{"displaced"}, "displaced"}, {[]string{"evacuated"}, "displaced"}, {[]string{"نزوح"}, "displaced"},
	{[]string{"walked", "out"}, "on strike"}, {[]string{"on", "strike"}, "on strike"}, {[]string{"striking"}, "on strike"},
	{[]string{"strikers"}, "on strike"}, {[]string{"joined", "the", "strike"}, "on strike"}, {[]string{"مضربين"}, "on strike"}, {[]string{"اضراب"}, "on strike"},
	{[]string{"protesters"}, "protesting"}, {[]string{"demonstrators"}, "protesting"}, {[]string{"protested"}, "protesting"},
	{[]string{"متظاهرين"}, "protesting"}, {[]string{"محتجين"}, "protesting"},
	{[]string{"missing"}, "missing"}, {[]string{"مفقودين"}, "missing"}, {[]string{"rescued"}, "rescued"},
	{[]string{"laid", "off"}, "laid off"}, {[]string{"job", "cuts"}, "laid off"}, {[]string{"infected"}, "infected"},
	{[]string{"active", "soldiers"}, "size"}, {[]string{"active", "troops"}, "size"}, {[]string{"active", "personnel"}, "size"},
	{[]string{"troops", "strong"}, "size"},
}

// rateCues make a percentage a rate figure.
var rateCues = map[string]bool{"tariff": true, "tariffs": true, "tax": true, "duty": true, "duties": true, "levy": true, "levies": true,
	"rate": true, "inflation": true, "interest": true, "unemployment": true, "رسوم": true, "ضريبة": true, "التضخم": true}

// measures are units after a number that make it a measure, not a count
// of people or things: "killed 60 metres from the gate", "a 5.2 quake".
var measures = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`
		mile miles km kilometre kilometres kilometer kilometers metre metres meter meters m
		foot feet ft yard yards inch inches cm mm
		second seconds minute minutes hour hours day days week weeks month months year years decade decades
		am pm a.m. p.m. gmt utc
		degree degrees magnitude times points point games acres acre hectares hectare
		كيلومتر كيلومترا كلم متر مترا ساعة ساعات دقيقة دقائق يوم يوما ايام اسبوع شهر اشهر سنة سنوات عام اعوام عاما`) {
		m[arabic.Fold(w)] = true
	}
	return m
}()

// weights, like money, count what is sent ("20 tonnes of aid"), never
// people.
var weights = map[string]bool{"ton": true, "tons": true, "tonne": true, "tonnes": true, "kg": true, "kilogram": true,
	"kilograms": true, "lb": true, "lbs": true, "طن": true, "اطنان": true}

// moneyWords are currencies written as words. An amount of money counts
// what is sent or deployed (aid), never people killed, injured or
// arrested; currencies holds the signs and codes.
var moneyWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`dollar dollars euro euros pound pounds sterling yuan yen
		rupees ruble rubles rouble roubles lira liras دولار دولارا يورو جنيه ريال درهم دينار ليرة`) {
		m[arabic.Fold(w)] = true
	}
	return m
}()

// countsThings reports whether q can count what a figure of kind counts: a
// whole number with no unit of measure after it, nor money or a weight
// unless what is counted is sent.
func countsThings(q Quantity, kind string, lx *lexicon) bool {
	if q.Value != math.Trunc(q.Value) {
		return false // a fraction ("4.1 million" is read whole: whole)
	}
	u := arabic.Fold(strings.ToLower(q.Unit))
	sent := kind == "to be sent" || kind == "deployed"
	return !lx.measures[u] && (sent || !lx.money[u] && currencies[u] == "" && !weights[u])
}

// people are the kinds that count only people; things are nouns that a
// count of them cannot be of (a place, a building, a vehicle, an
// incident), so "21 cities" near "protesters" is not a count of
// protesters. Captured, deployed, missing and rescued can count towns,
// ships and tanks.
var (
	people = map[string]bool{"killed": true, "injured": true, "arrested": true, "casualties": true, "protesting": true,
		"on strike": true, "laid off": true, "displaced": true, "infected": true, "recovered": true}
	things = func() map[string]bool {
		m := map[string]bool{}
		for _, w := range strings.Fields(`house houses home homes building buildings apartment apartments shop shops
			car cars vehicle vehicles bus buses truck trucks plane planes ship ships boat boats
			city cities town towns village villages province provinces state states country countries district districts
			school schools hospital hospitals church churches mosque mosques street streets road roads bridge bridges
			attack attacks shooting shootings incident incidents accident accidents crash crashes explosion explosions
			fire fires blast blasts raid raids strike strikes protest protests rally rallies demonstration demonstrations
			march marches tent tents event events location locations
			منزل منازل مبنى مباني بيت بيوت سيارة سيارات مدينة مدن قرية قرى محافظة محافظات مدرسة مدارس مستشفى مستشفيات هجوم هجمات حادث حوادث`) {
			m[arabic.Fold(w)] = true
		}
		return m
	}()
)

// infections are counts of the ill, never of the dead, near a cue of
// death ("4 إصابات جديدة ووفاة واحدة": four new infections and one death).
var infections = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields("case cases infection infections إصابة إصابات اصابة اصابات") {
		m[arabic.Fold(w)] = true
	}
	return m
}()

// headWord returns the noun a subject is about: its last word, or in
// Arabic, whose noun comes first ("حوادث سير", traffic accidents), its
// first.
func headWord(s string) string {
	f := strings.Fields(s)
	if len(f) == 0 {
		return ""
	}
	if arabic.Has(f[0]) {
		return f[0]
	}
	return f[len(f)-1]
}

// definite words before a number make it a reference to a count already
// given ("the two captured soldiers"), not a new figure.
var definite = map[string]bool{"the": true, "these": true, "those": true, "its": true, "their": true, "his": true, "her": true, "both": true}

const window = 8

// Figures finds the figures of an article in English or Arabic.
func Figures(text string) []Figure { return FiguresLang(text, "") }

// FiguresLang finds the figures of an article in language lang (a code
// such as "de"; English and Arabic cues are read in every language).
func FiguresLang(text, lang string) []Figure {
	lx := lexiconFor(lang)
	var out []Figure
	for _, s := range Sentences(text) {
		out = append(out, sentenceFigures(s, lx)...)
	}
	return out
}

// sentenceFigures finds the figures of one sentence; offsets are in the
// text the sentence comes from.
func sentenceFigures(s Sentence, lx *lexicon) []Figure {
	var out []Figure
	ts := tokenize(s.Text)
	if lx.cjk != nil {
		return cjkSentenceFigures(s, ts, lx)
	}
	norm := make([]string, len(ts))
	for i, t := range ts {
		norm[i] = stripArabic(t.low)
	}
	attrs := attributions(s.Text, ts, norm)
	if lx.own {
		attrs = append(attrs, lx.sources(s.Text, ts)...)
	}
	prevSubject := ""
	for _, q := range quantities(s.Text, ts, lx) {
		if q.Approximate || (q.Spelled && q.Value == 1 && !q.IsRange) {
			continue
		}
		qi, qe := tokenIndex(ts, q.Start), tokenIndex(ts, q.End-1)+1
		if qi > 0 && lx.definite[ts[qi-1].low] {
			continue
		}
		if describes(s.Text, ts, qi, q, lx) {
			continue
		}
		kind := kindOf(norm, qi, qe, q, lx)
		if kind == "" || kind != "rate" && !countsThings(q, kind, lx) {
			continue
		}
		subj := subjectAfter(ts, qe, lx)
		head := arabic.Fold(strings.ToLower(headWord(subj)))
		if people[kind] && (lx.things[head] || lx.own && lx.anyThing(subj)) {
			continue // "500 houses were damaged and 10 people injured": 500 is no count of the injured
		}
		if kind == "killed" && lx.cases[head] {
			continue // "3,248 cases, including 584 deaths": 3,248 is no toll
		}
		if subj == "" && qe < len(ts) && lx.protest[norm[qe]] {
			subj = ts[qe].s // "300 protesters gathered": who is counted is the cue
		}
		if subj == "" {
			subj = prevSubject
		}
		prevSubject = subj
		out = append(out, newFigure(s, q, kind, subj, attrs))
	}
	return out
}

// newFigure makes the figure of quantity q of sentence s, with the source
// of attrs nearest to it; offsets become offsets in s's text.
func newFigure(s Sentence, q Quantity, kind, subj string, attrs []attribution) Figure {
	f := Figure{Quantity: q, Kind: kind, Subject: subj, Sentence: strings.TrimSpace(s.Text), SentenceStart: s.Start}
	f.AttributedTo = nearest(attrs, q)
	f.Start += s.Start
	f.End += s.Start
	return f
}

// describes reports a number that describes something rather than counts
// it, so that near a cue it is not the count of the cue's kind: a record
// or a score ("a 1-6-2 skid", "lost 3-2"); a number joined by a hyphen to
// the word after it ("a 59-year-old woman was killed", "a .45-caliber
// bullet", "a 12-storey building"; "20-odd", "300-strong" and "a
// 7-member team" are counts); and an age ("aged 59", "59 years old",
// "died at 90", "Lopez, 20, was killed").
func describes(text string, ts []token, qi int, q Quantity, lx *lexicon) bool {
	rest := text[q.End:]
	// "a 1-6-2 skid", "lost 3-2": a record or a score, not a count or a
	// range (a range rises).
	if q.IsRange && q.Low >= q.High || hyphenDigit(rest) || q.Start >= 2 && text[q.Start-1] == '-' && isDigitByte(text[q.Start-2]) {
		return true
	}
	// The hyphen touches the number: "killed 12 - most of them women" is
	// a count and a dash.
	if r, ok := strings.CutPrefix(rest, "-"); ok {
		if w := strings.ToLower(leadingWord(r)); w != "" && !countSuffix[w] {
			return true
		}
	}
	// Some corpora space every hyphen ("a 12 - gauge shotgun", "59 - year
	// - old"): a spaced hyphen joins a number to a modifier it names.
	if r, ok := strings.CutPrefix(rest, " - "); ok && spacedModifier[strings.ToLower(leadingWord(r))] {
		return true
	}
	if qi > 0 && ts[qi-1].low == "aged" {
		return true
	}
	// "was 94 when he died": an age.
	if qi > 0 && (ts[qi-1].low == "was" || ts[qi-1].low == "is") {
		if f := strings.Fields(strings.ToLower(rest)); len(f) >= 2 && f[0] == "when" && (f[1] == "he" || f[1] == "she") {
			return true
		}
	}
	// "Douglas Rojas (24)", "casos positivos (5.637) y", "Śląskie (161),":
	// a number alone in brackets after a word, with no noun after the
	// bracket, is an aside about that word (an age, a count of another
	// kind), not the count of a cue nearby; "arrested (12) suspects",
	// "مقتل (15) شخصا" are counts.
	if qi >= 2 && ts[qi-1].s == "(" && unicode.IsLetter(firstRune(ts[qi-2].s)) && strings.HasPrefix(rest, ")") && !q.Spelled {
		after := strings.TrimLeft(rest[1:], " ")
		w := strings.ToLower(leadingWord(after))
		if w == "" || subjectStop[w] || lx.stop[w] {
			return true
		}
	}
	// "died at 90", "dead at 77", "at the age of 52"
	if qi >= 2 && ts[qi-1].low == "at" && (ts[qi-2].low == "died" || ts[qi-2].low == "dead") {
		return true
	}
	if qi >= 3 && ts[qi-1].low == "of" && ts[qi-2].low == "age" {
		return true
	}
	// "Andrew Lopez, 20, and Jonathan Carrasquillo, 24", "the gunman, 20,
	// killed": an age in apposition, between commas after a word, or
	// before "and" and the next name. Not after a day or a month ("On
	// Monday, 12, …").
	if qi >= 2 && ts[qi-1].s == "," && unicode.IsLetter(firstRune(ts[qi-2].s)) && !q.Spelled && !dayWords[ts[qi-2].low] {
		after := strings.TrimLeft(rest, " ")
		if strings.HasPrefix(after, ",") && !startsWithNumber(strings.TrimLeft(after[1:], " ")) || strings.HasPrefix(after, ")") ||
			unicode.IsUpper(firstRune(ts[qi-2].s)) && strings.HasPrefix(after, "and ") && unicode.IsUpper(firstRune(after[4:])) {
			return true
		}
	}
	f := strings.Fields(strings.ToLower(rest))
	return len(f) >= 2 && (f[0] == "years" || f[0] == "year") && strings.TrimRight(f[1], ",.;") == "old"
}

// spacedModifier are the words a number joined by a spaced hyphen
// describes; after others the hyphen is a dash ("killed 12 - most of
// them women").
var spacedModifier = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`year years month months week weeks day days hour hours minute minutes
		gauge caliber calibre magnitude strength storey story yard foot mile metre meter inch point handed time`) {
		m[w] = true
	}
	return m
}()

// dayWords are the weekdays and months: a number after one and a comma
// is no age ("On Monday, 12 were killed").
var dayWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields("monday tuesday wednesday thursday friday saturday sunday") {
		m[w] = true
	}
	for w := range monthWords {
		m[w] = true
	}
	return m
}()

// timeWords end a subject: "arrested six people Monday", "وفاة 28
// اليوم الأربعاء" (28 deaths today, Wednesday).
var timeWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`today yesterday tonight overnight
		اليوم أمس الليلة الأحد الاثنين الإثنين الثلاثاء الأربعاء الخميس الجمعة السبت`) {
		m[arabic.Fold(w)] = true
	}
	return m
}()

// timeWord reports whether w (lower case) is a day, a month or a time word.
func timeWord(w string) bool { return dayWords[w] || timeWords[arabic.Fold(w)] }

// startsWithNumber reports whether s starts with a digit.
func startsWithNumber(s string) bool { return s != "" && isDigitByte(s[0]) }

// hyphenDigit reports whether s starts with a hyphen and a digit.
func hyphenDigit(s string) bool { return len(s) >= 2 && s[0] == '-' && isDigitByte(s[1]) }

func isDigitByte(b byte) bool { return '0' <= b && b <= '9' }

// countSuffix are the words after a hyphen that leave a number a count.
var countSuffix = map[string]bool{"odd": true, "strong": true, "plus": true, "some": true, "man": true, "men": true,
	"member": true, "members": true, "person": true, "people": true, "troop": true, "soldier": true,
	"officer": true, "vehicle": true, "ship": true}

// leadingWord returns the letters at the start of s.
func leadingWord(s string) string {
	for i, r := range s {
		if !unicode.IsLetter(r) {
			return s[:i]
		}
	}
	return s
}

// tokenIndex returns the index of the token holding byte off (the last
// token when none does). Tokens are in order, so it searches by halves.
func tokenIndex(ts []token, off int) int {
	i := sort.Search(len(ts), func(i int) bool { return ts[i].end > off })
	if i < len(ts) && off >= ts[i].start {
		return i
	}
	return len(ts) - 1
}

// stripArabic removes diacritics and the conjunctions و and ف glued to a
// word, and folds alef forms, so that "وأصيب" matches "اصيب".
func stripArabic(w string) string {
	if !arabic.Has(w) {
		return w
	}
	s := arabic.Fold(w)
	for _, p := range []string{"و", "ف"} {
		if rest, ok := strings.CutPrefix(s, p); ok && len([]rune(rest)) >= 3 {
			if _, known := arabicCue[rest]; known {
				return rest
			}
		}
	}
	return s
}

var arabicCue = func() map[string]bool {
	m := map[string]bool{}
	for i, k := range kinds {
		for j, w := range k.cue {
			kinds[i].cue[j] = arabic.Fold(w) // compared with folded words
		}
		m[kinds[i].cue[0]] = true
	}
	for _, table := range []map[string]bool{arabicAccording, arabicSay} {
		for w := range table {
			table[arabic.Fold(w)] = true
		}
	}
	return m
}()

// kindOf finds the nearest kind cue around the quantity tokens [qi, qe).
func kindOf(norm []string, qi, qe int, q Quantity, lx *lexicon) string {
	if q.Unit == "percent" {
		for j := max(0, qi-window); j < min(len(norm), qe+window); j++ {
			if lx.rate[norm[j]] {
				return "rate"
			}
		}
		return ""
	}
	best, bestDist := "", window+1
	// verb: the nearest cue that is not a noun of protest, for "106
	// protesters … have been killed", "arrested 300 protesters".
	verb, verbDist := "", window+1
	// A number with a noun of its own after it does not take a cue that
	// another number stands right before ("12,759 sick and 363 dead");
	// one without may ("12 and on Tuesday 8 were killed"), and a cue
	// further on is shared ("12 soldiers and 3 civilians were killed").
	ownNoun := qe < len(norm) && unicode.IsLetter(firstRune(norm[qe])) && !lx.cue[norm[qe]] && !subjectStop[norm[qe]] && !lx.stop[norm[qe]]
	hq := qi - hedgeLen(norm, qi, lx)
	// A bullet ends what a cue can reach: "* 15 dead * 100 fires burning".
	lo, hi := max(0, qi-window), min(len(norm), qe+window)
	for j := qi - 1; j >= lo; j-- {
		if bullet[norm[j]] {
			lo = j + 1
			break
		}
	}
	for j := qe; j < hi; j++ {
		if bullet[norm[j]] {
			hi = j
			break
		}
	}
	for _, k := range lx.kinds {
		n := len(k.cue)
		for j := lo; j+n <= hi; j++ {
			if j+n > qi && j < qe {
				continue
			}
			match := true
			for m, w := range k.cue {
				if norm[j+m] != w {
					match = false
					break
				}
			}
			if !match {
				continue
			}
			// The hedge before the number is part of it: "Погибли не менее
			// 12 человек, ранены около 40" has the toll's cue next to it.
			d := max(0, hq-(j+n))
			if j >= qe {
				d = j - qe
				if ownNoun && j > qe && (isDigitString(norm[j-1]) || j-2 > qe && isDigitString(norm[j-2]) && norm[j-1] == norm[qe]) {
					continue // "12,759 sick and 363 dead", "60.000 حالة … و 5387 حالة وفاة": the cue is the other number's
				}
			}
			// A cue in the number's own clause comes before one past a
			// comma or, before the number, a conjunction, in the languages
			// with words of their own.
			if lx.own && (!sameClause(norm, qe, j, qi) || j < qi && lx.conjIn(norm[j+n:qi])) {
				d += window
			}
			// In English, a cue before "and" does not reach a number that
			// opens a clause of its own: "a worker died … and over 1,000
			// employees fell sick", "killed three people and left 2,000
			// homes without power" (but "killed 3 soldiers and 2
			// civilians" shares it).
			if lx.english && j < qi && lx.conjIn(norm[j+n:qi]) && ownClause(norm, j+n, qi, qe, lx) {
				d += window
			}
			if d < bestDist || (d == bestDist && j >= qe && best != "") {
				best, bestDist = k.kind, d
			}
			if !lx.protest[norm[j]] && d < verbDist && sameClause(norm, qe, j, qi) && !(lx.english && j < qi && lx.conjIn(norm[j+n:qi])) {
				verb, verbDist = k.kind, d // not across "and": "5 were killed and 300 protesters gathered"
			}
		}
	}
	// The number counts protesters (the noun right after it), and what
	// happened to them is the other cue: "300 protesters were arrested"
	// is an arrest figure.
	if qe < len(norm) && lx.protest[norm[qe]] && verb != "" {
		return verb
	}
	return best
}

// ownClause reports whether the number at [qi, qe) has a verb of its own
// after the conjunction that follows the cue ending at from: before it
// ("and left 2,000 homes", "and sickened 40") or after the words that
// follow it ("and over 1,000 employees fell sick"). After the number only
// an auxiliary, an irregular past or a cue counts, up to a preposition or
// a relative pronoun: "2 civilians suspected of …", "3 residents trapped
// inside", "2 civilians who were passing by" still share the verb.
func ownClause(norm []string, from, qi, qe int, lx *lexicon) bool {
	c := from
	for c < qi && !lx.conj[norm[c]] {
		c++
	}
	for _, w := range norm[min(c+1, qi):qi] {
		if len(w) > 4 && strings.HasSuffix(w, "ed") || englishVerbs[w] {
			return true
		}
	}
	for k := qe; k < len(norm) && k < qe+4; k++ {
		w := norm[k]
		if clauseEnd(w) || isDigitString(w) || clauseStop[w] {
			return false
		}
		// A participle right after the number that ends the clause is
		// the number's own verb, its auxiliary left out: "six were
		// killed and 14 trapped (in the rubble)". Before a noun it
		// describes what is counted ("2 armed men"), and after one it
		// may be a relative clause ("3 residents trapped inside").
		if k == qe && len(w) > 4 && strings.HasSuffix(w, "ed") &&
			(k+1 == len(norm) || clauseEnd(norm[k+1]) || clauseStop[norm[k+1]] || lx.conj[norm[k+1]]) {
			return true
		}
		if englishVerbs[w] || lx.cue[w] {
			return true // "and two managing partners wounded": a cue of its own
		}
	}
	return false
}

// clauseEnd reports whether w is punctuation that ends a clause.
func clauseEnd(w string) bool { return w == "," || w == "." || w == ";" || w == ":" }

// clauseStop are the words after which a verb is no longer the number's
// own: prepositions and relative pronouns.
var clauseStop = map[string]bool{"who": true, "which": true, "that": true, "whom": true, "whose": true, "in": true, "at": true,
	"on": true, "near": true, "inside": true, "from": true, "with": true, "by": true, "of": true, "for": true, "during": true,
	"after": true, "before": true, "across": true, "under": true, "outside": true, "into": true, "to": true}

// englishVerbs are the finite verbs a clause of its own is known by:
// auxiliaries and common irregular pasts (a form in -ed is read apart).
var englishVerbs = map[string]bool{
	"was": true, "were": true, "is": true, "are": true, "have": true, "has": true, "had": true, "fell": true, "left": true,
	"took": true, "went": true, "came": true, "got": true, "became": true, "fled": true, "lost": true, "ran": true, "began": true,
	"remain": true, "stay": true, "gather": true, "march": true, "joined": true, "held": true, "made": true,
	"sent": true, "saw": true, "found": true, "kept": true, "will": true, "would": true,
}

// hedgeLen returns the number of words of the hedge of the lexicon's own
// language that ends just before token qi ("не менее"), or 0.
func hedgeLen(norm []string, qi int, lx *lexicon) int {
	if !lx.own {
		return 0
	}
	best := 0
	for _, h := range lx.hedges {
		n := len(h.words)
		if n <= best || qi-n < 0 {
			continue
		}
		ok := true
		for k, w := range h.words {
			if norm[qi-n+k] != w {
				ok = false
				break
			}
		}
		if ok {
			best = n
		}
	}
	return best
}

// isDigitString reports whether w is a number token.
func isDigitString(w string) bool { return w != "" && isDigitByte(w[0]) }

// bullet are the marks that set items of a list apart.
var bullet = map[string]bool{"*": true, "•": true, "|": true, "►": true, "▪": true, "·": true, "■": true}

// sameClause reports whether nothing separates the cue at j from the
// number at [qi, qe): no other number, no end of clause. "5,000
// protesters marched and 3 were killed" counts protesters, not the dead.
func sameClause(norm []string, qe, j, qi int) bool {
	lo, hi := qe, j
	if j < qi {
		lo, hi = j+1, qi
	}
	for _, w := range norm[lo:hi] {
		if w == ";" || w == "." || w == ":" || w == "," || w != "" && isDigitByte(w[0]) {
			return false
		}
	}
	return true
}

// protestNoun are the cues that name who is counted rather than what
// happened to them.
var protestNoun = map[string]bool{"protesters": true, "demonstrators": true, "strikers": true,
	arabic.Fold("متظاهرين"): true, arabic.Fold("محتجين"): true, arabic.Fold("مضربين"): true}

// cueWord holds every word of the kind cues: a subject stops at one.
var cueWord = func() map[string]bool {
	m := map[string]bool{}
	for _, k := range kinds {
		for _, w := range k.cue {
			if len(k.cue) == 1 || w != "the" {
				m[w] = true
			}
		}
	}
	delete(m, "active") // "active soldiers" is a subject
	delete(m, "soldiers")
	delete(m, "troops")
	return m
}()

// subjectStop ends a subject noun phrase.
var subjectStop = map[string]bool{
	"have": true, "has": true, "had": true, "were": true, "was": true, "are": true, "is": true, "will": true, "would": true,
	"to": true, "in": true, "on": true, "at": true, "from": true, "who": true, "that": true, "which": true, "and": true, "or": true,
	"while": true, "as": true, "for": true, "with": true, "by": true, "since": true, "during": true, "after": true, "before": true,
	"of": true, "may": true, "might": true, "could": true, "sustaining": true, "killed": true, "injured": true, "died": true,
	"في": true, "من": true, "على": true, "الى": true, "إلى": true, "منذ": true, "قد": true, "الذين": true, "التي": true,
}

// subjectAfter reads the noun phrase that follows a quantity: "North
// Korean soldiers", "deminers", "جندي كوري شمالي".
func subjectAfter(ts []token, i int, lx *lexicon) string {
	var ws []string
	noun := false
	for j := i; j < len(ts) && len(ws) < lx.subjectWords; j++ {
		w := ts[j]
		if subjectStop[w.low] || lx.stop[w.low] || lx.cue[stripArabic(w.low)] || !unicode.IsLetter(firstRune(w.s)) || lx.timeWord(w.low) {
			break
		}
		if len(ws) > 0 && lx.english && strings.HasSuffix(w.s, "ed") && unicode.IsLower(firstRune(w.s)) {
			break // a verb in the past tense: the subject is over
		}
		if lx.nounCaps && noun && unicode.IsLower(firstRune(w.s)) {
			break // a lower-case word after a noun: a verb ("12 Menschen kamen")
		}
		noun = noun || unicode.IsUpper(firstRune(w.s))
		if strings.HasPrefix(w.low, "و") && len(ws) > 0 && len([]rune(w.low)) > 3 {
			break // Arabic "and …" starts the next clause
		}
		ws = append(ws, w.s)
	}
	return strings.Join(ws, " ")
}

// attribution is a source named in a sentence, with where it stands.
type attribution struct {
	who        string
	start, end int // byte span of the whole attribution phrase
}

var (
	sayVerbs = map[string]bool{
		"said": true, "says": true, "told": true, "reported": true, "reports": true, "estimated": true, "estimates": true,
		"believes": true, "believe": true, "believed": true, "claimed": true, "claims": true, "announced": true, "confirmed": true,
		"stated": true, "added": true, "noted": true, "wrote": true, "suggested": true, "suggest": true, "suggests": true,
		"indicate": true, "indicates": true, "indicated": true, "indicating": true, "quoted": true, "disclosed": true,
		"revealed": true, "warned": true, "assessed": true, "estimate": true, "say": true, "according": false,
		"insisted": true, "insists": true, "denied": true, "denies": true, "maintains": true, "maintained": true, "argued": true,
		"argues": true, "accused": true, "accuses": true, "acknowledged": true, "admitted": true,
	}
	// words skipped between a subject and its verb: "South Korea also believes"
	adverbs = map[string]bool{"also": true, "has": true, "have": true, "had": true, "previously": true, "recently": true,
		"earlier": true, "later": true, "been": true, "has been": true, "reportedly": true, "officially": true, "now": true, "then": true,
		"twice": true, "once": true, "again": true, "repeatedly": true, "never": true, "publicly": true, "initially": true,
		"first": true, "subsequently": true, "allegedly": true, "falsely": true, "wrongly": true, "privately": true,
		"further": true, "however": true}
	// personal pronouns before a reporting verb are its subject ("a man
	// they believe to be"); "officials there said" has a source
	personal = map[string]bool{"it": true, "he": true, "she": true, "they": true, "we": true, "i": true, "you": true}
	// prepositions cannot end the subject of a reporting verb ("and in
	// said"): the text is broken there
	prepositions = map[string]bool{"in": true, "on": true, "at": true, "of": true, "for": true, "to": true, "from": true,
		"by": true, "with": true, "into": true, "and": true, "or": true, "but": true}
	// determiners before a reporting verb make it an adjective
	determiners = map[string]bool{"a": true, "an": true, "the": true, "its": true, "their": true, "his": true, "her": true,
		"our": true, "whose": true, "this": true, "these": true, "those": true}
	// words that end a subject looking backwards from its verb
	subjectStart = map[string]bool{"while": true, "but": true, "that": true, "and": true, "as": true, "when": true, "although": true,
		"though": true, "after": true, "because": true, "since": true, "if": true, "where": true, "which": true, "who": true, ",": true,
		"with": true, ";": true, ":": true, "(": true, ")": true, "\"": true, "“": true, "”": true, "'": true, "’": true, "-": true, "—": true}
	pronouns = map[string]bool{"it": true, "he": true, "she": true, "they": true, "we": true, "i": true, "you": true, "this": true,
		"it's": true, "it’s": true, "there": true, "some": true, "people": true, "some people": true}
	arabicAccording = map[string]bool{"بحسب": true, "حسب": true, "وبحسب": true, "وحسب": true, "وفقا": true, "وفقاً": true, "ووفقا": true, "نقلا": true, "نقلاً": true}
	// arabicSubjectEnd ends the subject after a reporting verb: "that",
	// and the prepositions ("أعلنت فرنسا عن 60 ألف حالة": France
	// announced about …); "من" ("of") stays within it ("مسؤول من وزارة
	// الصحة"). A kind's cue ends it too ("أعلن الجيش مقتل 12 جنديا").
	arabicSubjectEnd = map[string]bool{"أن": true, "ان": true, "بأن": true, "بان": true, "في": true, "عن": true,
		"على": true, "الى": true, "إلى": true, "حتى": true, "مع": true}
	arabicSay = map[string]bool{"اكدت": true, "اكد": true, "قال": true, "قالت": true, "ذكرت": true, "ذكر": true, "اعلنت": true,
		"اعلن": true, "افادت": true, "افاد": true, "كشفت": true, "كشف": true, "اشارت": true, "اوضحت": true, "قدرت": true}
)

// attributions finds who a sentence says its claims come from.
func attributions(text string, ts []token, norm []string) []attribution {
	var out []attribution
	for i, t := range ts {
		switch {
		case t.low == "according" && i+1 < len(ts) && ts[i+1].low == "to":
			j := i + 2
			for j < len(ts) && (ts[j].low == "the" || ts[j].low == "a") {
				j++
			}
			e := j
			for e < len(ts) && e < j+12 && ts[e].s != "." && ts[e].low != "in" && ts[e].low != "on" {
				// a list of sources goes on: "South Korean, US and Ukraine assessments"
				if ts[e].s == "," && e+1 < len(ts) && unicode.IsUpper(firstRune(ts[e+1].s)) {
					e++
					continue
				}
				if ts[e].low == "and" && e > j {
					e++
					continue
				}
				if subjectStart[ts[e].low] {
					break
				}
				e++
			}
			if e > j {
				out = append(out, attribution{who: text[ts[i+2].start:ts[e-1].end], start: t.start, end: ts[e-1].end})
			}
		case sayVerbs[t.low]:
			// subject before the verb: "South Korea's spy agency said"
			j := i - 1
			for j >= 0 && adverbs[ts[j].low] {
				j--
			}
			// "an estimated 1,500 houses", "the confirmed death toll": the
			// verb is an adjective. "a man they believe to be": the
			// subject is the pronoun.
			if j >= 0 && (determiners[ts[j].low] || personal[ts[j].low] || prepositions[ts[j].low]) {
				continue
			}
			e := j
			for j >= 0 && !subjectStart[ts[j].low] && i-j < 10 && !isNum(ts[j]) {
				j--
			}
			if j >= 0 && isNum(ts[j]) {
				continue // "2,500 people … reported": the subject is what is counted
			}
			if e > j {
				who := text[ts[j+1].start:ts[e].end]
				if !pronouns[strings.ToLower(who)] {
					out = append(out, attribution{who: who, start: ts[j+1].start, end: t.end})
				}
			}
		case arabicAccording[norm[i]]:
			j := i + 1
			if j < len(ts) && (norm[j] == "ل" || norm[j] == "لـ") {
				j++
			}
			e := j
			for e < len(ts) && e < j+6 && ts[e].s != "،" && ts[e].s != "," && ts[e].s != "." && !arabicSay[norm[e]] {
				e++
			}
			if e > j {
				out = append(out, attribution{who: strings.TrimPrefix(text[ts[j].start:ts[e-1].end], "ل"), start: t.start, end: ts[e-1].end})
			}
		case arabicSay[norm[i]]:
			// "كانت الحكومات … قد أكدت": subject before; else after the verb.
			if i > 0 && ts[i-1].low == "قد" {
				j := i - 2
				for j >= 0 && ts[j].low != "كانت" && ts[j].low != "كان" && i-j < 12 {
					j--
				}
				if j >= 0 && j+1 <= i-2 {
					out = append(out, attribution{who: text[ts[j+1].start:ts[i-2].end], start: ts[j].start, end: t.end})
					continue
				}
			}
			j := i + 1
			e := j
			for e < len(ts) && e < j+6 && !arabicSubjectEnd[ts[e].low] && !arabicCue[norm[e]] && ts[e].s != "،" && ts[e].s != "," && !isNum(ts[e]) {
				e++
			}
			if e > j {
				out = append(out, attribution{who: text[ts[j].start:ts[e-1].end], start: t.start, end: ts[e-1].end})
			}
		}
	}
	return out
}

// nearest returns the attribution closest to q whose phrase does not
// contain q itself, or "".
func nearest(attrs []attribution, q Quantity) string {
	best, bestDist := "", 1<<30
	for _, a := range attrs {
		if a.start <= q.Start && q.End <= a.end {
			continue
		}
		d := a.start - q.End
		if a.end <= q.Start {
			d = q.Start - a.end
		}
		if d < 0 {
			d = -d
		}
		if d < bestDist {
			best, bestDist = a.who, d
		}
	}
	return best
}
