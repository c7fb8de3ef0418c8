package tokenize

import (
	"reflect"
	"strings"
	"testing"
)

func TestTokens(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"North Korean troops, 12,000 of them.", []string{"north", "korean", "troops", "12", "000", "of", "them"}},
		{"قُتِلَ 300 جندي", []string{"قتل", "300", "جندي"}},
		{"أعلنت إدارة ٣٠٠", []string{"اعلنت", "اداره", "300"}},
		{"台风登陆", []string{"台风", "风登", "登陆"}},
		{"台", []string{"台"}},
		{"Zelenskyy和台风", []string{"zelenskyy", "和台", "台风"}},
		{"Straße Élysée", []string{"straße", "élysée"}},
	}
	for _, tt := range tests {
		var got []string
		for _, tok := range Tokens(tt.in) {
			got = append(got, tok.Norm)
			if tok.Start < 0 || tok.End > len(tt.in) || tok.Start >= tok.End {
				t.Errorf("%q: bad span %d-%d", tt.in, tok.Start, tok.End)
			}
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Tokens(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestQueryMeetsIndex checks that each query finds the text it should and
// not the one it should not, through the terms the index holds: Arabic
// with and without harakat, Chinese words of two characters, English and
// German inflection.
func TestQueryMeetsIndex(t *testing.T) {
	tests := []struct {
		query, text, lang string
		want              bool
	}{
		{"قتل", "وقال المسؤول إن 300 جندي قُتِلَ في المعارك", "ar", true},
		{"قُتِلَ", "قتل 300 جندي", "ar", true},
		{"القوات", "انسحبت قوات كوريا الشمالية", "ar", true},
		{"قوات", "انسحبت القوات من كورسك", "ar", true},
		{"台风", "强台风今天在广东登陆", "zh", true},
		{"台风", "今天天气很好", "zh", false},
		{"troops", "A troop of soldiers crossed the border", "en", true},
		{"troop", "North Korean troops were deployed", "en", true},
		{"casualties", "one casualty was reported", "en", true},
		{"killed", "soldiers kill", "en", true},
		{"Truppen", "Die Truppe zog sich zurück", "de", true},
		{"Truppe", "Nordkoreanische Truppen in Kursk", "de", true},
		{"soldats", "un soldat blessé", "fr", true},
		{"troops", "the trap was set", "en", false},
	}
	for _, tt := range tests {
		index := map[string]bool{}
		for _, term := range Terms(tt.text, tt.lang) {
			index[term] = true
		}
		got := true
		for _, forms := range QueryTerms(tt.query) {
			any := false
			for _, f := range forms {
				any = any || index[f]
			}
			got = got && any
		}
		if got != tt.want {
			t.Errorf("query %q on %q (%s): found %v, want %v (index %v, query %v)", tt.query, tt.text, tt.lang, got, tt.want, Terms(tt.text, tt.lang), QueryTerms(tt.query))
		}
	}
}

func TestSnippet(t *testing.T) {
	text := strings.Repeat("Nothing to see here. ", 30) + "North Korean troops were deployed to Kursk, officials said. " + strings.Repeat("More filler text. ", 30)
	s := NewMatcher("troop Kursk").Snippet(text, "en", 120)
	if len(s.Text) > 140 {
		t.Errorf("snippet too long: %d bytes", len(s.Text))
	}
	if got := s.Mark("[", "]"); !strings.Contains(got, "[troops]") || !strings.Contains(got, "[Kursk]") {
		t.Errorf("snippet %q not marked as wanted", got)
	}
	ar := NewMatcher("قتل").Snippet("قال مسؤول إن 300 جندي قُتِلَ في المعارك", "ar", 200)
	if got := ar.Mark("[", "]"); !strings.Contains(got, "[قُتِلَ]") {
		t.Errorf("arabic snippet %q", got)
	}
	zh := NewMatcher("台风").Snippet("强台风今天在广东登陆", "zh", 200)
	if got := zh.Mark("[", "]"); !strings.Contains(got, "[台风]") {
		t.Errorf("chinese snippet %q", got)
	}
}
