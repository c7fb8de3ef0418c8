package pipeline

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dossier/internal/fetch"
)

// TestIngestArchivesFetches checks that what an ingest fetches (a URL
// given to add or to POST /v1/ingest, and a feed with its items) is kept
// in the data directory's archive, and that an article serves the exact
// page it was read from.
func TestIngestArchivesFetches(t *testing.T) {
	page := `<html><head><title>Harbour works begin</title></head><body><article><h1>Harbour works begin</h1>
<p>Work on the new harbour began on Monday after years of delays, the city council said in a statement, adding that the first phase would take eighteen months.</p>
<p>About 300 workers are employed on the site, according to the contractor.</p></article></body></html>`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(page))
	}))
	defer srv.Close()

	ctx := context.Background()
	data := filepath.Join(t.TempDir(), "d")
	cfg := Config{DataDir: data}
	cfg.Ingest.Fetch = fetch.DefaultConfig()
	cfg.Ingest.Fetch.AllowPrivate = true
	svc, err := Open(ctx, cfg, "test")
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	sum, err := svc.Ingest(ctx, []string{srv.URL + "/harbour"}, IngestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Articles != 1 {
		t.Fatalf("ingested %+v, want one article", sum)
	}
	caps, err := svc.ArticleCaptures(ctx, 1)
	if err != nil || len(caps) != 1 {
		t.Fatalf("captures of the article: %+v, %v; want one", caps, err)
	}
	got, err := svc.ArticleCapture(ctx, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	if string(got.Body) != page || !strings.HasPrefix(got.ContentType, "text/html") {
		t.Errorf("the capture serves %q as %q, not the page fetched", got.Body, got.ContentType)
	}
	files, err := os.ReadDir(svc.ArchiveDir())
	if err != nil || len(files) == 0 || !strings.HasSuffix(files[0].Name(), ".warc.gz") {
		t.Errorf("archive directory: %v, %v", files, err)
	}
	// Re-ingesting the unchanged page stores nothing new but keeps the
	// new response: the archive records every fetch.
	if _, err := svc.Ingest(ctx, []string{srv.URL + "/harbour"}, IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	if caps, _ := svc.ArticleCaptures(ctx, 1); len(caps) != 2 {
		t.Errorf("after a second fetch, %d captures; want 2", len(caps))
	}
}
