package lang

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// Minimum accuracy held by TestAccuracy, measured when it was written:
// sentences 175 of 177, CLDR names 78 of 84 (see the log for each
// language; lists of names are hard: "engelsk, fransk, tysk" is Danish and
// Norwegian alike). The detector before this set of languages, restricted
// to 22, scored 86 of 177 and 43 of 84.
const (
	minSentences = 0.97
	minCLDR      = 0.92
	// minPerLanguage is the lowest share of one language's sentences that
	// must be right (Indonesian and Malay are mistaken for each other).
	minPerLanguage = 0.5
)

// TestAccuracy measures per-language accuracy on sentences written for
// these tests and on CLDR names, and holds it.
func TestAccuracy(t *testing.T) {
	d := New()
	ss := loadSentences(t)
	codes := map[string]bool{}
	for _, s := range ss {
		codes[s.want] = true
	}
	var cs []string
	for c := range codes {
		cs = append(cs, c)
	}
	sort.Strings(cs)
	for _, set := range []struct {
		name string
		ls   []labelled
		min  float64
	}{{"sentences", ss, minSentences}, {"cldr", cldrSamples(cs), minCLDR}} {
		right := map[string]int{}
		all := map[string]int{}
		var wrong []string
		ok := 0
		for _, s := range set.ls {
			all[s.want]++
			g := d.Guess("", s.text)
			if g.Code == s.want {
				right[s.want]++
				ok++
			} else {
				wrong = append(wrong, fmt.Sprintf("%s→%s (%.2f) %.40q", s.want, g.Code, g.Confidence, s.text))
			}
		}
		var row []string
		for _, c := range cs {
			if all[c] > 0 {
				row = append(row, fmt.Sprintf("%s %d/%d", c, right[c], all[c]))
				if set.name == "sentences" && float64(right[c]) < minPerLanguage*float64(all[c]) {
					t.Errorf("%s: %s right on %d of %d", set.name, c, right[c], all[c])
				}
			}
		}
		acc := float64(ok) / float64(len(set.ls))
		t.Logf("%s: %d of %d right (%.3f)\n  %s\n  wrong:\n  %s", set.name, ok, len(set.ls), acc, strings.Join(row, ", "), strings.Join(wrong, "\n  "))
		if acc < set.min {
			t.Errorf("%s accuracy %.3f, want at least %.3f", set.name, acc, set.min)
		}
	}
}

// TestMojibake encodes each sentence in its language's legacy encoding and
// reads the bytes as Windows-1252, as a browser does with an undeclared
// page, and reads UTF-8 as Latin-1: the result must be und, never a
// language. (Polish, Czech or Turkish read as Windows-1252 lose only their
// own letters and stay readable in their language; their label is right
// and is kept.) The sentences themselves are never taken for mojibake.
func TestMojibake(t *testing.T) {
	d := New()
	legacy := map[string]encoding.Encoding{
		"zh": simplifiedchinese.GBK, "ja": japanese.ShiftJIS, "ko": korean.EUCKR,
		"ru": charmap.Windows1251, "uk": charmap.Windows1251, "bg": charmap.Windows1251,
		"el": charmap.Windows1253, "ar": charmap.Windows1256, "he": charmap.Windows1255,
		"th": charmap.Windows874,
	}
	n := 0
	for _, s := range loadSentences(t) {
		if Mojibake(s.text) {
			t.Errorf("%s taken for mojibake: %q", s.want, s.text)
		}
		enc, ok := legacy[s.want]
		if !ok {
			continue
		}
		b, err := enc.NewEncoder().String(s.text)
		if err != nil {
			t.Fatalf("%s: %v", s.want, err)
		}
		moji, err := charmap.Windows1252.NewDecoder().String(b)
		if err != nil {
			t.Fatal(err)
		}
		// UTF-8 read as Latin-1, the other common accident.
		latin, _ := charmap.ISO8859_1.NewDecoder().String(s.text)
		for _, m := range []string{moji, latin} {
			if m == s.text {
				continue
			}
			n++
			if got := d.Detect("", m); got != Und {
				t.Errorf("%s mojibake %q labelled %q", s.want, m, got)
			}
		}
	}
	if n < 40 {
		t.Errorf("only %d mojibake samples", n)
	}
}
