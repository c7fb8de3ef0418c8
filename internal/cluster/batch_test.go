package cluster

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"dossier/internal/news"
)

// crowd builds n reports of one development, each a little different, on
// days spread over span days from a common start.
func crowd(n, span int) []Doc {
	docs := make([]Doc, n)
	for i := range docs {
		a := news.Article{
			Language: "en",
			Title:    fmt.Sprintf("Flooding in the river valley, report %d", i),
			Text: fmt.Sprintf("Heavy rain flooded the river valley on Monday. Rescue teams evacuated %d residents "+
				"and the regional governor declared an emergency. Officials said dam %d held.", 100+i%37, i%11),
		}
		docs[i] = NewDoc(int64(i+1), a, 20000+i*span/n)
	}
	return docs
}

// TestSimilaritiesBounded checks that the pairs a full recluster keeps grow
// linearly with the articles, not with their square: with many similar
// articles in one window (each item keeps at most MaxNeighbours) and with
// articles spread over time (items further apart than an event may span are
// not compared).
func TestSimilaritiesBounded(t *testing.T) {
	for _, tc := range []struct {
		name   string
		n      int
		span   int
		window int
		most   int
	}{
		{"one day", 2000, 1, 7, 2000 * MaxNeighbours},
		{"two years", 2000, 730, 7, 2000 * 45},
	} {
		t.Run(tc.name, func(t *testing.T) {
			docs := crowd(tc.n, tc.span)
			m := New(DefaultConfig())
			for _, d := range docs {
				m.count(d)
			}
			vs := make([]Vec, len(docs))
			spans := make([]Span, len(docs))
			for i, d := range docs {
				vs[i], spans[i] = m.Vectorize(d), Span{d.Day, d.Day}
			}
			sims, err := SimilaritiesWithin(context.Background(), vs, make([]string, len(vs)), 1, 0.1, 60, spans, tc.window)
			if err != nil {
				t.Fatal(err)
			}
			if len(sims) == 0 || len(sims) > tc.most {
				t.Errorf("%d pairs for %d similar articles; want 1..%d", len(sims), tc.n, tc.most)
			}
			for p := range sims {
				if u := spans[p[0]].union(spans[p[1]]); u.Last-u.First > tc.window {
					t.Fatalf("pair %v spans %d days, beyond the window of %d", p, u.Last-u.First, tc.window)
				}
			}
		})
	}
}

// TestBatchStops checks that a recluster stops with the context's error.
func TestBatchStops(t *testing.T) {
	docs := crowd(500, 30)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	old := make([]int64, len(docs))
	if _, err := Batch(ctx, docs, old, old, DefaultConfig(), DefaultBatchConfig()); !errors.Is(err, context.Canceled) {
		t.Fatalf("Batch on a cancelled context: %v, want context.Canceled", err)
	}
}
