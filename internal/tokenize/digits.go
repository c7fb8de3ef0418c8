package tokenize

import "unicode"

// DigitValue returns the value of r when r is a decimal digit of any
// script ('7', '٧', '۷', '७', '７', '𝟕'), and false otherwise.
func DigitValue(r rune) (int, bool) {
	if r >= '0' && r <= '9' {
		return int(r - '0'), true
	}
	if r < 0x0660 {
		return 0, false
	}
	// Unicode's decimal digits come in runs of ten, zero first, and each
	// range of unicode.Nd holds whole runs (TestDigitRanges).
	for _, g := range unicode.Nd.R16 {
		if r < rune(g.Lo) {
			return 0, false
		}
		if r <= rune(g.Hi) {
			return int(r-rune(g.Lo)) % 10, true
		}
	}
	for _, g := range unicode.Nd.R32 {
		if r < rune(g.Lo) {
			return 0, false
		}
		if r <= rune(g.Hi) {
			return int(r-rune(g.Lo)) % 10, true
		}
	}
	return 0, false
}
