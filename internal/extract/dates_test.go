package extract

import (
	"strings"
	"testing"
)

func TestLineKinds(t *testing.T) {
	for _, tc := range []struct {
		line    string
		date    bool
		urlOnly bool
	}{
		{"May 03, 2013", true, false},
		{"March 4, 2019 10:42 AM EST", true, false},
		{"Monday, 7 July 2025 21:04", true, false},
		{"2013-05-03 10:21 +02:00", true, false},
		{"7 يوليو 2025", true, false},
		{"May 03, 2013: the day the bridge fell", false, false},
		{"February 30, 2013", false, false},
		{"http: / / articles. example. com / 2013 / may / 03 / local / bridge - reopens", false, true},
		{"https://www.example.com/2013/05/03/bridge-reopens.html", false, true},
		{"http://example.com/x is where the report was first posted.", false, false},
	} {
		if got := dateOnly(tc.line); got != tc.date {
			t.Errorf("dateOnly(%q) = %v, want %v", tc.line, got, tc.date)
		}
		if got := urlOnly(tc.line); got != tc.urlOnly {
			t.Errorf("urlOnly(%q) = %v, want %v", tc.line, got, tc.urlOnly)
		}
	}
}

// Datelines are read in every language whose month names tokenize knows;
// a month word that two languages give different months is no date.
func TestDatePrefixLanguages(t *testing.T) {
	for _, tc := range []struct {
		line string
		want string // YYYY-MM-DD, or "" for no date
	}{
		{"7 July 2025", "2025-07-07"},
		{"Sat, 7 Jul 2025 08:00", "2025-07-07"},
		{"July 7, 2025 — The council voted", "2025-07-07"},
		{"Montag, 3. März 2025", "2025-03-03"},
		{"3. März 2025 Berlin – Die Regierung", "2025-03-03"},
		{"lundi 7 juillet 2025", ""}, // a French weekday without a comma is not known
		{"7 juillet 2025", "2025-07-07"},
		{"14 de marzo de 2025", "2025-03-14"},
		{"martes, 14 de marzo de 2025", "2025-03-14"},
		{"14 марта 2025 года", "2025-03-14"},
		{"14 września 2025", "2025-09-14"},
		{"7 يوليو 2025", "2025-07-07"},
		{"الاثنين 7 تموز 2025", "2025-07-07"},
		{"7 كانون الثاني 2025", "2025-01-07"},
		{"12 listopada 2025", ""},   // November in Polish, October in Croatian
		{"Updated, 7 out 2025", ""}, // "out" is Portuguese October only with its dot
		{"7 out. 2025", "2025-10-07"},
		{"7 des 2025", ""},
		{"7 Okt. 2025", "2025-10-07"},
		{"Paris, 7 July 2025", "2025-07-07"},
		{"الأحد، 7 يوليو 2025", "2025-07-07"},
		{"7 Things 2025", ""},
		{"Since 7 March 2025 the bridge", ""},
		{"31 juin 2025", ""}, // no such day
	} {
		got := ""
		if r, ok := leadingDate(tc.line); ok {
			got = r.Earliest.Format("2006-01-02")
		}
		if got != tc.want {
			t.Errorf("leadingDate(%q) = %q, want %q", tc.line, got, tc.want)
		}
	}
}

// A scraped German page: its dateline, under the headline, is the
// article's date.
func TestTextDatelineOtherLanguage(t *testing.T) {
	page := strings.Join([]string{
		"Startseite | Politik | Wirtschaft | Sport",
		"Regierung beschließt neues Hochwassergesetz",
		"Montag, 3. März 2025",
		"Die Bundesregierung hat am Montag ein Gesetz zum Schutz vor Hochwasser beschlossen. Es sieht neue Rückhaltebecken an Elbe und Oder vor und soll bis 2030 umgesetzt werden.",
		"Die Kosten werden auf 2,4 Milliarden Euro geschätzt, teilte das Umweltministerium mit. Die Länder sollen ein Drittel davon tragen.",
		"Kommentare (12) | Teilen",
	}, "\n\n")
	arts, err := Page([]byte(page), Input{Name: "de.txt", Format: "text"})
	if err != nil || len(arts) == 0 {
		t.Fatalf("Page: %v, %d articles", err, len(arts))
	}
	if got := arts[0].Published.Earliest.Format("2006-01-02"); !arts[0].Published.Known() || got != "2025-03-03" {
		t.Errorf("published %q (%+v), want 2025-03-03 from the dateline", got, arts[0].Published)
	}
}
