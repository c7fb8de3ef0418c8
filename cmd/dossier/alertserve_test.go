package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"dossier/internal/notify"
)

// TestServeDeliversWebhooks runs `dossier serve`, adds a webhook rule and
// an input through it, and checks that the receiver gets the alert, signed
// with the secret the rule was created with, once: a restart of the server
// delivers it no more.
func TestServeDeliversWebhooks(t *testing.T) {
	bin := buildDossier(t)
	data, dir := t.TempDir(), t.TempDir()
	var mu sync.Mutex
	var got []string
	var secret string
	arrived := make(chan struct{}, 8)
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		if err := notify.Verify(secret, r.Header.Get(notify.HeaderTimestamp), r.Header.Get(notify.HeaderSignature), body, time.Now(), 5*time.Minute); err != nil {
			t.Errorf("delivery not verified: %v", err)
		}
		got = append(got, r.Header.Get(notify.HeaderAlert))
		arrived <- struct{}{}
	}))
	defer recv.Close()

	srv := startServe(t, bin, data, "-webhook-allow-private")
	out, errs, code := dossier(t, "alert", "add", "-data", data, "-server", srv.url, "-figure", "North Korean soldiers killed", "-webhook", recv.URL)
	m := regexp.MustCompile(`webhook secret .*: ([0-9a-f]{64})`).FindStringSubmatch(out)
	if code != 0 || m == nil {
		t.Fatalf("alert add -server: %d %s %s", code, out, errs)
	}
	mu.Lock()
	secret = m[1]
	mu.Unlock()
	page := filepath.Join(dir, "count.txt")
	os.WriteFile(page, []byte("Spy agency counts North Korean soldiers killed\nAbout 300 North Korean soldiers have been killed fighting for Russia in the Kursk region, South Korea's spy agency said on Monday.\n"), 0o644)
	start := time.Now()
	if _, errs, code := dossier(t, "add", "-q", "-data", data, "-server", srv.url, "-captured", "2025-01-14", page); code != 0 {
		t.Fatalf("add -server: %d %s", code, errs)
	}
	select {
	case <-arrived:
		t.Logf("add -server to webhook delivered: %v", time.Since(start))
	case <-time.After(60 * time.Second):
		t.Fatalf("no webhook delivery; serve said:\n%s", srv.stderr)
	}
	// Restart: nothing is delivered again.
	srv.cmd.Process.Signal(syscall.SIGTERM)
	if err := srv.wait(); err != nil {
		t.Fatalf("serve exit: %v\n%s", err, srv.stderr)
	}
	startServe(t, bin, data, "-webhook-allow-private")
	select {
	case <-arrived:
		t.Errorf("delivered again after a restart")
	case <-time.After(1500 * time.Millisecond):
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 1 || len(got[0]) != 32 || strings.Trim(got[0], "0123456789abcdef") != "" {
		t.Errorf("deliveries %q; want one, with the alert's id", got)
	}
}
