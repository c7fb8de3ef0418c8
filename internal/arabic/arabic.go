// Package arabic folds the variants of Arabic script that carry no meaning
// for matching: diacritics (harakat) and tatweel are dropped, hamza-carrying
// alefs become bare alef, alef maqsura becomes yeh, ta marbuta becomes heh.
package arabic

import "strings"

// FoldRune returns the folded form of r and whether it is kept at all.
func FoldRune(r rune) (rune, bool) {
	switch {
	case r >= 0x064B && r <= 0x065F, r == 0x0670, r == 0x0640:
		return 0, false
	case r == 'أ' || r == 'إ' || r == 'آ':
		return 'ا', true
	case r == 'ى':
		return 'ي', true
	case r == 'ة':
		return 'ه', true
	}
	return r, true
}

// Has reports whether s holds any Arabic letter.
func Has(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return r >= 0x0600 && r <= 0x06FF })
}

// Fold folds every rune of s.
func Fold(s string) string {
	if !Has(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if f, ok := FoldRune(r); ok {
			b.WriteRune(f)
		}
	}
	return b.String()
}
