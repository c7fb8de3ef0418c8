// Package sharedtest locates the shared benchmark data and scorers
// (../shared beside the project, or $DOSSIER_SHARED) for tests, and runs the
// Python scorers. A test that needs them fails when they are missing: it
// never skips.
package sharedtest

import (
	"os"
	"os/exec"
	"path/filepath"
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
