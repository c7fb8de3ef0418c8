package tokenize

import (
	"strings"
	"sync"
	"time"
)

// weekdayWords lists, for each language other than English and Arabic
// (whose day words timex's own rules read), the forms of the weekdays,
// Monday first: the name and the forms a sentence puts it in ("в среду",
// "w środę"). Forms are separated by spaces. A name that is also an
// everyday word is left out (Indonesian "Minggu" is Sunday and a week,
// Turkish "pazar" Sunday and a market). This is the one place weekday
// names live: adding a language is one entry here (with relativeDays).
var weekdayWords = map[string][7]string{
	"de": {"montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag sonnabend", "sonntag"},
	"fr": {"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"},
	"es": {"lunes", "martes", "miércoles miercoles", "jueves", "viernes", "sábado sabado", "domingo"},
	"it": {"lunedì lunedi", "martedì martedi", "mercoledì mercoledi", "giovedì giovedi", "venerdì venerdi", "sabato", "domenica"},
	"pt": {"segunda-feira", "terça-feira terca-feira", "quarta-feira", "quinta-feira", "sexta-feira", "sábado sabado", "domingo"},
	"nl": {"maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"},
	"ru": {"понедельник", "вторник", "среда среду", "четверг", "пятница пятницу", "суббота субботу", "воскресенье"},
	"uk": {"понеділок", "вівторок", "середа середу", "четвер", "пʼятниця пʼятницю п'ятниця п'ятницю", "субота суботу", "неділя неділю"},
	"pl": {"poniedziałek poniedziałku", "wtorek wtorku", "środa środę środy", "czwartek czwartku", "piątek piątku", "sobota sobotę soboty", "niedziela niedzielę niedzieli"},
	"tr": {"pazartesi", "salı", "çarşamba", "perşembe", "cuma", "cumartesi", ""},
	"ms": {"isnin", "selasa", "rabu", "khamis", "jumaat", "sabtu", "ahad"},
	"id": {"senin", "selasa", "rabu", "kamis", "jumat", "sabtu", ""},
}

// relativeDays are, per language, the words for a day counted from the
// day of writing: yesterday -1, tomorrow +1. A word that also means
// something else is left out (German "morgen" is also the morning,
// Spanish "mañana" too).
var relativeDays = map[string]map[string]int{
	"de": {"vorgestern": -2, "gestern": -1, "übermorgen": 2},
	"fr": {"avant-hier": -2, "hier": -1, "demain": 1, "après-demain": 2},
	"es": {"anteayer": -2, "antier": -2, "ayer": -1, "anoche": -1},
	"it": {"ieri": -1, "domani": 1, "dopodomani": 2},
	"pt": {"anteontem": -2, "ontem": -1, "amanhã": 1},
	"nl": {"eergisteren": -2, "gisteren": -1, "overmorgen": 2},
	"ru": {"позавчера": -2, "вчера": -1, "завтра": 1, "послезавтра": 2},
	"uk": {"позавчора": -2, "вчора": -1, "учора": -1, "завтра": 1, "післязавтра": 2},
	"pl": {"przedwczoraj": -2, "wczoraj": -1, "jutro": 1, "pojutrze": 2},
	"tr": {"dün": -1, "yarın": 1},
	"ms": {"semalam": -1, "esok": 1},
	"id": {"kemarin": -1, "besok": 1},
}

// futureWords are, per language, words that put a clause after the day
// of writing ("se celebrará", "состоится"): its weekdays and days of a
// month are the next ones, not the last. German has none that are safe:
// "wird" and "werden" are also the passive, "soll" and "will" also report
// an alleged past act ("soll am 14. März drei Menschen getötet haben").
var futureWords = map[string]string{
	"fr": "sera seront",
	"es": "será serán deberá deberán",
	"it": "sarà saranno dovrà dovranno",
	"pt": "será serão deverá deverão",
	"nl": "zal zullen",
	"ru": "будет будут состоится состоятся планируется",
	"uk": "буде будуть відбудеться відбудуться планується",
	"pl": "będzie będą odbędzie odbędą",
	"tr": "olacak yapılacak edilecek",
	"ms": "akan",
	"id": "akan",
}

// futureEndings are the endings of the future tense where it is one word
// ("celebrará", "farà"); Portuguese "-rão" is left out ("ladrão",
// "padrão").
var futureEndings = map[string]string{
	"es": "rá rán",
	"pt": "rá",
	"it": "rà ranno",
}

// pastWords after or before a weekday put it in the past whatever the
// clause says ("martedì scorso", "Senin lalu", "el lunes pasado").
var pastWords = map[string]string{
	"de": "letzten vergangenen vorigen",
	"fr": "dernier dernière",
	"es": "pasado pasada",
	"it": "scorso scorsa",
	"pt": "passado passada",
	"nl": "vorige afgelopen",
	"ru": "прошлый прошлой прошлую",
	"uk": "минулого минулий минулої минулу",
	"pl": "ubiegły ubiegłą zeszły zeszłą",
	"tr": "geçen",
	"ms": "lalu",
	"id": "lalu",
}

// nextWords before a weekday put it after the day of writing ("am
// kommenden Montag"; "lundi prochain", after it, is not read); a weekday
// alone is the last one up to that day, as in English.
var nextWords = map[string]string{
	"de": "nächsten kommenden",
	"fr": "prochain prochaine",
	"es": "próximo próxima",
	"pt": "próximo próxima",
	"it": "prossimo prossima",
	"ru": "следующий следующую",
	"pl": "przyszły przyszłą najbliższy najbliższą",
	"tr": "gelecek",
	"nl": "volgende komende",
}

// dayParts are glued to a weekday in languages that write compounds:
// "Montagabend".
var dayParts = map[string]string{
	"de": "morgen vormittag mittag nachmittag abend nacht",
}

// NextWord reports whether word (lower case), before a weekday of lang,
// puts it after the day of writing.
func NextWord(word, lang string) bool { return wordSets().next[lang][word] }

// PastWord reports whether word (lower case) puts a weekday of lang in
// the past.
func PastWord(word, lang string) bool { return wordSets().past[lang][word] }

// wordSets are futureWords, pastWords and nextWords as sets.
var wordSets = sync.OnceValue(func() (s struct{ future, past, next map[string]map[string]bool }) {
	s.future, s.past, s.next = langSets(futureWords), langSets(pastWords), langSets(nextWords)
	return s
})

// langSets turns lists of words by language, separated by white space,
// into sets by language.
func langSets(lists map[string]string) map[string]map[string]bool {
	m := map[string]map[string]bool{}
	for lang, list := range lists {
		m[lang] = map[string]bool{}
		for _, w := range strings.Fields(list) {
			m[lang][w] = true
		}
	}
	return m
}

// FutureWord reports whether word (lower case) puts a clause of lang
// after the day of writing. A capitalised word is a name ("Beltrán"):
// pass it as written to have it refused.
func FutureWord(word, lang string) bool {
	low := strings.ToLower(word)
	if wordSets().future[lang][low] {
		return true
	}
	if word != low {
		return false
	}
	for _, e := range strings.Fields(futureEndings[lang]) {
		if strings.HasSuffix(word, e) && len(word) > len(e)+2 {
			return true
		}
	}
	return false
}

var weekdayIndex = sync.OnceValue(func() map[string]map[string]time.Weekday {
	m := map[string]map[string]time.Weekday{}
	for lang, days := range weekdayWords {
		m[lang] = map[string]time.Weekday{}
		for i, forms := range days {
			for _, f := range strings.Fields(forms) {
				m[lang][f] = time.Weekday((i + 1) % 7) // Monday first
			}
		}
	}
	return m
})

// Weekday returns the weekday word (lower case) names in lang, with a
// part of the day glued to it where the language writes compounds
// ("Montagabend").
func Weekday(word, lang string) (time.Weekday, bool) {
	if d, ok := weekdayIndex()[lang][word]; ok {
		return d, true
	}
	for _, p := range strings.Fields(dayParts[lang]) {
		if base, ok := strings.CutSuffix(word, p); ok && base != "" {
			d, ok := weekdayIndex()[lang][base]
			return d, ok
		}
	}
	return 0, false
}

// RelativeDay returns the days from the day of writing that word (lower
// case) names in lang: -1 for "gestern".
func RelativeDay(word, lang string) (int, bool) {
	d, ok := relativeDays[lang][word]
	return d, ok
}

// DayWords returns the weekday and relative-day words of lang, lower case.
func DayWords(lang string) []string {
	var out []string
	for w := range weekdayIndex()[lang] {
		out = append(out, w)
	}
	for w := range relativeDays[lang] {
		out = append(out, w)
	}
	return out
}
