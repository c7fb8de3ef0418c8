//go:build tune

// Analyses behind the clustering figures in the README, on the corpora
// written by the harness in cmd/dossier (build tag "tune"):
//
//	TUNE_DIR=/tmp/tune go test -tags tune -run TestTune -v ./cmd/dossier
//	TUNE_DIR=/tmp/tune go test -tags tune -run TestCeiling -v ./internal/cluster
//	TUNE_DIR=/tmp/tune go test -tags tune -run TestSweepIncremental -v ./internal/cluster
package cluster

import (
	"encoding/gob"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

type tuneData struct {
	Docs         []Doc
	Story, Event []string
}

func loadTune(t *testing.T, corpus string) tuneData {
	t.Helper()
	dir := os.Getenv("TUNE_DIR")
	if dir == "" {
		t.Fatal("set TUNE_DIR to the directory the cmd/dossier tuning harness wrote")
	}
	f, err := os.Open(filepath.Join(dir, corpus+".gob"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var d tuneData
	if err := gob.NewDecoder(f).Decode(&d); err != nil {
		t.Fatal(err)
	}
	return d
}

func bcubed(gold, sys []string) (p, r, f float64) {
	gs, ss, both := map[string]int{}, map[string]int{}, map[[2]string]int{}
	for i, g := range gold {
		gs[g]++
		ss[sys[i]]++
		both[[2]string{g, sys[i]}]++
	}
	for i, g := range gold {
		n := float64(both[[2]string{g, sys[i]}])
		p += n / float64(ss[sys[i]])
		r += n / float64(gs[g])
	}
	p /= float64(len(gold))
	r /= float64(len(gold))
	return p, r, 2 * p * r / (p + r)
}

func fitted(docs []Doc) *Model {
	m := New(DefaultConfig())
	for _, d := range docs {
		m.count(d)
	}
	return m
}

// TestCeiling measures what the batch design can reach on ECB+ when one of
// its two levels is given from the gold, and what any clustering can reach
// on MMDS.
func TestCeiling(t *testing.T) {
	d := loadTune(t, "ecbplus")
	m := fitted(d.Docs)

	// Stories from the gold events: agglomerate gold event centroids, with
	// all features or with content words only.
	for _, mode := range []string{"all features", "content words only"} {
		evIdx := map[string]int{}
		var sums []map[string]float32
		for i, doc := range d.Docs {
			j, ok := evIdx[d.Event[i]]
			if !ok {
				j = len(sums)
				evIdx[d.Event[i]] = j
				sums = append(sums, map[string]float32{})
			}
			for _, tm := range m.Vectorize(doc) {
				if mode == "all features" || !(len(tm.Key) > 2 && tm.Key[1] == ':') {
					sums[j][tm.Key] += tm.W
				}
			}
		}
		cents := make([]Vec, len(sums))
		for j := range sums {
			c := &centroid{Sum: sums[j]}
			m.prune(c)
			cents[j] = c.Top
		}
		best, bestCut := 0.0, 0.0
		for cut := 0.06; cut <= 0.30; cut += 0.01 {
			lab := Agglomerate(len(cents), Similarities(cents, make([]string, len(cents)), 1, cut/2, 60), cut, nil, Limit{})
			sys := make([]string, len(d.Docs))
			for i := range d.Docs {
				sys[i] = fmt.Sprint(lab[evIdx[d.Event[i]]])
			}
			if _, _, f := bcubed(d.Story, sys); f > best {
				best, bestCut = f, cut
			}
		}
		fmt.Printf("ECB+ stories from gold events (%s): best story F1 %.3f at cut %.2f\n", mode, best, bestCut)
	}

	// Events from the gold stories: agglomerate each gold story's articles,
	// with IDF over the corpus or over the story alone.
	byStory := map[string][]int{}
	for i := range d.Docs {
		byStory[d.Story[i]] = append(byStory[d.Story[i]], i)
	}
	for _, local := range []bool{false, true} {
		best, bestCut := 0.0, 0.0
		for cut := 0.06; cut <= 0.30; cut += 0.01 {
			sys := make([]string, len(d.Docs))
			for s, idx := range byStory {
				mm := m
				if local {
					var sub []Doc
					for _, i := range idx {
						sub = append(sub, d.Docs[i])
					}
					mm = fitted(sub)
				}
				vs := make([]Vec, len(idx))
				for j, i := range idx {
					vs[j] = mm.Vectorize(d.Docs[i])
				}
				lab := Agglomerate(len(idx), Similarities(vs, make([]string, len(idx)), 1, cut/2, 60), cut, nil, Limit{})
				for j, i := range idx {
					sys[i] = s + "/" + fmt.Sprint(lab[j])
				}
			}
			if _, _, f := bcubed(d.Event, sys); f > best {
				best, bestCut = f, cut
			}
		}
		fmt.Printf("ECB+ events from gold stories (story-local IDF %v): best event F1 %.3f at cut %.2f\n", local, best, bestCut)
	}

	// MMDS: its largest gold cluster gathers unrelated articles. Put every
	// other article in its gold cluster and each of these alone.
	md := loadTune(t, "mmds-dev")
	size := map[string]int{}
	for _, s := range md.Story {
		size[s]++
	}
	catchAll := ""
	for s, n := range size {
		if catchAll == "" || n > size[catchAll] {
			catchAll = s
		}
	}
	sys := make([]string, len(md.Story))
	for i, s := range md.Story {
		sys[i] = s
		if s == catchAll {
			sys[i] = fmt.Sprint("alone", i)
		}
	}
	p, r, f := bcubed(md.Story, sys)
	fmt.Printf("MMDS: catch-all cluster of %d/%d articles; perfect elsewhere, alone there: P %.3f R %.3f F1 %.3f\n", size[catchAll], len(md.Story), p, r, f)
}

// TestSweepIncremental replays each corpus through incremental assignment
// under several thresholds.
func TestSweepIncremental(t *testing.T) {
	for _, corpus := range []string{"ecbplus", "mmds-dev"} {
		d := loadTune(t, corpus)
		for _, ev := range []float64{0.18, 0.22, 0.26, 0.30} {
			for _, st := range []float64{0.12, 0.15, 0.18} {
				for _, mg := range []float64{0.45, 0.55} {
					cfg := DefaultConfig()
					cfg.EventThreshold, cfg.StoryThreshold, cfg.MergeThreshold = ev, st, mg
					m := New(cfg)
					var as []Assignment
					into := map[int64]int64{}
					for _, doc := range d.Docs {
						a := m.Assign(doc)
						for _, c := range a.Changes {
							into[c.From] = c.Into
						}
						as = append(as, a)
					}
					final := func(x int64) string {
						for into[x] != 0 && into[x] != x {
							x = into[x]
						}
						return fmt.Sprint(x)
					}
					ss, se := make([]string, len(as)), make([]string, len(as))
					for i, a := range as {
						ss[i], se[i] = final(a.Story), final(a.Event)
					}
					_, _, fs := bcubed(d.Story, ss)
					_, _, fe := bcubed(d.Event, se)
					fmt.Printf("%-9s event %.2f story %.2f merge %.2f: story F1 %.3f event F1 %.3f\n", corpus, ev, st, mg, fs, fe)
				}
			}
		}
	}
}
