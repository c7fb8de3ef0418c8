package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"dossier/internal/news"
)

// openTicking opens a service whose clock advances a day each time it is
// read, as a server's does between one request and the next (from now:
// the articles' ages must grow for the recency boost to age), and stores
// n short English articles about troops, each its own page.
func openTicking(t *testing.T, n int) *Service {
	t.Helper()
	var mu sync.Mutex
	now := time.Now()
	clock := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		now = now.Add(24 * time.Hour)
		return now
	}
	svc, err := Open(context.Background(), Config{DataDir: filepath.Join(t.TempDir(), "data"), Now: clock}, "test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Close() })
	var pages []news.Page
	for i := 0; i < n; i++ {
		body := fmt.Sprintf("Troops leave town number %d\n\nTroops left town number %d in province %d on %s, officials said, after %d days. "+
			"Residents of the %d districts returned to %d homes and the council reopened %d schools.\n",
			i, i, i%7, []string{"Monday", "Tuesday", "Wednesday"}[i%3], i*3+2, i%5+2, i*11+40, i%4+1)
		pages = append(pages, news.Page{Key: fmt.Sprintf("test:%d", i), File: fmt.Sprintf("p%d.txt", i), Format: news.FormatText,
			Body: []byte(body), Captured: time.Date(2025, 1, 1+i, 0, 0, 0, 0, time.UTC)})
	}
	sum, err := svc.IngestPages(context.Background(), pages, IngestOptions{})
	if err != nil || sum.Articles != n {
		t.Fatalf("ingest: %+v %v", sum, err)
	}
	return svc
}

// TestSearchPagingWhileTimePasses pages through a search one hit at a
// time while the clock moves: the recency boost ages between requests, and
// the pages must still hold every hit once, in the first page's order.
func TestSearchPagingWhileTimePasses(t *testing.T) {
	const n = 6
	svc := openTicking(t, n)
	ctx := context.Background()
	all, err := svc.Search(ctx, SearchRequest{Query: "troops", Limit: 100})
	if err != nil || len(all.Hits) != n {
		t.Fatalf("search: %d hits, %v", len(all.Hits), err)
	}
	var want, got []int64
	for _, h := range all.Hits {
		want = append(want, h.Article)
	}
	cursor := ""
	for i := 0; i < 2*n; i++ {
		p, err := svc.Search(ctx, SearchRequest{Query: "troops", Limit: 1, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range p.Hits {
			got = append(got, h.Article)
		}
		if p.Next == "" {
			break
		}
		cursor = p.Next
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("paged %v, want %v", got, want)
	}
	// A cursor of another shape is refused.
	if _, err := svc.Search(ctx, SearchRequest{Query: "troops", Cursor: encodeCursor("1", "2")}); err != ErrBadCursor {
		t.Errorf("two-field cursor: %v, want ErrBadCursor", err)
	}
}

// TestExportStory exports one story: the export's shape, holding that
// story and only its articles.
func TestExportStory(t *testing.T) {
	svc := openTicking(t, 3)
	ctx := context.Background()
	p, err := svc.Stories(ctx, StoryFilter{})
	if err != nil || len(p.Stories) == 0 {
		t.Fatalf("stories: %+v %v", p, err)
	}
	id := p.Stories[0].ID
	var b bytes.Buffer
	if err := svc.ExportStory(ctx, &b, id, "json"); err != nil {
		t.Fatal(err)
	}
	var e struct {
		Articles []struct{ ID, Story string }
		Stories  []struct{ ID string }
		Entities []json.RawMessage
	}
	if err := json.Unmarshal(b.Bytes(), &e); err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	sid := fmt.Sprintf("s%d", id)
	if len(e.Stories) != 1 || e.Stories[0].ID != sid || len(e.Articles) != p.Stories[0].Articles {
		t.Errorf("export of %s: %d stories, %d articles (want %d)", sid, len(e.Stories), len(e.Articles), p.Stories[0].Articles)
	}
	for _, a := range e.Articles {
		if a.Story != sid {
			t.Errorf("article %s of %s in the export of %s", a.ID, a.Story, sid)
		}
	}
	b.Reset()
	if err := svc.ExportStory(ctx, &b, id, "markdown"); err != nil || !strings.Contains(b.String(), "# Story "+sid) {
		t.Errorf("markdown: %v\n%s", err, b.String())
	}
	if err := svc.ExportStory(ctx, &b, 99999, "json"); err == nil {
		t.Error("export of a missing story succeeded")
	}
	if err := svc.ExportStory(ctx, &b, id, "pdf"); err == nil {
		t.Error("export as pdf succeeded")
	}
}
