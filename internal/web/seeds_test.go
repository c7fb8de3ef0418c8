package web

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"dossier/internal/ingest"
	"dossier/internal/pipeline"
	"dossier/internal/sharedtest"
)

// seedGold is the part of ../shared/gold/seeds.json the tests read.
type seedGold struct {
	Documents []struct {
		File     string `json:"file"`
		Captured string `json:"captured"`
		Language string `json:"language"`
		Articles []struct {
			ID    string `json:"id"`
			Story string `json:"story"`
		} `json:"articles"`
	} `json:"documents"`
	Figures []struct {
		Story        string   `json:"story"`
		Kind         string   `json:"kind"`
		Subject      string   `json:"subject"`
		Value        float64  `json:"value"`
		Article      string   `json:"article"`
		AttributedTo []string `json:"attributed_to"`
	} `json:"figures"`
	Disagreements []struct {
		Story  string    `json:"story"`
		Topic  string    `json:"topic"`
		Values []float64 `json:"values"`
		Sides  []struct {
			Position string   `json:"position"`
			By       []string `json:"by"`
		} `json:"sides"`
	} `json:"disagreements"`
}

func readGold(t testing.TB) seedGold {
	t.Helper()
	var g seedGold
	b, err := os.ReadFile(sharedtest.Path(t, "gold", "seeds.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	return g
}

// openSeeds ingests the seed pages, each with its capture date from the
// gold file, into a fresh data directory through pipeline.Service.Ingest.
func openSeeds(t testing.TB, dir string) (*pipeline.Service, string) {
	g := readGold(t)
	svc, err := pipeline.Open(context.Background(), pipeline.Config{DataDir: dir, Now: func() time.Time {
		return time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)
	}}, "test")
	if err != nil {
		return nil, err.Error()
	}
	for _, d := range g.Documents {
		c, day, err := ingest.ParseCaptured(d.Captured)
		if err != nil {
			svc.Close()
			return nil, err.Error()
		}
		sum, err := svc.Ingest(context.Background(), []string{sharedtest.Path(t, "seeds", d.File)},
			pipeline.IngestOptions{Captured: c, CapturedDay: day})
		if err != nil || len(sum.Failures) > 0 {
			svc.Close()
			return nil, fmt.Sprintf("ingest %s: %+v, %v", d.File, sum, err)
		}
	}
	return svc, ""
}

// The seeds are ingested once per test binary and shared by the tests,
// which only read.
var (
	seedOnce sync.Once
	seedSvc  *pipeline.Service
	seedErr  string
	seedDir  string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if seedSvc != nil {
		seedSvc.Close()
	}
	if seedDir != "" {
		os.RemoveAll(seedDir)
	}
	os.Exit(code)
}

// sharedSeeds returns the shared seeded service.
func sharedSeeds(t testing.TB) *pipeline.Service {
	t.Helper()
	seedOnce.Do(func() {
		dir, err := os.MkdirTemp("", "dossier-web-")
		if err != nil {
			seedErr = err.Error()
			return
		}
		seedDir = dir
		seedSvc, seedErr = openSeeds(t, filepath.Join(dir, "data"))
	})
	if seedErr != "" {
		t.Fatal(seedErr)
	}
	return seedSvc
}
