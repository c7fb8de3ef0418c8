package cluster

import (
	"cmp"
	"container/heap"
	"context"
	"slices"
)

// Span is the days an item covers, as days since the epoch; a zero Span
// is undated.
type Span struct{ First, Last int }

func (s Span) dated() bool { return s.First > 0 }

// gap is the number of days between two spans, 0 when they overlap or
// either is undated.
func (s Span) gap(o Span) int {
	if !s.dated() || !o.dated() {
		return 0
	}
	return max(0, s.First-o.Last, o.First-s.Last)
}

func (s Span) union(o Span) Span {
	switch {
	case !s.dated():
		return o
	case !o.dated():
		return s
	}
	return Span{min(s.First, o.First), max(s.Last, o.Last)}
}

// Limit bounds the dates a group may cover: MaxGap the days between two
// groups' spans, MaxSpan the days from the first to the last date of the
// merged group (0: no bound).
type Limit struct{ MaxGap, MaxSpan int }

func (l Limit) allows(a, b Span) bool {
	if l.MaxGap > 0 && a.gap(b) > l.MaxGap {
		return false
	}
	if u := a.union(b); l.MaxSpan > 0 && u.dated() && u.Last-u.First > l.MaxSpan {
		return false
	}
	return true
}

// Agglomerate groups items by average-linkage agglomerative clustering:
// the two groups with the highest mean pairwise similarity merge until no
// pair reaches threshold. sim lists the similarities known between items
// (pairs not listed count as 0); n is the number of items. With spans (nil
// for none), two groups never merge when the union of their dates would
// break limit. It returns a group index per item, numbered in order of
// first item.
func Agglomerate(n int, sims map[[2]int]float64, threshold float64, spans []Span, limit Limit) []int {
	label, _ := AgglomerateContext(context.Background(), n, sims, threshold, spans, limit)
	return label
}

// AgglomerateContext is Agglomerate that stops with ctx's error when ctx
// is done.
func AgglomerateContext(ctx context.Context, n int, sims map[[2]int]float64, threshold float64, spans []Span, limit Limit) ([]int, error) {
	span := make([]Span, n)
	if spans != nil {
		copy(span, spans)
	}
	size := make([]int, n)
	alive := make([]bool, n)
	nb := make([]map[int]float64, n) // summed similarity between groups
	for i := range size {
		size[i], alive[i], nb[i] = 1, true, map[int]float64{}
	}
	for p, s := range sims {
		if p[0] == p[1] {
			continue
		}
		nb[p[0]][p[1]] += s
		nb[p[1]][p[0]] += s
	}
	h := &pairHeap{}
	version := make([]int, n)
	for i := range nb {
		for j, s := range nb[i] {
			if i < j && s >= threshold {
				heap.Push(h, pair{s, i, j, 0, 0})
			}
		}
	}
	parent := make([]int, n)
	for i := range parent {
		parent[i] = i
	}
	for pops := 0; h.Len() > 0; pops++ {
		if pops%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		p := heap.Pop(h).(pair)
		if !alive[p.i] || !alive[p.j] || version[p.i] != p.vi || version[p.j] != p.vj {
			continue
		}
		if !limit.allows(span[p.i], span[p.j]) {
			continue // spans only grow: this pair can never merge
		}
		// Merge j into i; the summed similarities simply add.
		i, j := p.i, p.j
		for k, s := range nb[j] {
			if k == i {
				continue
			}
			nb[i][k] += s
			nb[k][i] += s
			delete(nb[k], j)
		}
		delete(nb[i], j)
		nb[j] = nil
		size[i] += size[j]
		span[i] = span[i].union(span[j])
		alive[j] = false
		parent[j] = i
		version[i]++
		for k, s := range nb[i] {
			if !alive[k] {
				continue
			}
			avg := s / float64(size[i]*size[k])
			if avg >= threshold {
				a, b := i, k
				if a > b {
					a, b = b, a
				}
				heap.Push(h, pair{avg, a, b, version[a], version[b]})
			}
		}
	}
	find := func(x int) int {
		for parent[x] != x {
			x = parent[x]
		}
		return x
	}
	label := make([]int, n)
	ids := map[int]int{}
	for i := 0; i < n; i++ {
		r := find(i)
		id, ok := ids[r]
		if !ok {
			id = len(ids)
			ids[r] = id
		}
		label[i] = id
	}
	return label, nil
}

type pair struct {
	s      float64
	i, j   int
	vi, vj int
}

type pairHeap []pair

func (h pairHeap) Len() int { return len(h) }
func (h pairHeap) Less(a, b int) bool {
	if h[a].s != h[b].s {
		return h[a].s > h[b].s
	}
	if h[a].i != h[b].i {
		return h[a].i < h[b].i
	}
	return h[a].j < h[b].j
}
func (h pairHeap) Swap(a, b int) { h[a], h[b] = h[b], h[a] }
func (h *pairHeap) Push(x any)   { *h = append(*h, x.(pair)) }
func (h *pairHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// Similarities computes the similarities above floor between vectors,
// through an inverted index over their heaviest terms rather than all pairs.
// Vectors in different languages (langs) are compared on their
// language-independent terms, discounted by crossLingual.
func Similarities(vs []Vec, langs []string, crossLingual, floor float64, queryTerms int) map[[2]int]float64 {
	sims, _ := SimilaritiesWithin(context.Background(), vs, langs, crossLingual, floor, queryTerms, nil, 0)
	return sims
}

// MaxNeighbours bounds the similar items each item keeps when more than
// that many share its vocabulary within one time window; below it every
// pair is kept.
const MaxNeighbours = 256

type neighbour struct {
	j int
	s float64
}

// SimilaritiesWithin is Similarities blocked by time: when spans is not nil,
// two items whose dated spans lie more than maxSpan days apart (so that no
// group holding both could respect a limit of maxSpan) are not compared.
// This keeps the pairs, and so the memory, proportional to the items of one
// time window rather than to the square of the archive. It stops with ctx's
// error when ctx is done.
func SimilaritiesWithin(ctx context.Context, vs []Vec, langs []string, crossLingual, floor float64, queryTerms int, spans []Span, maxSpan int) (map[[2]int]float64, error) {
	return similaritiesBy(ctx, vs, pairSim(vs, langs, func(i, j int, li []Vec) float64 {
		return crossLingual * Cos(li[i], li[j])
	}), floor, queryTerms, spans, maxSpan)
}

// pairSim compares items i and j of vs: on all terms within a language
// (or where either has none), with cross(i, j, li) across languages, li
// holding the items' language-independent terms.
func pairSim(vs []Vec, langs []string, cross func(i, j int, li []Vec) float64) func(i, j int) float64 {
	li := make([]Vec, len(vs))
	for i, v := range vs {
		li[i] = independent(v)
	}
	return func(i, j int) float64 {
		if langs[i] != "" && langs[j] != "" && langs[i] != langs[j] {
			return cross(i, j, li)
		}
		return Cos(vs[i], vs[j])
	}
}

// similaritiesBy is SimilaritiesWithin with the similarity of two items
// given.
func similaritiesBy(ctx context.Context, vs []Vec, sim func(i, j int) float64, floor float64, queryTerms int, spans []Span, maxSpan int) (map[[2]int]float64, error) {
	apart := func(i, j int) bool {
		if spans == nil || maxSpan <= 0 {
			return false
		}
		a, b := spans[i], spans[j]
		if !a.dated() || !b.dated() {
			return false
		}
		u := a.union(b)
		return u.Last-u.First > maxSpan
	}
	index := map[string][]int{}
	for i, v := range vs {
		for _, t := range Top(v, queryTerms) {
			index[t.Key] = append(index[t.Key], i)
		}
	}
	out := map[[2]int]float64{}
	seen := map[int]bool{}
	var cands []int
	var near []neighbour
	for i, v := range vs {
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		clear(seen)
		cands = cands[:0]
		for _, t := range Top(v, queryTerms) {
			post := index[t.Key]
			if len(post) > 5000 {
				continue
			}
			for _, j := range post {
				if j == i || seen[j] || apart(i, j) {
					continue
				}
				seen[j] = true
				cands = append(cands, j)
			}
		}
		if len(cands) <= MaxNeighbours {
			// Few candidates: every pair is kept, once, from its first item.
			for _, j := range cands {
				if j > i {
					if s := sim(i, j); s >= floor {
						out[[2]int{i, j}] = s
					}
				}
			}
			continue
		}
		// A crowded neighbourhood (many similar items in one window): the
		// item keeps its MaxNeighbours most similar, so that the pairs, and
		// memory, stay linear in the items.
		near = near[:0]
		for _, j := range cands {
			if s := sim(i, j); s >= floor {
				near = append(near, neighbour{j, s})
			}
		}
		if len(near) > MaxNeighbours {
			slices.SortFunc(near, func(a, b neighbour) int { return cmp.Compare(b.s, a.s) })
			near = near[:MaxNeighbours]
		}
		for _, n := range near {
			out[[2]int{min(i, n.j), max(i, n.j)}] = n.s
		}
	}
	return out, nil
}
