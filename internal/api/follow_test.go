package api

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"dossier/internal/archive"
	"dossier/internal/client"
	"dossier/internal/news"
	"dossier/internal/store"
)

func TestFollowing(t *testing.T) {
	s := newTestServer(t, Options{})
	auth := map[string]string{"Authorization": "Bearer " + testToken, "Content-Type": "application/json"}
	body := []byte(`{"url":"https://wire.example/rss","title":"Wire"}`)
	if code, _, _ := s.do(t, "POST", "/v1/following", body, map[string]string{"Content-Type": "application/json"}); code != 401 {
		t.Errorf("follow without the token: %d", code)
	}
	code, hdr, b := s.do(t, "POST", "/v1/following", body, auth)
	var f client.Followed
	json.Unmarshal(b, &f)
	if code != 201 || f.ID != "src1" || f.Title != "Wire" || f.Kind != nil || hdr.Get("Location") != "/v1/following/src1" {
		t.Fatalf("follow: %d %s %v", code, b, hdr)
	}
	if code, _, _ := s.do(t, "POST", "/v1/following", body, auth); code != 200 {
		t.Errorf("following again: %d", code)
	}
	for _, bad := range []string{`{"url":"ftp://x.example/"}`, `{"url":"https://x.example/","kind":"podcast"}`, `{"url":1}`, `{"uri":"https://x.example/"}`} {
		if code, _, b := s.do(t, "POST", "/v1/following", []byte(bad), auth); code != 400 {
			t.Errorf("follow %s: %d %s", bad, code, b)
		}
	}
	code, _, b = s.do(t, "GET", "/v1/following", nil, nil)
	var list client.FollowedList
	json.Unmarshal(b, &list)
	if code != 200 || len(list.Sources) != 1 || list.Sources[0].URL != "https://wire.example/rss" {
		t.Errorf("list: %d %s", code, b)
	}
	if code, _, b := s.do(t, "GET", "/v1/following/src1", nil, nil); code != 200 || !strings.Contains(string(b), `"items":[]`) {
		t.Errorf("one source: %d %s", code, b)
	}
	code, hdr, opml := s.do(t, "GET", "/v1/following.opml", nil, nil)
	if code != 200 || !strings.HasPrefix(hdr.Get("Content-Type"), "text/x-opml") || !strings.Contains(string(opml), `xmlUrl="https://wire.example/rss"`) {
		t.Errorf("opml: %d %s", code, opml)
	}
	imp := `<opml version="2.0"><body><outline text="Gov" type="link" url="https://gov.example/news"/><outline text="Wire" xmlUrl="https://wire.example/rss"/></body></opml>`
	code, _, b = s.do(t, "POST", "/v1/following.opml", []byte(imp), map[string]string{"Authorization": "Bearer " + testToken, "Content-Type": "text/x-opml"})
	if code != 200 || string(b) != "{\"added\":1,\"existed\":1}\n" {
		t.Errorf("import: %d %s", code, b)
	}
	if code, _, _ := s.do(t, "POST", "/v1/following.opml", []byte("<rss/>"), auth); code != 400 {
		t.Errorf("import of a non-OPML body: %d", code)
	}
	if code, _, _ := s.do(t, "DELETE", "/v1/following/src1", nil, nil); code != 401 {
		t.Errorf("unfollow without the token: %d", code)
	}
	if code, _, _ := s.do(t, "DELETE", "/v1/following/src1", nil, auth); code != 200 {
		t.Errorf("unfollow: %d", code)
	}
	for _, p := range []string{"/v1/following/src1", "/v1/following/x"} {
		if code, _, _ := s.do(t, "GET", p, nil, nil); code != 404 {
			t.Errorf("GET %s: %d", p, code)
		}
	}
	if code, _, _ := s.do(t, "DELETE", "/v1/following/src1", nil, auth); code != 404 {
		t.Errorf("unfollow twice: %d", code)
	}
}

func TestArticleVersionsAndCapture(t *testing.T) {
	s := newTestServer(t, Options{})
	ctx := context.Background()
	arch, err := archive.Open(archive.Config{Dir: s.svc.ArchiveDir()})
	if err != nil {
		t.Fatal(err)
	}
	const u = "https://news.example/floods"
	page := func(n string) string {
		return "<html><head><title>Floods</title></head><body><article><h1>Floods in the north</h1><p>Officials said " + n +
			" people were killed in the floods in the northern province on Monday, as rescue teams reached the villages.</p><p>Aid agencies appealed for clean water and shelter for the families who lost their homes.</p><script>alert(1)</script></article></body></html>"
	}
	at := time.Date(2025, 7, 8, 9, 0, 0, 0, time.UTC)
	for i, n := range []string{"300", "600"} {
		body := page(n)
		when := at.Add(time.Duration(i) * 5 * time.Hour)
		loc, err := arch.Write(archive.Exchange{URL: u, Proto: "HTTP/1.1", Status: "200 OK", Captured: when,
			ResponseHeader: http.Header{"Content-Type": {"text/html; charset=utf-8"}}, Body: []byte(body)})
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256([]byte(body))
		if err := s.svc.SaveCapture(ctx, store.Capture{URL: u, PageKey: u, BodyHash: hex.EncodeToString(sum[:]), File: loc.File,
			Offset: loc.Offset, Length: loc.Length, Captured: when, Status: 200}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.svc.IngestWatched(ctx, news.Page{Key: u, Origin: u, URL: u, Captured: when, Format: news.FormatHTML, Body: []byte(body)}); err != nil {
			t.Fatal(err)
		}
	}
	arch.Close()
	code, _, b := s.do(t, "GET", "/v1/articles/a1/versions", nil, nil)
	var hist client.ArticleHistory
	json.Unmarshal(b, &hist)
	if code != 200 || len(hist.Versions) != 1 || len(hist.Captures) != 2 {
		t.Fatalf("versions: %d %s", code, b)
	}
	ch := hist.Versions[0].Changes
	if len(ch) != 1 || ch[0].Quantity != "killed people" || *ch[0].Old != "300 people" || *ch[0].New != "600 people" || ch[0].At != "2025-07-08T14:00:00Z" {
		t.Errorf("changes: %s", b)
	}
	code, hdr, b := s.do(t, "GET", hist.Captures[0].Href, nil, nil)
	if code != 200 || !strings.Contains(string(b), "300 people") || !strings.HasPrefix(hdr.Get("Content-Type"), "text/html") ||
		!strings.HasPrefix(hdr.Get("Content-Security-Policy"), "sandbox") || hdr.Get("X-Dossier-Captured") != "2025-07-08T09:00:00Z" {
		t.Errorf("capture 0: %d %v %s", code, hdr, b)
	}
	if code, _, b := s.do(t, "GET", "/v1/articles/a1/capture", nil, nil); code != 200 || !strings.Contains(string(b), "600 people") {
		t.Errorf("latest capture: %d %s", code, b)
	}
	for path, want := range map[string]int{"/v1/articles/a1/capture?n=5": 404, "/v1/articles/a1/capture?n=x": 400, "/v1/articles/a9/capture": 404, "/v1/articles/a9/versions": 404} {
		if code, _, _ := s.do(t, "GET", path, nil, nil); code != want {
			t.Errorf("GET %s: %d, want %d", path, code, want)
		}
	}
	files, _ := filepath.Glob(filepath.Join(s.svc.ArchiveDir(), "*.warc.gz"))
	for _, f := range files {
		os.Remove(f)
	}
	if code, _, b := s.do(t, "GET", "/v1/articles/a1/capture?n=0", nil, nil); code != 410 {
		t.Errorf("a pruned capture: %d %s", code, b)
	}
}
