//go:build tune

// Incremental clustering on the corpora written by the cmd/dossier harness,
// with features recomputed from the stored articles (so feature changes are
// measured without re-ingesting):
//
//	TUNE_DIR=/tmp/tune go test -tags tune -run TestIncremental -v ./internal/cluster
package cluster

import (
	"bufio"
	"context"
	"encoding/gob"
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"dossier/internal/dict"
	"dossier/internal/news"
	"dossier/internal/sharedtest"
)

type tuneArts struct {
	Articles     []news.Article
	Days         []int
	Story, Event []string
}

func loadArts(t *testing.T, corpus string) ([]Doc, tuneData) {
	d := loadTune(t, corpus)
	f, err := os.Open(filepath.Join(os.Getenv("TUNE_DIR"), corpus+".gob"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var a tuneArts
	if err := gob.NewDecoder(f).Decode(&a); err != nil {
		t.Fatal(err)
	}
	docs := make([]Doc, len(a.Articles))
	for i, art := range a.Articles {
		docs[i] = NewDocDict(int64(i+1), art, a.Days[i], tuneDict(t))
	}
	return docs, d
}

// relearned is m rebuilt by a recluster of docs (assigned to story and
// event) when it is due, as the pipeline does; story and event are
// relabelled in place.
func relearned(m *Model, cfg Config, docs []Doc, story, event []int64) *Model {
	if !m.RelearnDue() {
		return m
	}
	bc := DefaultBatchConfig()
	bc.NextID = m.NextID()
	r, err := Batch(context.Background(), docs, story, event, cfg, bc)
	if err != nil {
		panic(err)
	}
	copy(story, r.Story)
	copy(event, r.Event)
	return r.Model
}

func incremental(docs []Doc, cfg Config) (story, event []int64) {
	m := New(cfg)
	for i, d := range docs {
		m = relearned(m, cfg, docs[:i], story, event)
		a := m.Assign(d)
		story, event = append(story, a.Story), append(event, a.Event)
		for _, c := range a.Changes {
			for i := range story {
				if c.Level == "story" && story[i] == c.From {
					story[i] = c.Into
				}
				if c.Level == "event" && event[i] == c.From {
					event[i] = c.Into
				}
			}
		}
	}
	return story, event
}

type semPair struct {
	A, B   string
	La, Lb string
	O      float64 `json:"overall"`
}

// semevalPairs reads the SemEval dev pairs.
func semevalPairs(t *testing.T) []semPair {
	f, err := os.Open(sharedtest.Path(t, "bench", "similarity", "semeval-dev-pairs.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var ps []semPair
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var p semPair
		json.Unmarshal(sc.Bytes(), &p)
		ps = append(ps, p)
	}
	return ps
}

// pairKeys are the SemEval article keys a loaded document's id carries.
func pairKeys(id string) []string { return strings.Split(strings.SplitN(id, "\t", 2)[1], ",") }

func semevalScores(t *testing.T, ids []string, story []int64, byLang bool) string {
	group := map[string]int64{}
	for i, id := range ids {
		for _, k := range pairKeys(id) {
			group[k] = story[i]
		}
	}
	ps := semevalPairs(t)
	same := func(p semPair) bool { ga, ok := group[p.A]; return ok && ga == group[p.B] }
	frac := func(sel func(semPair) bool) (float64, int) {
		n, k := 0, 0
		for _, p := range ps {
			if sel(p) {
				n++
				if same(p) {
					k++
				}
			}
		}
		return 100 * float64(k) / float64(max(n, 1)), n
	}
	mono, _ := frac(func(p semPair) bool { return p.O <= 1.5 && p.La == p.Lb })
	cross, _ := frac(func(p semPair) bool { return p.O <= 1.5 && p.La != p.Lb })
	unrel, _ := frac(func(p semPair) bool { return p.O >= 3.5 })
	tp, fn, fp := 0, 0, 0
	for _, p := range ps {
		switch {
		case p.O <= 2 && same(p):
			tp++
		case p.O <= 2:
			fn++
		case p.O >= 3 && same(p):
			fp++
		}
	}
	out := fmt.Sprintf("mono %.1f cross %.1f unrel %.1f f1 %.1f", mono, cross, unrel, 100*2*float64(tp)/float64(2*tp+fp+fn))
	if os.Getenv("UNREL") != "" {
		sizes := map[int64]int{}
		for _, s := range story {
			sizes[s]++
		}
		for _, p := range ps {
			if p.O >= 3.5 && same(p) {
				out += fmt.Sprintf("\n   unrelated %s-%s in story of %d %s %s", p.La, p.Lb, sizes[group[p.A]], p.A, p.B)
			}
		}
		for _, p := range ps {
			if p.O <= 1.5 && !same(p) && (p.La == p.Lb) == (os.Getenv("UNREL") != "cross") {
				out += fmt.Sprintf("\n   missed %s %s %s-%s %.1f", p.A, p.B, p.La, p.Lb, p.O)
			}
		}
	}
	if byLang {
		lps := map[string]bool{}
		for _, p := range ps {
			l := []string{p.La, p.Lb}
			sort.Strings(l)
			lps[strings.Join(l, "-")] = true
		}
		var keys []string
		for k := range lps {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			in := func(p semPair) bool {
				l := []string{p.La, p.Lb}
				sort.Strings(l)
				return strings.Join(l, "-") == k
			}
			s, n := frac(func(p semPair) bool { return in(p) && p.O <= 1.5 })
			u, nu := frac(func(p semPair) bool { return in(p) && p.O >= 3.5 })
			out += fmt.Sprintf("\n  %-6s similar %5.1f of %3d unrelated %5.1f of %3d", k, s, n, u, nu)
		}
		sizes := map[int64]int{}
		for _, s := range story {
			sizes[s]++
		}
		var ss []int
		for _, n := range sizes {
			ss = append(ss, n)
		}
		sort.Sort(sort.Reverse(sort.IntSlice(ss)))
		out += fmt.Sprintf("\n  %d stories, largest %v", len(ss), ss[:min(10, len(ss))])
	}
	return out
}

func labels(xs []int64) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = fmt.Sprint(x)
	}
	return out
}

func envF(k string, d float64) float64 {
	var f float64
	if _, err := fmt.Sscan(os.Getenv(k), &f); err == nil {
		return f
	}
	return d
}

var tuneDicts = map[string]*Dict{}

// tuneDict returns the dictionaries of $DICT (none when unset).
func tuneDict(t *testing.T) *Dict {
	wDict = float32(envF("WD", float64(wDict)))
	dir := os.Getenv("DICT")
	if dir == "" {
		return nil
	}
	if d, ok := tuneDicts[dir]; ok {
		return d
	}
	files, err := dict.Find(dir)
	if err != nil {
		t.Fatal(err)
	}
	d := NewDict(files.Languages(), files.Words)
	tuneDicts[dir] = d
	return d
}

func tuneConfig() Config {
	cfg := DefaultConfig()
	cfg.Dict = tuneDicts[os.Getenv("DICT")]
	cfg.CrossDict = envF("XD", cfg.CrossDict)
	cfg.EventThreshold = envF("EV", cfg.EventThreshold)
	cfg.StoryThreshold = envF("ST", cfg.StoryThreshold)
	cfg.CrossLingual = envF("XL", cfg.CrossLingual)
	cfg.MergeThreshold = envF("MG", cfg.MergeThreshold)
	cfg.StoryLink = envF("SL", cfg.StoryLink)
	cfg.ColdStart = envF("CO", cfg.ColdStart)
	cfg.StoryMerge = envF("SM", cfg.StoryMerge)
	cfg.CrossShared = int(envF("CS", float64(cfg.CrossShared)))
	cfg.CrossAnchor = int(envF("XA", float64(cfg.CrossAnchor)))
	cfg.CrossRare = envF("XLR", cfg.CrossRare)
	cfg.RelearnUpTo = int(envF("RL", float64(cfg.RelearnUpTo)))
	return cfg
}

func TestIncremental(t *testing.T) {
	tuneDict(t)
	cfg := tuneConfig()
	for _, c := range []string{"ecbplus", "mmds-dev"} {
		docs, d := loadArts(t, c)
		s, e := incremental(docs, cfg)
		ps, rs0, fs := bcubed(d.Story, labels(s))
		pe, re0, fe := bcubed(d.Event, labels(e))
		bs, err := Batch(context.Background(), docs, make([]int64, len(docs)), make([]int64, len(docs)), cfg, DefaultBatchConfig())
		if err != nil {
			t.Fatal(err)
		}
		bps, brs, rs := bcubed(d.Story, labels(bs.Story))
		bpe, bre, re := bcubed(d.Event, labels(bs.Event))
		fmt.Printf("%-8s incremental story %.3f event %.3f   batch story %.3f event %.3f\n", c, fs, fe, rs, re)
		fmt.Printf("%-8s   P/R incremental story %.3f/%.3f event %.3f/%.3f   batch story %.3f/%.3f event %.3f/%.3f\n", c, ps, rs0, pe, re0, bps, brs, bpe, bre)
	}
	docs, d := loadArts(t, "semeval")
	s, e := incremental(docs, cfg)
	fmt.Println("semeval story", semevalScores(t, d.Story, s, os.Getenv("BYLANG") != ""))
	fmt.Println("semeval event", semevalScores(t, d.Story, e, false))
	bs, err := Batch(context.Background(), docs, make([]int64, len(docs)), make([]int64, len(docs)), cfg, DefaultBatchConfig())
	if err != nil {
		t.Fatal(err)
	}
	fmt.Println("semeval batch story", semevalScores(t, d.Story, bs.Story, false))
	seedOrders(t, cfg)
}

func permutations(n int) [][]int {
	if n == 0 {
		return [][]int{{}}
	}
	var out [][]int
	for _, p := range permutations(n - 1) {
		for i := 0; i <= len(p); i++ {
			q := append(append(append([]int{}, p[:i]...), n-1), p[i:]...)
			out = append(out, q)
		}
	}
	return out
}

// seedOrders assigns the seed pages in every order, one page at a time with
// the model saved and loaded between pages, and in every order leaving one
// page out.
func seedOrders(t *testing.T, cfg Config) {
	docs, d := loadArts(t, "seeds")
	pages := map[string][]int{}
	var names []string
	for i, l := range d.Story {
		f := strings.SplitN(l, "\t", 2)[0]
		if pages[f] == nil {
			names = append(names, f)
		}
		pages[f] = append(pages[f], i)
	}
	sort.Strings(names)
	gs, ge := make([]string, len(docs)), make([]string, len(docs))
	for i := range docs {
		gs[i], ge[i] = strings.SplitN(d.Story[i], "\t", 2)[1], d.Event[i]
	}
	bad, runs := map[string]int{}, 0
	for leave := -1; leave < len(names); leave++ {
		for _, perm := range permutations(len(names)) {
			if leave >= 0 && perm[len(perm)-1] != leave {
				continue
			}
			m := New(cfg)
			story, event := map[int]int64{}, map[int]int64{}
			var order []string
			var seen []int // the documents assigned, in order
			for _, pi := range perm {
				if pi == leave {
					continue
				}
				order = append(order, names[pi][:3])
				for _, i := range pages[names[pi]] {
					if m.RelearnDue() {
						ds, ss, es := make([]Doc, len(seen)), make([]int64, len(seen)), make([]int64, len(seen))
						for k, j := range seen {
							ds[k], ss[k], es[k] = docs[j], story[j], event[j]
						}
						m = relearned(m, cfg, ds, ss, es)
						for k, j := range seen {
							story[j], event[j] = ss[k], es[k]
						}
					}
					seen = append(seen, i)
					a := m.Assign(docs[i])
					if os.Getenv("JOINS") != "" && a.NewEvent {
						// which gold story does the joined story hold?
						ok := "new"
						if !a.NewStory {
							ok = "wrong"
							for j, s := range story {
								if s == a.Story && gs[j] == gs[i] {
									ok = "right"
								}
							}
						} else {
							for j := range story {
								if gs[j] == gs[i] {
									ok = "missed"
								}
							}
						}
						fmt.Printf("join %s %s %.3f\n", ok, d.Event[i], a.Score)
					}
					story[i], event[i] = a.Story, a.Event
					for _, c := range a.Changes {
						for j := range story {
							if c.Level == "story" && story[j] == c.From {
								story[j] = c.Into
							}
							if c.Level == "event" && event[j] == c.From {
								event[j] = c.Into
							}
						}
					}
				}
				b, err := m.MarshalBinary()
				if err != nil {
					t.Fatal(err)
				}
				if m, err = Load(cfg, b); err != nil {
					t.Fatal(err)
				}
			}
			var g1, g2, s1, s2 []string
			var idx []int
			for i := range story {
				idx = append(idx, i)
			}
			sort.Ints(idx)
			for _, i := range idx {
				g1, g2 = append(g1, gs[i]), append(g2, ge[i])
				s1, s2 = append(s1, fmt.Sprint(story[i])), append(s2, fmt.Sprint(event[i]))
			}
			_, _, fs := bcubed(g1, s1)
			_, _, fe := bcubed(g2, s2)
			runs++
			if fs < 0.9999 || fe < 0.90 {
				key := fmt.Sprintf("leave %d story %.3f event %.3f: %v", leave, fs, fe, strings.Join(s1, " ")+" | "+strings.Join(s2, " "))
				if bad[key] == 0 && len(bad) < 12 {
					fmt.Println("bad order", order, key)
				}
				bad[key]++
			}
		}
	}
	n := 0
	for _, k := range bad {
		n += k
	}
	fmt.Printf("seeds: %d of %d runs bad\n", n, runs)
}

func TestSeedSims(t *testing.T) {
	docs, d := loadArts(t, "seeds")
	m := fitted(docs)
	vs := make([]Vec, len(docs))
	for i := range docs {
		vs[i] = m.Vectorize(docs[i])
	}
	for i := range docs {
		fmt.Printf("%-14s %s day %d:", d.Event[i], docs[i].Lang, docs[i].Day)
		for j := range docs {
			s := Cos(vs[i], vs[j])
			if docs[i].Lang != docs[j].Lang {
				s = 0.55 * Cos(independent(vs[i]), independent(vs[j]))
			}
			fmt.Printf(" %.3f", s)
		}
		fmt.Println()
		top := Top(vs[i], 25)
		sort.Slice(top, func(a, b int) bool { return top[a].W > top[b].W })
		var ks []string
		for _, x := range top {
			ks = append(ks, fmt.Sprintf("%s=%.2f", x.Key, x.W))
		}
		fmt.Println("   ", strings.Join(ks, " "))
	}
}

func TestBigStory(t *testing.T) {
	docs, _ := loadArts(t, "semeval")
	cfg := tuneConfig()
	m := New(cfg)
	for _, d := range docs {
		m.Assign(d)
	}
	var sts []*centroid
	for _, s := range m.stories {
		sts = append(sts, s)
	}
	sort.Slice(sts, func(i, j int) bool { return sts[i].N > sts[j].N })
	var evn []int
	for _, e := range m.events {
		evn = append(evn, e.N)
	}
	sort.Sort(sort.Reverse(sort.IntSlice(evn)))
	fmt.Println("events", evn[:10])
	for _, s := range sts[:4] {
		m.refresh(s)
		top := append(Vec{}, s.Top...)
		sort.Slice(top, func(a, b int) bool { return top[a].W > top[b].W })
		var ks []string
		for _, x := range top[:min(30, len(top))] {
			ks = append(ks, fmt.Sprintf("%s=%.2f", x.Key, x.W))
		}
		fmt.Println(s.N, s.Langs, strings.Join(ks, " "))
	}
}

func TestSeedWhy(t *testing.T) {
	docs, _ := loadArts(t, "seeds")
	// docs order in the gob: by article id, pages in 000..004 order.
	order := []int{0, 1, 2, 4, 5, 6} // 000 001 002 004#0 004#1 then S3
	m := New(tuneConfig())
	for _, i := range order[:len(order)-1] {
		m.Assign(docs[i])
	}
	d := docs[order[len(order)-1]]
	m.count(d)
	v := m.Vectorize(d)
	for _, e := range m.events {
		m.refresh(e)
		var parts []string
		for _, t := range v {
			for _, u := range e.Top {
				if t.Key == u.Key {
					parts = append(parts, fmt.Sprintf("%s=%.3f", t.Key, t.W*u.W))
				}
			}
		}
		fmt.Printf("event %d story %d sim %.3f: %s\n", e.ID, e.Story, Cos(v, e.Top), strings.Join(parts, " "))
	}
	for _, s := range m.stories {
		m.refresh(s)
		fmt.Printf("story %d sim %.3f\n", s.ID, Cos(v, s.Top))
	}
}

// TestShuffledOrders assigns ECB+ and MMDS in shuffled orders (seed 0:
// the corpus's order), as incremental assignment meets them when topics
// come interleaved.
func TestShuffledOrders(t *testing.T) {
	tuneDict(t)
	cfg := tuneConfig()
	for _, c := range []string{"ecbplus", "mmds-dev"} {
		docs, d := loadArts(t, c)
		for seed := int64(0); seed < 4; seed++ {
			ds := make([]Doc, len(docs))
			gs, ge := make([]string, len(docs)), make([]string, len(docs))
			perm := rand.New(rand.NewSource(seed)).Perm(len(docs))
			if seed == 0 {
				for i := range perm {
					perm[i] = i
				}
			}
			for i, j := range perm {
				ds[i] = docs[j]
				ds[i].ID = int64(i + 1)
				gs[i], ge[i] = d.Story[j], d.Event[j]
			}
			s, e := incremental(ds, cfg)
			ps, rs, fs := bcubed(gs, labels(s))
			pe, re, fe := bcubed(ge, labels(e))
			fmt.Printf("%s seed %d story %.3f (P %.3f R %.3f) event %.3f (P %.3f R %.3f)\n", c, seed, fs, ps, rs, fe, pe, re)
		}
	}
}
