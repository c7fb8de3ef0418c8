package lang

// Side by side with lingua-go, the detector dossier used before its own
// (same languages, low-accuracy mode, the same start of the text): lingua
// is linked into this test only, never into dossier.

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pemistahl/lingua-go"

	"dossier/internal/sharedtest"
)

// linguaDetector is the former detector: lingua-go over the same languages.
type linguaDetector struct {
	d     lingua.LanguageDetector
	codes map[lingua.Language]string
}

func newLingua(t testing.TB) *linguaDetector {
	ld := &linguaDetector{codes: map[lingua.Language]string{}}
	var langs []lingua.Language
	for _, c := range ModelCodes() {
		l := lingua.GetLanguageFromIsoCode639_1(lingua.GetIsoCode639_1FromValue(c))
		if l == lingua.Unknown {
			t.Fatalf("lingua has no %s", c)
		}
		langs = append(langs, l)
		if slices.Contains(recognised, c) {
			ld.codes[l] = c
		}
	}
	ld.d = lingua.NewLanguageDetectorBuilder().FromLanguages(langs...).WithLowAccuracyMode().Build()
	return ld
}

// detect follows the former Guess: mojibake and Maltese first, then lingua.
func (ld *linguaDetector) detect(title, text string) string {
	s := title + "\n" + head(text, sample)
	switch {
	case strings.TrimSpace(s) == "":
		return ""
	case Mojibake(s):
		return Und
	case maltese(s):
		return "mt"
	}
	vs := ld.d.ComputeLanguageConfidenceValues(s)
	if len(vs) == 0 || vs[0].Value() == 0 || (len(vs) > 1 && vs[0].Value() == vs[1].Value()) {
		return Und
	}
	if c, ok := ld.codes[vs[0].Language()]; ok {
		return c
	}
	return Und
}

// semevalTexts reads the SemEval-2022 dev articles with the language the
// pairs file gives each (../shared/bench/similarity).
func semevalTexts(t testing.TB) []labelled {
	langOf := map[string]string{}
	f, err := os.Open(sharedtest.Path(t, "bench", "similarity", "semeval-dev-pairs.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var p struct{ A, B, La, Lb string }
		if err := json.Unmarshal(sc.Bytes(), &p); err != nil {
			t.Fatal(err)
		}
		langOf[p.A], langOf[p.B] = p.La, p.Lb
	}
	g, err := os.Open(sharedtest.Path(t, "bench", "similarity", "semeval-dev.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	var out []labelled
	sc = bufio.NewScanner(g)
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var a struct{ ID, Text string }
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			t.Fatal(err)
		}
		if l := langOf[a.ID]; l != "" {
			out = append(out, labelled{l, a.Text})
		}
	}
	if len(out) < 2000 {
		t.Fatalf("only %d labelled SemEval texts", len(out))
	}
	return out
}

// TestAgainstLingua measures dossier's detector and lingua-go on the same
// texts: the sentences written for these tests, CLDR names, and the 2,300
// SemEval articles in ten languages (the SemEval texts carry some encoding
// damage from their source; "und" on those counts as wrong for both). It
// holds dossier's accuracy at least at lingua's on every set, and reports
// the time per text.
func TestAgainstLingua(t *testing.T) {
	d, ld := New(), newLingua(t)
	ss := loadSentences(t)
	var cs []string
	for _, s := range ss {
		cs = append(cs, s.want)
	}
	slices.Sort(cs)
	cs = slices.Compact(cs)
	for _, set := range []struct {
		name string
		ls   []labelled
	}{{"sentences", ss}, {"cldr", cldrSamples(cs)}, {"semeval", semevalTexts(t)}} {
		var ours, theirs int
		var tOurs, tTheirs time.Duration
		perLang := map[string][3]int{}
		for _, s := range set.ls {
			start := time.Now()
			a := d.Detect("", s.text)
			tOurs += time.Since(start)
			start = time.Now()
			b := ld.detect("", s.text)
			tTheirs += time.Since(start)
			pl := perLang[s.want]
			pl[0]++
			if a == s.want {
				ours++
				pl[1]++
			}
			if b == s.want {
				theirs++
				pl[2]++
			}
			perLang[s.want] = pl
		}
		var row []string
		for _, l := range slices.Sorted(func(yield func(string) bool) {
			for k := range perLang {
				if !yield(k) {
					return
				}
			}
		}) {
			pl := perLang[l]
			row = append(row, fmt.Sprintf("%s %d/%d/%d", l, pl[1], pl[2], pl[0]))
		}
		n := len(set.ls)
		t.Logf("%s: dossier %d of %d (%.3f), lingua-go %d (%.3f); per text dossier %v, lingua-go %v\n  per language (dossier/lingua/all): %s",
			set.name, ours, n, float64(ours)/float64(n), theirs, float64(theirs)/float64(n),
			(tOurs / time.Duration(n)).Round(time.Microsecond/10), (tTheirs / time.Duration(n)).Round(time.Microsecond/10),
			strings.Join(row, ", "))
		if ours < theirs {
			t.Errorf("%s: dossier right on %d, lingua-go on %d", set.name, ours, theirs)
		}
	}
}
