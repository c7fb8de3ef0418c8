package tokenize

import (
	"strings"
	"testing"
	"time"
)

// TestMonthWords checks the month table: twelve months in each language
// (Irish's two-word months apart), and no word that names two months of one
// language, which would make a date ambiguous.
func TestMonthWords(t *testing.T) {
	for lang, months := range monthWords {
		seen := map[string]time.Month{}
		for i, forms := range months {
			if strings.TrimSpace(forms) == "" && !(lang == "ga" && (i == 8 || i == 9)) {
				t.Errorf("%s: no name for month %d", lang, i+1)
			}
			for _, w := range strings.Fields(forms) {
				k := monthKey(w)
				if m, ok := seen[k]; ok && m != time.Month(i+1) {
					t.Errorf("%s: %q names both %v and %v", lang, w, m, time.Month(i+1))
				}
				seen[k] = time.Month(i + 1)
			}
		}
	}
}

func TestMonth(t *testing.T) {
	tests := []struct {
		word, lang string
		want       time.Month
		ok         bool
	}{
		{"marzo", "es", time.March, true},
		{"Marzo", "it", time.March, true},
		{"марта", "ru", time.March, true},
		{"ΜΑΡΤΙΟΥ", "el", time.March, true},
		{"févr.", "fr", time.February, true},
		{"Okt.", "de", time.October, true},
		{"června", "cs", time.June, true},
		{"července", "cs", time.July, true},
		{"listopada", "hr", time.October, true},
		{"listopada", "pl", time.November, true},
		{"במרץ", "he", time.March, true},
		{"mar", "fr", 0, false}, // "mar" is not a French month
		{"marzo", "en", 0, false},
		{"Sept.", "en", time.September, true},
		{"يوليو", "ar", time.July, true},
		{"كانون الثاني", ArabicRegional, time.January, true},
		{"تموز", ArabicRegional, time.July, true},
		{"تموز", "ar", 0, false}, // regional names are apart
		{"enero", "xx", 0, false},
	}
	for _, tt := range tests {
		got, ok := Month(tt.word, tt.lang)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Month(%q, %s) = %v, %v; want %v, %v", tt.word, tt.lang, got, ok, tt.want, tt.ok)
		}
	}
}

func TestMonthAny(t *testing.T) {
	tests := []struct {
		word string
		want time.Month
		ok   bool
	}{
		{"juillet", time.July, true},
		{"Juli", time.July, true},
		{"июля", time.July, true},
		{"mar", time.March, true}, // March wherever it is a month
		{"July", time.July, true},
		{"يوليو", time.July, true},
		{"listopad", 0, false}, // November in Polish and Czech, October in Croatian
		{"listopada", 0, false},
		{"house", 0, false},
	}
	for _, tt := range tests {
		got, ok := MonthAny(tt.word)
		if got != tt.want || ok != tt.ok {
			t.Errorf("MonthAny(%q) = %v, %v; want %v, %v", tt.word, got, ok, tt.want, tt.ok)
		}
	}
}

func TestMonthForms(t *testing.T) {
	if got := MonthForms("en", time.September); strings.Join(got, " ") != "September Sep Sept" {
		t.Errorf("en September: %q", got)
	}
	if got := MonthForms(ArabicRegional, time.October); len(got) != 2 || got[0] != "تشرين الأول" {
		t.Errorf("ar October: %q", got)
	}
	if MonthForms("en", 13) != nil || MonthForms("xx", 1) != nil {
		t.Error("MonthForms of no month or no language")
	}
}

func TestMonthAbbrev(t *testing.T) {
	for w, want := range map[string]bool{
		"Okt": true, "févr.": true, "out": true, "des": true, "Sept": true, "mar": true,
		"mai": false, "Jun": false, "July": false, "марта": false, "house": false,
	} {
		if got := MonthAbbrev(w); got != want {
			t.Errorf("MonthAbbrev(%q) = %v, want %v", w, got, want)
		}
	}
}
