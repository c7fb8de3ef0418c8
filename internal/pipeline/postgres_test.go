package pipeline

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"dossier/internal/store/postgres/pgtest"
)

// newPostgresService is newService with the store on PostgreSQL.
func newPostgresService(t *testing.T, dsn string) *Service {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "corpus.jsonl")
	if err := os.WriteFile(path, []byte(corpus), 0o644); err != nil {
		t.Fatal(err)
	}
	svc, err := Open(context.Background(), Config{DataDir: filepath.Join(dir, "data"), DB: dsn, Now: func() time.Time {
		return time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC)
	}}, "test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Close() })
	sum, err := svc.Ingest(context.Background(), []string{path}, IngestOptions{})
	if err != nil || len(sum.Failures) > 0 || sum.Articles != 5 {
		t.Fatalf("ingest: %+v, %v", sum, err)
	}
	return svc
}

// One writer per database, whatever its data directory; readers go on.
func TestPostgresOneWriter(t *testing.T) {
	dsn := pgtest.DSN(t)
	svc := newPostgresService(t, dsn)
	if err := svc.Advertise("serve", "http://127.0.0.1:8080"); err != nil {
		t.Fatal(err)
	}
	_, err := Open(context.Background(), Config{DataDir: t.TempDir(), DB: dsn}, "add")
	var le *LockError
	if !errors.As(err, &le) || !errors.Is(err, ErrLocked) {
		t.Fatalf("second writer on the database: %v, want a LockError", err)
	}
	if le.PID != os.Getpid() || le.Command != "serve" || !strings.Contains(err.Error(), "-server http://127.0.0.1:8080") {
		t.Errorf("lock error does not say who writes the database: %v", err)
	}
	if strings.Contains(err.Error(), "dossier-test") {
		t.Errorf("lock error shows the password: %v", err)
	}
	r, err := OpenReader(context.Background(), Config{DB: dsn})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if st, err := r.Stats(context.Background()); err != nil || st.Articles != 5 {
		t.Errorf("reader beside the writer: %+v, %v", st, err)
	}
	if err := svc.Close(); err != nil {
		t.Fatal(err)
	}
	w, err := Open(context.Background(), Config{DataDir: t.TempDir(), DB: dsn}, "add")
	if err != nil {
		t.Fatalf("writer after the first closed: %v", err)
	}
	w.Close()
}

// TestPostgresMatchesSQLite ingests the same corpus into both stores and
// asks both services the same questions: the answers must be equal.
func TestPostgresMatchesSQLite(t *testing.T) {
	ctx := context.Background()
	lite, _ := newService(t)
	pg := newPostgresService(t, pgtest.DSN(t))
	same := func(what string, a, b any) {
		t.Helper()
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s differs:\nsqlite   %+v\npostgres %+v", what, a, b)
		}
	}
	ls, _ := lite.Stats(ctx)
	ps, _ := pg.Stats(ctx)
	if ls.Bytes <= 0 || ps.Bytes <= 0 {
		t.Errorf("database sizes %d (SQLite) and %d (PostgreSQL), want both above 0", ls.Bytes, ps.Bytes)
	}
	ls.Bytes, ps.Bytes = 0, 0 // each database's own measure
	same("stats", ls, ps)
	lstories, err1 := lite.Stories(ctx, StoryFilter{Limit: 100})
	pstories, err2 := pg.Stories(ctx, StoryFilter{Limit: 100})
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	same("stories", lstories, pstories)
	for _, s := range lstories.Stories {
		l, _, err1 := lite.Story(ctx, s.ID)
		p, _, err2 := pg.Story(ctx, s.ID)
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		same(fmt.Sprint("story ", s.ID), l, p)
	}
	// Search: the same articles in the same order (scores are on different
	// scales: BM25 against cover density).
	for _, q := range []string{"قتل", "جنود كوريين", "台风", "广东登陆", "troop", "typhoons", "North Korea", "Kursk soldiers", "nothing here"} {
		lr, err1 := lite.Search(ctx, SearchRequest{Query: q})
		pr, err2 := pg.Search(ctx, SearchRequest{Query: q})
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		ids := func(r SearchResult) (out []string) {
			for _, h := range r.Hits {
				out = append(out, fmt.Sprint(h.Article, h.ViaEntity, h.Snippet.Text))
			}
			return out
		}
		same("search "+q, ids(lr), ids(pr))
		same("entities of "+q, lr.Entities, pr.Entities)
	}
	lf, _ := lite.Figures(ctx, FigureFilter{Kind: "killed"})
	pf, _ := pg.Figures(ctx, FigureFilter{Kind: "killed"})
	same("figures", lf, pf)
}
