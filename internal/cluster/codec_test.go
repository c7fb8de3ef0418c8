package cluster

import (
	"bytes"
	"encoding/gob"
	"errors"
	"maps"
	"slices"
	"testing"
	"time"
)

// gobSnapshot encodes m as models were saved before the current form.
func gobSnapshot(t testing.TB, m *Model) []byte {
	s := snapshot{DF: m.df, Docs: m.docs, Next: m.next, Clock: m.clock, LastArticle: m.LastArticle, Recent: m.recent, Trans: m.cfg.Dict != nil}
	for _, e := range m.events {
		m.refresh(e)
		s.Events = append(s.Events, e)
	}
	for _, st := range m.stories {
		m.refresh(st)
		s.Stories = append(s.Stories, st)
	}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(s); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// v2Snapshot encodes m in the form before the current one: no tops, the
// sums in any order.
func v2Snapshot(m *Model) []byte {
	s := snapshot{DF: m.df, Docs: m.docs, Next: m.next, Clock: m.clock, LastArticle: m.LastArticle, Recent: m.recent}
	e := &encoder{strs: map[string]uint64{}}
	e.header(&s, modelMagic2)
	for _, cs := range []map[int64]*centroid{m.events, m.stories} {
		e.uint(uint64(len(cs)))
		for _, c := range cs {
			for _, v := range []int64{c.ID, c.Story, int64(c.N), int64(c.LastDay), c.Used} {
				e.int(v)
			}
			sum := c.sum()
			e.uint(uint64(len(sum)))
			for k, w := range sum {
				e.str(k)
				e.f32(w)
			}
			e.rest(c)
		}
	}
	return e.b
}

// sameModel fails unless b holds what a does, centroid by centroid: the
// sums, the tops (to the bit) and the norms.
func sameModel(t *testing.T, what string, a, b *Model) {
	t.Helper()
	if a.docs != b.docs || a.next != b.next || a.clock != b.clock || a.LastArticle != b.LastArticle || !maps.Equal(a.df, b.df) || !slices.Equal(a.recent, b.recent) {
		t.Fatalf("%s: counts differ", what)
	}
	if !maps.EqualFunc(a.index, b.index, maps.Equal) {
		t.Fatalf("%s: term indexes differ", what)
	}
	for id, e := range a.events {
		if x := b.events[id]; x != nil && !slices.Equal(e.Indexed, x.Indexed) {
			t.Fatalf("%s: event %d indexed under other terms", what, id)
		}
	}
	for _, pair := range [][2]map[int64]*centroid{{a.events, b.events}, {a.stories, b.stories}} {
		if len(pair[0]) != len(pair[1]) {
			t.Fatalf("%s: %d centroids, want %d", what, len(pair[1]), len(pair[0]))
		}
		for id, x := range pair[0] {
			y := pair[1][id]
			if y == nil {
				t.Fatalf("%s: centroid %d missing", what, id)
			}
			a.refresh(x)
			b.refresh(y)
			if x.Story != y.Story || x.N != y.N || x.LastDay != y.LastDay || x.Used != y.Used || x.LINorm != y.LINorm || x.norm != y.norm ||
				!slices.Equal(x.Top, y.Top) || !maps.Equal(x.sum(), y.sum()) || !maps.Equal(x.Langs, y.Langs) || !slices.Equal(x.Emb, y.Emb) {
				t.Fatalf("%s: centroid %d differs", what, id)
			}
		}
	}
}

// TestSnapshotPacked: a model loaded from the current form holds what the
// model saved does, without unpacking a centroid it did not change, and
// saves again to a model that holds it too.
func TestSnapshotPacked(t *testing.T) {
	docs := stream(baseDocs(t), 2500)
	ref := New(DefaultConfig())
	for _, d := range docs[:2000] {
		ref.Assign(d)
	}
	data, err := ref.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	loaded, err := Load(DefaultConfig(), data)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range docs[2000:2010] {
		ref.Assign(d)
		loaded.Assign(d)
	}
	packed := 0
	for _, c := range loaded.events {
		if c.Sum == nil {
			packed++
		}
	}
	if packed == 0 || packed == len(loaded.events) {
		t.Fatalf("%d of %d events still packed after ten assignments", packed, len(loaded.events))
	}
	again, err := loaded.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	reloaded, err := Load(DefaultConfig(), again)
	if err != nil {
		t.Fatal(err)
	}
	old, err := Load(DefaultConfig(), v2Snapshot(ref))
	if err != nil {
		t.Fatal(err)
	}
	sameModel(t, "loaded", ref, loaded)
	sameModel(t, "saved again", ref, reloaded)
	sameModel(t, "from the form before", ref, old)
}

// TestSnapshotForms loads a model saved in gob, the form before the
// current one, and in the current form: both assign the next documents as
// the model they were saved from does. It logs each form's size and time.
func TestSnapshotForms(t *testing.T) {
	docs := stream(baseDocs(t), 4000)
	ref := New(DefaultConfig())
	for _, d := range docs[:3000] {
		ref.Assign(d)
	}
	start := time.Now()
	old := gobSnapshot(t, ref)
	tOldSave := time.Since(start)
	start = time.Now()
	cur, err := ref.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	tSave := time.Since(start)
	start = time.Now()
	a, err := Load(DefaultConfig(), old)
	if err != nil {
		t.Fatal(err)
	}
	tOldLoad := time.Since(start)
	start = time.Now()
	b, err := Load(DefaultConfig(), cur)
	if err != nil {
		t.Fatal(err)
	}
	tLoad := time.Since(start)
	t.Logf("gob: %d bytes, save %v, load %v; current: %d bytes, save %v, load %v",
		len(old), tOldSave, tOldLoad, len(cur), tSave, tLoad)
	for _, d := range docs[3000:] {
		x, y, z := ref.Assign(d), a.Assign(d), b.Assign(d)
		if x.Story != y.Story || x.Event != y.Event || x.Story != z.Story || x.Event != z.Event {
			t.Fatalf("doc %d: original %d/%d, from gob %d/%d, from the current form %d/%d",
				d.ID, x.Story, x.Event, y.Story, y.Event, z.Story, z.Event)
		}
	}
	if len(cur) >= len(old) {
		t.Errorf("current form %d bytes, gob %d", len(cur), len(old))
	}
}

// TestLoadRejectsDamage cuts a saved model at many points and alters its
// bytes: a cut model is an error, and no damage panics.
func TestLoadRejectsDamage(t *testing.T) {
	m := New(DefaultConfig())
	for _, d := range stream(baseDocs(t), 300) {
		m.Assign(d)
	}
	data, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	for n := len(modelMagic); n < len(data); n += 1 + len(data)/199 {
		if _, err := Load(DefaultConfig(), data[:n]); err == nil {
			t.Fatalf("model cut at %d of %d bytes loaded", n, len(data))
		}
	}
	for i := len(modelMagic); i < len(data); i += 1 + len(data)/101 {
		bad := bytes.Clone(data)
		bad[i] ^= 0xff
		Load(DefaultConfig(), bad) // an error or another model, never a panic
	}
}

// BenchmarkSnapshot saves and loads a model of 20,000 documents.
func BenchmarkSnapshot(b *testing.B) {
	m := New(DefaultConfig())
	for _, d := range stream(baseDocs(b), 20000) {
		m.Assign(d)
	}
	for b.Loop() {
		data, err := m.MarshalBinary()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Load(DefaultConfig(), data); err != nil {
			b.Fatal(err)
		}
	}
}

// TestLoadRejectsInconsistent: a snapshot no model could have saved (an
// event in a story it does not hold, an id twice, an id not yet handed
// out) is ErrDamaged when loaded, not a model that fails later.
func TestLoadRejectsInconsistent(t *testing.T) {
	c := func(id, story int64) *centroid {
		return &centroid{ID: id, Story: story, N: 1, Sum: map[string]float32{"x": 1}, Top: Vec{{"x", 1}}, norm: 1}
	}
	for _, tt := range []struct {
		name            string
		events, stories []*centroid
	}{
		{"event in a missing story", []*centroid{c(2, 5)}, []*centroid{c(1, 0)}},
		{"event twice", []*centroid{c(2, 1), c(2, 1)}, []*centroid{c(1, 0)}},
		{"story twice", []*centroid{c(2, 1)}, []*centroid{c(1, 0), c(1, 0)}},
		{"id not handed out", []*centroid{c(12, 1)}, []*centroid{c(1, 0)}},
	} {
		data := encodeSnapshot(&snapshot{DF: map[string]int32{"x": 1}, Docs: 1, Next: 10, Events: tt.events, Stories: tt.stories})
		if _, err := Load(DefaultConfig(), data); !errors.Is(err, ErrDamaged) {
			t.Errorf("%s: Load = %v, want ErrDamaged", tt.name, err)
		}
	}
	good := encodeSnapshot(&snapshot{DF: map[string]int32{"x": 1}, Docs: 1, Next: 10, Events: []*centroid{c(2, 1)}, Stories: []*centroid{c(1, 0)}})
	if _, err := Load(DefaultConfig(), good); err != nil {
		t.Errorf("a consistent snapshot: %v", err)
	}
}
