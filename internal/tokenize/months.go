package tokenize

import (
	"strings"
	"sync"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// monthWords lists, for each language dossier recognises, the words that
// name the twelve months, January first: the name as it stands alone, the
// forms a date puts it in (the genitive of "14 марта", the locative of
// "14. märtsil") and the abbreviations newspapers print ("févr.", "Okt.").
// Forms are separated by spaces and written as the language writes them,
// an underscore standing for a space inside a name (Levantine Arabic
// "كانون الثاني"); lookups fold case. This is the one place month names
// live: adding a language is one entry here. Timex reads English and Arabic
// dates with rules of its own (relative dates, duals, a Gregorian month with
// its Levantine twin), built from these names. A month whose name is two
// words in a language written word by word (Irish "Meán Fómhair") is
// absent. Chinese, Japanese and Korean write months as numbers (3月, 3월)
// and need no names.
var monthWords = map[string][12]string{
	"en": {"January Jan", "February Feb", "March Mar", "April Apr", "May", "June Jun", "July Jul", "August Aug", "September Sep Sept", "October Oct", "November Nov", "December Dec"},
	// Arabic: the Gregorian names of Egypt and the Gulf; apart, under
	// ArabicRegional, the Syriac names of the Levant and Iraq and the
	// French-derived names of the Maghreb, several of which are everyday
	// words too (نيسان is also Nissan, آب a father, ماي "my").
	"ar":           {"يناير", "فبراير", "مارس", "أبريل ابريل إبريل", "مايو", "يونيو", "يوليو", "أغسطس اغسطس", "سبتمبر", "أكتوبر اكتوبر", "نوفمبر", "ديسمبر"},
	ArabicRegional: {"كانون_الثاني جانفي", "شباط فيفري", "آذار اذار", "نيسان أفريل", "أيار ايار ماي", "حزيران جوان", "تموز جويلية", "آب اب أوت", "أيلول ايلول", "تشرين_الأول تشرين_الاول", "تشرين_الثاني", "كانون_الأول كانون_الاول"},
	"fr":           {"janvier janv", "février févr fév fevrier", "mars", "avril avr", "mai", "juin", "juillet juil", "août aout", "septembre sept", "octobre oct", "novembre nov", "décembre déc decembre"},
	"de":           {"Januar Jänner Jan", "Februar Feber Feb", "März Mär Maerz", "April Apr", "Mai", "Juni Jun", "Juli Jul", "August Aug", "September Sep Sept", "Oktober Okt", "November Nov", "Dezember Dez"},
	"es":           {"enero ene", "febrero feb", "marzo mar", "abril abr", "mayo may", "junio jun", "julio jul", "agosto ago", "septiembre setiembre sep sept", "octubre oct", "noviembre nov", "diciembre dic"},
	"it":           {"gennaio gen", "febbraio feb", "marzo mar", "aprile apr", "maggio mag", "giugno giu", "luglio lug", "agosto ago", "settembre set", "ottobre ott", "novembre nov", "dicembre dic"},
	"pt":           {"janeiro jan", "fevereiro fev", "março mar marco", "abril abr", "maio mai", "junho jun", "julho jul", "agosto ago", "setembro set", "outubro out", "novembro nov", "dezembro dez"},
	"nl":           {"januari jan", "februari feb", "maart mrt", "april apr", "mei", "juni jun", "juli jul", "augustus aug", "september sep sept", "oktober okt", "november nov", "december dec"},
	"sv":           {"januari jan", "februari feb", "mars mar", "april apr", "maj", "juni jun", "juli jul", "augusti aug", "september sep sept", "oktober okt", "november nov", "december dec"},
	"da":           {"januar jan", "februar feb", "marts mar", "april apr", "maj", "juni jun", "juli jul", "august aug", "september sep sept", "oktober okt", "november nov", "december dec"},
	"nb":           {"januar jan", "februar feb", "mars mar", "april apr", "mai", "juni jun", "juli jul", "august aug", "september sep sept", "oktober okt", "november nov", "desember des"},
	"fi":           {"tammikuu tammikuuta", "helmikuu helmikuuta", "maaliskuu maaliskuuta", "huhtikuu huhtikuuta", "toukokuu toukokuuta", "kesäkuu kesäkuuta", "heinäkuu heinäkuuta", "elokuu elokuuta", "syyskuu syyskuuta", "lokakuu lokakuuta", "marraskuu marraskuuta", "joulukuu joulukuuta"},
	"et":           {"jaanuar jaanuaril", "veebruar veebruaril", "märts märtsil", "aprill aprillil", "mai mail", "juuni juunil", "juuli juulil", "august augustil", "september septembril", "oktoober oktoobril", "november novembril", "detsember detsembril"},
	"lv":           {"janvāris janvārī", "februāris februārī", "marts martā", "aprīlis aprīlī", "maijs maijā", "jūnijs jūnijā", "jūlijs jūlijā", "augusts augustā", "septembris septembrī", "oktobris oktobrī", "novembris novembrī", "decembris decembrī"},
	"lt":           {"sausis sausio", "vasaris vasario", "kovas kovo", "balandis balandžio", "gegužė gegužės", "birželis birželio", "liepa liepos", "rugpjūtis rugpjūčio", "rugsėjis rugsėjo", "spalis spalio", "lapkritis lapkričio", "gruodis gruodžio"},
	"pl":           {"styczeń stycznia sty", "luty lutego lut", "marzec marca mar", "kwiecień kwietnia kwi", "maj maja", "czerwiec czerwca cze", "lipiec lipca lip", "sierpień sierpnia sie", "wrzesień września wrz", "październik października paź", "listopad listopada lis", "grudzień grudnia gru"},
	"cs":           {"leden ledna", "únor února", "březen března", "duben dubna", "květen května", "červen června", "červenec července", "srpen srpna", "září", "říjen října", "listopad listopadu", "prosinec prosince"},
	"sk":           {"január januára", "február februára", "marec marca", "apríl apríla", "máj mája", "jún júna", "júl júla", "august augusta", "september septembra", "október októbra", "november novembra", "december decembra"},
	"sl":           {"januar januarja", "februar februarja", "marec marca", "april aprila", "maj maja", "junij junija", "julij julija", "avgust avgusta", "september septembra", "oktober oktobra", "november novembra", "december decembra"},
	"hr":           {"siječanj siječnja", "veljača veljače", "ožujak ožujka", "travanj travnja", "svibanj svibnja", "lipanj lipnja", "srpanj srpnja", "kolovoz kolovoza", "rujan rujna", "listopad listopada", "studeni studenoga studenog", "prosinac prosinca"},
	"hu":           {"január jan", "február febr", "március márc", "április ápr", "május máj", "június jún", "július júl", "augusztus aug", "szeptember szept", "október okt", "november nov", "december dec"},
	"ro":           {"ianuarie ian", "februarie feb", "martie mar", "aprilie apr", "mai", "iunie iun", "iulie iul", "august aug", "septembrie sept", "octombrie oct", "noiembrie nov", "decembrie dec"},
	"ga":           {"Eanáir", "Feabhra", "Márta", "Aibreán Aibreáin", "Bealtaine", "Meitheamh Meithimh", "Iúil", "Lúnasa", "", "", "Samhain Samhna", "Nollaig Nollag"},
	"mt":           {"Jannar", "Frar", "Marzu", "April", "Mejju", "Ġunju", "Lulju", "Awwissu", "Settembru", "Ottubru", "Novembru", "Diċembru"},
	"tr":           {"Ocak", "Şubat", "Mart", "Nisan", "Mayıs", "Haziran", "Temmuz", "Ağustos", "Eylül", "Ekim", "Kasım", "Aralık"},
	"id":           {"Januari Jan", "Februari Feb", "Maret Mar", "April Apr", "Mei", "Juni Jun", "Juli Jul", "Agustus Agu Agt", "September Sep Sept", "Oktober Okt", "November Nov", "Desember Des"},
	"ms":           {"Januari Jan", "Februari Feb", "Mac", "April Apr", "Mei", "Jun", "Julai Jul", "Ogos Ogo", "September Sep Sept", "Oktober Okt", "November Nov", "Disember Dis"},
	"sw":           {"Januari", "Februari", "Machi", "Aprili", "Mei", "Juni", "Julai", "Agosti", "Septemba", "Oktoba", "Novemba", "Desemba"},
	"ru":           {"январь января янв", "февраль февраля фев февр", "март марта мар", "апрель апреля апр", "май мая", "июнь июня", "июль июля", "август августа авг", "сентябрь сентября сен сент", "октябрь октября окт", "ноябрь ноября ноя нояб", "декабрь декабря дек"},
	"uk":           {"січень січня січ", "лютий лютого лют", "березень березня бер", "квітень квітня квіт", "травень травня трав", "червень червня черв", "липень липня лип", "серпень серпня серп", "вересень вересня вер", "жовтень жовтня жовт", "листопад листопада лист", "грудень грудня груд"},
	"bg":           {"януари яну", "февруари фев", "март мар", "април апр", "май", "юни", "юли", "август авг", "септември сеп", "октомври окт", "ноември ное", "декември дек"},
	"el":           {"Ιανουάριος Ιανουαρίου Ιαν", "Φεβρουάριος Φεβρουαρίου Φεβ", "Μάρτιος Μαρτίου Μαρ", "Απρίλιος Απριλίου Απρ", "Μάιος Μαΐου", "Ιούνιος Ιουνίου", "Ιούλιος Ιουλίου", "Αύγουστος Αυγούστου Αυγ", "Σεπτέμβριος Σεπτεμβρίου Σεπ", "Οκτώβριος Οκτωβρίου Οκτ", "Νοέμβριος Νοεμβρίου Νοε", "Δεκέμβριος Δεκεμβρίου Δεκ"},
	// Hebrew writes "in March" as one word (במרץ): both forms are listed.
	"he": {"ינואר בינואר", "פברואר בפברואר", "מרץ מרס במרץ במרס", "אפריל באפריל", "מאי במאי", "יוני ביוני", "יולי ביולי", "אוגוסט באוגוסט", "ספטמבר בספטמבר", "אוקטובר באוקטובר", "נובמבר בנובמבר", "דצמבר בדצמבר"},
	"fa": {"ژانویه ژانویهٔ", "فوریه فوریهٔ", "مارس", "آوریل", "مه می", "ژوئن", "ژوئیه ژوئیهٔ جولای", "اوت آگوست", "سپتامبر", "اکتبر", "نوامبر", "دسامبر"},
	"ur": {"جنوری", "فروری", "مارچ", "اپریل", "مئی", "جون", "جولائی", "اگست", "ستمبر", "اکتوبر", "نومبر", "دسمبر"},
	"hi": {"जनवरी", "फ़रवरी फरवरी", "मार्च", "अप्रैल", "मई", "जून", "जुलाई", "अगस्त", "सितंबर सितम्बर", "अक्टूबर", "नवंबर नवम्बर", "दिसंबर दिसम्बर"},
	"bn": {"জানুয়ারি জানুয়ারী", "ফেব্রুয়ারি ফেব্রুয়ারী", "মার্চ", "এপ্রিল", "মে", "জুন", "জুলাই", "আগস্ট", "সেপ্টেম্বর", "অক্টোবর", "নভেম্বর", "ডিসেম্বর"},
	"th": {"มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม"},
}

// ArabicRegional is the key of the Arabic month names that are not the
// Gregorian ones (Levantine and Iraqi, Maghrebi): Month(word,
// ArabicRegional) reads them, MonthForms lists them. Readers that take a
// month word beside a number for a date without more context leave them
// out.
const ArabicRegional = "ar-x-regional"

// monthIndex is monthWords by language and folded word.
var monthIndex = sync.OnceValue(func() map[string]map[string]time.Month {
	idx := make(map[string]map[string]time.Month, len(monthWords))
	for lang, months := range monthWords {
		m := map[string]time.Month{}
		for i, forms := range months {
			for _, w := range strings.Fields(forms) {
				m[monthKey(strings.ReplaceAll(w, "_", " "))] = time.Month(i + 1)
			}
		}
		idx[lang] = m
	}
	return idx
})

// monthKey folds a month word for lookup: Fold, no accents on Latin, Greek
// and Cyrillic letters (Greek capitals drop them: "ΜΑΡΤΙΟΥ" is "Μαρτίου";
// "marco" is "março" typed without them), final sigma as sigma, no trailing
// abbreviation dot.
func monthKey(w string) string {
	var b strings.Builder
	base := rune(0)
	for _, r := range norm.NFD.String(Fold(strings.TrimRight(w, "."))) {
		if unicode.Is(unicode.Mn, r) && (base < 0x0530 || base >= 0x1E00 && base < 0x2000) {
			continue
		}
		if r == 'ς' {
			r = 'σ'
		}
		base = r
		b.WriteRune(r)
	}
	return norm.NFC.String(b.String())
}

// Month returns the month word names in language lang (ISO 639-1): "marzo"
// in "es", "марта" in "ru", "févr." in "fr".
func Month(word, lang string) (time.Month, bool) {
	m, ok := monthIndex()[lang][monthKey(word)]
	return m, ok
}

// MonthAny returns the month word names in whichever language names it,
// for text whose language is not known yet: "juillet", "Juli", "июля".
// A word that names different months in two languages ("listopad":
// November in Polish and Czech, October in Croatian) names none.
func MonthAny(word string) (time.Month, bool) {
	m, ok := monthAny().month[monthKey(word)]
	return m, ok && m != 0
}

// MonthAbbrev reports whether word is a month only as an abbreviation: a
// shortening of the month's name in every language that lists it ("Okt",
// "févr", "out", "des"), where "mai" is the French and German name of May
// and "Jun" the Malay name of June. Text of unknown language may hold such
// a word as a word of its own.
func MonthAbbrev(word string) bool { return monthAny().abbrev[monthKey(word)] }

// monthAny maps each folded month word to its month, or to 0 where
// languages disagree, and marks the words that are abbreviations only.
var monthAny = sync.OnceValue(func() (out struct {
	month  map[string]time.Month
	abbrev map[string]bool
}) {
	out.month, out.abbrev = map[string]time.Month{}, map[string]bool{}
	full := map[string]bool{}
	for lang, m := range monthIndex() {
		for k, mo := range m {
			if prev, ok := out.month[k]; ok && prev != mo {
				out.month[k] = 0
			} else {
				out.month[k] = mo
			}
			name := monthKey(strings.ReplaceAll(strings.Fields(monthWords[lang][mo-1])[0], "_", " "))
			if len(k) < len(name) && strings.HasPrefix(name, k) {
				out.abbrev[k] = true
			} else {
				full[k] = true
			}
		}
	}
	for k := range full {
		delete(out.abbrev, k)
	}
	return out
})

// MonthForms returns every word lang names month with ("September Sep
// Sept"), as written, the name first: for patterns built from them.
func MonthForms(lang string, month time.Month) []string {
	if month < 1 || month > 12 {
		return nil
	}
	forms := strings.Fields(monthWords[lang][month-1])
	if len(forms) == 0 {
		return nil
	}
	for i, f := range forms {
		forms[i] = strings.ReplaceAll(f, "_", " ")
	}
	return forms
}

// MonthIndex maps every form of the months of langs, lower case, to its
// month: the table that readers of a few languages' dates build their
// patterns and word lists from.
func MonthIndex(langs ...string) map[string]time.Month {
	m := map[string]time.Month{}
	for _, lang := range langs {
		for mo := time.January; mo <= time.December; mo++ {
			for _, f := range MonthForms(lang, mo) {
				m[strings.ToLower(f)] = mo
			}
		}
	}
	return m
}

// MonthLanguages returns the languages whose month names Month knows.
func MonthLanguages() []string {
	out := make([]string, 0, len(monthWords))
	for l := range monthWords {
		out = append(out, l)
	}
	return out
}
