package facts

import (
	"strings"
	"testing"
	"time"

	"dossier/internal/news"
)

// FuzzQuantities reads arbitrary text for numbers, sentences and facts: no
// panic; every span lies inside the text and says what it spans; no
// sentence or quote exceeds its cap.
func FuzzQuantities(f *testing.F) {
	for _, s := range []string{
		"About 300 soldiers were killed, according to officials.",
		"between 15kHz and 17kHz, $US55, 1.3 million, 2019-09-01, 10:38:07, -1.3%, two-thirds of",
		"قتل نحو ٣٠٠ جندي بحسب مسؤولين، 12 ألف",
		"a. b. c. Dr. U.S. " + strings.Repeat("x", 1200),
		"1/16 1⁄32 .534 from 208 pounds to 193, 21 mpg to 23 mpg",
		"Lopez, 20 and Carrasquillo, 24, killed a 59-year-old, a 1-6-2 skid, 3-2, killed 12 - most, a 12 - gauge, died at 90",
		"أعلن الجيش مقتل 12 جنديا، أعلنت فرنسا عن 5387 حالة وفاة",
		"Laut Polizei starben 1.500 Menschen, rund 2,5 Millionen; 12 000 manifestants, 2 mil 153 personas, 4 Şubat'ta 5 ölü",
		"据新华社报道，地震已造成至少12人遇难，1.2万人受伤，3248例",
		"警察によると、少なくとも12人が死亡し、100人以上が避難した。경찰에 따르면 12명이 숨지고 100명 이상이 다쳤다",
		"Wczoraj Prezydent Andrzej Duda w Polsce. Посол России. Die Krise trifft das Land; Premier Boris Johnson und die CDU.",
	} {
		f.Add(s)
	}
	anchor := time.Date(2025, 7, 8, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, text string) {
		for _, q := range Quantities(text) {
			if q.Start < 0 || q.End > len(text) || q.Start >= q.End || text[q.Start:q.End] != q.Text {
				t.Fatalf("quantity %+v does not span its text", q)
			}
		}
		for _, s := range Sentences(text) {
			if len(s.Text) > MaxSentence || s.Start < 0 || s.Start+len(s.Text) > len(text) || text[s.Start:s.Start+len(s.Text)] != s.Text {
				t.Fatalf("sentence %+v", s)
			}
		}
		for _, lang := range []string{"", "de", "fr", "ru", "tr", "zh", "ja", "ko"} {
			for _, q := range QuantitiesLang(text, lang) {
				if q.Start < 0 || q.End > len(text) || q.Start >= q.End || text[q.Start:q.End] != q.Text {
					t.Fatalf("%s: quantity %+v does not span its text", lang, q)
				}
			}
			for _, fg := range FiguresLang(text, lang) {
				if fg.Start < 0 || fg.End > len(text) || text[fg.Start:fg.End] != fg.Text {
					t.Fatalf("%s: figure %+v does not span its text", lang, fg)
				}
			}
		}
		// Names in each language's rules (German nouns, case endings,
		// titles): each is text of the input, with an entity.
		for _, lang := range []string{"", "en", "de", "pl", "ru", "uk", "tr"} {
			for _, m := range DefaultGazetteer().MentionsLang(text, lang) {
				if m.Entity == "" || m.Name == "" || !strings.Contains(text, m.Name) {
					t.Fatalf("%s: mention %+v", lang, m)
				}
			}
		}
		fs := Analyze(news.Article{Title: "T", Text: text, Language: "en"}, anchor, "captured", anchor)
		for _, fg := range fs.Figures {
			if len(fg.Sentence) > MaxQuote+2*len("…") {
				t.Fatalf("quote of %d bytes", len(fg.Sentence))
			}
		}
		for _, st := range fs.Statements {
			if len(st.Text) > MaxQuote+2*len("…") {
				t.Fatalf("quote of %d bytes", len(st.Text))
			}
		}
	})
}
