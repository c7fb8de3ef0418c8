package sqlite

import (
	"context"
	"fmt"
	"syscall"
	"testing"
	"time"

	"dossier/internal/news"
	"dossier/internal/store"
)

// BenchmarkOutlets100k measures the Sources page's read on 100,000
// articles from 500 sites in 5 languages:
// go test ./internal/store/sqlite -run '^$' -bench Outlets100k -benchtime 10x
func BenchmarkOutlets100k(b *testing.B) {
	ctx := context.Background()
	s := openTemp(b)
	langs := []string{"en", "ar", "zh", "de", "fr"}
	day := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	const perPage = 50
	for p := 0; p < 100_000/perPage; p++ {
		arts := make([]store.NewArticle, perPage)
		for i := range arts {
			n := p*perPage + i
			d := day.AddDate(0, 0, n%730)
			arts[i] = store.NewArticle{Article: news.Article{Title: "t", Text: "x", Site: fmt.Sprintf("site-%d", n%500),
				Language: langs[n%len(langs)], Index: i, Published: news.DateRange{Earliest: d, Latest: d, Basis: "meta"}},
				Hash: fmt.Sprint(n)}
		}
		if _, err := s.SavePage(ctx, store.Page{Key: fmt.Sprint(p), BodyHash: "h"}, arts); err != nil {
			b.Fatal(err)
		}
	}
	var ru0, ru1 syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru0)
	b.ResetTimer()
	for b.Loop() {
		o, err := s.Outlets(ctx)
		if err != nil || len(o) != 500 || o[0].Articles != 200 {
			b.Fatalf("Outlets: %d outlets, %v", len(o), err)
		}
	}
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru1)
	cpu := ru1.Utime.Nano() + ru1.Stime.Nano() - ru0.Utime.Nano() - ru0.Stime.Nano()
	b.ReportMetric(float64(cpu)/1e6/float64(b.N), "cpu-ms/op")
}
