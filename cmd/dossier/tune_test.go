//go:build tune

// The tuning harness: not part of the test suite (build tag "tune"). It
// ingests the clustering corpora once into $TUNE_DIR, sweeps the recluster
// cut points, and writes the clusterer's view of each article with its gold
// labels ($TUNE_DIR/NAME.gob) for the analyses in internal/cluster.
//
//	TUNE_DIR=/tmp/tune go test -tags tune -run TestTune -v ./cmd/dossier
//	TUNE_DIR=/tmp/tune SWEEP=1 go test -tags tune -run TestTune -v ./cmd/dossier
package main

import (
	"bufio"
	"context"
	"encoding/gob"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"dossier/internal/cluster"
	"dossier/internal/ingest"
	"dossier/internal/news"
	"dossier/internal/sharedtest"
	"dossier/internal/store/sqlite"
)

func envFloat(k string, d float64) float64 {
	if f, err := strconv.ParseFloat(os.Getenv(k), 64); err == nil {
		return f
	}
	return d
}

func bcubed(gold, sys map[string]string) (p, r, f float64) {
	gs, ss, both := map[string]int{}, map[string]int{}, map[[2]string]int{}
	for k, g := range gold {
		gs[g]++
		ss[sys[k]]++
		both[[2]string{g, sys[k]}]++
	}
	for k, g := range gold {
		n := float64(both[[2]string{g, sys[k]}])
		p += n / float64(ss[sys[k]])
		r += n / float64(gs[g])
	}
	p /= float64(len(gold))
	r /= float64(len(gold))
	return p, r, 2 * p * r / (p + r)
}

// readGold reads the story and event of each document of a clustering corpus.
func readGold(t *testing.T, path string) (story, event map[string]string) {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	story, event = map[string]string{}, map[string]string{}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var d struct{ ID, Story, Event string }
		if err := json.Unmarshal(sc.Bytes(), &d); err != nil {
			t.Fatal(err)
		}
		story[d.ID], event[d.ID] = d.Story, d.Event
		if d.Event == "" {
			event[d.ID] = d.Story
		}
	}
	return story, event
}

func TestTune(t *testing.T) {
	dir := os.Getenv("TUNE_DIR")
	if dir == "" {
		t.Fatal("set TUNE_DIR to a directory that keeps the ingested corpora between runs")
	}
	ctx := context.Background()
	for _, corpus := range []string{"ecbplus", "mmds-dev", "semeval", "seeds"} {
		var path string
		switch corpus {
		case "semeval":
			path = sharedtest.Path(t, "bench", "similarity", "semeval-dev.jsonl")
		case "seeds":
		default:
			path = sharedtest.Path(t, "bench", "clustering", corpus+".jsonl")
		}
		data := filepath.Join(dir, corpus)
		if _, err := os.Stat(filepath.Join(data, "dossier.db")); err != nil {
			if corpus == "seeds" {
				data, _ = ingestSeedsData(t)
			} else if out, errs, code := dossier(t, "add", "-q", "-data", data, path); code != 0 {
				t.Fatalf("add: %s%s", out, errs)
			}
		}
		st, err := sqlite.Open(ctx, filepath.Join(data, "dossier.db"))
		if err != nil {
			t.Fatal(err)
		}
		var docs []cluster.Doc
		var arts []news.Article
		var days []int
		var keys [][]string
		var files []string
		err = st.Articles(ctx, func(a news.Stored) error {
			var captured time.Time
			if len(a.Sources) > 0 {
				captured = a.Sources[0].Captured
			}
			docs = append(docs, cluster.NewDoc(a.ID, a.Article, ingest.Day(a.Article, captured)))
			arts, days = append(arts, a.Article), append(days, ingest.Day(a.Article, captured))
			var ks []string
			for _, s := range a.Sources {
				ks = append(ks, s.ID)
			}
			keys = append(keys, ks)
			files = append(files, a.Sources[0].File)
			return nil
		})
		st.Close()
		if err != nil {
			t.Fatal(err)
		}
		var gs, ge []string
		var goldS, goldE map[string]string
		switch corpus {
		case "semeval":
			for _, ks := range keys {
				id := strings.Join(ks, ",") // the source ids: pairs are scored by id
				gs, ge = append(gs, id), append(ge, id)
			}
		case "seeds":
			gs, ge = seedLabels(t, files)
		default:
			goldS, goldE = readGold(t, path)
			for _, ks := range keys {
				gs, ge = append(gs, goldS[ks[0]]), append(ge, goldE[ks[0]])
			}
		}
		if corpus == "semeval" || corpus == "seeds" {
			for i := range files {
				gs[i] = filepath.Base(files[i]) + "\t" + gs[i]
			}
		}
		out, err := os.Create(filepath.Join(dir, corpus+".gob"))
		if err != nil {
			t.Fatal(err)
		}
		if err := gob.NewEncoder(out).Encode(struct {
			Docs         []cluster.Doc
			Story, Event []string
			Articles     []news.Article
			Days         []int
		}{docs, gs, ge, arts, days}); err != nil {
			t.Fatal(err)
		}
		out.Close()

		if corpus == "semeval" || corpus == "seeds" {
			continue
		}
		bc := cluster.DefaultBatchConfig()
		evs, sts := []float64{envFloat("EV", bc.EventThreshold)}, []float64{envFloat("ST", bc.StoryThreshold)}
		if os.Getenv("SWEEP") != "" {
			evs, sts = []float64{0.16, 0.18, 0.20, 0.22, 0.24}, []float64{0.10, 0.12, 0.13, 0.14, 0.16, 0.18}
		}
		old := make([]int64, len(docs))
		for _, ev := range evs {
			for _, stt := range sts {
				bc.EventThreshold, bc.StoryThreshold = ev, stt
				r, err := cluster.Batch(context.Background(), docs, old, old, cluster.DefaultConfig(), bc)
				if err != nil {
					t.Fatal(err)
				}
				sysS, sysE := map[string]string{}, map[string]string{}
				for i, ks := range keys {
					for _, k := range ks {
						sysS[k], sysE[k] = fmt.Sprint(r.Story[i]), fmt.Sprint(r.Event[i])
					}
				}
				for k := range goldS {
					if _, ok := sysS[k]; !ok {
						sysS[k], sysE[k] = "alone:"+k, "alone:"+k
					}
				}
				ps, rs, fs := bcubed(goldS, sysS)
				pe, re, fe := bcubed(goldE, sysE)
				fmt.Printf("%-9s event cut %.2f story cut %.2f  story P %.3f R %.3f F %.3f  event P %.3f R %.3f F %.3f\n",
					corpus, ev, stt, ps, rs, fs, pe, re, fe)
			}
		}
	}
}

// seedLabels gives the gold story and event of each seed article, in the
// order of its page (the articles of a page are stored in page order).
func seedLabels(t *testing.T, files []string) (story, event []string) {
	var gold struct {
		Documents []struct {
			File     string
			Articles []struct{ Story, Event string }
		}
	}
	b, err := os.ReadFile(sharedtest.Path(t, "gold", "seeds.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &gold); err != nil {
		t.Fatal(err)
	}
	next := map[string]int{}
	for _, f := range files {
		f = filepath.Base(f)
		for _, d := range gold.Documents {
			if d.File == f {
				a := d.Articles[next[f]]
				next[f]++
				story, event = append(story, a.Story), append(event, a.Event)
			}
		}
	}
	return story, event
}
