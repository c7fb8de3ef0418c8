package ingest

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"testing"

	"dossier/internal/cluster"
	"dossier/internal/sharedtest"
)

// TestReplayAppliesMerges loses the model saved after a run whose
// assignments merged stories and events, as a process killed before its
// save does, and runs again: the next start assigns the lost run's
// articles again from the store, and must apply the merges they made as
// well. A replayed model that kept a merged-away story or event would put
// later articles in a story the store says is gone.
func TestReplayAppliesMerges(t *testing.T) {
	ctx := context.Background()
	f, err := os.Open(sharedtest.Path(t, "bench", "clustering", "ecbplus.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dir := t.TempDir()
	var parts [3][]byte
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<22)
	for i := 0; sc.Scan(); i++ {
		p := &parts[i%3]
		*p = append(append(*p, sc.Bytes()...), '\n')
	}
	s := newStore(t)
	run := func(i int) {
		t.Helper()
		path := write(t, filepath.Join(dir, "part"+string(rune('0'+i))+".jsonl"), parts[i])
		if _, err := New(s, det, testConfig(), nil).Run(ctx, []string{path}); err != nil {
			t.Fatal(err)
		}
	}
	run(0)
	saved, last, err := s.LoadModel(ctx)
	if err != nil {
		t.Fatal(err)
	}
	run(1)
	changes, err := s.ClusterChanges(ctx)
	if err != nil {
		t.Fatal(err)
	}
	gone := map[string]map[int64]bool{"story": {}, "event": {}}
	for _, c := range changes {
		if c.Kind == "merge" && c.Article > last {
			gone[c.Level][c.From] = true
		}
	}
	if len(gone["story"])+len(gone["event"]) == 0 {
		t.Fatalf("the second part merged %d stories and %d events: the test needs merges (%d changes, %d articles)", len(gone["story"]), len(gone["event"]), len(changes), len(stored(t, s)))
	}
	data, _, err := s.LoadModel(ctx)
	if err != nil {
		t.Fatal(err)
	}
	live, err := cluster.Load(cluster.DefaultConfig(), data)
	if err != nil {
		t.Fatal(err)
	}
	// The second part's save is lost.
	if err := s.SaveModel(ctx, saved, last); err != nil {
		t.Fatal(err)
	}
	replayed, n, err := LoadModel(ctx, s, cluster.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	le, ls := live.Active()
	re, rs := replayed.Active()
	if n == 0 || le != re || ls != rs {
		t.Errorf("replaying %d articles: %d events and %d stories, the model saved after them holds %d and %d", n, re, rs, le, ls)
	}
	run(2)
	after, err := s.ClusterChanges(ctx)
	if err != nil {
		t.Fatal(err)
	}
	bad := 0
	for _, a := range stored(t, s) {
		if gone["story"][a.Story] || gone["event"][a.Event] {
			bad++
			if bad <= 5 {
				t.Errorf("article %d is in story %d, event %d: merged away before it was assigned", a.ID, a.Story, a.Event)
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d articles in merged-away clusters (%d changes before the third part, %d after)", bad, len(changes), len(after))
	}
}
