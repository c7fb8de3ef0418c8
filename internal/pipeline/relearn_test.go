package pipeline

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"dossier/internal/cluster"
	"dossier/internal/news"
	"dossier/internal/sharedtest"
)

// TestRelearnAfterInterruption: the young archive's relearn at 128
// articles (cluster.Config.RelearnUpTo) regroups the same articles
// whether it runs in the ingest that reached 128 or, that process having
// died before it, in the next one, so the stories equal an uninterrupted
// run's. The interrupted process is stood in for by one that does not
// relearn: its model is saved at 128 articles, never relearned.
func TestRelearnAfterInterruption(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	f, err := os.Open(sharedtest.Path(t, "bench", "clustering", "ecbplus.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() && len(lines) < 300 {
		lines = append(lines, sc.Text())
	}
	// Every other line, so that the first 128 articles hold several topics.
	var picked []string
	for i := 0; i < len(lines); i += 2 {
		picked = append(picked, lines[i])
	}
	write := func(name string, ls []string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(strings.Join(ls, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	all := write("all.jsonl", picked)

	open := func(data string, relearnUpTo int) *Service {
		t.Helper()
		cfg := Config{DataDir: filepath.Join(dir, data)}
		cfg.Ingest.Cluster = cluster.DefaultConfig()
		cfg.Ingest.Cluster.RelearnUpTo = relearnUpTo
		s, err := Open(ctx, cfg, "test")
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	add := func(s *Service, path string) {
		t.Helper()
		sum, err := s.Ingest(ctx, []string{path}, IngestOptions{})
		if err != nil || len(sum.Failures) > 0 {
			t.Fatalf("ingest %s: %+v, %v", filepath.Base(path), sum, err)
		}
	}
	// groups returns the partition of the articles into stories and into
	// events, each group as the sorted texts' first words.
	groups := func(s *Service) (stories, events []string) {
		t.Helper()
		st, ev := map[int64][]string{}, map[int64][]string{}
		err := s.st.Articles(ctx, func(a news.Stored) error {
			k := fmt.Sprintf("%.40s", a.Text)
			st[a.Story], ev[a.Event] = append(st[a.Story], k), append(ev[a.Event], k)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		flat := func(m map[int64][]string) []string {
			var out []string
			for _, g := range m {
				slices.Sort(g)
				out = append(out, strings.Join(g, " | "))
			}
			slices.Sort(out)
			return out
		}
		return flat(st), flat(ev)
	}

	clean := open("clean", 512)
	add(clean, all)
	if clean.model.RelearnDue() {
		t.Fatal("the clean run left a relearn due")
	}
	cs, ce := groups(clean)
	clean.Close()

	never := open("never", 0)
	add(never, all)
	ns, _ := groups(never)
	never.Close()
	if slices.Equal(cs, ns) {
		t.Fatal("the relearn changed no story: the test shows nothing")
	}

	// The interrupted run stores pages one at a time until it holds 128
	// articles (some pages fold into earlier articles).
	died := open("died", 0)
	next := 0
	for ; next < len(picked); next++ {
		st, err := died.Stats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if st.Articles == 128 {
			break
		}
		add(died, write(fmt.Sprintf("line%d.jsonl", next), picked[next:next+1]))
	}
	died.Close()
	rest := write("rest.jsonl", picked[next:])
	resumed := open("died", 512)
	defer resumed.Close()
	if !resumed.model.RelearnDue() {
		t.Fatal("a model saved at 128 articles, never relearned: no relearn due")
	}
	add(resumed, rest)
	rs, re := groups(resumed)
	if !slices.Equal(cs, rs) {
		t.Errorf("stories after the interrupted relearn differ from the uninterrupted run's:\n%s\nwant\n%s", strings.Join(rs, "\n"), strings.Join(cs, "\n"))
	}
	if !slices.Equal(ce, re) {
		t.Errorf("events after the interrupted relearn differ from the uninterrupted run's")
	}
}
