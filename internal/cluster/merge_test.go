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

// TestReplayMerges replays a stream's last part onto the model saved
// before it, as a start after a lost save does: each article observed where
// the store has it after the merges (which relabel stored articles), and
// each merge replayed after its article. The replayed model holds the
// same events and stories as the one that assigned them, with the same
// events in each story: no cluster that went in a merge stays for later
// articles to join.
func TestReplayMerges(t *testing.T) {
	docs := stream(baseDocs(t), 4000)
	m := New(DefaultConfig())
	const cut = 300
	var saved []byte
	labels := map[int64][2]int64{}
	var log []Change
	for i, d := range docs {
		if i == cut {
			var err error
			if saved, err = m.MarshalBinary(); err != nil {
				t.Fatal(err)
			}
		}
		a := m.Assign(d)
		labels[d.ID] = [2]int64{a.Story, a.Event}
		for _, c := range a.Changes {
			// As the store does: a merge relabels the stored articles.
			level := 1
			if c.Level == "story" {
				level = 0
			}
			for id, l := range labels {
				if l[level] == c.From {
					l[level] = c.Into
					labels[id] = l
				}
			}
			if i >= cut {
				c.Article = d.ID
				log = append(log, c)
			}
		}
	}
	kinds := map[string]int{}
	for _, c := range log {
		kinds[c.Level]++
	}
	if kinds["story"] == 0 || kinds["event"] == 0 {
		t.Fatalf("the replayed part merged %v: the test needs both kinds", kinds)
	}
	r, err := Load(DefaultConfig(), saved)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range docs[cut:] {
		l := labels[d.ID]
		r.Observe(d, l[0], l[1])
		for len(log) > 0 && log[0].Article <= d.ID {
			r.Replay(log[0])
			log = log[1:]
		}
	}
	if r.next != m.next {
		t.Errorf("replayed: next id %d; assigned: %d (ids would be handed out again)", r.next, m.next)
	}
	if len(r.stories) != len(m.stories) || len(r.events) != len(m.events) {
		t.Errorf("replayed: %d stories and %d events; assigned: %d and %d", len(r.stories), len(r.events), len(m.stories), len(m.events))
	}
	for id, e := range m.events {
		if x := r.events[id]; x == nil {
			t.Fatalf("event %d (story %d, %d articles) not replayed", id, e.Story, e.N)
		} else if x.Story != e.Story || x.N != e.N {
			t.Fatalf("event %d (story %d, %d articles) replayed in story %d with %d", id, e.Story, e.N, x.Story, x.N)
		}
	}
	for id, s := range m.stories {
		if x := r.stories[id]; x == nil || x.N != s.N {
			n := -1
			if x != nil {
				n = x.N
			}
			t.Fatalf("story %d (%d articles) replayed with %d (-1: not at all)", id, s.N, n)
		}
	}
	t.Logf("replayed %d articles and %v merges", len(docs)-cut, kinds)
}
