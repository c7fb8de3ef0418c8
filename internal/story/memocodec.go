package story

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"

	"dossier/internal/bincodec"
	"dossier/internal/news"
)

// What a view derives from an article is kept in the store too, so that
// a view rebuilt after its articles have left the Memo (a long ingest
// touches more stories than the memo holds; a new process starts with it
// empty) decodes them instead of analysing them again: derivation is most
// of a view's cost, and without this it is repeated for a larger share of
// articles the larger the archive grows.
//
// The stored form:
//
//	derivedVersion (a byte), the rules' identity (8 bytes, see
//	NewStoredMemo), the article's fingerprint (8 bytes)
//	claims: count, then text, by, contrast, party, sentence, places
//	        (count, then key and value), names (count, then names),
//	        terms (a bag)
//	stmts:  count, then ok, named, origin, terms
//	figs:   count, then ok, why, origin
//	status: count, then text, after
//	origin: id, name, kind, within (count, then strings)
//	bag:    count, then the hashes, each a uvarint of its difference
//	        from the one before (sorted)
//
// Counts are uvarints, 0 for nil and the length plus one otherwise;
// integers varints, strings a length and their bytes, booleans a byte.
// The article's id is not stored: it is the row's.

// derivedVersion names the stored form and the derivation's rules. Change
// it with any change to what derive returns for an article
// (TestDerivedVersion fails until it is), although the rules' identity
// (NewStoredMemo) refuses another program's forms anyway.
const derivedVersion = 17

// Missing returns the indexes of arts whose derivation the memo does not
// hold: the ones to Restore from the store before building a view.
func (m *Memo) Missing(arts []news.Stored) []int {
	var out []int
	m.mu.Lock()
	defer m.mu.Unlock()
	for i, a := range arts {
		if m.m[memoKeyOf(a)] == nil {
			out = append(out, i)
		}
	}
	return out
}

// Restore puts into the memo the derivation of a that data (from
// Unsaved) holds, if it was derived from a as it is now by this memo's
// rules; otherwise, or if data is damaged, it returns false and a view
// derives a again. A memo made by NewMemo, or with unknown rules,
// restores nothing.
func (m *Memo) Restore(a news.Stored, data []byte) bool {
	if m.rules == nil || m.rules() == 0 {
		return false
	}
	k := memoKeyOf(a)
	d, err := decodeDerived(data, m.rules(), k.fp, a.ID)
	if err != nil || len(d.stmts) != len(a.Facts.Statements) || len(d.figs) != len(a.Facts.Figures) {
		return false
	}
	d.saved = true
	m.put(k, d)
	return true
}

// Unsaved returns, by article id, the stored form of the derivations of
// arts that the memo holds and has not given out before (derived by a
// view, not restored), and counts them as given out: the caller saves
// them. A memo made by NewMemo gives out nothing.
func (m *Memo) Unsaved(arts []news.Stored) map[int64][]byte {
	if m.rules == nil || m.rules() == 0 {
		return nil
	}
	rules := m.rules()
	var out map[int64][]byte
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, a := range arts {
		k := memoKeyOf(a)
		d := m.m[k]
		if d == nil || d.saved {
			continue
		}
		d.saved = true
		if out == nil {
			out = map[int64][]byte{}
		}
		out[a.ID] = encodeDerived(d, rules, k.fp)
	}
	return out
}

type dwriter struct{ b []byte }

func (w *dwriter) uint(v uint64) { w.b = binary.AppendUvarint(w.b, v) }
func (w *dwriter) int(v int)     { w.b = binary.AppendVarint(w.b, int64(v)) }
func (w *dwriter) str(s string) {
	w.uint(uint64(len(s)))
	w.b = append(w.b, s...)
}
func (w *dwriter) bool(v bool) {
	if v {
		w.b = append(w.b, 1)
	} else {
		w.b = append(w.b, 0)
	}
}

// n writes a slice's or map's length, keeping nil apart from empty so
// that a restored derivation is the one derived, to the last nil.
func (w *dwriter) n(n int, isNil bool) {
	if isNil {
		w.uint(0)
		return
	}
	w.uint(uint64(n) + 1)
}

func (w *dwriter) bag(b bag) {
	w.n(len(b), b == nil)
	prev := uint64(0)
	for _, h := range b {
		w.uint(h - prev)
		prev = h
	}
}

func (w *dwriter) origin(o Origin) {
	w.str(o.ID)
	w.str(o.Name)
	w.str(o.Kind)
	w.n(len(o.Within), o.Within == nil)
	for _, s := range o.Within {
		w.str(s)
	}
}

func encodeDerived(d *derived, rules, fp uint64) []byte {
	w := &dwriter{b: make([]byte, 0, 256)}
	w.b = append(w.b, derivedVersion)
	w.b = binary.LittleEndian.AppendUint64(w.b, rules)
	w.b = binary.LittleEndian.AppendUint64(w.b, fp)
	w.n(len(d.claims), d.claims == nil)
	for _, c := range d.claims {
		w.str(c.Text)
		w.str(c.By)
		w.bool(c.Contrast)
		w.str(c.party)
		w.int(c.sentence)
		keys := make([]string, 0, len(c.places))
		for k := range c.places {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		w.n(len(keys), c.places == nil)
		for _, k := range keys {
			w.str(k)
			w.str(c.places[k])
		}
		keys = keys[:0]
		for k, ok := range c.names {
			if ok {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		w.n(len(keys), c.names == nil)
		for _, k := range keys {
			w.str(k)
		}
		w.bag(c.terms)
	}
	w.n(len(d.stmts), d.stmts == nil)
	for _, s := range d.stmts {
		w.bool(s.ok)
		w.bool(s.named)
		w.origin(s.origin)
		w.bag(s.terms)
	}
	w.n(len(d.figs), d.figs == nil)
	for _, f := range d.figs {
		w.bool(f.ok)
		w.str(f.why)
		w.origin(f.origin)
	}
	w.n(len(d.status), d.status == nil)
	for _, s := range d.status {
		w.str(s.text)
		w.bool(s.after)
	}
	return w.b
}

var errDerived = errors.New("story: damaged stored derivation")

// dreader reads what dwriter wrote.
type dreader struct{ *bincodec.Reader }

func (r dreader) int() int {
	v := r.Int()
	if v != int64(int(v)) {
		r.Fail()
		return 0
	}
	return int(v)
}

// count reads what dwriter.n wrote for items each at least min bytes
// long: the length and whether it was nil. It refuses a length the
// remaining bytes cannot hold (a damaged count must not make a huge
// allocation).
func (r dreader) count(min int) (int, bool) {
	n := r.Uint()
	if n == 0 || !r.Fits(n-1, min) {
		return 0, true
	}
	return int(n - 1), false
}

func (r dreader) bag() bag {
	n, isNil := r.count(1)
	if isNil {
		return nil
	}
	b := make(bag, n)
	prev := uint64(0)
	for i := range b {
		d := r.Uint()
		if (i > 0 && d == 0) || prev+d < prev {
			r.Fail() // a bag's hashes are distinct and sorted
		}
		prev += d
		b[i] = prev
	}
	return b
}

func (r dreader) origin() Origin {
	o := Origin{ID: r.Str(), Name: r.Str(), Kind: r.Str()}
	if n, isNil := r.count(1); !isNil {
		o.Within = make([]string, n)
		for i := range o.Within {
			o.Within[i] = r.Str()
		}
	}
	return o
}

// decodeDerived reads what encodeDerived wrote under rules for the
// article with fingerprint fp and id, refusing another version's form,
// other rules', another article's, and damaged data.
func decodeDerived(data []byte, rules, fp uint64, id int64) (*derived, error) {
	if len(data) < 17 || data[0] != derivedVersion {
		return nil, errDerived
	}
	if got := binary.LittleEndian.Uint64(data[1:9]); got != rules {
		return nil, fmt.Errorf("story: stored derivation of article %d by other rules", id)
	}
	if got := binary.LittleEndian.Uint64(data[9:17]); got != fp {
		return nil, fmt.Errorf("story: stored derivation of another form of article %d", id)
	}
	r := dreader{bincodec.NewReader(data[17:], errDerived)}
	d := &derived{}
	if n, isNil := r.count(8); !isNil {
		d.claims = make([]placeClaim, n)
		for i := range d.claims {
			c := &d.claims[i]
			c.Text, c.By, c.Contrast = r.Str(), r.Str(), r.Bool()
			c.party, c.sentence, c.article = r.Str(), r.int(), id
			if k, isNil := r.count(2); !isNil {
				c.places = make(map[string]string, k)
				for range k {
					key := r.Str()
					c.places[key] = r.Str()
				}
			}
			if k, isNil := r.count(1); !isNil {
				c.names = make(map[string]bool, k)
				for range k {
					c.names[r.Str()] = true
				}
			}
			c.terms = r.bag()
		}
	}
	if n, isNil := r.count(7); !isNil {
		d.stmts = make([]stmtInfo, n)
	}
	for i := range d.stmts {
		s := &d.stmts[i]
		s.ok, s.named, s.origin, s.terms = r.Bool(), r.Bool(), r.origin(), r.bag()
	}
	if n, isNil := r.count(6); !isNil {
		d.figs = make([]namedSource, n)
	}
	for i := range d.figs {
		f := &d.figs[i]
		f.ok, f.why, f.origin = r.Bool(), r.Str(), r.origin()
	}
	if n, isNil := r.count(2); !isNil {
		d.status = make([]statusSentence, n)
		for i := range d.status {
			d.status[i] = statusSentence{text: r.Str(), after: r.Bool()}
		}
	}
	if err := r.End(); err != nil {
		return nil, err
	}
	return d, nil
}
