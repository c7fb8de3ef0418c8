package story

import (
	"hash/fnv"
	"slices"
	"strings"
	"sync"

	"dossier/internal/facts"
	"dossier/internal/news"
)

// derived is what a view takes from one article on its own, whatever
// story it is in: the claims it makes about places (for positions), the
// origin and terms of each of its dated statements (for the timeline), the
// source each figure names (for the ledger) and its sentences on an
// acknowledgement (for status changes).
// Finding them is most of the cost of a view, and a story's view is
// rebuilt as it grows, so a Memo keeps them from one build to the next.
type derived struct {
	claims []placeClaim
	// stmts is aligned with the article's Facts.Statements; a statement
	// the timeline does not take (undated, or spanning too long) has the
	// zero value.
	stmts []stmtInfo
	// figs is aligned with the article's Facts.Figures.
	figs   []namedSource
	status []statusSentence
	// saved is set once the derivation was restored from the store or
	// given out to be saved there (Memo.Unsaved); under the memo's lock.
	saved bool
}

// namedSource is the source a figure's sentence names, if it names one.
type namedSource struct {
	origin Origin
	why    string
	ok     bool
}

// statusSentence is a sentence that says something was never
// acknowledged, or (after) that it was for the first time.
type statusSentence struct {
	text  string
	after bool
}

// placeClaim is a claim about one or more places, as positions pairs
// them: who makes it (resolved to a party), where in the article, which
// places it is about (entity → canonical name), the parties it names and
// its words.
type placeClaim struct {
	facts.Claim
	party    string
	article  int64
	sentence int
	places   map[string]string
	names    map[string]bool
	terms    bag
}

// stmtInfo is a dated statement's origin (named: its sentence names a
// source) and its term set.
type stmtInfo struct {
	ok     bool
	origin Origin
	named  bool
	terms  bag
}

// derive finds what a view takes from article a.
func derive(tr *tracer, a news.Stored) *derived {
	d := &derived{claims: articleClaims(tr.g, a), stmts: make([]stmtInfo, len(a.Facts.Statements))}
	for i, st := range a.Facts.Statements {
		if !timelineDated(st) {
			continue
		}
		o, named := tr.statementOrigin(a, st.Text)
		d.stmts[i] = stmtInfo{ok: true, origin: clipOrigin(o), named: named, terms: bagOf(termSet(st.Text))}
	}
	d.figs = make([]namedSource, len(a.Facts.Figures))
	for i, f := range a.Facts.Figures {
		o, why, ok := tr.named(a, f)
		d.figs[i] = namedSource{clipOrigin(o), why, ok}
	}
	d.status = statusSentences(a)
	return d
}

// clipOrigin caps an origin's Within at its length: the origin is shared
// by every view built from the memo, on several goroutines, and an append
// to it must copy rather than write into the shared array.
func clipOrigin(o Origin) Origin {
	o.Within = slices.Clip(o.Within)
	return o
}

// derivedOf returns what a view takes from each of arts (aligned with
// them), from memo where it has it (memo may be nil).
func derivedOf(tr *tracer, arts []news.Stored, memo *Memo) []*derived {
	out := make([]*derived, len(arts))
	for i, a := range arts {
		if memo == nil {
			out[i] = derive(tr, a)
			continue
		}
		k := memoKeyOf(a)
		d := memo.get(k)
		if d == nil || len(d.stmts) != len(a.Facts.Statements) || len(d.figs) != len(a.Facts.Figures) {
			d = derive(tr, a)
			memo.put(k, d)
		}
		out[i] = d
	}
	return out
}

// Memo keeps what views derive from each article on its own, so that
// rebuilding a story's view as it grows analyses only its new articles. It
// holds at most its bound of articles and is safe for concurrent use. When
// full it drops an article at random: views are rebuilt in waves (every
// story that grew by a quarter), and a wave larger than the memo would
// find nothing in a memo that drops the least recently used, where random
// drops keep the share of hits that the bound allows. An article is known
// by its id and a fingerprint of what the derivation reads, so a changed
// or reanalysed article is derived again.
type Memo struct {
	mu  sync.Mutex
	max int
	m   map[memoKey]*derived
	// rules identifies the rules that derive (see NewStoredMemo); nil for
	// a memo whose entries are not stored.
	rules func() uint64
	// hits and misses count the articles found in the memo and those
	// derived (a miss costs a derivation).
	hits, misses int64
}

// Counts returns how many articles views found in the memo and how many
// they had to derive, since it was made.
func (m *Memo) Counts() (hits, misses int64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.hits, m.misses
}

// NewMemo returns a Memo holding at most n articles.
func NewMemo(n int) *Memo {
	return &Memo{max: max(1, n), m: map[memoKey]*derived{}}
}

// NewStoredMemo returns a Memo holding at most n articles whose entries
// are also kept in a store (Unsaved, Restore). rules names the rules that
// derive them, such as a checksum of the running program: an entry
// stored under other rules is not restored but derived again. It is
// called once, when first needed. derivedVersion alone would not do: the
// rules include the gazetteer and every expression of the facts package,
// which change without anyone raising it.
func NewStoredMemo(n int, rules func() string) *Memo {
	m := NewMemo(n)
	m.rules = sync.OnceValue(func() uint64 {
		r := rules()
		if r == "" {
			return 0 // unknown rules: nothing is stored or restored
		}
		h := fnv.New64a()
		h.Write([]byte(r))
		return max(1, h.Sum64())
	})
	return m
}

// Len is how many articles the memo holds.
func (m *Memo) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.m)
}

type memoKey struct {
	id int64
	fp uint64
}

// memoKeyOf fingerprints what derive reads of an article: its text,
// statements, figures' sources and sentences, credits, site and first
// address. A derivation that comes to read another field must add it here
// (TestMemoKeyCoversInputs lists them).
func memoKeyOf(a news.Stored) memoKey {
	h := fnv.New64a()
	w := func(s string) {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	w(a.Text)
	for _, st := range a.Facts.Statements {
		w(st.Text)
		w(st.Earliest.String())
		w(st.Latest.String())
	}
	for _, f := range a.Facts.Figures {
		w(f.AttributedTo)
		w(f.Sentence)
	}
	w(strings.Join(a.Credits, "\x01"))
	w(a.Site)
	if len(a.Sources) > 0 {
		w(a.Sources[0].URL)
	}
	return memoKey{a.ID, h.Sum64()}
}

func (m *Memo) get(k memoKey) *derived {
	m.mu.Lock()
	defer m.mu.Unlock()
	d := m.m[k]
	if d != nil {
		m.hits++
	} else {
		m.misses++
	}
	return d
}

func (m *Memo) put(k memoKey, d *derived) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.m[k]; !ok && len(m.m) >= m.max {
		for old := range m.m { // map order is random: a random article
			delete(m.m, old)
			break
		}
	}
	m.m[k] = d
}

// bag is a set of terms as their sorted 64-bit hashes: what the Memo keeps
// of a sentence's terms, in a tenth of a map's memory.
type bag []uint64

func bagOf(m map[string]bool) bag {
	b := make(bag, 0, len(m))
	h := fnv.New64a()
	for k := range m {
		h.Reset()
		h.Write([]byte(k))
		b = append(b, h.Sum64())
	}
	slices.Sort(b)
	return slices.Compact(b)
}

// shared counts the terms two bags share.
func (a bag) shared(b bag) int {
	n := 0
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			n++
			i++
			j++
		}
	}
	return n
}
