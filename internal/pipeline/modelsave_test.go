package pipeline

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"dossier/internal/ingest"
	"dossier/internal/store"
)

// TestModelSavedOncePerAge: a service ingesting a page at a time (a
// server, a watcher) does not write the whole clustering model after each
// page, but when it is ingest.ModelAge old (RefreshDue, or the next
// ingest) and when the service closes; a process that dies before saving
// loses nothing, since the next start assigns the unsaved articles again.
func TestModelSavedOncePerAge(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	lines := strings.Split(strings.TrimSpace(corpus), "\n")
	input := func(i int) string {
		p := filepath.Join(dir, fmt.Sprintf("page%d.jsonl", i))
		if err := os.WriteFile(p, []byte(lines[i]+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cfg := Config{DataDir: filepath.Join(dir, "data")}
	svc, err := Open(ctx, cfg, "test")
	if err != nil {
		t.Fatal(err)
	}
	add := func(s *Service, i int) {
		t.Helper()
		sum, err := s.Ingest(ctx, []string{input(i)}, IngestOptions{})
		if err != nil || sum.Articles != 1 {
			t.Fatalf("ingest of line %d: %+v, %v", i, sum, err)
		}
	}
	saved := func(s *Service) int64 {
		t.Helper()
		_, last, err := s.st.LoadModel(ctx)
		if errors.Is(err, store.ErrNotFound) {
			return 0
		}
		if err != nil {
			t.Fatal(err)
		}
		return last
	}
	add(svc, 0)
	add(svc, 1)
	if got := saved(svc); got != 0 {
		t.Errorf("the model was saved after single-page ingests (last article %d), before it was %v old", got, ingest.ModelAge)
	}
	svc.modelSavedAt = time.Now().Add(-2 * ingest.ModelAge)
	if _, err := svc.RefreshDue(ctx); err != nil {
		t.Fatal(err)
	}
	if got, want := saved(svc), svc.model.LastArticle; got != want || want == 0 {
		t.Errorf("after RefreshDue with the model %v old: saved up to article %d, want %d", 2*ingest.ModelAge, got, want)
	}
	add(svc, 2)
	if got := saved(svc); got == svc.model.LastArticle {
		t.Errorf("the model was saved again right after a save")
	}
	third := svc.model.LastArticle

	// The process dies: the store and the lock go without the model.
	svc.closeArchive()
	svc.st.Close()
	svc.lock.release()
	svc, err = Open(ctx, cfg, "test")
	if err != nil {
		t.Fatal(err)
	}
	if svc.model.LastArticle != third || svc.modelSaved {
		t.Errorf("reopened: the model holds up to article %d (saved %v), want %d taken in again and unsaved", svc.model.LastArticle, svc.modelSaved, third)
	}
	if err := svc.SyncModel(ctx); err != nil {
		t.Fatal(err)
	}
	if got := saved(svc); got != third || !svc.modelSaved {
		t.Errorf("after SyncModel the stored model holds up to article %d (saved %v), want %d", got, svc.modelSaved, third)
	}
	add(svc, 3) // unsaved again: Close saves it
	fourth := svc.model.LastArticle
	if err := svc.Close(); err != nil {
		t.Fatal(err)
	}
	r, err := OpenReader(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if got := saved(r); got != fourth {
		t.Errorf("after Close the stored model holds up to article %d, want %d", got, fourth)
	}
}
