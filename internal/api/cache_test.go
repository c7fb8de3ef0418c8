package api

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"dossier/internal/client"
)

// The cache answers what the service would: after every write, each read
// of a cached handler equals the same read of one without a cache.
func TestCacheFollowsWrites(t *testing.T) {
	s := newTestServer(t, Options{})
	uncached := httptest.NewServer(New(s.svc, Options{Token: testToken, CacheBytes: -1}))
	defer uncached.Close()
	ctx := context.Background()
	paths := []string{"/v1/stories", "/v1/stories?lang=en", "/v1/stories/s1", "/v1/stories/s2", "/v1/articles/a1", "/v1/articles/a3",
		"/v1/entities/person:volodymyr-zelenskyy", "/v1/search?q=troops", "/v1/search?q=Zelenskyy"}
	get := func(base, path string) (int, string) {
		t.Helper()
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, string(b)
	}
	compare := func(when string) {
		t.Helper()
		for _, p := range paths {
			for i := 0; i < 2; i++ { // the second read is answered from the cache
				c1, b1 := get(s.URL, p)
				c2, b2 := get(uncached.URL, p)
				if c1 != c2 || (c1 == http.StatusOK && withoutScores(t, p, b1) != withoutScores(t, p, b2)) {
					t.Errorf("%s, %s: cached %d %.200s\nuncached %d %.200s", when, p, c1, b1, c2, b2)
				}
			}
		}
	}
	compare("empty store")
	ingestSearchPages(t, s)
	compare("after an ingest")
	if _, err := s.c.Ingest(ctx, client.IngestRequest{Pages: []client.Page{{Name: "more.txt", Format: "text", Captured: "2025-03-11",
		Body: "Zelenskyy visits troops near the front\n\nPresident Volodymyr Zelenskyy visited troops near the front on Monday, his office said. He met soldiers of three brigades.\n"}}}); err != nil {
		t.Fatal(err)
	}
	compare("after a second ingest")
	if h, m, _ := s.h.cache.Stats(); h == 0 || m == 0 {
		t.Errorf("cache hits %d, misses %d: the test did not exercise it", h, m)
	}
}

// withoutScores drops from a search's answer what is measured from now,
// which two handlers compute a moment apart: the hits' scores and the
// cursor that carries them.
func withoutScores(t *testing.T, path, body string) string {
	t.Helper()
	if !strings.HasPrefix(path, "/v1/search") {
		return body
	}
	var v map[string]any
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	delete(v, "next")
	hits, _ := v["hits"].([]any)
	for _, h := range hits {
		delete(h.(map[string]any), "score")
	}
	b, _ := json.Marshal(v)
	return string(b)
}
