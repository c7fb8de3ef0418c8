package whatlanggo

import "testing"

func TestUndetermined(t *testing.T) {
	for _, s := range []string{"", "This is English.", "Hier ist ein Text auf Deutsch"} {
		if got := DetectLang(s).Iso6391(); got != "" {
			t.Errorf("DetectLang(%q) = %q, want undetermined", s, got)
		}
	}
}
