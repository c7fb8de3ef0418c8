package main

import (
	"fmt"
	"os"
	"testing"
)

// TestMain gives the package's tests, and the dossier processes they start,
// a cache directory of their own (prepared dictionaries), shared among them
// and removed afterwards, instead of the user's ~/.cache/dossier.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "dossier-test-cache-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Setenv("DOSSIER_CACHE", dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
