//go:build tune

package cluster

import (
	"fmt"
	"os"
	"sort"
	"testing"
)

// TestXling scores incremental stories on the SemEval dev set alone, per
// language pair, with the dictionaries of $DICT (none when unset):
//
//	DICT=/usr/share/dictd TUNE_DIR=/tmp/tune go test -tags tune -run TestXling -v ./internal/cluster
func TestXling(t *testing.T) {
	if os.Getenv("NOCONCEPTS") != "" {
		// The concept lexicon off, to measure what the dictionaries bring
		// on their own.
		oc, oh := concepts, hanConcepts
		concepts, hanConcepts = map[string]string{}, map[string]string{}
		defer func() { concepts, hanConcepts = oc, oh }()
	}
	tuneDict(t)
	cfg := tuneConfig()
	docs, d := loadArts(t, "semeval")
	s, e := incremental(docs, cfg)
	fmt.Println("semeval story", semevalScores(t, d.Story, s, os.Getenv("BYLANG") != ""))
	fmt.Println("semeval event", semevalScores(t, d.Story, e, false))
	// The languages of the largest stories.
	size, langs := map[int64]int{}, map[int64]map[string]int{}
	for i, x := range s {
		size[x]++
		if langs[x] == nil {
			langs[x] = map[string]int{}
		}
		langs[x][docs[i].Lang]++
	}
	var ids []int64
	for x := range size {
		ids = append(ids, x)
	}
	sort.Slice(ids, func(i, j int) bool { return size[ids[i]] > size[ids[j]] })
	for _, x := range ids[:min(5, len(ids))] {
		fmt.Println("  story of", size[x], langs[x])
	}
}

func TestXlingPairs(t *testing.T) {
	tuneDict(t)
	cfg := tuneConfig()
	docs, d := loadArts(t, "semeval")
	m := New(cfg)
	for _, doc := range docs {
		m.count(doc)
	}
	idx := map[string]int{}
	for i, id := range d.Story {
		for _, k := range pairKeys(id) {
			idx[k] = i
		}
	}
	for _, p := range semevalPairs(t) {
		if (p.La == p.Lb) != (os.Getenv("MONO") != "") || (p.O > 1.5 && p.O < 3.5) {
			continue
		}
		i, ok1 := idx[p.A]
		j, ok2 := idx[p.B]
		if !ok1 || !ok2 {
			continue
		}
		a, b := m.Vectorize(docs[i]), m.Vectorize(docs[j])
		ta, tb := independentT(a), independentT(b)
		if os.Getenv("MONO") != "" {
			ta, tb = a, b
		}
		var sh []string
		for _, x := range ta {
			for _, y := range tb {
				if x.Key == y.Key && x.W*y.W > 0.003 {
					sh = append(sh, fmt.Sprintf("%s:%.2f", x.Key, x.W*y.W))
				}
			}
		}
		fmt.Printf("%s %s %s-%s %.1f full %.3f X %.3f T %.3f LI %.3f  %d/%d %v\n", p.A, p.B, p.La, p.Lb, p.O, Cos(a, b), m.rareCos(a, b), Cos(ta, tb), Cos(independent(a), independent(b)), len(ta), len(tb), sh)
	}
}

// BenchmarkXlingAssign assigns the SemEval articles (ten languages), five
// times over with fresh ids, with the dictionaries of $DICT (none when
// unset): the cost of translation terms in incremental assignment.
func BenchmarkXlingAssign(b *testing.B) {
	t := &testing.T{}
	tuneDict(t)
	cfg := tuneConfig()
	base, _ := loadArts(t, "semeval")
	var docs []Doc
	for r := range 5 {
		for i, d := range base {
			d.ID = int64(r*len(base) + i + 1)
			docs = append(docs, d)
		}
	}
	b.ResetTimer()
	for b.Loop() {
		m := New(cfg)
		for _, d := range docs {
			m.Assign(d)
		}
	}
	b.ReportMetric(float64(len(docs))*float64(b.N)/b.Elapsed().Seconds(), "articles/s")
}

// independentT is independent with the translation terms.
func independentT(v Vec) Vec {
	var out Vec
	for _, t := range v {
		if len(t.Key) > 2 && t.Key[1] == ':' {
			out = append(out, t)
		}
	}
	return Weigh(func() map[string]float32 {
		m := map[string]float32{}
		for _, t := range out {
			m[t.Key] = t.W
		}
		return m
	}(), func(string) float32 { return 1 })
}
