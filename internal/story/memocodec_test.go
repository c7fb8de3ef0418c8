package story

import (
	"fmt"
	"hash/fnv"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"dossier/internal/facts"
	"dossier/internal/news"
	"dossier/internal/sharedtest"
)

// derivedCorpus returns the test stories' articles and the AEB benchmark's
// article texts with their facts analysed: articles with claims, dated
// statements, attributed figures and status sentences in numbers.
func derivedCorpus(t testing.TB) []news.Stored {
	arts := growing()
	captured := time.Date(2024, 5, 6, 0, 0, 0, 0, time.UTC)
	for i, text := range sharedtest.AEBTexts(t) {
		a := news.Article{Text: text, Language: "en", Site: "example.org", Credits: []string{"Reuters"}}
		a.Facts = facts.Analyze(a, captured, "captured", captured)
		arts = append(arts, news.Stored{ID: int64(1000 + i), Article: a,
			Sources: []news.Source{{URL: "https://example.org/" + strconv.Itoa(i), Captured: captured}}})
	}
	return arts
}

// TestDerivedRoundTrip checks that every article's derivation comes back
// from its stored form as it was derived, to the last nil.
func TestDerivedRoundTrip(t *testing.T) {
	tr := newTracer(nil)
	var claims, stmts, figs, status int
	for _, a := range derivedCorpus(t) {
		d := derive(tr, a)
		claims, stmts, figs, status = claims+len(d.claims), stmts+len(d.stmts), figs+len(d.figs), status+len(d.status)
		k := memoKeyOf(a)
		got, err := decodeDerived(encodeDerived(d, 5, k.fp), 5, k.fp, a.ID)
		if err != nil {
			t.Fatalf("article %d: %v", a.ID, err)
		}
		if !reflect.DeepEqual(got, d) {
			t.Fatalf("article %d: restored\n%+v\nderived\n%+v", a.ID, got, d)
		}
	}
	if claims == 0 || stmts == 0 || figs == 0 || status == 0 {
		t.Errorf("the corpus exercises too little: %d claims, %d statements, %d figures, %d status sentences", claims, stmts, figs, status)
	}
}

// TestDerivedVersion holds derivedVersion to the rules: it hashes the
// stored form of every derivation of the corpus, and fails when the hash
// changed while the version did not (stores would keep the old rules'
// derivations). After a change to what derive returns, raise
// derivedVersion and run go test -update.
func TestDerivedVersion(t *testing.T) {
	tr := newTracer(nil)
	h := fnv.New64a()
	for _, a := range derivedCorpus(t) {
		h.Write(encodeDerived(derive(tr, a), 0, 0))
	}
	got := fmt.Sprintf("version %d\nhash %016x\n", derivedVersion, h.Sum64())
	const path = "testdata/derived.version"
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := string(raw)
	if got == want {
		return
	}
	if strings.HasPrefix(want, fmt.Sprintf("version %d\n", derivedVersion)) {
		t.Fatalf("what derive returns changed but derivedVersion is still %d: raise it (stores keep the old rules' derivations otherwise), then run go test -update\n got %s\nwant %s", derivedVersion, got, want)
	}
	t.Fatalf("derivedVersion changed: run go test -update to record it\n got %s\nwant %s", got, want)
}

// TestMemoRestore checks that a view built from derivations restored
// from their stored form is the view built by deriving, that each is
// given out to be saved once, and that a stored form is refused for an
// article that changed, for other rules or another version, and when
// damaged.
func TestMemoRestore(t *testing.T) {
	arts := growing()
	rules := func() string { return "rules 1" }
	full := NewStoredMemo(100, rules)
	var tally Tally
	for _, a := range arts {
		tally.Add(a)
	}
	want := tally.View(1, arts, full)
	stored := full.Unsaved(arts)
	if len(stored) != len(arts) {
		t.Fatalf("Unsaved after a view gave %d of %d articles", len(stored), len(arts))
	}
	if again := full.Unsaved(arts); len(again) != 0 {
		t.Errorf("Unsaved gave %d articles out twice", len(again))
	}
	memo := NewStoredMemo(100, rules)
	if miss := memo.Missing(arts); len(miss) != len(arts) {
		t.Fatalf("an empty memo misses %d of %d", len(miss), len(arts))
	}
	for _, a := range arts {
		if !memo.Restore(a, stored[a.ID]) {
			t.Fatalf("article %d: its stored form was refused", a.ID)
		}
	}
	if miss := memo.Missing(arts); len(miss) != 0 {
		t.Fatalf("after Restore the memo misses %v", miss)
	}
	hits0, misses0 := memo.Counts()
	if got := tally.View(1, arts, memo); !reflect.DeepEqual(got, want) {
		t.Fatalf("the view from restored derivations differs:\n got %+v\nwant %+v", got, want)
	}
	if hits, misses := memo.Counts(); misses != misses0 || hits-hits0 != int64(len(arts)) {
		t.Errorf("the view derived %d articles again, found %d", misses-misses0, hits-hits0)
	}
	if again := memo.Unsaved(arts); len(again) != 0 {
		t.Errorf("restored derivations given out to be saved: %d", len(again))
	}

	a := arts[0]
	b := stored[a.ID]
	changed := a
	changed.Text += " A later correction."
	other := append([]byte{derivedVersion + 1}, b[1:]...)
	for name, c := range map[string]struct {
		memo *Memo
		a    news.Stored
		data []byte
	}{
		"changed article": {NewStoredMemo(10, rules), changed, b},
		"other version":   {NewStoredMemo(10, rules), a, other},
		"other rules":     {NewStoredMemo(10, func() string { return "rules 2" }), a, b},
		"unknown rules":   {NewStoredMemo(10, func() string { return "" }), a, b},
		"not stored":      {NewMemo(10), a, b},
		"truncated":       {NewStoredMemo(10, rules), a, b[:len(b)-1]},
		"trailing bytes":  {NewStoredMemo(10, rules), a, append(append([]byte(nil), b...), 0)},
		"empty":           {NewStoredMemo(10, rules), a, nil},
	} {
		if c.memo.Restore(c.a, c.data) {
			t.Errorf("%s: restored", name)
		}
	}
	if got := NewMemo(10).Unsaved(arts); got != nil {
		t.Errorf("a memo that is not stored gave out %d", len(got))
	}
}

// FuzzDecodeDerived checks that no stored form, however damaged, makes
// the decoder panic or allocate without bound, and that what it accepts
// encodes back to the same bytes.
func FuzzDecodeDerived(f *testing.F) {
	tr := newTracer(nil)
	for _, a := range growing() {
		f.Add(encodeDerived(derive(tr, a), 3, 7))
	}
	f.Add([]byte{derivedVersion, 3, 0, 0, 0, 0, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := decodeDerived(data, 3, 7, 1)
		if err != nil {
			return
		}
		if again := encodeDerived(d, 3, 7); string(again) != string(data) {
			// Places and names are written sorted and names only when
			// true; a hand-made input may hold them otherwise.
			if d2, err := decodeDerived(again, 3, 7, 1); err != nil || !reflect.DeepEqual(d2, d) {
				t.Fatalf("re-encoded form decodes differently: %v", err)
			}
		}
	})
}
