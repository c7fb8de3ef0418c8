package ingest

import (
	"context"
	"path/filepath"
	"runtime"
	"testing"

	"dossier/internal/sharedtest"
	"dossier/internal/store/sqlite"
)

// BenchmarkIngestAEB ingests the 181 AEB pages end to end (read, gunzip,
// extract, identify language, fingerprint, dedup, store) into a fresh SQLite
// database per iteration.
func BenchmarkIngestAEB(b *testing.B) {
	dir := sharedtest.Path(b, "bench", "extraction", "aeb", "html")
	pages := 0
	for b.Loop() {
		b.StopTimer()
		st, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		sum, err := New(st, det, Config{Workers: runtime.GOMAXPROCS(0)}, nil).Run(context.Background(), []string{dir})
		if err != nil {
			b.Fatal(err)
		}
		if len(sum.Failures) > 0 {
			b.Fatalf("failures: %v", sum.Failures)
		}
		pages += sum.Pages
		b.StopTimer()
		st.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(pages)/b.Elapsed().Seconds(), "pages/s")
}
