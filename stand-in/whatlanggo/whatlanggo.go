// Package whatlanggo stands in for github.com/RadhiFadlillah/whatlanggo in
// dossier's build. Its one caller there, go-trafilatura, guesses the
// language of every extracted text with it (whatlanggo.DetectLang) and
// puts the guess in the page's metadata; dossier identifies the language
// itself (internal/lang) and did not want the guess: the guess cost a fifth
// of dossier's extraction time, and where dossier answers undetermined it
// named a language the issue asks not to guess. This module answers every
// text as undetermined, so go-trafilatura keeps the language the page
// declares (<html lang>, meta tags). Written for dossier; no code of the
// original is copied. See dossier's README, "Dependencies".
package whatlanggo

// Lang is a language; the zero value is none.
type Lang int

// DetectLang answers every text as undetermined.
func DetectLang(string) Lang { return 0 }

// Iso6391 returns the language's ISO 639-1 code, "" for none.
func (Lang) Iso6391() string { return "" }
