// Package sharedtest locates the shared benchmark data and scorers
// (../shared beside the project, or $DOSSIER_SHARED) for tests, and runs the
// Python scorers. A test that needs them fails when they are missing: it
// never skips.
package sharedtest

import (
	"encoding/json"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Dir returns the shared data directory or fails the test.
func Dir(t testing.TB) string {
	t.Helper()
	if d := os.Getenv("DOSSIER_SHARED"); d != "" {
		return d
	}
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			shared := filepath.Join(d, "..", "shared")
			if _, err := os.Stat(filepath.Join(shared, "eval")); err != nil {
				t.Fatalf("shared data not found at %s (set DOSSIER_SHARED): %v", shared, err)
			}
			return shared
		}
		if filepath.Dir(d) == d {
			t.Fatalf("no go.mod above %s", wd)
		}
	}
}

// Path joins elements onto the shared directory.
func Path(t testing.TB, elem ...string) string {
	return filepath.Join(append([]string{Dir(t)}, elem...)...)
}

// Score runs a scorer from shared/eval with args and returns its output.
// The test fails if the scorer exits non-zero (a --min not met).
func Score(t testing.TB, script string, args ...string) string {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Fatalf("python3 is needed to run %s: %v", script, err)
	}
	cmd := exec.Command(py, append([]string{Path(t, "eval", script)}, args...)...)
	out, err := cmd.CombinedOutput()
	t.Logf("%s %s:\n%s", script, strings.Join(args, " "), out)
	if err != nil {
		t.Errorf("%s failed: %v", script, err)
	}
	return string(out)
}

// AEBTexts returns the gold article texts of the AEB extraction benchmark
// (bench/extraction/aeb/ground-truth.json), in the order of their keys.
func AEBTexts(tb testing.TB) []string {
	tb.Helper()
	raw, err := os.ReadFile(Path(tb, "bench", "extraction", "aeb", "ground-truth.json"))
	if err != nil {
		tb.Fatal(err)
	}
	var gt map[string]struct {
		ArticleBody string `json:"articleBody"`
	}
	if err := json.Unmarshal(raw, &gt); err != nil {
		tb.Fatal(err)
	}
	var out []string
	for _, k := range slices.Sorted(maps.Keys(gt)) {
		out = append(out, gt[k].ArticleBody)
	}
	return out
}
