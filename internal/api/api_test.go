package api

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"dossier/internal/client"
	"dossier/internal/fetch"
	"dossier/internal/pipeline"
	"dossier/internal/sharedtest"
)

const testToken = "test-token-1234"

// testServer is an API server on loopback over a real service on a temp
// data directory, with a client that has the token and one that has not.
type testServer struct {
	*httptest.Server
	h    *Handler
	svc  *pipeline.Service
	c    *client.Client // with the token
	anon *client.Client // without
	data string
}

func newTestServer(t testing.TB, opts Options) *testServer {
	t.Helper()
	return newTestServerIn(t, t.TempDir(), opts)
}

// newTestServerIn is newTestServer on the data directory data.
func newTestServerIn(t testing.TB, data string, opts Options) *testServer {
	t.Helper()
	cfg := pipeline.Config{DataDir: data}
	cfg.Ingest.Fetch = fetch.DefaultConfig()
	svc, err := pipeline.Open(context.Background(), cfg, "serve")
	if err != nil {
		t.Fatal(err)
	}
	if opts.Token == "" {
		opts.Token = testToken
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(testLog{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	h := New(svc, opts)
	tp := &tape{}
	srv := httptest.NewServer(tp.wrap(h))
	t.Cleanup(func() {
		srv.Close()
		svc.Close()
		tp.check(t)
	})
	return &testServer{Server: srv, h: h, svc: svc, data: data,
		c: client.New(srv.URL, client.WithToken(opts.Token)), anon: client.New(srv.URL)}
}

// testLog writes the server's warnings and errors to the test's log.
type testLog struct{ t testing.TB }

func (l testLog) Write(b []byte) (int, error) {
	l.t.Log(strings.TrimSpace(string(b)))
	return len(b), nil
}

// do sends a raw request and returns the response's status, header and body.
func (s *testServer) do(t *testing.T, method, path string, body []byte, hdr map[string]string) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	return resp.StatusCode, resp.Header, b.Bytes()
}

// wantCode checks that err is the API error with this status and code.
func wantCode(t *testing.T, what string, err error, status int, code string) {
	t.Helper()
	var e *client.Error
	if !errors.As(err, &e) {
		t.Errorf("%s: error %v, want %d %s", what, err, status, code)
		return
	}
	if e.Status != status || e.Code != code {
		t.Errorf("%s: %d %s (%s), want %d %s", what, e.Status, e.Code, e.Message, status, code)
	}
}

type seedGold struct {
	Documents []struct {
		File     string `json:"file"`
		Captured string `json:"captured"`
	} `json:"documents"`
}

// ingestSeeds posts the five seed pages, one request each as a user adding
// them one at a time would, with their capture dates from the gold file.
func ingestSeeds(t testing.TB, c *client.Client) {
	t.Helper()
	var gold seedGold
	b, err := os.ReadFile(sharedtest.Path(t, "gold", "seeds.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &gold); err != nil {
		t.Fatal(err)
	}
	for _, d := range gold.Documents {
		body, err := os.ReadFile(sharedtest.Path(t, "seeds", d.File))
		if err != nil {
			t.Fatal(err)
		}
		sum, err := c.Ingest(context.Background(), client.IngestRequest{Pages: []client.Page{
			{Name: d.File, Body: string(body), Format: "text", Captured: d.Captured}}})
		if err != nil {
			t.Fatalf("ingest %s: %v", d.File, err)
		}
		if sum.Pages != 1 || len(sum.Failures) > 0 || sum.Articles == 0 {
			t.Fatalf("ingest %s: %+v", d.File, sum)
		}
	}
}

// TestSeedsThroughAPI ingests the seeds through POST /v1/ingest, scores the
// archive's export from GET /v1/export with the marks the CLI is held to
// (cmd/dossier TestSeeds), and reads every resource of the result.
func TestSeedsThroughAPI(t *testing.T) {
	s := newTestServer(t, Options{})
	ctx := context.Background()
	ingestSeeds(t, s.c)

	var exp bytes.Buffer
	if err := s.c.Export(ctx, "json", &exp); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "export.json")
	if err := os.WriteFile(path, exp.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out := sharedtest.Score(t, "score_seeds.py", path,
		"--min", "extraction_f1=97", "--min", "chrome_removed=100", "--min", "articles_found=100", "--min", "language=100",
		"--min", "figures_recall=95", "--min", "figures_precision=90", "--min", "figures_attribution=90",
		"--min", "stories_bcubed_f1=100", "--min", "events_bcubed_f1=90", "--min", "timeline_recall=90", "--min", "disagreements=100")
	m := regexp.MustCompile(`(?m)^dates_wrong\s+([\d.]+)$`).FindStringSubmatch(out)
	if m == nil {
		t.Errorf("scorer output has no dates_wrong line")
	} else if v, _ := strconv.ParseFloat(m[1], 64); v != 0 {
		t.Errorf("dates_wrong = %v, want 0", v)
	}

	// Ingesting the same page again changes nothing.
	var gold seedGold
	b, _ := os.ReadFile(sharedtest.Path(t, "gold", "seeds.json"))
	json.Unmarshal(b, &gold)
	first, _ := os.ReadFile(sharedtest.Path(t, "seeds", gold.Documents[0].File))
	sum, err := s.c.Ingest(ctx, client.IngestRequest{Pages: []client.Page{{Name: gold.Documents[0].File, Body: string(first), Format: "text", Captured: gold.Documents[0].Captured}}})
	if err != nil || sum.Unchanged != 1 || sum.Articles != 0 {
		t.Errorf("re-ingest: %+v %v, want 1 unchanged", sum, err)
	}

	t.Run("stories", func(t *testing.T) {
		all, err := s.c.Stories(ctx, client.StoryFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(all.Stories) < 2 || all.Next != nil {
			t.Fatalf("stories: %d, next %v", len(all.Stories), all.Next)
		}
		// Paging one at a time gives the same stories in the same order.
		var paged []string
		cursor := ""
		for i := 0; i < 20; i++ {
			p, err := s.c.Stories(ctx, client.StoryFilter{Limit: 1, Cursor: cursor})
			if err != nil {
				t.Fatal(err)
			}
			for _, st := range p.Stories {
				paged = append(paged, st.ID)
			}
			if p.Next == nil {
				break
			}
			cursor = *p.Next
		}
		var want []string
		for _, st := range all.Stories {
			want = append(want, st.ID)
		}
		if strings.Join(paged, ",") != strings.Join(want, ",") {
			t.Errorf("paged %v, want %v", paged, want)
		}
		// Filters narrow the list.
		ar, err := s.c.Stories(ctx, client.StoryFilter{Lang: "ar"})
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range ar.Stories {
			found := false
			for _, l := range st.Languages {
				found = found || l.Key == "ar"
			}
			if !found {
				t.Errorf("lang=ar gave %s with languages %v", st.ID, st.Languages)
			}
		}
		none, err := s.c.Stories(ctx, client.StoryFilter{From: "2099-01-01"})
		if err != nil || len(none.Stories) != 0 {
			t.Errorf("from=2099: %d stories, %v", len(none.Stories), err)
		}
		if _, err := s.c.Stories(ctx, client.StoryFilter{From: "last week"}); err == nil {
			t.Error("from=last week accepted")
		} else {
			wantCode(t, "bad from", err, 400, "bad_request")
		}
	})

	list, err := s.c.Stories(ctx, client.StoryFilter{})
	if err != nil || len(list.Stories) == 0 {
		t.Fatal(err)
	}
	// The story with the most articles.
	big := list.Stories[0]
	for _, st := range list.Stories {
		if st.Articles > big.Articles {
			big = st
		}
	}

	t.Run("story", func(t *testing.T) {
		st, err := s.c.Story(ctx, big.ID)
		if err != nil {
			t.Fatal(err)
		}
		if st.ID != big.ID || st.Title == "" || len(st.Articles) != big.Articles || len(st.Events) == 0 {
			t.Errorf("story %s: %d articles (list says %d), %d events", st.ID, len(st.Articles), big.Articles, len(st.Events))
		}
		if len(st.Ledger) == 0 || len(st.Timeline) == 0 {
			t.Errorf("story %s: %d ledger lines, %d timeline entries", st.ID, len(st.Ledger), len(st.Timeline))
		}
		// The bare number is the same story.
		st2, err := s.c.Story(ctx, strings.TrimPrefix(big.ID, "s"))
		if err != nil || st2.ID != st.ID {
			t.Errorf("bare id: %v %v", st2.ID, err)
		}
		_, err = s.c.Story(ctx, "s999999")
		wantCode(t, "missing story", err, 404, "not_found")
		_, err = s.c.Story(ctx, "banana")
		wantCode(t, "bad story id", err, 404, "not_found")
	})

	t.Run("exports", func(t *testing.T) {
		j, err := s.c.StoryExport(ctx, big.ID, "json")
		if err != nil {
			t.Fatal(err)
		}
		var e struct {
			Articles []struct{ ID, Story string }
			Stories  []struct{ ID string }
		}
		if err := json.Unmarshal(j, &e); err != nil {
			t.Fatal(err)
		}
		if len(e.Stories) != 1 || e.Stories[0].ID != big.ID || len(e.Articles) != big.Articles {
			t.Errorf("story export: %d stories, %d articles", len(e.Stories), len(e.Articles))
		}
		for _, a := range e.Articles {
			if a.Story != big.ID {
				t.Errorf("story export holds %s of %s", a.ID, a.Story)
			}
		}
		md, err := s.c.StoryExport(ctx, big.ID, "markdown")
		if err != nil || !strings.Contains(string(md), "# Story "+big.ID) {
			t.Errorf("markdown: %v\n%.300s", err, md)
		}
		c, err := s.c.StoryLedgerCSV(ctx, big.ID)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(bytes.NewReader(c)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) < 2 || strings.Join(rows[0], ",") != strings.Join(ledgerHeader, ",") {
			t.Errorf("ledger.csv: %d rows, header %v", len(rows), rows[0])
		}
		for _, r := range rows[1:] {
			if _, err := strconv.ParseFloat(r[5], 64); err != nil || !strings.HasPrefix(r[3], "f") || r[14] == "" {
				t.Errorf("ledger row %v", r)
			}
		}
		var whole bytes.Buffer
		if err := s.c.Export(ctx, "markdown", &whole); err != nil || !strings.Contains(whole.String(), "# dossier report") {
			t.Errorf("markdown export: %v", err)
		}
		err = s.c.Export(ctx, "pdf", &whole)
		wantCode(t, "export pdf", err, 400, "bad_request")
		_, err = s.c.StoryExport(ctx, "s999999", "json")
		wantCode(t, "missing story export", err, 404, "not_found")
	})

	t.Run("articles", func(t *testing.T) {
		st, _ := s.c.Story(ctx, big.ID)
		seen := 0
		for _, ref := range st.Articles {
			a, err := s.c.Article(ctx, ref.ID)
			if err != nil {
				t.Fatal(err)
			}
			if a.ID != ref.ID || a.Story == nil || *a.Story != big.ID || a.Text == "" || len(a.Sources) == 0 {
				t.Errorf("article %s: story %v, %d sources", a.ID, a.Story, len(a.Sources))
			}
			for _, src := range a.Sources {
				if src.File == nil || src.Captured == nil {
					t.Errorf("article %s: source %+v lacks file or capture date", a.ID, src)
				}
			}
			seen += len(a.Facts.Figures)
		}
		if seen == 0 {
			t.Error("no figures in the story's articles")
		}
		_, err := s.c.Article(ctx, "a999999")
		wantCode(t, "missing article", err, 404, "not_found")
	})

	t.Run("figures", func(t *testing.T) {
		all, err := s.c.Figures(ctx, client.FigureFilter{Story: big.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(all.Figures) == 0 {
			t.Fatal("no figures for the story")
		}
		for _, f := range all.Figures {
			if f.Story == nil || *f.Story != big.ID {
				t.Errorf("figure %s of story %v", f.ID, f.Story)
			}
		}
		p1, err := s.c.Figures(ctx, client.FigureFilter{Story: big.ID, Limit: 1})
		if err != nil || len(p1.Figures) != 1 || (len(all.Figures) > 1 && p1.Next == nil) {
			t.Fatalf("page 1: %+v %v", p1, err)
		}
		if p1.Next != nil {
			p2, err := s.c.Figures(ctx, client.FigureFilter{Story: big.ID, Limit: 1, Cursor: *p1.Next})
			if err != nil || len(p2.Figures) != 1 || p2.Figures[0].ID == p1.Figures[0].ID || p2.Figures[0].ID != all.Figures[1].ID {
				t.Errorf("page 2: %+v %v", p2, err)
			}
		}
		kind := ""
		for _, f := range all.Figures {
			if f.Kind != nil {
				kind = *f.Kind
				break
			}
		}
		if kind != "" {
			byKind, err := s.c.Figures(ctx, client.FigureFilter{Kind: kind})
			if err != nil || len(byKind.Figures) == 0 {
				t.Errorf("kind=%s: %v", kind, err)
			}
			for _, f := range byKind.Figures {
				if f.Kind == nil || *f.Kind != kind {
					t.Errorf("kind=%s gave %v", kind, f.Kind)
				}
			}
		}
		_, err = s.c.Figures(ctx, client.FigureFilter{Story: "x1"})
		wantCode(t, "bad story filter", err, 400, "bad_request")
	})

	t.Run("entities", func(t *testing.T) {
		st, _ := s.c.Story(ctx, big.ID)
		id := ""
		for _, ref := range st.Articles {
			a, err := s.c.Article(ctx, ref.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(a.Facts.Mentions) > 0 {
				id = a.Facts.Mentions[0].Entity
				break
			}
		}
		if id == "" {
			t.Fatalf("no article of %s names an entity", big.ID)
		}
		e, err := s.c.Entity(ctx, id, "", 0)
		if err != nil {
			t.Fatal(err)
		}
		if e.ID != id || len(e.Aliases) == 0 || e.ArticleCount == 0 || len(e.Stories) == 0 || len(e.Articles) == 0 {
			t.Errorf("entity %s: %+v", id, e)
		}
		if e.ArticleCount > 1 {
			p1, err := s.c.Entity(ctx, id, "", 1)
			if err != nil || len(p1.Articles) != 1 || p1.Next == nil {
				t.Fatalf("entity page 1: %+v %v", p1, err)
			}
			p2, err := s.c.Entity(ctx, id, *p1.Next, 1)
			if err != nil || len(p2.Articles) != 1 || p2.Articles[0] == p1.Articles[0] {
				t.Errorf("entity page 2: %+v %v", p2, err)
			}
		}
		_, err = s.c.Entity(ctx, "person:nobody-at-all", "", 0)
		wantCode(t, "missing entity", err, 404, "not_found")
	})

	t.Run("changes", func(t *testing.T) {
		ch, err := s.c.Changes(ctx, "", 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(ch.Articles) == 0 || ch.Next == "" {
			t.Fatalf("changes: %+v", ch)
		}
		again, err := s.c.Changes(ctx, ch.Next, 0)
		if err != nil || len(again.Articles) != 0 || len(again.ClusterChanges) != 0 {
			t.Errorf("changes after the last cursor: %+v %v", again, err)
		}
		_, err = s.c.Changes(ctx, "not-a-cursor!", 0)
		wantCode(t, "bad cursor", err, 400, "bad_cursor")
	})
}
