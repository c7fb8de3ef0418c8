package ingest

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dossier/internal/cluster"
	"dossier/internal/news"
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

// TestDamagedModelRebuilt: a stored model that cannot be loaded does not
// stop the store from opening: the model is derived from the store, and is
// rebuilt from every stored article, above every id the log names.
func TestDamagedModelRebuilt(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := newStore(t)
	for i, topic := range []string{"the harbour", "the election", "the harbour strike"} {
		write(t, filepath.Join(dir, "in", fmt.Sprintf("p%d.txt", i)), []byte(article(topic)))
	}
	if _, err := New(s, det, testConfig(), nil).Run(ctx, []string{filepath.Join(dir, "in")}); err != nil {
		t.Fatal(err)
	}
	// A merge logged with an id above every stored one: no cluster the
	// rebuilt model starts may take it.
	if err := s.SetClusters(ctx, nil, []news.ClusterChange{{Kind: "merge", Level: "story", From: 500, Into: 1}}); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveModel(ctx, []byte("dossier-cluster-3\n\x05garbage"), 3); err != nil {
		t.Fatal(err)
	}
	m, replayed, err := LoadModel(ctx, s, cluster.DefaultConfig())
	if err != nil {
		t.Fatalf("a damaged model stopped the store from opening: %v", err)
	}
	if replayed != len(stored(t, s)) {
		t.Errorf("rebuilt from %d articles, the store holds %d", replayed, len(stored(t, s)))
	}
	if events, stories := m.Active(); events == 0 || stories == 0 {
		t.Errorf("rebuilt model holds %d events and %d stories", events, stories)
	}
	before := map[int64]bool{}
	for _, a := range stored(t, s) {
		before[a.Story], before[a.Event] = true, true
	}
	write(t, filepath.Join(dir, "more", "new.txt"), []byte("Volcano erupts on remote island\nA volcano on the remote island erupted overnight, sending ash kilometres into the sky and forcing villagers to leave their homes, geologists said.\nFlights across the region were suspended on Thursday as the ash cloud drifted towards the mainland."))
	if _, err := New(s, det, testConfig(), nil).Run(ctx, []string{filepath.Join(dir, "more")}); err != nil {
		t.Fatal(err)
	}
	for _, a := range stored(t, s) {
		if !strings.Contains(a.Text, "volcano") {
			continue
		}
		for _, id := range []int64{a.Story, a.Event} {
			if !before[id] && id <= 500 {
				t.Errorf("a new cluster took id %d, at or below an id the log names", id)
			}
		}
		if before[a.Story] {
			t.Errorf("the volcano article joined story %d: the test needs a new one", a.Story)
		}
	}
}
