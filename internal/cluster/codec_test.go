package cluster

import (
	"bytes"
	"encoding/gob"
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
