package cluster

import (
	"bufio"
	"encoding/json"
	"fmt"
	"maps"
	"math/rand"
	"os"
	"runtime"
	"slices"
	"testing"
	"time"

	"dossier/internal/facts"
	"dossier/internal/news"
	"dossier/internal/sharedtest"
)

// baseDocs reads the ECB+ and MMDS corpora into clusterer documents.
func baseDocs(tb testing.TB) []Doc {
	tb.Helper()
	var docs []Doc
	for _, name := range []string{"ecbplus.jsonl", "mmds-dev.jsonl"} {
		f, err := os.Open(sharedtest.Path(tb, "bench", "clustering", name))
		if err != nil {
			tb.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 16<<20)
		for sc.Scan() {
			var r struct{ Title, Text string }
			if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
				tb.Fatal(err)
			}
			a := news.Article{Title: r.Title, Text: r.Text}
			a.Facts = facts.Analyze(a, time.Time{}, "", time.Time{})
			docs = append(docs, NewDoc(0, a, 0))
		}
		f.Close()
	}
	return docs
}

// stream replicates and perturbs base documents into n articles: each copy
// drops a tenth of its terms and gains a term of its own, and the dates
// advance by a day every 300 articles, so that old events leave the window.
func stream(base []Doc, n int) []Doc {
	rng := rand.New(rand.NewSource(1))
	out := make([]Doc, n)
	for i := range out {
		b := base[rng.Intn(len(base))]
		raw := make(map[string]float32, len(b.Raw))
		// In key order: the same stream in every run.
		for _, k := range slices.Sorted(maps.Keys(b.Raw)) {
			if rng.Intn(10) != 0 {
				raw[k] = b.Raw[k]
			}
		}
		raw[fmt.Sprintf("copy%d", i%5000)] = 1
		out[i] = Doc{ID: int64(i + 1), Lang: b.Lang, Day: 20000 + i/300, Raw: raw}
	}
	return out
}

// BenchmarkAssignStream assigns a stream of 100,000 articles incrementally
// and reports articles/s and the live heap after the stream. Assignment is
// done by one writer; feature extraction (not measured here) runs in the
// ingest workers.
func BenchmarkAssignStream(b *testing.B) {
	docs := stream(baseDocs(b), benchN)
	b.ResetTimer()
	heapNow := func() uint64 {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	for b.Loop() {
		b.StopTimer()
		base := heapNow() // the input stream, not the model
		b.StartTimer()
		m := New(DefaultConfig())
		var heaps []uint64
		for i, d := range docs {
			m.Assign(d)
			if (i+1)%25000 == 0 {
				b.StopTimer()
				heaps = append(heaps, heapNow()-base)
				b.StartTimer()
			}
		}
		b.StopTimer()
		ev, st := m.Active()
		b.ReportMetric(float64(heaps[len(heaps)-1])/1e6, "modelMB@100k")
		b.ReportMetric(float64(heaps[0])/1e6, "modelMB@25k")
		b.ReportMetric(float64(ev), "active-events")
		_ = st
		b.StartTimer()
	}
	b.ReportMetric(float64(len(docs))*float64(b.N)/b.Elapsed().Seconds(), "articles/s")
}

// TestMemoryBounded checks that the active set stays within its bound on
// a long stream, whatever the archive size.
func TestMemoryBounded(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MaxActive = 200
	m := New(cfg)
	docs := stream(baseDocs(t), 8000)
	for _, d := range docs {
		m.Assign(d)
		if ev, _ := m.Active(); ev > cfg.MaxActive {
			t.Fatalf("%d active events, bound %d", ev, cfg.MaxActive)
		}
	}
	// Ids never repeat and stay stable: an article's event is found again
	// when the same document is assigned twice in a row.
	again := m.Assign(docs[len(docs)-1])
	first := m.Assign(docs[len(docs)-1])
	if again.Event != first.Event {
		t.Errorf("same document went to events %d and %d", again.Event, first.Event)
	}
}

// benchN is the length of the benchmark stream.
var benchN = 100000

// TestSnapshotRoundTrip checks that a saved and loaded model assigns as the
// original would.
func TestSnapshotRoundTrip(t *testing.T) {
	docs := stream(baseDocs(t), 3000)
	a, b := New(DefaultConfig()), New(DefaultConfig())
	for _, d := range docs[:2000] {
		a.Assign(d)
		b.Assign(d)
	}
	data, err := b.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if b, err = Load(DefaultConfig(), data); err != nil {
		t.Fatal(err)
	}
	for _, d := range docs[2000:] {
		x, y := a.Assign(d), b.Assign(d)
		if x.Story != y.Story || x.Event != y.Event {
			t.Fatalf("doc %d: original model says %d/%d, reloaded %d/%d", d.ID, x.Story, x.Event, y.Story, y.Event)
		}
	}
}
