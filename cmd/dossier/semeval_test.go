package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"dossier/internal/dict"
	"dossier/internal/sharedtest"
)

// TestSemEvalPairs ingests the 2,300 undated articles in ten languages of
// the SemEval-2022 Task 8 dev set and scores how the stories and events
// group the pairs people rated. Dates cannot keep unrelated coverage apart
// here: only the features and thresholds can. The marks are the levels
// measured (README, "Measured"); the goals are unrelated at most 5
// with similar_mono at least 90, and similar_cross at least 60. With the
// FreeDict dictionaries installed (as .ci/run does) the cross-language
// mark is the level measured with them; without them, the level of the
// language-independent features alone.
func TestSemEvalPairs(t *testing.T) {
	dir := dict.DefaultDir
	if d := os.Getenv("DOSSIER_DICT"); d != "" {
		dir = strings.TrimPrefix(d, "-")
	}
	files, err := dict.Find(dir)
	if err != nil {
		t.Fatal(err)
	}
	// Without dictionaries: 89.0 / 51.9 / 8.4 / 75.3 measured since the
	// entities were mended (2026-11-29): Germany's names one entity,
	// one-word names matching capitalised words only, lone capitalised
	// words that are no names (German nouns, function words, days) no
	// names, countries in their Polish and Russian cases, titles before a
	// name not part of it ("Premier Boris Johnson" meets "Boris Johnson").
	// Before: 88.5 / 46.8 / 8.4 / 74.4 (48.1 across languages before a
	// figure's value stopped counting as a second number feature: one
	// pair of 79).
	// Since the young archive is relearned (cluster.Config.RelearnUpTo):
	// 89.5 / 55.7 / 8.2 / 75.4; 89.0 / 51.9 / 8.4 / 75.3 before. Since
	// the curated names have their Chinese, Japanese, Russian and
	// Ukrainian forms: 89.5 / 57.0 / 8.4 / 75.5.
	mono, cross, unrel, f1 := "similar_mono=89.5", "similar_cross=56.9", "unrelated=8.5", "pair_f1=75.5"
	// The largest story and the stories over 20 articles, measured.
	// 103 since those names (102 since the relearn, 98 before, 97
	// before the entities were mended, 96 before the figure change).
	largest, over20 := 103, 3
	withDict := dir != "" && len(files) > 0
	if withDict {
		t.Logf("with the dictionaries in %s: %v", dir, files.Languages())
		// The goals for similar_mono and similar_cross (60) are met and
		// held at the levels measured, 90.1 and 67.1; unrelated is 8.8
		// and pair_f1 77.6 since the entities were mended (above): 65.8
		// across languages and 77.1 before, when a figure's value had
		// stopped counting as a second number feature (7.2 unrelated
		// when articles in two languages were compared on their terms
		// without weighing them by rarity, and similar_cross 39.2).
		// Since the young archive is relearned: 90.1 / 69.6 / 8.4 /
		// 77.6 (similar_cross 67.1 and unrelated 8.8 before). Since the
		// curated names have their Chinese, Japanese, Russian and
		// Ukrainian forms: 89.5 / 68.4 / 8.4 / 77.3. One English pair of
		// Trump's golf came apart, and with it one pair of its
		// translations, once reports in Chinese that name Trump counted
		// in his name's frequency; one pair in Chinese and English met.
		mono, cross, unrel, f1 = "similar_mono=89.5", "similar_cross=68.3", "unrelated=8.5", "pair_f1=77.2"
		// Coverage of Covid-19 in eight languages meets through the
		// dictionaries: the largest story gathers 150 articles (102
		// without); 146 before the relearn, 145 before the entities
		// were mended.
		largest, over20 = 150, 5
	} else {
		t.Logf("without dictionaries (none in %q): the marks of the language-independent features", dir)
	}
	data := t.TempDir()
	path := sharedtest.Path(t, "bench", "similarity", "semeval-dev.jsonl")
	if out, errs, code := dossier(t, "add", "-q", "-data", data, path); code != 0 {
		t.Fatalf("add: exit %d\n%s%s", code, out, errs)
	}
	export := filepath.Join(t.TempDir(), "export.json")
	if _, errs, code := dossier(t, "export", "-data", data, "-o", export); code != 0 {
		t.Fatalf("export: %s", errs)
	}
	pairs := sharedtest.Path(t, "bench", "similarity", "semeval-dev-pairs.jsonl")
	sharedtest.Score(t, "score_pairs.py", pairs, export, "--level", "story", "--by-lang",
		"--min", mono, "--min", cross, "--max", unrel, "--min", f1)
	sharedtest.Score(t, "score_pairs.py", pairs, export, "--level", "event",
		"--min", "similar_mono=68", "--max", "unrelated=3.5")

	// No story grows by chaining: the largest stories stay small beside
	// the 2,300 articles (the largest gathers articles about Covid-19 in
	// several languages).
	sizes := storySizes(t, export)
	t.Logf("%d stories; largest %v", len(sizes), sizes[:min(10, len(sizes))])
	hist := map[string]int{}
	for _, n := range sizes {
		switch {
		case n == 1:
			hist["1"]++
		case n <= 5:
			hist["2-5"]++
		case n <= 20:
			hist["6-20"]++
		default:
			hist[">20"]++
		}
	}
	t.Logf("story sizes: 1: %d, 2-5: %d, 6-20: %d, >20: %d", hist["1"], hist["2-5"], hist["6-20"], hist[">20"])
	if sizes[0] > largest {
		t.Errorf("largest story has %d articles, at most %d (dictionaries: %v)", sizes[0], largest, withDict)
	}
	if hist[">20"] > over20 {
		t.Errorf("%d stories over 20 articles, at most %d (dictionaries: %v)", hist[">20"], over20, withDict)
	}
}

// storySizes returns the number of articles of each story, largest first.
func storySizes(t *testing.T, export string) []int {
	t.Helper()
	b, err := os.ReadFile(export)
	if err != nil {
		t.Fatal(err)
	}
	var e struct {
		Articles []struct {
			Story *string `json:"story"`
		} `json:"articles"`
	}
	if err := json.Unmarshal(b, &e); err != nil {
		t.Fatal(err)
	}
	n := map[string]int{}
	for _, a := range e.Articles {
		if a.Story != nil {
			n[*a.Story]++
		}
	}
	var out []int
	for _, k := range n {
		out = append(out, k)
	}
	if len(out) == 0 {
		t.Fatal(fmt.Errorf("export %s has no stories", export))
	}
	sort.Sort(sort.Reverse(sort.IntSlice(out)))
	return out
}
