package cluster

import (
	"encoding/binary"
	"errors"
	"slices"
	"testing"
)

// TestRelearnDue: a model is relearned at each power of two from
// RelearnFirst up to RelearnUpTo articles, once; a relearn that did not
// happen is due while the archive is less than twice that size.
func TestRelearnDue(t *testing.T) {
	for _, c := range []struct {
		docs, relearned, upTo int
		want                  bool
	}{
		{127, 0, 512, false},
		{128, 0, 512, true},
		{128, 128, 512, false},
		{200, 128, 512, false},
		{255, 128, 512, false},
		{256, 128, 512, true},
		{260, 256, 512, false},
		{512, 256, 512, true},
		{600, 256, 512, true},   // interrupted at 512: due again
		{1023, 256, 512, true},  // still under twice 512
		{1024, 256, 512, false}, // grown past: never
		{100000, 0, 512, false}, // saved before relearning existed
		{200, 0, 512, true},     // a young archive saved before it: once
		{128, 0, 0, false},      // off
		{512, 256, 256, false},  // past the last size
	} {
		m := New(Config{RelearnUpTo: c.upTo})
		m.docs, m.relearned = c.docs, c.relearned
		if got := m.RelearnDue(); got != c.want {
			t.Errorf("docs %d, relearned at %d, up to %d: due %v, want %v", c.docs, c.relearned, c.upTo, got, c.want)
		}
	}
}

// TestRelearnedKept: the size at the last relearn survives a save and a
// load, and a batch-built model counts as relearned at its size.
func TestRelearnedKept(t *testing.T) {
	cfg := DefaultConfig()
	var docs []Doc
	for i := range 140 {
		docs = append(docs, Doc{ID: int64(i + 1), Lang: "en", Raw: map[string]float32{"word": 1, string(rune('a' + i%26)): 1}})
	}
	r, err := Batch(t.Context(), docs, make([]int64, len(docs)), make([]int64, len(docs)), cfg, DefaultBatchConfig())
	if err != nil {
		t.Fatal(err)
	}
	if r.Model.relearned != 140 || r.Model.RelearnDue() {
		t.Fatalf("batch-built model: relearned at %d, due %v; want 140, false", r.Model.relearned, r.Model.RelearnDue())
	}
	b, err := r.Model.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	m, err := Load(cfg, b)
	if err != nil {
		t.Fatal(err)
	}
	if m.relearned != 140 {
		t.Errorf("loaded: relearned at %d, want 140", m.relearned)
	}
}

// TestRelearnedForms: a model in the form before the relearned size was
// kept (modelMagic3) loads as never relearned; one in the current form
// cut before it is damaged, not a model that was never relearned (which
// would relearn again and part from an uninterrupted run's stories).
func TestRelearnedForms(t *testing.T) {
	cfg := DefaultConfig()
	m := New(cfg)
	m.docs, m.relearned = 300, 256
	b, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	field := binary.PutVarint(make([]byte, binary.MaxVarintLen64), 256)
	old := append([]byte(modelMagic3), b[len(modelMagic):len(b)-field]...)
	if l, err := Load(cfg, old); err != nil || l.relearned != 0 || l.docs != 300 {
		t.Errorf("the form before: %v, relearned %d, docs %d", err, l.relearned, l.docs)
	}
	if _, err := Load(cfg, b[:len(b)-field]); !errors.Is(err, ErrDamaged) {
		t.Errorf("the current form cut before its relearned: %v, want ErrDamaged", err)
	}
}

// TestBatchChangesInOrder: a recluster logs its merges and splits in the
// same order in every run, so that a store reclustered again after a
// crash (a relearn redone) logs what an uninterrupted run logs.
func TestBatchChangesInOrder(t *testing.T) {
	var docs []Doc
	oldStory, oldEvent := make([]int64, 0, 40), make([]int64, 0, 40)
	for i := range 40 {
		topic := string(rune('a' + i%8))
		docs = append(docs, Doc{ID: int64(i + 1), Lang: "en", Raw: map[string]float32{topic + "x": 3, topic + "y": 2, topic + "z": 1}})
		// One old story and two old events hold every topic: the
		// recluster splits them eight ways and merges across them.
		oldStory, oldEvent = append(oldStory, 1), append(oldEvent, int64(2+i%2))
	}
	var first []Change
	for run := range 8 {
		r, err := Batch(t.Context(), docs, oldStory, oldEvent, DefaultConfig(), DefaultBatchConfig())
		if err != nil {
			t.Fatal(err)
		}
		if run == 0 {
			first = r.Changes
			if len(first) < 8 {
				t.Fatalf("only %d changes: the test shows nothing", len(first))
			}
			continue
		}
		if !slices.Equal(first, r.Changes) {
			t.Fatalf("run %d logged\n%v\nrun 0\n%v", run, r.Changes, first)
		}
	}
}
