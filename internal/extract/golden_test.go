package extract

import (
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"dossier/internal/golden"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestGolden extracts each page in testdata/text and compares the articles
// found with NAME.golden.json. Run with -update to accept new output.
func TestGolden(t *testing.T) {
	pages, err := filepath.Glob("testdata/text/*.txt")
	if err != nil || len(pages) == 0 {
		t.Fatalf("no golden pages: %v", err)
	}
	captured := time.Date(2025, 3, 14, 0, 0, 0, 0, time.UTC)
	for _, page := range pages {
		t.Run(filepath.Base(page), func(t *testing.T) {
			body, err := os.ReadFile(page)
			if err != nil {
				t.Fatal(err)
			}
			arts, err := Page(body, Input{Name: page, Captured: captured, CapturedDay: true})
			if err != nil {
				t.Fatal(err)
			}
			got, err := json.MarshalIndent(arts, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			golden.Check(t, strings.TrimSuffix(page, ".txt")+".golden.json", got, *update)
		})
	}
}

func TestRefusals(t *testing.T) {
	tests := []struct {
		name string
		body string
		want error
	}{
		{"empty", "", ErrEmpty},
		{"spaces only", " \n\t\n", ErrEmpty},
		{"pdf", "%PDF-1.7\n...", ErrBinary},
		{"nul bytes", "text\x00with\x00nuls", ErrBinary},
		{"latin-1", strings.Repeat("caf\xe9 ", 40), ErrNotUTF8},
		{"chrome only", "Follow us on Facebook\nComments (0)\n", ErrNoArticle},
	}
	for _, tt := range tests {
		_, err := Page([]byte(tt.body), Input{Name: tt.name})
		if err == nil || !strings.Contains(err.Error(), tt.name) || !errors.Is(err, tt.want) {
			t.Errorf("%s: err = %v, want %v naming the page", tt.name, err, tt.want)
		}
	}
}
