package timex

import (
	"strings"
	"testing"
	"time"
)

func d(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestTag(t *testing.T) {
	tests := []struct {
		text, anchor string
		want         string // the expression's text
		value        string
		lo, hi       string
	}{
		{"units ceased operations around mid-January.", "2025-02-14", "mid-January", "2025-01", "2025-01-10", "2025-01-20"},
		{"offensives in Kursk launched last August.", "2025-02-14", "last August", "2024-08", "2024-08-01", "2024-08-31"},
		{"soldiers were sent to Russia last fall.", "2025-11-12", "last fall", "2024-FA", "2024-09-01", "2024-12-31"},
		{"the invasion began three years ago.", "2025-02-14", "three years ago", "2022", "2022-01-01", "2022-12-31"},
		{"his second visit this month.", "2025-06-20", "this month", "2025-06", "2025-06-01", "2025-06-30"},
		{"In April, Pyongyang and Moscow said", "2025-06-20", "April", "2025-04", "2025-04-01", "2025-04-30"},
		{"7 July 2025 21:04 Washington (AFP)", "2025-07-08", "7 July 2025", "2025-07-07", "2025-07-07", "2025-07-07"},
		{"the tariffs would apply from August 1 because", "2025-07-08", "August 1", "2025-08-01", "2025-08-01", "2025-08-01"},
		{"a visit to North Korea last year", "2025-02-14", "last year", "2024", "2024-01-01", "2024-12-31"},
		{"لم تكن موجودة في جبهة كورسك منذ منتصف يناير/كانون الثاني. هذا", "2025-02-14", "منتصف يناير/كانون الثاني", "2025-01", "2025-01-10", "2025-01-20"},
		{"معاهدة دفاعية ثنائية مع روسيا في يونيو/حزيران 2024، ما ساهم", "2025-02-14", "يونيو/حزيران 2024", "2024-06", "2024-06-01", "2024-06-30"},
		{"منذ نشر هذه القوات في روسيا في أواخر عام 2024.", "2025-02-14", "أواخر عام 2024", "2024", "2024-09-01", "2024-12-31"},
		{"في هجوم خاطف هذا الصيف، والذي", "2025-02-14", "هذا الصيف", "2024-SU", "2024-06-01", "2024-09-30"},
		{"نشرتها صحيفة نيويورك تايمز الأسبوع الماضي، والتي", "2025-02-14", "الأسبوع الماضي", "2025-W06", "2025-02-03", "2025-02-09"},
		{"The minister said on Friday that", "2013-03-22", "Friday", "2013-03-22", "2013-03-22", "2013-03-22"},
		{"The law will take effect on Monday.", "2013-03-22", "Monday", "2013-03-25", "2013-03-25", "2013-03-25"},
		{"the swine flu pandemic of 2009-2010, when", "2013-03-22", "2010", "2010", "2010-01-01", "2010-12-31"},
		{"Inflation is now at its lowest.", "2013-03-22", "now", "PRESENT_REF", "2013-03-22", "2013-03-22"},
		{"In a New Year's message, the leader praised Russia.", "2025-04-15", "New Year's", "2025-01-01", "2025-01-01", "2025-01-01"},
		// Compound expressions are one date, not a month and a year apart.
		{"The United States first accused Russia in May last year of using chloropicrin.", "2025-07-08", "May last year", "2024-05", "2024-05-01", "2024-05-31"},
		{"talks were held in early March of last year", "2025-07-08", "early March of last year", "2024-03", "2024-03-01", "2024-03-10"},
		{"the summit is planned for October next year", "2025-07-08", "October next year", "2026-10", "2026-10-01", "2026-10-31"},
		{"elections due in December this year", "2025-07-08", "December this year", "2025-12", "2025-12-01", "2025-12-31"},
		{"offensives launched last August.", "2025-07-08", "last August", "2024-08", "2024-08-01", "2024-08-31"},
		{"the delegation will arrive early next month", "2025-07-08", "early next month", "2025-08", "2025-08-01", "2025-08-10"},
		{"أعلنت الوزارة الشهر الماضي أن", "2025-07-08", "الشهر الماضي", "2025-06", "2025-06-01", "2025-06-30"},
		{"اتهمت الولايات المتحدة روسيا في مايو من العام الماضي باستخدام", "2025-07-08", "مايو من العام الماضي", "2024-05", "2024-05-01", "2024-05-31"},
		{"وقعت الاتفاقية في أواخر يونيو/حزيران من العام الماضي", "2025-07-08", "أواخر يونيو/حزيران من العام الماضي", "2024-06", "2024-06-21", "2024-06-30"},
		{"زار الوفد موسكو في مايو الماضي", "2025-07-08", "مايو الماضي", "2025-05", "2025-05-01", "2025-05-31"},
		{"زار الوفد موسكو في أغسطس الماضي", "2025-07-08", "أغسطس الماضي", "2024-08", "2024-08-01", "2024-08-31"},
		{"تبدأ المحادثات في سبتمبر المقبل", "2025-07-08", "سبتمبر المقبل", "2025-09", "2025-09-01", "2025-09-30"},
	}
	for _, tt := range tests {
		var got *Expr
		xs := Tag(tt.text, d(tt.anchor))
		for i := range xs {
			if xs[i].Text == tt.want {
				got = &xs[i]
			}
		}
		if got == nil {
			t.Errorf("Tag(%q): %q not found in %+v", tt.text, tt.want, xs)
			continue
		}
		if got.Value != tt.value || !got.Earliest.Equal(d(tt.lo)) || !got.Latest.Equal(d(tt.hi)) {
			t.Errorf("Tag(%q) %q = %s [%s, %s], want %s [%s, %s]", tt.text, tt.want, got.Value,
				got.Earliest.Format("2006-01-02"), got.Latest.Format("2006-01-02"), tt.value, tt.lo, tt.hi)
		}
	}
}

// TestCompoundIsOne checks that a compound expression gives one date and
// leaves no second expression inside it ("May last year" is not "May" and
// "last year").
func TestCompoundIsOne(t *testing.T) {
	for _, s := range []string{"first accused Russia in May last year of using", "اتهمت روسيا في مايو من العام الماضي باستخدام"} {
		xs := Tag(s, d("2025-07-08"))
		if len(xs) != 1 || xs[0].Value != "2024-05" {
			t.Errorf("Tag(%q) = %+v, want one expression 2024-05", s, xs)
		}
	}
}

func TestNotDates(t *testing.T) {
	for _, s := range []string{"Talks may resume.", "about 2,700 injured", "12 ألف جندي", "a 2700-strong unit"} {
		for _, x := range Tag(s, d("2025-02-14")) {
			if x.Type == "DATE" {
				t.Errorf("Tag(%q) found a date %q = %s", s, x.Text, x.Value)
			}
		}
	}
}

// TestTagLangRejects checks that a word is a month only in its own
// language and that a day must exist in its month.
func TestTagLangRejects(t *testing.T) {
	tests := []struct{ text, lang string }{
		{"Le 14 ene 2025 à Paris.", "fr"},               // "ene" is Spanish, not French
		{"La reunión del 31 de febrero de 2025.", "es"}, // no such day
		{"Das Treffen am 14 marzo 2025.", "de"},         // an Italian month in German text
	}
	for _, tt := range tests {
		for _, x := range TagLang(tt.text, d("2025-06-01"), tt.lang) {
			if x.Type == "DATE" && len(x.Value) == len("2025-03-14") {
				t.Errorf("TagLang(%q, %s) read a full date %+v", tt.text, tt.lang, x)
			}
		}
	}
}

func TestTagLang(t *testing.T) {
	tests := []struct{ text, lang, want string }{
		{"Le sommet s'est tenu le 14 mars 2025 à Paris.", "fr", "2025-03-14"},
		{"Das Treffen fand am 3. März 2025 in Berlin statt.", "de", "2025-03-03"},
		{"La reunión se celebró el 14 de marzo de 2025 en Madrid.", "es", "2025-03-14"},
		{"Встреча состоялась 14 марта 2025 года в Москве.", "ru", "2025-03-14"},
		{"Il vertice si è tenuto il 2 aprile 2025 a Roma.", "it", "2025-04-02"},
		{"A cimeira decorreu a 5 de março de 2025 em Lisboa.", "pt", "2025-03-05"},
		{"De top vond plaats op 14 mrt. 2025 in Den Haag.", "nl", "2025-03-14"},
		{"Szczyt odbył się 14 marca 2025 r. w Warszawie.", "pl", "2025-03-14"},
		{"Summit se konal 1. července 2025 v Praze.", "cs", "2025-07-01"},
		{"Зустріч відбулася 14 березня 2025 року в Києві.", "uk", "2025-03-14"},
		{"Η σύνοδος έγινε στις 14 ΜΑΡΤΙΟΥ 2025 στην Αθήνα.", "el", "2025-03-14"},
		{"Zirve 14 Mart 2025 tarihinde Ankara'da yapıldı.", "tr", "2025-03-14"},
		{"KTT berlangsung pada 14 Maret 2025 di Jakarta.", "id", "2025-03-14"},
		{"A csúcstalálkozót 2025. március 14. napján tartották.", "hu", "2025-03-14"},
		{"הפסגה התקיימה ב-14 במרץ 2025 בירושלים.", "he", "2025-03-14"},
		{"शिखर सम्मेलन 14 मार्च 2025 को दिल्ली में हुआ।", "hi", "2025-03-14"},
		{"การประชุมจัดขึ้นเมื่อวันที่ 14 มีนาคม 2568 ที่กรุงเทพฯ", "th", "2025-03-14"},
		{"峰会于2025年3月14日在北京举行。", "zh", "2025-03-14"},
		{"정상회의는 2025년 3월 14일 서울에서 열렸다.", "ko", "2025-03-14"},
		{"Kokous pidettiin 14. maaliskuuta 2025 Helsingissä.", "fi", "2025-03-14"},
	}
	for _, tt := range tests {
		found := false
		for _, x := range TagLang(tt.text, d("2025-06-01"), tt.lang) {
			if x.Value == tt.want {
				found = true
			}
		}
		if !found {
			t.Errorf("TagLang(%q, %s): no %s in %+v", tt.text, tt.lang, tt.want, TagLang(tt.text, d("2025-06-01"), tt.lang))
		}
	}
}

// TestYearsOutOfRange: an expression that resolves before the year 1 (or
// after 9999) gives no date: no date format dossier writes can hold it,
// and one such statement made a story's view fail to encode.
func TestYearsOutOfRange(t *testing.T) {
	anchor := time.Date(2025, 2, 14, 0, 0, 0, 0, time.UTC)
	for _, e := range Tag("Since its founding, 2466 years ago, the series has grown.", anchor) {
		if e.Type == "DATE" {
			t.Errorf("2466 years ago: tagged %+v, want no date", e)
		}
	}
	for _, v := range []string{"-441", "0000"} {
		if lo, hi := Range(v, "", anchor); !lo.IsZero() || !hi.IsZero() {
			t.Errorf("Range(%q) = %v, %v; want unknown", v, lo, hi)
		}
	}
}

// TestLocalDays: in languages other than English and Arabic, days named
// from the day of writing ("gestern", "вчера", "am Montagabend", "w
// środę") and days of a month with no year ("14. März", "14 de marzo")
// are dated against the anchor, a Thursday here.
func TestLocalDays(t *testing.T) {
	anchor := d("2025-03-20")
	tests := []struct{ text, lang, want string }{
		{"Am Montagabend wurden 12 Menschen getötet, gestern weitere 3.", "de", "Montagabend=2025-03-17 gestern=2025-03-19"},
		{"Am 14. März begann der Angriff; am 3. März 2025 nicht.", "de", "14. März=2025-03-14 3. März 2025=2025-03-03"},
		{"Am kommenden Montag wird entschieden.", "de", "Montag=2025-03-24"},
		{"El lunes murieron 12 personas y ayer otras tres. El 14 de marzo comenzó.", "es", "lunes=2025-03-17 ayer=2025-03-19 14 de marzo=2025-03-14"},
		{"Llegó a Santo Domingo con Plácido Domingo.", "es", ""},
		{"Lundi, 12 personnes ont été tuées, et hier trois autres. Le 14 mars, l'attaque a commencé.", "fr", "Lundi=2025-03-17 hier=2025-03-19 14 mars=2025-03-14"},
		{"В понедельник погибли 12 человек, вчера ещё трое. 14 марта началась атака.", "ru", "понедельник=2025-03-17 вчера=2025-03-19 14 марта=2025-03-14"},
		{"W środę zginęło 12 osób, wczoraj kolejne trzy.", "pl", "środę=2025-03-19 wczoraj=2025-03-19"},
		{"Na segunda-feira, 12 pessoas morreram; ontem mais três.", "pt", "segunda-feira=2025-03-17 ontem=2025-03-19"},
		{"Am 28. Dezember begann es.", "de", "28. Dezember=2024-12-28"},
		{"El 14 de marzo se celebrará la cumbre.", "es", "14 de marzo=2026-03-14"},
		{"El lunes se celebrará la cumbre.", "es", "lunes=2025-03-24"},
		// a future in another clause, or an alleged past act, moves nothing
		{"El 19 de marzo murieron 12 personas; el juicio será en abril.", "es", "19 de marzo=2025-03-19"},
		{"Der Angeklagte soll am 14. März drei Menschen getötet haben.", "de", "14. März=2025-03-14"},
		{"Martedì scorso sono morte tre persone, ci sarà un processo.", "it", "Martedì=2025-03-18"},
		{"Pada Senin, tiga orang tewas.", "id", "Senin=2025-03-17"},
		{"Depremde 14 Mart'ta 12 kişi öldü.", "tr", "14 Mart'ta=2025-03-14"},
		{"Le 1er mars, trois personnes sont mortes.", "fr", "1er mars=2025-03-01"},
		{"Вчора ввечері загинули 12 людей, у понеділок ще троє.", "uk", "Вчора=2025-03-19 понеділок=2025-03-17"},
		{"Gisteren kwamen 12 mensen om, op maandag nog drie.", "nl", "Gisteren=2025-03-19 maandag=2025-03-17"},
	}
	for _, tt := range tests {
		var got []string
		for _, x := range TagLang(tt.text, anchor, tt.lang) {
			if x.Type == "DATE" {
				got = append(got, x.Text+"="+x.Value)
			}
		}
		if g := strings.Join(got, " "); g != tt.want {
			t.Errorf("TagLang(%q, %s):\n got %s\nwant %s", tt.text, tt.lang, g, tt.want)
		}
	}
}
