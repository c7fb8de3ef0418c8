package storetest

import (
	"context"
	"reflect"
	"testing"

	"dossier/internal/store"
)

// testHandoff checks the pages analysed by queue workers: kept once per
// sequence number, listed in sequence order, dropped when stored.
func testHandoff(t *testing.T, s store.Store) {
	ctx := context.Background()
	h, ok := s.(store.Handoff)
	if !ok {
		t.Fatalf("%T does not implement store.Handoff", s)
	}
	if got, err := h.Analysed(ctx, 10); err != nil || len(got) != 0 {
		t.Fatalf("empty store: Analysed = %v, %v", got, err)
	}
	for _, a := range []store.Analysed{
		{Seq: 30, Input: "c.html", Data: []byte(`{"c":3}`)},
		{Seq: 10, Input: "a.html", Data: []byte{0, 1, 2, 255}},
		{Seq: 20, Input: "b.html", Data: []byte(`{"b":2}`)},
		// A job run again after its worker died: the first copy stays.
		{Seq: 10, Input: "a.html", Data: []byte(`other`)},
	} {
		if err := h.AddAnalysed(ctx, a); err != nil {
			t.Fatalf("AddAnalysed %d: %v", a.Seq, err)
		}
	}
	got, err := h.Analysed(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	want := []store.Analysed{
		{Seq: 10, Input: "a.html", Data: []byte{0, 1, 2, 255}},
		{Seq: 20, Input: "b.html", Data: []byte(`{"b":2}`)},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Analysed(2) = %+v, want %+v", got, want)
	}
	if err := h.DropAnalysed(ctx, 10); err != nil {
		t.Fatal(err)
	}
	if err := h.DropAnalysed(ctx, 99); err != nil {
		t.Fatalf("dropping an unknown page: %v", err)
	}
	got, err = h.Analysed(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Seq != 20 || got[1].Seq != 30 {
		t.Fatalf("after DropAnalysed(10): %+v", got)
	}
}
