package timex

import (
	"testing"
	"time"
)

// FuzzTag tags arbitrary text in English, Arabic and French: no panic, and
// every expression lies inside the text and says what it spans, with a
// range whose bounds are in order.
func FuzzTag(f *testing.F) {
	for _, s := range []string{
		"units ceased operations around mid-January, three years ago, last fall",
		"7 July 2025 21:04 Washington (AFP): the tariffs would apply from August 1",
		"منتصف يناير/كانون الثاني، أواخر عام 2024، هذا الصيف، منذ 3 ساعات",
		"le 14 mars 2025, 3. März 2025, 14 de marzo de 2025",
		"the 1990s, the 21st century, next Friday, Christmas Eve, 2009-2010",
	} {
		f.Add(s, "en")
		f.Add(s, "fr")
	}
	f.Add("منذ ثلاثة أيام", "ar")
	f.Add("Am Montagabend, gestern, am 14. März; 31 de febrero", "de")
	f.Add("В понедельник, вчера, 14 марта", "ru")
	f.Add("el lunes, ayer, el 14 de marzo, Santo Domingo", "es")
	anchor := time.Date(2025, 7, 8, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, text, lang string) {
		if len(lang) > 8 {
			lang = lang[:8]
		}
		for _, x := range TagLang(text, anchor, lang) {
			if x.Start < 0 || x.End > len(text) || x.Start > x.End || text[x.Start:x.End] != x.Text {
				t.Fatalf("expression %+v does not span its text", x)
			}
			if !x.Earliest.IsZero() && !x.Latest.IsZero() && x.Latest.Before(x.Earliest) {
				t.Fatalf("expression %q: range %v–%v out of order", x.Text, x.Earliest, x.Latest)
			}
		}
	})
}
