package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"dossier/internal/news"
	"dossier/internal/sharedtest"
	"dossier/internal/store/sqlite"
)

// TestKilledMidIngest kills a real dossier process with SIGKILL while it
// ingests the AEB pages, then checks that the store opens, keeps what was
// finished, and that running the same command again completes the work with
// no duplicate and every article in a story.
func TestKilledMidIngest(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "dossier")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	data := t.TempDir()
	dir := sharedtest.Path(t, "bench", "extraction", "aeb", "html")
	cmd := exec.Command(bin, "add", "-data", data, dir)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Kill it once some pages are stored.
	db := filepath.Join(data, "dossier.db")
	deadline := time.Now().Add(60 * time.Second)
	for {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("no page was stored within a minute")
		}
		if n := countPages(t, db); n >= 20 {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	kept := countPages(t, db)
	if kept < 20 || kept >= 181 {
		t.Fatalf("after the kill the store holds %d pages, want some but not all", kept)
	}
	out, errs, code := dossier(t, "add", "-q", "-data", data, dir)
	if code != 0 {
		t.Fatalf("rerun: exit %d\n%s%s", code, out, errs)
	}
	if !strings.Contains(out, "page(s) unchanged") {
		t.Errorf("rerun summary: %s", out)
	}
	st, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s, err := st.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if s.Pages != 181 || s.Articles+countDup(t, st) != 181 {
		t.Errorf("after the rerun: %d pages, %d articles; want 181 pages, one article each", s.Pages, s.Articles)
	}
	st.Articles(context.Background(), func(a news.Stored) error {
		if a.Story == 0 {
			t.Errorf("article %d has no story", a.ID)
		}
		return nil
	})
}

func countPages(t *testing.T, db string) int {
	t.Helper()
	if _, err := os.Stat(db); err != nil {
		return 0
	}
	st, err := sqlite.Open(context.Background(), db)
	if err != nil {
		return 0 // the writer may hold the database while it migrates
	}
	defer st.Close()
	s, err := st.Stats(context.Background())
	if err != nil {
		return 0
	}
	return s.Pages
}

// countDup counts the pages whose article was folded into another.
func countDup(t *testing.T, st *sqlite.DB) int {
	n := 0
	st.Articles(context.Background(), func(a news.Stored) error {
		n += len(a.Sources) - 1
		return nil
	})
	return n
}
