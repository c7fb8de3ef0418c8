package extract

import (
	"strconv"
	"strings"
	"time"

	"dossier/internal/lazyre"
	"dossier/internal/news"
	"dossier/internal/tokenize"
)

var (
	// A dateline may open with its weekday: an English or Arabic one, or
	// any word and a comma ("Montag, 3. März 2025", "Sat, 7 Jul 2025",
	// "Paris, 7 July 2025", "الأحد، 7 يوليو 2025").
	weekday = `(?:(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|الاثنين|الثلاثاء|الأربعاء|الخميس|الجمعة|السبت|الأحد)[,،]?\s+|[\pL\pM]{3,12}[,،]\s+)?`
	// A month word in any language tokenize names months in (checked with
	// tokenize.MonthAny), and its abbreviation's dot; Levantine Arabic
	// names are two words.
	monthWord = `([\pL\pM]{2,12}(?:\s\p{Arabic}{2,12})?)(\.?)`
	// "7 July 2025", "Monday, 7 July 2025 21:04", "7 يوليو 2025",
	// "3. März 2025", "14 de marzo de 2025", "7 كانون الثاني 2025"
	reDMY = lazyre.New(`(?i)^` + weekday + `(\d{1,2})\.?\s+(?:de\s+)?` + monthWord + `,?\s+(?:de\s+)?(\d{4})`)
	// "July 7, 2025"
	reMDY = lazyre.New(`(?i)^` + weekday + monthWord + `\s+(\d{1,2}),?\s+(\d{4})`)
	// "2025-07-07"
	reISO = lazyre.New(`^(\d{4})-(\d{2})-(\d{2})\b`)
)

// datelineMonth reads a dateline's month word. The language of the text
// is not known yet: a word is a month if the languages that name months
// agree on it, and an abbreviation other than an English one must carry
// its dot ("out." in Portuguese, not "out").
func datelineMonth(word, dot string) time.Month {
	m, ok := tokenize.MonthAny(word)
	if !ok {
		return 0
	}
	if _, en := tokenize.Month(word, "en"); !en && dot == "" && tokenize.MonthAbbrev(word) {
		return 0
	}
	return m
}

// reDateRest is what may follow the date on a line that is only a date:
// a time, a zone, a weekday, punctuation.
var reDateRest = lazyre.New(`(?i)^[\s,.|–-]*((at\s+)?\d{1,2}\s*:\s*\d{2}(\s*:\s*\d{2})?\s*([ap]\.?\s*m\.?)?)?\s*([a-z]{2,5}|[+-]\d{2}:?\d{2}|utc|gmt)?[\s,.|]*$`)

// dateOnly reports whether the line s is a date and nothing more.
func dateOnly(s string) bool {
	s = strings.TrimSpace(s)
	_, n := datePrefix(s)
	return n > 0 && reDateRest.MatchString(s[n:])
}

// leadingDate reads a dateline date at the very start of a paragraph.
func leadingDate(s string) (news.DateRange, bool) {
	r, n := datePrefix(strings.TrimSpace(s))
	return r, n > 0
}

// datePrefix reads the date s starts with and returns it with its length
// in bytes (0 when s starts with no valid date).
func datePrefix(s string) (news.DateRange, int) {
	var y, d int
	var m time.Month
	var g []string
	if g = reDMY.FindStringSubmatch(s); g != nil {
		d, _ = strconv.Atoi(g[1])
		m = datelineMonth(g[2], g[3])
		y, _ = strconv.Atoi(g[4])
	} else if g = reMDY.FindStringSubmatch(s); g != nil {
		m = datelineMonth(g[1], g[2])
		d, _ = strconv.Atoi(g[3])
		y, _ = strconv.Atoi(g[4])
	} else if g = reISO.FindStringSubmatch(s); g != nil {
		y, _ = strconv.Atoi(g[1])
		mm, _ := strconv.Atoi(g[2])
		m = time.Month(mm)
		d, _ = strconv.Atoi(g[3])
	} else {
		return news.DateRange{}, 0
	}
	if m < 1 || m > 12 || d < 1 || d > 31 || y < 1900 || y > 2200 {
		return news.DateRange{}, 0
	}
	day := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	if day.Day() != d {
		return news.DateRange{}, 0
	}
	return news.DateRange{Earliest: day, Latest: day.Add(24*time.Hour - time.Second), Basis: "dateline"}, len(g[0])
}

var (
	reAgeParts = lazyre.New(`^(?:(\S+) (\S+?) ago|منذ (\S+)(?: (\S+))?|il y a (\S+) (\S+)|hace (\S+) (\S+)|vor (\S+) (\S+))$`)
	ageUnits   = map[string]time.Duration{}
	ageCounts  = map[string]int{"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "few": 3, "un": 1, "une": 1, "una": 1, "einer": 1, "einem": 1}
)

func init() {
	add := func(d time.Duration, names ...string) {
		for _, n := range names {
			ageUnits[n] = d
		}
	}
	add(time.Second, "second", "seconds", "sec", "secs", "ثانية", "ثوان", "ثواني", "secondes", "seconde", "segundos", "segundo", "sekunden", "sekunde")
	add(time.Minute, "minute", "minutes", "min", "mins", "دقيقة", "دقائق", "minuto", "minutos", "minuten")
	add(time.Hour, "hour", "hours", "hr", "hrs", "ساعة", "ساعات", "heure", "heures", "hora", "horas", "stunde", "stunden")
	add(24*time.Hour, "day", "days", "يوم", "أيام", "ايام", "jour", "jours", "día", "días", "dia", "dias", "tag", "tagen")
	add(7*24*time.Hour, "week", "weeks", "أسبوع", "أسابيع", "اسبوع", "semaine", "semaines", "semana", "semanas", "woche", "wochen")
	add(30*24*time.Hour, "month", "months", "شهر", "أشهر", "شهور", "mois", "mes", "meses", "monat", "monaten")
	add(365*24*time.Hour, "year", "years", "سنة", "سنوات", "عام", "أعوام", "an", "ans", "année", "années", "año", "años", "jahr", "jahren")
	// Arabic duals carry their count.
	for w, u := range map[string]time.Duration{"ساعتين": time.Hour, "يومين": 24 * time.Hour, "دقيقتين": time.Minute, "أسبوعين": 7 * 24 * time.Hour, "شهرين": 30 * 24 * time.Hour, "سنتين": 365 * 24 * time.Hour, "عامين": 365 * 24 * time.Hour} {
		ageUnits["2×"+w] = u
	}
}

// parseAge reads "10 hours ago" (folded) as how far back and in what unit.
func parseAge(s string) (back, unit time.Duration, ok bool) {
	switch s {
	case "just now":
		return 0, time.Minute, true
	case "yesterday":
		return 24 * time.Hour, 24 * time.Hour, true
	}
	g := reAgeParts.FindStringSubmatch(s)
	if g == nil {
		return 0, 0, false
	}
	var count, name string
	for i := 1; i+1 < len(g); i += 2 {
		if g[i] != "" {
			count, name = g[i], g[i+1]
			break
		}
	}
	if name == "" { // "منذ ساعة", "منذ ساعتين"
		count, name = "1", count
		if u, ok := ageUnits["2×"+name]; ok {
			return 2 * u, u, true
		}
	}
	n, err := strconv.Atoi(count)
	if err != nil {
		c, ok := ageCounts[count]
		if !ok {
			if _, isUnit := ageUnits[count]; isUnit { // "منذ يوم واحد"
				name, c = count, 1
			} else {
				return 0, 0, false
			}
		}
		n = c
	}
	u, ok := ageUnits[strings.TrimSuffix(name, ".")]
	if !ok {
		return 0, 0, false
	}
	return time.Duration(n) * u, u, true
}
