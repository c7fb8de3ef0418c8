// Package tokenize splits text into the words dossier indexes and searches:
// each word with its byte span, folded the same way at index and query
// time (lower case, Arabic letter variants and diacritics folded, Arabic
// and Persian digits in ASCII, Latin accents kept), reduced to a light
// stem in the languages that inflect by suffix, and Chinese and Japanese
// runs cut into overlapping character bigrams (plus single characters, so
// that a one-character query finds something). It is pure: strings in,
// values out.
package tokenize

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"dossier/internal/arabic"
)

// Token is one word of a text.
type Token struct {
	// Start and End are the word's byte span in the text.
	Start, End int
	// Norm is the folded word: lower case, Arabic folded, digits in ASCII.
	Norm string
	// CJK says the token is a bigram or character of a Chinese or
	// Japanese run.
	CJK bool
}

// isCJK reports whether r belongs to a script written without spaces
// between words that dossier cuts into bigrams.
func isCJK(r rune) bool {
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r)
}

func wordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// Tokens returns the words of s in order. A CJK run yields its bigrams
// (or its one character when alone); other runs of letters, digits and
// marks are one word each.
func Tokens(s string) []Token {
	var out []Token
	i := 0
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case isCJK(r):
			j := i
			var starts []int
			for j < len(s) {
				r2, n2 := utf8.DecodeRuneInString(s[j:])
				if !isCJK(r2) {
					break
				}
				starts = append(starts, j)
				j += n2
			}
			starts = append(starts, j)
			if len(starts) == 2 {
				out = append(out, Token{Start: i, End: j, Norm: s[i:j], CJK: true})
			}
			for k := 0; k+2 < len(starts); k++ {
				out = append(out, Token{Start: starts[k], End: starts[k+2], Norm: s[starts[k]:starts[k+2]], CJK: true})
			}
			i = j
		case wordRune(r):
			j := i
			for j < len(s) {
				r2, n2 := utf8.DecodeRuneInString(s[j:])
				if !wordRune(r2) || isCJK(r2) {
					break
				}
				j += n2
			}
			if norm := Fold(s[i:j]); norm != "" {
				out = append(out, Token{Start: i, End: j, Norm: norm})
			}
			i = j
		default:
			i += n
		}
	}
	return out
}

// Fold folds one word: lower case, Arabic letter variants, diacritics and
// tatweel folded, Arabic-Indic and Persian digits in ASCII.
func Fold(w string) string {
	var b strings.Builder
	b.Grow(len(w))
	for _, r := range w {
		r, keep := arabic.FoldRune(r)
		switch {
		case !keep:
		case r >= 0x0660 && r <= 0x0669:
			b.WriteRune('0' + r - 0x0660)
		case r >= 0x06F0 && r <= 0x06F9:
			b.WriteRune('0' + r - 0x06F0)
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// Terms returns the index terms of a text in language lang (ISO 639-1,
// "" when unknown): each word's stem in that language, and each CJK bigram.
func Terms(s, lang string) []string {
	toks := Tokens(s)
	out := make([]string, 0, len(toks))
	for _, t := range toks {
		if t.CJK {
			out = append(out, t.Norm)
			continue
		}
		out = append(out, Stem(t.Norm, lang))
	}
	return out
}

// QueryTerms returns, for each word of a query, the forms it may take in
// the index: its stem in every language whose stemmer changes it, and the
// folded word itself. A CJK query yields its bigrams, each with one form.
func QueryTerms(q string) [][]string {
	var out [][]string
	for _, t := range Tokens(q) {
		if t.CJK {
			out = append(out, []string{t.Norm})
			continue
		}
		forms := []string{t.Norm}
		for _, l := range stemmed {
			if s := Stem(t.Norm, l); !containsStr(forms, s) {
				forms = append(forms, s)
			}
		}
		out = append(out, forms)
	}
	return out
}

func containsStr(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
