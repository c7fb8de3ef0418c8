package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"dossier/internal/sharedtest"
)

// dossier runs the CLI in-process and returns its stdout, stderr and exit code.
func dossier(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), args, &out, &errb, os.Getenv)
	code := 0
	var ee *exitError
	switch {
	case errors.As(err, &ee):
		code = ee.code
		errb.WriteString(ee.msg)
	case err != nil:
		code = 1
		errb.WriteString(err.Error())
	}
	return out.String(), errb.String(), code
}

type seedGold struct {
	Documents []struct {
		File     string `json:"file"`
		Captured string `json:"captured"`
	} `json:"documents"`
}

// ingestSeeds adds the five seed pages, each with its capture date from the
// gold file, and returns the path of the JSON export.
func ingestSeeds(t *testing.T) string {
	t.Helper()
	_, export := ingestSeedsData(t)
	return export
}

// ingestSeedsData is ingestSeeds that also returns the data directory.
func ingestSeedsData(t *testing.T) (data, export string) {
	t.Helper()
	var gold seedGold
	b, err := os.ReadFile(sharedtest.Path(t, "gold", "seeds.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &gold); err != nil {
		t.Fatal(err)
	}
	data = t.TempDir()
	for _, d := range gold.Documents {
		out, errs, code := dossier(t, "add", "-q", "-data", data, "-captured", d.Captured, sharedtest.Path(t, "seeds", d.File))
		if code != 0 {
			t.Fatalf("add %s: exit %d\n%s%s", d.File, code, out, errs)
		}
	}
	return data, exportTo(t, data)
}

func exportTo(t *testing.T, data string) string {
	t.Helper()
	export := filepath.Join(t.TempDir(), "export.json")
	if _, errs, code := dossier(t, "export", "-data", data, "-o", export); code != 0 {
		t.Fatalf("export: exit %d: %s", code, errs)
	}
	return export
}

var measure = regexp.MustCompile(`(?m)^(\w+)\s+([\d.]+)$`)

func scores(out string) map[string]float64 {
	m := map[string]float64{}
	for _, g := range measure.FindAllStringSubmatch(out, -1) {
		v, _ := strconv.ParseFloat(g[2], 64)
		m[g[1]] = v
	}
	return m
}

// TestSeedsRecluster checks that a full recluster keeps the seed stories and
// events: it must honour the same time windows as incremental assignment
// (the January casualty report is not the April withdrawal), and, where it
// finds what assignment found, record no change.
func TestSeedsRecluster(t *testing.T) {
	data, before := ingestSeedsData(t)
	out, errs, code := dossier(t, "recluster", "-data", data)
	if code != 0 {
		t.Fatalf("recluster: exit %d\n%s%s", code, out, errs)
	}
	if !strings.Contains(out, " 0 merge(s), 0 split(s)") {
		t.Errorf("recluster changed the seed clustering: %s", out)
	}
	after := exportTo(t, data)
	sharedtest.Score(t, "score_seeds.py", after, "--min", "stories_bcubed_f1=100", "--min", "events_bcubed_f1=90")
	if clusters(t, before) != clusters(t, after) {
		t.Errorf("recluster moved articles:\nbefore %s\nafter  %s", clusters(t, before), clusters(t, after))
	}
}

// clusters lists the story and event of each exported article.
func clusters(t *testing.T, export string) string {
	t.Helper()
	b, err := os.ReadFile(export)
	if err != nil {
		t.Fatal(err)
	}
	var e struct {
		Articles []struct{ ID, Story, Event string }
	}
	if err := json.Unmarshal(b, &e); err != nil {
		t.Fatal(err)
	}
	var parts []string
	for _, a := range e.Articles {
		parts = append(parts, a.ID+":"+a.Story+"/"+a.Event)
	}
	return strings.Join(parts, " ")
}

// TestSeeds holds the seed pages to the marks of the foundation issue
// (extraction, chrome removal, article splitting, language), the facts issue
// (figures found, precise and attributed; no wrong dates) and the stories
// issue (stories and events, timeline, disagreements). The pages are added
// one command at a time, as a user would, so the clusterer's saved state is
// exercised between runs.
func TestSeeds(t *testing.T) {
	export := ingestSeeds(t)
	out := sharedtest.Score(t, "score_seeds.py", export,
		"--min", "extraction_f1=97", "--min", "chrome_removed=100", "--min", "articles_found=100", "--min", "language=100",
		"--min", "figures_recall=95", "--min", "figures_precision=90", "--min", "figures_attribution=90",
		"--min", "stories_bcubed_f1=100", "--min", "events_bcubed_f1=90", "--min", "timeline_recall=90", "--min", "disagreements=100")
	s := scores(out)
	if _, ok := s["dates_wrong"]; !ok {
		t.Fatalf("scorer output has no dates_wrong line:\n%s", out)
	}
	if s["dates_wrong"] != 0 {
		t.Errorf("dates_wrong = %v, want 0: a date dossier states must never be wrong", s["dates_wrong"])
	}
	// Every page keeps the capture date it was given.
	var exp struct {
		Articles []struct {
			Source struct {
				File     string  `json:"file"`
				Captured *string `json:"captured"`
			} `json:"source"`
		} `json:"articles"`
	}
	raw, err := os.ReadFile(export)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &exp); err != nil {
		t.Fatal(err)
	}
	for _, a := range exp.Articles {
		if a.Source.Captured == nil {
			t.Errorf("%s: no capture date in the export", a.Source.File)
		}
	}
}

func TestUsage(t *testing.T) {
	data := t.TempDir()
	tests := []struct {
		args []string
		code int
		want string
	}{
		{nil, 2, "usage:"},
		{[]string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{[]string{"add", "-data", data}, 2, "no inputs given"},
		{[]string{"add", "-data", data, "-captured", "last tuesday", "x.txt"}, 2, "-captured"},
		{[]string{"add", "-nosuchflag"}, 2, "flag provided but not defined"},
		{[]string{"export", "-data", data, "-format", "pdf"}, 2, `unknown format "pdf"`},
		{[]string{"add", "-data", data, filepath.Join(data, "missing.txt")}, 1, "1 input(s) failed"},
		{[]string{"help"}, 0, ""},
	}
	for _, tt := range tests {
		out, errs, code := dossier(t, tt.args...)
		if code != tt.code || !strings.Contains(out+errs, tt.want) {
			t.Errorf("dossier %q: exit %d, output %q; want exit %d and %q", tt.args, code, out+errs, tt.code, tt.want)
		}
	}
}

func TestAddReportsAndExports(t *testing.T) {
	dir, data := t.TempDir(), t.TempDir()
	page := "Harbour works begin\nWork on the new harbour began on Monday after years of delays, the city council said in a statement on Tuesday.\nFollow us on Facebook\n"
	os.WriteFile(filepath.Join(dir, "a.txt"), []byte(page), 0o644)
	os.WriteFile(filepath.Join(dir, "b.txt"), []byte("Syndicated: "+page), 0o644)
	os.WriteFile(filepath.Join(dir, "junk.html"), []byte("\x00\x01\x02binary"), 0o644)
	out, errs, code := dossier(t, "add", "-q", "-data", data, dir)
	if code != 1 {
		t.Errorf("exit %d, want 1 (one input failed)", code)
	}
	for _, want := range []string{"read 2 page(s)", "1 new article(s), 1 duplicate(s) folded", "languages: en 1", "junk.html: extract:", "binary content"} {
		if !strings.Contains(out+errs, want) {
			t.Errorf("output lacks %q:\n%s%s", want, out, errs)
		}
	}
	md, _, code := dossier(t, "export", "-data", data, "-format", "markdown")
	if code != 0 || !strings.Contains(md, "## Harbour works begin") || !strings.Contains(md, "- source: a.txt") || !strings.Contains(md, "- source: b.txt") {
		t.Errorf("markdown export (exit %d):\n%s", code, md)
	}
	stats, _, _ := dossier(t, "stats", "-data", data)
	if !strings.Contains(stats, "articles: 1") || !strings.Contains(stats, "sources: 2") || !strings.Contains(stats, "failed inputs: 1") {
		t.Errorf("stats:\n%s", stats)
	}
	errsOut, _, _ := dossier(t, "errors", "-data", data)
	if !strings.Contains(errsOut, "junk.html") {
		t.Errorf("errors:\n%s", errsOut)
	}
}

// clusterScores ingests a clustering corpus (path), optionally reclusters
// it, scores the export at both levels with the shared scorer, and returns
// the story and event B-cubed F1 (event 0 when minEvent is empty).
func clusterScores(t *testing.T, path string, recluster bool, minStory, minEvent string) (story, event float64) {
	t.Helper()
	data := t.TempDir()
	if out, errs, code := dossier(t, "add", "-q", "-data", data, path); code != 0 {
		t.Fatalf("add: exit %d\n%s%s", code, out, errs)
	}
	if recluster {
		if out, errs, code := dossier(t, "recluster", "-data", data); code != 0 {
			t.Fatalf("recluster: exit %d\n%s%s", code, out, errs)
		} else {
			t.Log(out)
		}
	}
	export := filepath.Join(t.TempDir(), "export.json")
	if _, errs, code := dossier(t, "export", "-data", data, "-o", export); code != 0 {
		t.Fatalf("export: %s", errs)
	}
	story = parseF1(t, sharedtest.Score(t, "score_clusters.py", path, export, "--level", "story", "--min", minStory))
	if minEvent != "" {
		event = parseF1(t, sharedtest.Score(t, "score_clusters.py", path, export, "--level", "event", "--min", minEvent))
	}
	return story, event
}

// shuffledCorpus writes the lines of a JSON Lines corpus in an order drawn
// from seed, for runs in an order other than the corpus's (ECB+ lists its
// articles topic by topic).
func shuffledCorpus(t *testing.T, path string, seed int64) string {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(raw)), "\n")
	rand.New(rand.NewSource(seed)).Shuffle(len(lines), func(i, j int) { lines[i], lines[j] = lines[j], lines[i] })
	out := filepath.Join(t.TempDir(), fmt.Sprintf("shuffled-%d-%s", seed, filepath.Base(path)))
	if err := os.WriteFile(out, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return out
}

// The clustering benchmarks. The marks are the levels measured when they
// were written (README), held so that they do not fall; the goals
// (ECB+ 0.95 at both levels, MMDS 0.85) are above them. Incremental
// assignment stays within 0.03 of a recluster (the goal), in the
// corpus's order (topic by topic) and in shuffled orders, where the
// articles of one topic come apart among the others.
func TestClusteringECBPlus(t *testing.T) {
	path := sharedtest.Path(t, "bench", "clustering", "ecbplus.jsonl")
	var rs, re float64
	t.Run("recluster", func(t *testing.T) { rs, re = clusterScores(t, path, true, "0.90", "0.87") })
	t.Run("incremental", func(t *testing.T) {
		is, ie := clusterScores(t, path, false, "0.88", "0.86")
		if rs-is > 0.03 || re-ie > 0.03 {
			t.Errorf("incremental %.3f / %.3f, more than 0.03 below the recluster's %.3f / %.3f", is, ie, rs, re)
		}
	})
	// Eight shuffled orders. Before the young archive was relearned
	// (cluster.Config.RelearnUpTo), stories 0.844, 0.869, 0.859, 0.864,
	// 0.861, 0.861, 0.874, 0.840 (mean 0.859) and events 0.861, 0.851,
	// 0.853, 0.844, 0.869, 0.861, 0.867, 0.867 (0.859): in one order a
	// story of crimes gathered seven topics. Held: each order's measured
	// level, and the mean within 0.03 of the recluster; single orders fall
	// to 0.048 below it.
	marks := [][2]string{{"0.85", "0.86"}, {"0.88", "0.86"}, {"0.875", "0.88"}, {"0.90", "0.86"},
		{"0.85", "0.88"}, {"0.885", "0.885"}, {"0.895", "0.87"}, {"0.855", "0.885"}}
	var sumS, sumE float64
	for i, m := range marks {
		t.Run(fmt.Sprintf("shuffled-%d", i+1), func(t *testing.T) {
			is, ie := clusterScores(t, shuffledCorpus(t, path, int64(i+1)), false, m[0], m[1])
			sumS, sumE = sumS+is, sumE+ie
		})
	}
	n := float64(len(marks))
	t.Logf("shuffled orders: mean story %.3f, event %.3f; recluster %.3f, %.3f", sumS/n, sumE/n, rs, re)
	if rs-sumS/n > 0.03 || re-sumE/n > 0.03 {
		t.Errorf("shuffled orders: mean %.3f / %.3f, more than 0.03 below the recluster's %.3f / %.3f", sumS/n, sumE/n, rs, re)
	}
}

func TestClusteringMMDS(t *testing.T) {
	// With the FreeDict dictionaries (as .ci/run installs them): 0.737 and
	// 0.739 (0.722 and 0.732 before stories across languages were compared
	// on rarity-weighted names and numbers); without, 0.747 and 0.743.
	path := sharedtest.Path(t, "bench", "clustering", "mmds-dev.jsonl")
	t.Run("incremental", func(t *testing.T) { clusterScores(t, path, false, "0.73", "") })
	t.Run("recluster", func(t *testing.T) { clusterScores(t, path, true, "0.73", "") })
}

// TestReclusterRecordsChanges reclusters a store whose incremental
// clustering differs from the batch one and checks that the change is
// logged and ids carry over.
func TestReclusterRecordsChanges(t *testing.T) {
	data := t.TempDir()
	path := sharedtest.Path(t, "bench", "clustering", "ecbplus.jsonl")
	if _, errs, code := dossier(t, "add", "-q", "-data", data, path); code != 0 {
		t.Fatal(errs)
	}
	before := filepath.Join(t.TempDir(), "before.json")
	dossier(t, "export", "-data", data, "-o", before)
	out, errs, code := dossier(t, "recluster", "-data", data)
	if code != 0 || !strings.Contains(out, "merge(s)") {
		t.Fatalf("recluster: exit %d %s%s", code, out, errs)
	}
	after := filepath.Join(t.TempDir(), "after.json")
	dossier(t, "export", "-data", data, "-o", after)
	var b, a struct {
		Articles []struct {
			ID    string  `json:"id"`
			Story *string `json:"story"`
		} `json:"articles"`
		Changes []struct{ Kind, Level, From, Into string } `json:"cluster_changes"`
	}
	for _, x := range []struct {
		path string
		v    any
	}{{before, &b}, {after, &a}} {
		raw, err := os.ReadFile(x.path)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(raw, x.v); err != nil {
			t.Fatal(err)
		}
	}
	if len(a.Changes) <= len(b.Changes) {
		t.Errorf("recluster logged no change: %d before, %d after", len(b.Changes), len(a.Changes))
	}
	kept := 0
	old := map[string]bool{}
	for _, x := range b.Articles {
		if x.Story != nil {
			old[*x.Story] = true
		}
	}
	for _, x := range a.Articles {
		if x.Story != nil && old[*x.Story] {
			kept++
		}
	}
	if kept < len(a.Articles)/2 {
		t.Errorf("only %d of %d articles keep a story id that existed before", kept, len(a.Articles))
	}
	// Ids are never reused: a story the recluster starts takes none of the
	// ids the log names (clusters merged away that no article names, whose
	// links lead on to the story they went into).
	logged := map[string]bool{}
	for _, c := range b.Changes {
		logged[c.From], logged[c.Into] = true, true
	}
	fresh := map[string]bool{}
	for _, x := range a.Articles {
		if x.Story != nil && !old[*x.Story] {
			fresh[*x.Story] = true
			if logged[*x.Story] {
				t.Errorf("the recluster started story %s, an id the log names", *x.Story)
			}
		}
	}
	t.Logf("%d changes logged before; the recluster started %d stories", len(b.Changes), len(fresh))
}
