package cluster

import (
	"math"
	"testing"
)

// TestMergesKeepLarger checks that every merge folds the smaller cluster
// into the larger, so that the store relabels each article at most
// log2(n) times however stories grow: merged the other way, a story of
// tens of thousands of articles was relabelled, and its view rebuilt,
// each time a small story joined it.
func TestMergesKeepLarger(t *testing.T) {
	docs := stream(baseDocs(t), 8000)
	m := New(DefaultConfig())
	size := map[string]map[int64]int{"story": {}, "event": {}}
	moved, merges := 0, 0
	for _, d := range docs {
		a := m.Assign(d)
		for _, c := range a.Changes {
			s := size[c.Level]
			from, into := s[c.From], s[c.Into]
			// The article being assigned may already count in one of
			// the two (stories merge after it joined its own).
			if from > into+1 {
				t.Errorf("article %d: %s %d (%d articles) merged into %s %d (%d articles)", d.ID, c.Level, c.From, from, c.Level, c.Into, into)
			}
			s[c.Into] += from
			delete(s, c.From)
			if c.Level == "story" {
				moved += from
				merges++
			}
		}
		size["story"][a.Story]++
		size["event"][a.Event]++
	}
	if merges == 0 {
		t.Fatal("the stream merged no stories: the test proves nothing")
	}
	// Each relabelled article at least doubles the size of its story.
	if limit := len(docs) * int(math.Ceil(math.Log2(float64(len(docs))))); moved > limit {
		t.Errorf("story merges relabelled %d articles, more than n·log2(n) = %d", moved, limit)
	}
	t.Logf("%d articles: %d story merges relabelled %d articles", len(docs), merges, moved)
}
