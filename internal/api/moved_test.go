package api

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"dossier/internal/client"
	"dossier/internal/pipeline"
	"dossier/internal/store/sqlite"
	"dossier/internal/store/storetest"
)

// TestMergedStoryMoves checks that a story merged into another, directly
// or through a chain of merges, answers with a redirect to the story it
// went into, for every resource of a story, and that a client following
// redirects gets that story.
func TestMergedStoryMoves(t *testing.T) {
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
	s := newTestServerIn(t, data, Options{})
	if _, err := s.svc.RefreshViews(ctx); err != nil {
		t.Fatal(err)
	}
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, tt := range []struct{ path, loc string }{
		{"/v1/stories/s5", "/v1/stories/s7"},
		{"/v1/stories/s3", "/v1/stories/s7"},
		{"/v1/stories/s3/ledger.csv", "/v1/stories/s7/ledger.csv"},
		{"/v1/stories/s5/export.md?x=1", "/v1/stories/s7/export.md?x=1"},
		{"/v1/stories/s3/export.json", "/v1/stories/s7/export.json"},
		{"/v1/stories/%735/ledger.csv", "/v1/stories/s7/ledger.csv"},
		{"/v1/stories/5", "/v1/stories/s7"},
	} {
		resp, err := noFollow.Get(s.URL + tt.path)
		if err != nil {
			t.Fatal(err)
		}
		var env client.ErrorBody
		json.NewDecoder(resp.Body).Decode(&env)
		resp.Body.Close()
		if resp.StatusCode != http.StatusTemporaryRedirect || resp.Header.Get("Location") != tt.loc || env.Error.Code != "moved" {
			t.Errorf("GET %s: %d Location %q %+v; want 307 to %s, code moved", tt.path, resp.StatusCode, resp.Header.Get("Location"), env.Error, tt.loc)
		}
	}
	got, err := s.c.Story(ctx, "s3")
	if err != nil || got.ID != "s7" || len(got.Articles) != 3 {
		t.Errorf("client.Story(s3) = %s with %d articles, %v; want s7 with 3", got.ID, len(got.Articles), err)
	}
	// A filter on a merged story's id filters on the story it went into.
	res, err := s.c.Search(ctx, client.SearchRequest{Query: "port", Story: "s3"})
	if err != nil || len(res.Hits) != 3 {
		t.Errorf("search for port in s3: %d hits, %v; want the 3 articles of s7", len(res.Hits), err)
	}
	// A story that never was stays not found, as does one never merged.
	for _, path := range []string{"/v1/stories/s404", "/v1/stories/s30"} {
		if code, _, _ := s.do(t, "GET", path, nil, nil); code != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", path, code)
		}
	}
	if code, _, _ := s.do(t, "GET", "/v1/stories/s9", nil, nil); code != http.StatusOK {
		t.Errorf("GET s9: %d, want 200", code)
	}
}
