package tokenize

import (
	"testing"
	"unicode"
)

func TestDigitValue(t *testing.T) {
	for _, c := range []struct {
		r  rune
		v  int
		ok bool
	}{
		{'0', 0, true}, {'7', 7, true}, {'9', 9, true},
		{'٠', 0, true}, {'٧', 7, true}, // Arabic-Indic
		{'۷', 7, true},                 // Persian
		{'७', 7, true},                 // Devanagari
		{'๙', 9, true},                 // Thai
		{'７', 7, true},                 // full width
		{'𝟕', 7, true},                 // mathematical bold
		{'𝟗', 9, true}, {'𝟘', 0, true}, // the end of one run, the start of the next
		{'a', 0, false}, {'²', 0, false}, {'Ⅶ', 0, false}, {'七', 0, false}, {'/', 0, false},
	} {
		v, ok := DigitValue(c.r)
		if v != c.v || ok != c.ok {
			t.Errorf("DigitValue(%q) = %d, %v; want %d, %v", c.r, v, ok, c.v, c.ok)
		}
	}
}

// TestDigitRanges holds what DigitValue rests on: every range of decimal
// digits in the Unicode tables is whole runs of ten, zero first.
func TestDigitRanges(t *testing.T) {
	for _, g := range unicode.Nd.R16 {
		if g.Stride != 1 || (int(g.Hi)-int(g.Lo)+1)%10 != 0 {
			t.Errorf("range %U-%U stride %d", g.Lo, g.Hi, g.Stride)
		}
	}
	for _, g := range unicode.Nd.R32 {
		if g.Stride != 1 || (int(g.Hi)-int(g.Lo)+1)%10 != 0 {
			t.Errorf("range %U-%U stride %d", g.Lo, g.Hi, g.Stride)
		}
	}
	// Every digit DigitValue knows is one unicode knows, and back.
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if _, ok := DigitValue(r); ok != unicode.Is(unicode.Nd, r) {
			t.Fatalf("%U: DigitValue %v, unicode.Nd %v", r, ok, !ok)
		}
	}
}
