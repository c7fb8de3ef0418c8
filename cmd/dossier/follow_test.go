package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"dossier/internal/pipeline"
	"dossier/internal/warc"
)

func TestFollowUnfollowFollowing(t *testing.T) {
	data := t.TempDir()
	if _, errs, code := dossier(t, "follow", "-data", data, "ftp://example.org/feed"); code != 1 || !strings.Contains(errs, "not an http(s) URL") {
		t.Errorf("follow ftp: exit %d: %s", code, errs)
	}
	if _, errs, code := dossier(t, "follow", "-data", data); code != 2 || !strings.Contains(errs, "give a URL") {
		t.Errorf("follow without a URL: exit %d: %s", code, errs)
	}
	out, errs, code := dossier(t, "follow", "-data", data, "https://wire.example/rss", "https://gov.example/news", "-kind", "page")
	if code != 0 || strings.Count(out, "\tfollowing") != 2 {
		t.Fatalf("follow: exit %d: %s%s", code, out, errs)
	}
	if out, _, _ := dossier(t, "follow", "-data", data, "https://wire.example/rss"); !strings.Contains(out, "followed already") {
		t.Errorf("following again: %s", out)
	}
	out, _, code = dossier(t, "following", "-data", data)
	if code != 0 || !strings.Contains(out, "https://wire.example/rss") || !strings.Contains(out, "NEXT CHECK") || !strings.Contains(out, "page") {
		t.Errorf("following: exit %d: %s", code, out)
	}
	opml, _, code := dossier(t, "following", "-data", data, "-opml")
	if code != 0 || !strings.Contains(opml, `<opml version="2.0"`) || !strings.Contains(opml, `url="https://gov.example/news"`) {
		t.Fatalf("following -opml: exit %d: %s", code, opml)
	}
	// The list imports elsewhere as it was.
	file := filepath.Join(t.TempDir(), "subs.opml")
	os.WriteFile(file, []byte(opml), 0o644)
	other := t.TempDir()
	if out, errs, code := dossier(t, "follow", "-data", other, "-opml", file); code != 0 || !strings.Contains(out, "following 2 new source(s)") {
		t.Fatalf("follow -opml: exit %d: %s%s", code, out, errs)
	}
	if again, _, _ := dossier(t, "following", "-data", other, "-opml"); stripDate(again) != stripDate(opml) {
		t.Errorf("an imported list exports differently:\n%s\n%s", again, opml)
	}
	if out, _, code := dossier(t, "unfollow", "-data", data, "1", "https://gov.example/news"); code != 0 || strings.Count(out, "no longer followed") != 2 {
		t.Errorf("unfollow: exit %d: %s", code, out)
	}
	if _, errs, code := dossier(t, "unfollow", "-data", data, "1"); code != 1 || !strings.Contains(errs, "not followed") {
		t.Errorf("unfollow twice: exit %d: %s", code, errs)
	}
	if out, _, _ := dossier(t, "following", "-data", data); !strings.Contains(out, "no sources followed") {
		t.Errorf("following after unfollowing all: %s", out)
	}
}

func stripDate(opml string) string {
	i, j := strings.Index(opml, "<dateCreated>"), strings.Index(opml, "</dateCreated>")
	if i < 0 || j < i {
		return opml
	}
	return opml[:i] + opml[j:]
}

// TestWatchCommand runs `dossier watch` against a local feed until its
// item is stored, stops it with the context, and exports the story's
// archive, which reads back as WARC.
func TestWatchCommand(t *testing.T) {
	var base string
	mux := http.NewServeMux()
	mux.HandleFunc("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, `<rss version="2.0"><channel><title>Local</title><item><title>Harbour</title><link>%s/a</link></item></channel></rss>`, base)
	})
	mux.HandleFunc("/a", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, page)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	base = srv.URL
	data := t.TempDir()
	if _, errs, code := dossier(t, "follow", "-data", data, srv.URL+"/feed.xml"); code != 0 {
		t.Fatal(errs)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errb bytes.Buffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"watch", "-q", "-data", data, "-allow-private", "-host-interval", "10ms"}, &out, &errb, os.Getenv)
	}()
	deadline := time.Now().Add(30 * time.Second)
	for {
		if o, _, _ := dossier(t, "stats", "-data", data); strings.Contains(o, "articles: 1") {
			break
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("no article stored in 30 s: %s", errb.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("watch: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("watch did not stop within 10 s")
	}
	if o, _, _ := dossier(t, "following", "-data", data); !strings.Contains(o, "feed") {
		t.Errorf("following after a check: %s", o)
	}
	svc, err := pipeline.OpenReader(context.Background(), pipeline.Config{DataDir: data})
	if err != nil {
		t.Fatal(err)
	}
	sp, err := svc.Stories(context.Background(), pipeline.StoryFilter{})
	svc.Close()
	if err != nil || len(sp.Stories) != 1 {
		t.Fatalf("stories: %+v, %v", sp, err)
	}
	file := filepath.Join(t.TempDir(), "story.warc.gz")
	if _, errs, code := dossier(t, "export", "-data", data, "-format", "warc", "-story", fmt.Sprint(sp.Stories[0].ID), "-o", file); code != 0 || !strings.Contains(errs, "1 archived response") {
		t.Fatalf("export -format warc: exit %d: %s", code, errs)
	}
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := warc.NewReader(f, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := r.Next()
	if err != nil || rec.Type != "response" || rec.TargetURI != srv.URL+"/a" {
		t.Fatalf("the story's archive: %+v, %v", rec, err)
	}
	if resp, err := rec.HTTP(1 << 20); err != nil || string(resp.Body) != page {
		t.Errorf("the archived page: %v", err)
	}
	if _, err := r.Next(); !errors.Is(err, io.EOF) {
		t.Errorf("more than the story's page in its archive: %v", err)
	}
	if _, errs, code := dossier(t, "export", "-data", data, "-format", "warc"); code != 2 || !strings.Contains(errs, "-story") {
		t.Errorf("export -format warc without -story: exit %d: %s", code, errs)
	}
}

// TestFollowThroughServer: while `dossier serve` holds the data directory,
// `dossier follow` asks it to follow, with the token kept there.
func TestFollowThroughServer(t *testing.T) {
	data := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out syncBuffer
	var errb bytes.Buffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "-q", "-data", data, "-addr", "127.0.0.1:0", "-no-watch"}, &out, &errb, func(k string) string {
			if k == "DOSSIER_TOKEN" || k == "DOSSIER_DATA" || k == "DOSSIER_DB" {
				return ""
			}
			return os.Getenv(k)
		})
	}()
	deadline := time.Now().Add(60 * time.Second)
	for !strings.Contains(out.String(), "listening on") {
		if time.Now().After(deadline) {
			t.Fatalf("serve did not start: %s", errb.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	o, errs, code := dossier(t, "follow", "-data", data, "https://wire.example/rss")
	if code != 0 || !strings.Contains(o, "through dossier serve") {
		t.Fatalf("follow while serving: exit %d: %s%s", code, o, errs)
	}
	if o, _, _ := dossier(t, "following", "-data", data); !strings.Contains(o, "https://wire.example/rss") {
		t.Errorf("following: %s", o)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop")
	}
}
