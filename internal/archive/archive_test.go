package archive

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"dossier/internal/warc"
)

func TestWriteReadsBack(t *testing.T) {
	dir := t.TempDir()
	w, err := Open(Config{Dir: dir, MaxFileSize: 600})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2025, 7, 8, 14, 5, 0, 123456000, time.UTC)
	var locs []Location
	for i := 0; i < 5; i++ {
		body := []byte(strings.Repeat("<p>Six hundred were killed.</p>", i+1))
		loc, err := w.Write(Exchange{
			URL: "https://news.example/a?x=1", RequestHeader: http.Header{"User-Agent": {"dossier-test"}},
			Proto: "HTTP/1.1", Status: "200 OK", Captured: at.Add(time.Duration(i) * time.Minute),
			ResponseHeader: http.Header{"Content-Type": {"text/html; charset=utf-8"}, "Content-Encoding": {"gzip"}, "Etag": {`"v1"`}},
			Body:           body,
		})
		if err != nil {
			t.Fatal(err)
		}
		locs = append(locs, loc)
		rec, err := Read(dir, loc, 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		if rec.Type != "response" || rec.TargetURI != "https://news.example/a?x=1" || !rec.Date.Equal(at.Add(time.Duration(i)*time.Minute).Truncate(time.Second)) && !rec.Date.Equal(at.Add(time.Duration(i)*time.Minute)) {
			t.Errorf("record %d: %s %s %v", i, rec.Type, rec.TargetURI, rec.Date)
		}
		if !strings.HasPrefix(rec.Header.Get("WARC-Payload-Digest"), "sha256:") || rec.Header.Get("WARC-Payload-Digest") != loc.Digest {
			t.Errorf("payload digest %q, location says %q", rec.Header.Get("WARC-Payload-Digest"), loc.Digest)
		}
		resp, err := rec.HTTP(1 << 20)
		if err != nil {
			t.Fatal(err)
		}
		if resp.Status != 200 || !bytes.Equal(resp.Body, body) || resp.ContentType != "text/html; charset=utf-8" {
			t.Errorf("record %d reads back as %d %q %q", i, resp.Status, resp.ContentType, resp.Body)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.warc.gz"))
	if len(files) < 2 {
		t.Errorf("%d files: no rotation at 600 bytes", len(files))
	}
	// Every file reads whole with the ingest's reader: warcinfo, then
	// response and request pairs.
	var types []string
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		r, err := warc.NewReader(fh, 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		for {
			rec, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			types = append(types, rec.Type)
		}
		fh.Close()
	}
	counts := map[string]int{}
	for _, ty := range types {
		counts[ty]++
	}
	if counts["response"] != 5 || counts["request"] != 5 || counts["warcinfo"] != len(files) {
		t.Errorf("records: %v", counts)
	}
	// A story's archive is its records copied as they are.
	var story bytes.Buffer
	for _, l := range locs[:2] {
		if err := CopyRecord(&story, dir, l); err != nil {
			t.Fatal(err)
		}
	}
	r, _ := warc.NewReader(bytes.NewReader(story.Bytes()), 1<<20)
	for i := 0; i < 2; i++ {
		if rec, err := r.Next(); err != nil || rec.Type != "response" {
			t.Fatalf("copied record %d: %v", i, err)
		}
	}
	if _, err := r.Next(); err != io.EOF {
		t.Errorf("after the copied records: %v", err)
	}
	if _, err := Read(dir, Location{File: "../etc/passwd.warc.gz"}, 10); err == nil {
		t.Error("a path outside the archive was read")
	}
}

func TestPrune(t *testing.T) {
	dir := t.TempDir()
	w, _ := Open(Config{Dir: dir, MaxFileSize: 1})
	now := time.Now()
	var locs []Location
	for i := 0; i < 3; i++ {
		loc, err := w.Write(Exchange{URL: "https://a.example/", Body: []byte("x"), Captured: now})
		if err != nil {
			t.Fatal(err)
		}
		locs = append(locs, loc)
	}
	old := now.Add(-48 * time.Hour)
	os.Chtimes(filepath.Join(dir, locs[0].File), old, old)
	gone, err := w.Prune(now.Add(-24 * time.Hour))
	if err != nil || len(gone) != 1 || gone[0] != locs[0].File {
		t.Fatalf("Prune: %v, %v", gone, err)
	}
	if _, err := Read(dir, locs[0], 10); !errors.Is(err, ErrGone) {
		t.Errorf("a pruned capture: %v", err)
	}
	if _, err := Read(dir, locs[2], 10); err != nil {
		t.Errorf("a kept capture: %v", err)
	}
}
