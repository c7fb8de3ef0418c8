package web

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"dossier/internal/pipeline"
	"dossier/internal/store/sqlite"
	"dossier/internal/store/storetest"
)

func get(t *testing.T, h http.Handler, path string) (int, string, http.Header) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
	b, _ := io.ReadAll(rec.Result().Body)
	return rec.Code, string(b), rec.Result().Header
}

func TestPagesRender(t *testing.T) {
	h := New(sharedSeeds(t), Options{Token: "secret"})
	for _, path := range []string{"/", "/stories/1", "/articles/1", "/articles/4", "/entities/country:KP", "/search?q=troops", "/sources", "/add", "/help", "/static/app.css", "/static/app.js"} {
		code, body, hd := get(t, h, path)
		if code != 200 {
			t.Errorf("GET %s: %d\n%s", path, code, body)
			continue
		}
		if hd.Get("Content-Security-Policy") != CSP {
			t.Errorf("GET %s: CSP header %q", path, hd.Get("Content-Security-Policy"))
		}
		if strings.Contains(body, "style=") || strings.Contains(body, "<script>") || strings.Contains(body, "onclick") {
			t.Errorf("GET %s: inline style or script", path)
		}
	}
	// Filters.
	if _, body, _ := get(t, h, "/?lang=ar"); strings.Count(body, `data-story="`) != 1 {
		t.Errorf("/?lang=ar lists %d stories, want the one with an Arabic article", strings.Count(body, `data-story="`))
	}
	if _, body, _ := get(t, h, "/?lang=zz"); strings.Count(body, `data-story="`) != 0 || !strings.Contains(body, "No stories match") {
		t.Errorf("/?lang=zz lists stories")
	}
	if code, body, _ := get(t, h, "/search?q=north+korea"); code != 200 || !strings.Contains(body, `href="/entities/country:KP"`) ||
		!strings.Contains(body, `data-lang="ar"`) {
		t.Errorf("search for a name: %d, no entity suggestion or no Arabic article", code)
	}
	for _, path := range []string{"/?from=yesterday", "/search?q=x&to=2025-13-45"} {
		if code, _, _ := get(t, h, path); code != 400 {
			t.Errorf("GET %s: %d, want 400", path, code)
		}
	}
	for _, path := range []string{"/stories/999", "/articles/x", "/nope", "/entities/none:such", "/?cursor=@@"} {
		if code, _, _ := get(t, h, path); code != 404 && code != 400 {
			t.Errorf("GET %s: %d, want 404 or 400", path, code)
		}
	}
}

// TestMergedStoryRedirects checks that the page of a story merged into
// another, directly or through a chain of merges, redirects to that
// story's page, the query kept.
func TestMergedStoryRedirects(t *testing.T) {
	data := t.TempDir()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, pipeline.DBPath(data))
	if err != nil {
		t.Fatal(err)
	}
	storetest.SaveMergeChain(t, st)
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	svc, err := pipeline.Open(ctx, pipeline.Config{DataDir: data}, "serve")
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	if _, err := svc.RefreshViews(ctx); err != nil {
		t.Fatal(err)
	}
	h := New(svc, Options{Token: "secret"})
	for _, tt := range []struct{ path, loc string }{{"/stories/5", "/stories/7"}, {"/stories/3?tab=ledger", "/stories/7?tab=ledger"}} {
		if code, _, hd := get(t, h, tt.path); code != http.StatusTemporaryRedirect || hd.Get("Location") != tt.loc {
			t.Errorf("GET %s: %d to %q, want 307 to %s", tt.path, code, hd.Get("Location"), tt.loc)
		}
	}
	for path, want := range map[string]int{"/stories/7": 200, "/stories/9": 200, "/stories/30": 404, "/stories/404": 404} {
		if code, _, _ := get(t, h, path); code != want {
			t.Errorf("GET %s: %d, want %d", path, code, want)
		}
	}
}
