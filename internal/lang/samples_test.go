package lang

// Test data: testdata/sentences.tsv (written for this project) and short
// strings from CLDR through golang.org/x/text: the names of ten languages
// and of twelve countries as each language writes them.

import (
	"bufio"
	"os"
	"strings"
	"testing"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

type labelled struct{ want, text string }

func loadSentences(t testing.TB) []labelled {
	f, err := os.Open("testdata/sentences.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []labelled
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		l := sc.Text()
		if strings.HasPrefix(l, "#") || strings.TrimSpace(l) == "" {
			continue
		}
		w, txt, _ := strings.Cut(l, "\t")
		out = append(out, labelled{w, txt})
	}
	return out
}

var cldrNames = []string{"en", "fr", "de", "es", "zh", "ar", "ru", "ja", "it", "pt"}
var cldrRegions = []string{"US", "GB", "FR", "DE", "CN", "JP", "RU", "BR", "IN", "EG", "ES", "IT"}

func cldrSamples(codes []string) []labelled {
	var out []labelled
	for _, c := range codes {
		if c == "und" {
			continue
		}
		tag := language.MustParse(c)
		ln, rn := display.Languages(tag), display.Regions(tag)
		var names, regs []string
		for _, n := range cldrNames {
			names = append(names, ln.Name(language.MustParse(n)))
		}
		for _, r := range cldrRegions {
			regs = append(regs, rn.Name(language.MustParseRegion(r)))
		}
		out = append(out, labelled{c, strings.Join(names, ", ")}, labelled{c, strings.Join(regs, ", ")})
	}
	return out
}
