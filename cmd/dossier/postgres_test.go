package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"dossier/internal/news"
	"dossier/internal/sharedtest"
	"dossier/internal/store/postgres"
	"dossier/internal/store/postgres/pgtest"
)

// TestMigrateStore copies the seeds' SQLite store into PostgreSQL and checks
// that both give the same export and the same counts, and that the copy
// takes new pages afterwards.
func TestMigrateStore(t *testing.T) {
	data, export := ingestSeedsData(t)
	dsn := pgtest.DSN(t)
	out, errs, code := dossier(t, "migrate-store", "-q", "-data", data, "-to", dsn)
	if code != 0 {
		t.Fatalf("migrate-store: exit %d\n%s%s", code, out, errs)
	}
	if strings.Contains(out, "dossier-test") {
		t.Errorf("migrate-store shows the password: %s", out)
	}
	pgExport := exportToDB(t, dsn)
	a, b := exportBody(t, export), exportBody(t, pgExport)
	if len(a) == 0 || !bytes.Equal(a, b) {
		t.Errorf("the PostgreSQL export differs from the SQLite one (%d and %d bytes): %s", len(a), len(b), firstDiff(a, b))
	}
	statsOf := func(args ...string) string {
		out, errs, code := dossier(t, append([]string{"stats"}, args...)...)
		if code != 0 {
			t.Fatalf("stats: exit %d: %s", code, errs)
		}
		out = out[strings.Index(out, "\n")+1:] // past the data directory
		if i := strings.Index(out, "database: "); i >= 0 {
			out = out[:i] // each database's own size
		}
		return out
	}
	if l, p := statsOf("-data", data), statsOf("-data", t.TempDir(), "-db", dsn); l != p {
		t.Errorf("stats differ:\nsqlite   %s\npostgres %s", l, p)
	}
	if _, errs, code := dossier(t, "migrate-store", "-q", "-data", data, "-to", dsn); code == 0 || !strings.Contains(errs, "already holds") {
		t.Errorf("a second migration into the same database: exit %d, %s", code, errs)
	}
}

// TestSeedsOnPostgres ingests the seeds into PostgreSQL through the
// pipeline, a command at a time, and holds them to the marks of TestSeeds;
// the export must equal the SQLite run's.
func TestSeedsOnPostgres(t *testing.T) {
	dsn := pgtest.DSN(t)
	var gold seedGold
	raw, err := os.ReadFile(sharedtest.Path(t, "gold", "seeds.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &gold); err != nil {
		t.Fatal(err)
	}
	data := t.TempDir()
	for _, d := range gold.Documents {
		out, errs, code := dossier(t, "add", "-q", "-data", data, "-db", dsn, "-captured", d.Captured, sharedtest.Path(t, "seeds", d.File))
		if code != 0 {
			t.Fatalf("add %s: exit %d\n%s%s", d.File, code, out, errs)
		}
	}
	export := exportToDB(t, dsn)
	sharedtest.Score(t, "score_seeds.py", export,
		"--min", "extraction_f1=97", "--min", "chrome_removed=100", "--min", "articles_found=100", "--min", "language=100",
		"--min", "figures_recall=95", "--min", "figures_precision=90", "--min", "figures_attribution=90",
		"--min", "stories_bcubed_f1=100", "--min", "events_bcubed_f1=90", "--min", "timeline_recall=90", "--min", "disagreements=100")
	lite := ingestSeeds(t)
	if clusters(t, lite) != clusters(t, export) {
		t.Errorf("stories and events differ:\nsqlite   %s\npostgres %s", clusters(t, lite), clusters(t, export))
	}
	if a, b := exportBody(t, lite), exportBody(t, export); !bytes.Equal(a, b) {
		t.Errorf("the PostgreSQL export differs from the SQLite one: %s", firstDiff(a, b))
	}
}

func exportToDB(t *testing.T, dsn string) string {
	t.Helper()
	export := t.TempDir() + "/export.json"
	if _, errs, code := dossier(t, "export", "-data", t.TempDir(), "-db", dsn, "-o", export); code != 0 {
		t.Fatalf("export -db: exit %d: %s", code, errs)
	}
	return export
}

// firstDiff shows where two texts first differ.
func firstDiff(a, b []byte) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(i-80, 0)
	return fmt.Sprintf("at byte %d:\n%q\n%q", i, a[from:min(i+80, len(a))], b[from:min(i+80, len(b))])
}

// exportBody is an export without the time it was generated.
func exportBody(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return regexp.MustCompile(`"generated": "[^"]*"`).ReplaceAll(b, nil)
}

// TestKilledMidIngestPostgres is TestKilledMidIngest on PostgreSQL: a real
// dossier process killed with SIGKILL while it ingests, then the same
// command run at once (the killed writer's lock must not stand in its way)
// completes the work with no duplicate and every article in a story.
func TestKilledMidIngestPostgres(t *testing.T) {
	ctx := context.Background()
	bin := filepath.Join(t.TempDir(), "dossier")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	dsn := pgtest.DSN(t)
	dir := sharedtest.Path(t, "bench", "extraction", "aeb", "html")
	cmd := exec.Command(bin, "add", "-data", t.TempDir(), "-db", dsn, dir)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pages := func() int {
		st, err := postgres.OpenReadOnly(ctx, dsn)
		if err != nil {
			return 0 // not created yet
		}
		defer st.Close()
		s, err := st.Stats(ctx)
		if err != nil {
			return 0
		}
		return s.Pages
	}
	deadline := time.Now().Add(90 * time.Second)
	for pages() < 20 {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("no page was stored within 90s: %s", stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	if kept := pages(); kept < 20 || kept >= 181 {
		t.Fatalf("after the kill the store holds %d pages, want some but not all", kept)
	}
	out, errs, code := dossier(t, "add", "-q", "-data", t.TempDir(), "-db", dsn, dir)
	if code != 0 {
		t.Fatalf("rerun: exit %d\n%s%s", code, out, errs)
	}
	st, err := postgres.OpenReadOnly(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s, err := st.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	dup := 0
	st.Articles(ctx, func(a news.Stored) error {
		dup += len(a.Sources) - 1
		if a.Story == 0 {
			t.Errorf("article %d has no story", a.ID)
		}
		return nil
	})
	if s.Pages != 181 || s.Articles+dup != 181 {
		t.Errorf("after the rerun: %d pages, %d articles, %d duplicates; want 181 pages, one article each", s.Pages, s.Articles, dup)
	}
}
