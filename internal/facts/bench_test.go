package facts

import (
	"encoding/json"
	"os"
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
	for _, text := range aebTexts(b) {
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

// aebTexts returns the gold article texts of the 181 AEB pages.
func aebTexts(tb testing.TB) []string {
	tb.Helper()
	raw, err := os.ReadFile(sharedtest.Path(tb, "bench", "extraction", "aeb", "ground-truth.json"))
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
	for _, v := range gt {
		out = append(out, v.ArticleBody)
	}
	return out
}
