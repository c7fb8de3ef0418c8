package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"dossier/internal/news"
	"dossier/internal/story"
)

// largeView is a story of n articles over two years in 3 languages, in
// n/100 events, with n/6 timeline entries and 10 quantities in its ledger.
func largeView(n int) story.View {
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	langs := []string{"en", "ar", "zh"}
	v := story.View{Story: story.Story{ID: 1, Title: "A large story", Summary: "Many articles."}}
	days := map[string]int{}
	for i := 0; i < n; i++ {
		w := start.Add(time.Duration(i) * 730 * 24 * time.Hour / time.Duration(n))
		ev := int64(i/100 + 1)
		v.Refs = append(v.Refs, story.ArticleRef{ID: int64(i + 1), Event: ev, Title: fmt.Sprintf("Article %d", i), Language: langs[i%3],
			Site: fmt.Sprintf("outlet-%d", i%40), When: w, Sources: 1})
		v.Articles = append(v.Articles, int64(i+1))
		days[w.Format("2006-01-02")]++
		if i%100 == 0 {
			v.Events = append(v.Events, story.Event{ID: ev, Title: fmt.Sprintf("Event %d", ev), Earliest: w, Latest: w.AddDate(0, 0, 7)})
		}
		if i%6 == 0 {
			v.Timeline = append(v.Timeline, story.Entry{Earliest: w, Latest: w, Text: fmt.Sprintf("Development %d", i), Lang: langs[i%3], Articles: []int64{int64(i + 1)}})
		}
	}
	for q := 0; q < 10; q++ {
		l := story.Line{Topic: fmt.Sprintf("killed: group %d", q), Kind: "killed", Subject: fmt.Sprintf("group %d", q), Disagree: true, Changed: true}
		for i := q; i < n; i += 10 {
			l.Reports = append(l.Reports, story.Reported{FigureRef: story.FigureRef{Article: int64(i + 1)},
				Figure: news.Figure{Value: float64(100 + i%50), Kind: "killed", AttributedTo: fmt.Sprintf("source %d", i%12)}, When: v.Refs[i].When})
		}
		v.Ledger = append(v.Ledger, l)
	}
	for d, c := range days {
		v.Coverage.Days = append(v.Coverage.Days, story.Count{Key: d, N: c})
	}
	v.Coverage.Languages = []story.Count{{Key: "en", N: n / 3}, {Key: "ar", N: n / 3}, {Key: "zh", N: n / 3}}
	v.First, v.Latest = v.Refs[0].When, v.Refs[n-1].When
	return v
}

func renderStory(h *Handler, data []byte) (int, error) {
	var v story.View
	if err := json.Unmarshal(data, &v); err != nil { // as the service reads the stored view
		return 0, err
	}
	var buf bytes.Buffer
	err := h.pages["story"].Execute(&buf, page{Title: v.Title, Data: newStoryData(v, time.Now())})
	return buf.Len(), err
}

// A story of 3,000 articles renders a bounded page.
func TestLargeStoryPage(t *testing.T) {
	h := New(nil, Options{})
	for _, n := range []int{3, 3000} {
		data, _ := json.Marshal(largeView(n))
		size, err := renderStory(h, data)
		if err != nil {
			t.Fatal(err)
		}
		if size > 1_000_000 {
			t.Errorf("%d articles: a %d-byte page", n, size)
		}
		t.Logf("%d articles: %d KB of HTML", n, size/1000)
	}
}

// BenchmarkStoryPage3000 is the story page's server time (decoding the
// stored view and rendering) for a story of 3,000 articles:
// go test ./internal/web -run '^$' -bench StoryPage3000
func BenchmarkStoryPage3000(b *testing.B) {
	h := New(nil, Options{})
	data, _ := json.Marshal(largeView(3000))
	cpu0 := cpuTime()
	for b.Loop() {
		if _, err := renderStory(h, data); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
}
