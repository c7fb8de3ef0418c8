package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"dossier/internal/client"
	"dossier/internal/news"
	"dossier/internal/sharedtest"
	"dossier/internal/store/postgres"
	"dossier/internal/store/postgres/pgtest"
)

// ecbTopics is how many ECB+ topics (all their articles, in the corpus's
// order) the distributed test ingests: all 43, its 982 articles. (It took
// the first 20 while the queue fetched at most 20 jobs a second.)
// Whole topics keep B-cubed meaningful (no gold story is cut in two).
const ecbTopics = 43

// ecbSubset writes the first n topics of ECB+ into chunks JSON Lines
// files in a temporary directory and returns their paths, in order, and
// the gold of the subset (all its lines, for the scorer).
func ecbSubset(t *testing.T, n, chunks int) (paths []string, gold string) {
	t.Helper()
	f, err := os.Open(sharedtest.Path(t, "bench", "clustering", "ecbplus.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []string
	topics := map[string]bool{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var r struct{ Story string }
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		if !topics[r.Story] && len(topics) == n {
			continue
		}
		topics[r.Story] = true
		lines = append(lines, sc.Text())
	}
	dir := t.TempDir()
	gold = filepath.Join(dir, "gold.jsonl")
	if err := os.WriteFile(gold, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	per := (len(lines) + chunks - 1) / chunks
	for i := 0; i < len(lines); i += per {
		p := filepath.Join(dir, fmt.Sprintf("ecb-%02d.jsonl", len(paths)))
		if err := os.WriteFile(p, []byte(strings.Join(lines[i:min(i+per, len(lines))], "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	return paths, gold
}

var bcubedF1 = regexp.MustCompile(`(?m)^bcubed_f1:\s*([\d.]+)`)

// storyF1 scores an export's stories against a gold JSONL.
func storyF1(t *testing.T, gold, export string) float64 {
	t.Helper()
	return parseF1(t, sharedtest.Score(t, "score_clusters.py", gold, export, "--level", "story"))
}

// parseF1 reads the B-cubed F1 that score_clusters.py prints.
func parseF1(t *testing.T, out string) float64 {
	t.Helper()
	m := bcubedF1.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no bcubed_f1 in the scorer's output:\n%s", out)
	}
	f, _ := strconv.ParseFloat(m[1], 64)
	return f
}

// workerProc is a `dossier worker` subprocess.
type workerProc struct {
	cmd *exec.Cmd
	log *syncBuffer
}

func startWorker(t *testing.T, bin, dsn string, extra ...string) *workerProc {
	t.Helper()
	args := append([]string{"worker", "-db", dsn, "-data", t.TempDir(), "-workers", "1", "-assign",
		"-job-timeout", "20s", "-rescue-after", "21s", "-order-wait", "5s"}, extra...)
	w := &workerProc{cmd: exec.Command(bin, args...), log: &syncBuffer{}}
	w.cmd.Stdout, w.cmd.Stderr = w.log, w.log
	if err := w.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.cmd.Process.Kill(); w.cmd.Wait() })
	return w
}

func (w *workerProc) owner() bool {
	return strings.Contains(w.log.String(), "assignment owner: taking over")
}

// seedPages reads the seed pages with their capture dates from the gold.
func seedPages(t *testing.T) []client.Page {
	t.Helper()
	var gold seedGold
	b, err := os.ReadFile(sharedtest.Path(t, "gold", "seeds.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &gold); err != nil {
		t.Fatal(err)
	}
	var out []client.Page
	for _, d := range gold.Documents {
		body, err := os.ReadFile(sharedtest.Path(t, "seeds", d.File))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, client.Page{Name: d.File, Body: string(body), Captured: d.Captured})
	}
	return out
}

// TestWorkersOnPostgres is the test of the job queue: three worker
// processes (each a candidate assignment owner) and two API servers share
// one PostgreSQL store; the seeds come in through the servers, the ECB+
// subset through `dossier add -queue`; the assignment owner is killed
// with SIGKILL midway. Every page must be stored exactly once, every
// article be in a story, and the story B-cubed F1 be within 0.01 of a
// single-process run of the same inputs.
//
// It runs without and with the bilingual dictionaries (when installed, as
// in CI): the workers' analysed pages must be turned into clustering
// documents with the owner's dictionaries, as a single process does (once
// they were not, and queued runs scored 0.821-0.871 against 0.882).
func TestWorkersOnPostgres(t *testing.T) {
	for _, tc := range []struct {
		name, dict string
		tolerance  float64
	}{
		{"dictionaries off", "-", 0.01},
		{"dictionaries as configured", "", 0.01},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.dict != "" {
				t.Setenv("DOSSIER_DICT", tc.dict)
			}
			workersOnPostgres(t, tc.tolerance)
		})
	}
}

func workersOnPostgres(t *testing.T, tolerance float64) {
	ctx := context.Background()
	bin := buildDossier(t)
	dsn := pgtest.DSN(t)
	chunks, gold := ecbSubset(t, ecbTopics, 6)
	seeds := seedPages(t)

	// The reference: one process, the same inputs in the same order.
	ref := t.TempDir()
	for _, s := range seeds {
		p := filepath.Join(t.TempDir(), s.Name)
		os.WriteFile(p, []byte(s.Body), 0o644)
		if out, errs, code := dossier(t, "add", "-q", "-data", ref, "-captured", s.Captured, p); code != 0 {
			t.Fatalf("reference add: exit %d\n%s%s", code, out, errs)
		}
	}
	if out, errs, code := dossier(t, append([]string{"add", "-q", "-data", ref}, chunks...)...); code != 0 {
		t.Fatalf("reference add: exit %d\n%s%s", code, out, errs)
	}
	refF1 := storyF1(t, gold, exportTo(t, ref))

	var workers []*workerProc
	for range 3 {
		workers = append(workers, startWorker(t, bin, dsn))
	}
	const token = "workers-test-token"
	var servers []*serveProc
	for range 2 {
		servers = append(servers, startServe(t, bin, t.TempDir(), "-db", dsn, "-queue", "-token", token))
	}
	// The seeds, one request each, alternately to the two servers.
	for i, p := range seeds {
		c := client.New(servers[i%2].url, client.WithToken(token))
		sum, err := c.Ingest(ctx, client.IngestRequest{Pages: []client.Page{p}})
		if err != nil || sum.Pages != 1 {
			t.Fatalf("ingest %s through server %d: %+v, %v", p.Name, i%2, sum, err)
		}
	}
	// Wait for the seeds, so that both runs see them first.
	total := len(seeds)
	waitStored(t, dsn, total, 60*time.Second, workers)
	for _, c := range chunks {
		out, errs, code := dossier(t, "add", "-q", "-queue", "-data", t.TempDir(), "-db", dsn, c)
		if code != 0 {
			t.Fatalf("add -queue %s: exit %d\n%s%s", c, code, out, errs)
		}
	}
	expected := total + countLines(t, chunks)

	// Midway, kill the owner.
	deadline := time.Now().Add(120 * time.Second)
	for pagesIn(t, dsn) < expected/3 {
		if time.Now().After(deadline) {
			t.Fatalf("only %d of %d pages stored after 2 minutes\n%s", pagesIn(t, dsn), expected, workers[0].log)
		}
		time.Sleep(100 * time.Millisecond)
	}
	killed := -1
	for i, w := range workers {
		if w.owner() {
			killed = i
			break
		}
	}
	if killed < 0 {
		t.Fatal("no worker says it owns assignment")
	}
	atKill := pagesIn(t, dsn)
	if err := workers[killed].cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	workers[killed].cmd.Wait()
	t.Logf("killed the owner (worker %d) with %d of %d pages stored", killed, atKill, expected)
	waitStored(t, dsn, expected, 150*time.Second, workers)
	took := false
	for i, w := range workers {
		if i != killed && w.owner() {
			took = true
		}
	}
	if !took {
		t.Error("no other worker took the assignment over")
	}

	// Every page once, every article in a story.
	st, err := postgres.OpenReadOnly(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s, err := st.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sources, unassigned := 0, 0
	st.Articles(ctx, func(a news.Stored) error {
		sources += len(a.Sources)
		if a.Story == 0 {
			unassigned++
		}
		return nil
	})
	rs := refStats(t, ref)
	if s.Pages != expected || s.Pages != rs.pages || sources != rs.sources || s.Articles != rs.articles {
		t.Errorf("stored %d pages, %d sources, %d articles; want %d pages (the single-process run: %d), %d sources, %d articles",
			s.Pages, sources, s.Articles, expected, rs.pages, rs.sources, rs.articles)
	}
	if unassigned > 0 {
		t.Errorf("%d article(s) in no story", unassigned)
	}
	f1 := storyF1(t, gold, exportToDB(t, dsn))
	t.Logf("story B-cubed F1: single process %.3f, three workers with the owner killed %.3f", refF1, f1)
	if d := f1 - refF1; d < -tolerance || d > tolerance {
		t.Errorf("story B-cubed F1 %.3f is not within %.2f of the single-process run's %.3f", f1, tolerance, refF1)
	}
	// The seeds' pages came in through the API: one article each at least.
	for _, p := range seeds {
		if ok, err := st.HasPage(ctx, "post:"+p.Name, sha256Hex(p.Body)); err != nil || !ok {
			t.Errorf("seed %s is not stored (%v)", p.Name, err)
		}
	}
}

// pagesIn counts the pages stored in the PostgreSQL store dsn.
func pagesIn(t *testing.T, dsn string) int {
	t.Helper()
	n, _ := counts2(t, dsn)
	return n
}

// counts2 returns the pages stored and the analysed pages waiting.
func counts2(t *testing.T, dsn string) (pages, waiting int) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return 0, 0
	}
	defer conn.Close(ctx)
	if conn.QueryRow(ctx, `SELECT (SELECT count(*) FROM pages), (SELECT count(*) FROM analysed)`).Scan(&pages, &waiting) != nil {
		return 0, 0
	}
	return pages, waiting
}

// waitStored waits until n pages are stored and none waits for the owner.
func waitStored(t *testing.T, dsn string, n int, limit time.Duration, workers []*workerProc) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		p, w := counts2(t, dsn)
		if p == n && w == 0 {
			return
		}
		if time.Now().After(deadline) {
			var logs strings.Builder
			for i, wp := range workers {
				fmt.Fprintf(&logs, "worker %d:\n%s\n", i, wp.log)
			}
			t.Fatalf("after %s: %d of %d pages stored, %d analysed waiting\n%s", limit, p, n, w, logs.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func countLines(t *testing.T, paths []string) int {
	t.Helper()
	n := 0
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		n += strings.Count(string(b), "\n")
	}
	return n
}

type storeCounts struct{ pages, articles, sources int }

var statLine = regexp.MustCompile(`(?m)^(pages|articles|sources): (\d+)$`)

// refStats reads `dossier stats` of a data directory.
func refStats(t *testing.T, data string) storeCounts {
	t.Helper()
	out, errs, code := dossier(t, "stats", "-data", data)
	if code != 0 {
		t.Fatalf("stats: exit %d: %s", code, errs)
	}
	var c storeCounts
	for _, m := range statLine.FindAllStringSubmatch(out, -1) {
		n, _ := strconv.Atoi(m[2])
		switch m[1] {
		case "pages":
			c.pages = n
		case "articles":
			c.articles = n
		default:
			c.sources = n
		}
	}
	return c
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}
