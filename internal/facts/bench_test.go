package facts

import (
	"testing"
	"time"

	"dossier/internal/news"
	"dossier/internal/sharedtest"
)

// BenchmarkAnalyzeAEB measures fact extraction (figures, dated statements,
// entity mentions) on the gold texts of the 181 AEB articles, one core.
// Report articles/s = 181 / (ns/op / 1e9).
func BenchmarkAnalyzeAEB(b *testing.B) {
	var arts []news.Article
	var size int64
	for _, text := range sharedtest.AEBTexts(b) {
		arts = append(arts, news.Article{Text: text})
		size += int64(len(text))
	}
	DefaultGazetteer()
	anchor := time.Date(2019, 11, 20, 0, 0, 0, 0, time.UTC)
	b.SetBytes(size)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, a := range arts {
			Analyze(a, anchor, "captured", anchor)
		}
	}
	b.ReportMetric(float64(len(arts))*float64(b.N)/b.Elapsed().Seconds(), "articles/s")
}
