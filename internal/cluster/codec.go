package cluster

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"dossier/internal/bincodec"
)

// The model's stored form. gob, the first form, spent most of a model's
// load and save on maps with string keys and stored what loading
// recomputes anyway (each centroid's top terms, its norm and index
// terms). This form keeps only what the model cannot recompute, and each
// string once: the first time a string is written it follows a 0; later it
// is written as its number in order of first appearance, plus one.
//
//	modelMagic
//	docs, next, clock, lastArticle (varints); trans (a byte)
//	recent: count, then varints
//	df: count, then (string, varint) pairs
//	events, stories: count, then centroids
//	centroid: id, story, n, lastDay, used (varints);
//	          top: count; norm (float32); LINorm (float64);
//	          sum: count, then (string, float32) pairs, the top's terms
//	               first, in the top's order;
//	          langs: count, then (string, varint) pairs;
//	          emb: count, then float32s
//	relearned (varint)
//
// Counts are uvarints, floats little-endian. Each centroid carries its top
// as the terms its sum lists first and the norm they were divided by, so
// that loading sorts nothing and builds no map for centroids that are only
// read (at 100,000 articles, pruning every centroid again took a third of
// a load, and filling their maps another third). Load still reads the
// forms before (modelMagic3: no relearned; modelMagic2: no top either,
// the sum in any order) and gob, so that stores saved before keep their
// model; a model in the current form without its relearned is damaged.
const (
	modelMagic  = "dossier-cluster-4\n"
	modelMagic3 = "dossier-cluster-3\n"
	modelMagic2 = "dossier-cluster-2\n"
)

type encoder struct {
	b    []byte
	strs map[string]uint64
}

func (e *encoder) uint(v uint64) { e.b = binary.AppendUvarint(e.b, v) }
func (e *encoder) int(v int64)   { e.b = binary.AppendVarint(e.b, v) }
func (e *encoder) f32(v float32) { e.b = binary.LittleEndian.AppendUint32(e.b, math.Float32bits(v)) }
func (e *encoder) f64(v float64) { e.b = binary.LittleEndian.AppendUint64(e.b, math.Float64bits(v)) }

func (e *encoder) str(s string) {
	if i, ok := e.strs[s]; ok {
		e.uint(i + 1)
		return
	}
	e.strs[s] = uint64(len(e.strs))
	e.uint(0)
	e.uint(uint64(len(s)))
	e.b = append(e.b, s...)
}

func (e *encoder) centroid(c *centroid) {
	e.int(c.ID)
	e.int(c.Story)
	e.int(int64(c.N))
	e.int(int64(c.LastDay))
	e.int(c.Used)
	e.uint(uint64(len(c.Top)))
	e.f32(c.norm)
	e.f64(c.LINorm)
	if c.Sum == nil {
		// Loaded and unchanged: packed as it was read.
		e.uint(uint64(len(c.packed)))
		for _, t := range c.packed {
			e.str(t.Key)
			e.f32(t.W)
		}
	} else {
		e.uint(uint64(len(c.Sum)))
		for _, t := range c.Top {
			e.str(t.Key)
			e.f32(c.Sum[t.Key])
		}
		for k, w := range c.Sum {
			if _, top := slices.BinarySearchFunc(c.Top, k, byKey); !top {
				e.str(k)
				e.f32(w)
			}
		}
	}
	e.rest(c)
}

// rest writes what follows a centroid's sum: its languages and embedding.
func (e *encoder) rest(c *centroid) {
	e.uint(uint64(len(c.Langs)))
	for l, n := range c.Langs {
		e.str(l)
		e.int(int64(n))
	}
	e.uint(uint64(len(c.Emb)))
	for _, x := range c.Emb {
		e.f32(x)
	}
}

// header writes what precedes the centroids.
func (e *encoder) header(s *snapshot, magic string) {
	e.b = append(e.b, magic...)
	e.int(int64(s.Docs))
	e.int(s.Next)
	e.int(s.Clock)
	e.int(s.LastArticle)
	if s.Trans {
		e.b = append(e.b, 1)
	} else {
		e.b = append(e.b, 0)
	}
	e.uint(uint64(len(s.Recent)))
	for _, r := range s.Recent {
		e.int(r)
	}
	e.uint(uint64(len(s.DF)))
	for k, n := range s.DF {
		e.str(k)
		e.int(int64(n))
	}
}

func byKey(t Term, k string) int { return strings.Compare(t.Key, k) }

// encodeSnapshot writes s; its centroids' tops must reflect their sums
// (MarshalBinary refreshes them first).
func encodeSnapshot(s *snapshot) []byte {
	e := &encoder{b: make([]byte, 0, 1<<20), strs: make(map[string]uint64, len(s.DF))}
	e.header(s, modelMagic)
	for _, cs := range [][]*centroid{s.Events, s.Stories} {
		e.uint(uint64(len(cs)))
		for _, c := range cs {
			e.centroid(c)
		}
	}
	e.int(int64(s.Relearned))
	return e.b
}

// ErrDamaged is the error of a stored model that cannot be loaded: cut,
// altered, or inconsistent (an event in a story it does not hold).
var ErrDamaged = errors.New("damaged model")

// decoder reads the form above; after the first error every read returns
// zero and Err stays set.
type decoder struct {
	*bincodec.Reader
	strs []string
}

func (d *decoder) f32() float32 {
	if len(d.B) < 4 {
		d.Fail()
		return 0
	}
	v := math.Float32frombits(binary.LittleEndian.Uint32(d.B))
	d.B = d.B[4:]
	return v
}

func (d *decoder) f64() float64 {
	if len(d.B) < 8 {
		d.Fail()
		return 0
	}
	v := math.Float64frombits(binary.LittleEndian.Uint64(d.B))
	d.B = d.B[8:]
	return v
}

// str reads a string: its number in order of first appearance plus one,
// or 0 and the string, which gets the next number.
func (d *decoder) str() string {
	i := d.Uint()
	if i > 0 {
		if i > uint64(len(d.strs)) {
			d.Fail()
			return ""
		}
		return d.strs[i-1]
	}
	s := d.Str()
	if d.Err == nil {
		d.strs = append(d.strs, s)
	}
	return s
}

// centroid reads a centroid; packed: in the current form, with its top.
func (d *decoder) centroid(packed bool) *centroid {
	c := &centroid{ID: d.Int(), Story: d.Int(), N: int(d.Int()), LastDay: int(d.Int()), Used: d.Int()}
	if packed {
		top := d.Count(5)
		c.norm, c.LINorm = d.f32(), d.f64()
		n := d.Count(5)
		if top > n {
			d.Fail()
			return c
		}
		c.packed = make([]Term, n)
		for i := range c.packed {
			c.packed[i] = Term{d.str(), d.f32()}
		}
		c.Top = make(Vec, top)
		for i, t := range c.packed[:top] {
			// Similarities walk tops in key order: a top out of order is
			// damage, not a model.
			if i > 0 && t.Key <= c.packed[i-1].Key {
				d.Fail()
				return c
			}
			c.Top[i] = Term{t.Key, t.W / c.norm}
		}
	} else {
		n := d.Count(5)
		c.Sum = make(map[string]float32, n)
		for range n {
			k := d.str()
			c.Sum[k] = d.f32()
		}
	}
	if n := d.Count(2); n > 0 {
		c.Langs = make(map[string]int, n)
		for range n {
			l := d.str()
			c.Langs[l] = int(d.Int())
		}
	}
	if n := d.Count(4); n > 0 {
		c.Emb = make([]float32, n)
		for i := range c.Emb {
			c.Emb[i] = d.f32()
		}
	}
	return c
}

// decodeSnapshot reads the current form or those before (modelMagic3,
// modelMagic2).
func decodeSnapshot(b []byte) (*snapshot, error) {
	current := bytes.HasPrefix(b, []byte(modelMagic))
	packed := current || bytes.HasPrefix(b, []byte(modelMagic3))
	d := &decoder{Reader: bincodec.NewReader(b[len(modelMagic):], ErrDamaged)}
	s := &snapshot{Docs: int(d.Int()), Next: d.Int(), Clock: d.Int(), LastArticle: d.Int(), packed: packed}
	s.Trans = d.Bool()
	if n := d.Count(1); n > 0 {
		s.Recent = make([]int64, n)
		for i := range s.Recent {
			s.Recent[i] = d.Int()
		}
	}
	n := d.Count(2)
	s.DF = make(map[string]int32, n)
	d.strs = make([]string, 0, n)
	for range n {
		k := d.str()
		s.DF[k] = int32(d.Int())
	}
	for _, cs := range []*[]*centroid{&s.Events, &s.Stories} {
		n := d.Count(8)
		*cs = make([]*centroid, 0, n)
		for range n {
			*cs = append(*cs, d.centroid(packed))
		}
	}
	if current {
		s.Relearned = int(d.Int())
	}
	if err := d.End(); err != nil {
		return nil, fmt.Errorf("cluster: decode: %w", err)
	}
	return s, nil
}
