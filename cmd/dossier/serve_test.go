package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"dossier/internal/client"
)

// buildDossier builds the binary into a temporary directory.
func buildDossier(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "dossier")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// syncBuffer is a bytes.Buffer safe for a process writing and a test reading.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// serveProc is a `dossier serve` subprocess.
type serveProc struct {
	cmd       *exec.Cmd
	url       string
	token     string // printed on first start, else ""
	stdout    []string
	stderr    *syncBuffer
	done      chan error
	waitOnce  sync.Once
	exitError error
}

var listening = regexp.MustCompile(`listening on (http://\S+)`)
var tokenLine = regexp.MustCompile(`^token \(generated.*\): (\S+)$`)

// startServe runs `dossier serve` on data, on a free loopback port, with
// the extra flags, and waits until it listens.
func startServe(t *testing.T, bin, data string, extra ...string) *serveProc {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"serve", "-q", "-data", data, "-addr", "127.0.0.1:0", "-rate", "0"}, extra...)...)
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "DOSSIER_TOKEN=") && !strings.HasPrefix(kv, "DOSSIER_DATA=") {
			env = append(env, kv)
		}
	}
	cmd.Env = env
	p := &serveProc{cmd: cmd, stderr: &syncBuffer{}, done: make(chan error, 1)}
	cmd.Stderr = p.stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 16)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		p.done <- cmd.Wait()
	}()
	t.Cleanup(func() { cmd.Process.Kill(); p.wait() })
	deadline := time.After(60 * time.Second)
	for p.url == "" {
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatalf("serve exited before listening: %v\n%s", p.wait(), p.stderr)
			}
			p.stdout = append(p.stdout, line)
			if m := listening.FindStringSubmatch(line); m != nil {
				p.url = m[1]
			}
		case <-deadline:
			t.Fatalf("serve did not listen within a minute:\n%s", p.stderr)
		}
	}
	// The token line, if any, follows at once.
	select {
	case line, ok := <-lines:
		if ok {
			p.stdout = append(p.stdout, line)
			if m := tokenLine.FindStringSubmatch(line); m != nil {
				p.token = m[1]
			}
		}
	case <-time.After(500 * time.Millisecond):
	}
	go func() {
		for range lines {
		}
	}()
	return p
}

func (p *serveProc) wait() error {
	p.waitOnce.Do(func() { p.exitError = <-p.done })
	return p.exitError
}

// stats runs `dossier stats` (a reader) and returns the pages stored.
func storedPages(t *testing.T, data string) int {
	t.Helper()
	out, errs, code := dossier(t, "stats", "-data", data)
	if code != 0 {
		t.Fatalf("stats while serving: exit %d: %s", code, errs)
	}
	m := regexp.MustCompile(`(?m)^pages: (\d+)$`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("stats: %s", out)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// TestServeOneWriter runs `dossier serve` and a second writer on one data
// directory: the second is refused with the server's PID and URL, the
// same input sent with -server is stored, readers go on, and a SIGTERM
// during an ingest lets it finish and keeps everything it stored.
func TestServeOneWriter(t *testing.T) {
	bin := buildDossier(t)
	data, dir := t.TempDir(), t.TempDir()
	page := filepath.Join(dir, "harbour.txt")
	os.WriteFile(page, []byte("Harbour works begin\n\nWork on the new harbour began on Monday after years of delays, the city council said in a statement on Tuesday. The work will take three years and cost 40 million euros.\n"), 0o644)

	srv := startServe(t, bin, data)
	if srv.token == "" {
		t.Fatalf("first start printed no token:\n%s", strings.Join(srv.stdout, "\n"))
	}
	fi, err := os.Stat(filepath.Join(data, tokenFile))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("token file: %v, mode %v; want 0600", err, fi.Mode())
	}
	if tok, _ := readToken(data); tok != srv.token {
		t.Errorf("token file holds %q, printed %q", tok, srv.token)
	}

	// A second writer is refused, told who holds the directory and where
	// to send its inputs.
	out, errs, code := dossier(t, "add", "-q", "-data", data, page)
	for _, want := range []string{"dossier serve", fmt.Sprintf("PID %d", srv.cmd.Process.Pid), "-server " + srv.url} {
		if code != 1 || !strings.Contains(errs, want) {
			t.Errorf("second writer: exit %d, output %q; want exit 1 and %q", code, out+errs, want)
		}
	}
	// Sent to the server, the same input is stored (the token is read
	// from the data directory).
	out, errs, code = dossier(t, "add", "-q", "-data", data, "-server", srv.url, "-captured", "2025-03-04", page)
	if code != 0 || !strings.Contains(out, "read 1 page(s)") || !strings.Contains(out, "1 new article(s)") || !strings.Contains(out, "languages: en 1") {
		t.Fatalf("add -server: exit %d\n%s%s", code, out, errs)
	}
	// A wrong token is refused clearly.
	_, errs, code = dossier(t, "add", "-q", "-server", srv.url, "-token", "wrong", page)
	if code != 1 || !strings.Contains(errs, "refused the token") {
		t.Errorf("add -server with a wrong token: exit %d: %s", code, errs)
	}
	// Readers keep working while the server writes.
	if n := storedPages(t, data); n != 1 {
		t.Errorf("stats while serving: %d pages, want 1", n)
	}
	// The same server answers the web UI beside the API.
	resp, err := http.Get(srv.url + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Type"), "text/html") ||
		!strings.Contains(resp.Header.Get("Content-Security-Policy"), "default-src") || !strings.Contains(string(body), "Harbour works begin") {
		t.Errorf("web UI at /: %d %s, body %.200s", resp.StatusCode, resp.Header, body)
	}
	c := client.New(srv.url, client.WithToken(srv.token))
	ctx := context.Background()
	a, err := c.Article(ctx, "a1")
	if err != nil || a.Sources[0].File == nil || *a.Sources[0].File != "harbour.txt" || *a.Sources[0].Captured != "2025-03-04T00:00:00Z" {
		t.Fatalf("article a1: %+v %v", a, err)
	}

	// SIGTERM during an ingest: the ingest finishes and answers, the
	// server exits 0, and every page is stored. More pages than one batch
	// commits (256), so that some are stored before the signal.
	var pages []client.Page
	for i := 0; i < 600; i++ {
		pages = append(pages, client.Page{Name: fmt.Sprintf("report-%03d.txt", i), Format: "text", Captured: "2025-02-01",
			Body: fmt.Sprintf("Council report %d on district %d\n\nThe council published report number %d on district %d on Monday, "+
				"describing %d new houses, %d repaired streets and a plan for market hall %d. Residents have until March to comment, officials said.\n",
				i, i%13, i, i%13, i*7+3, i*3+1, i)})
	}
	type result struct {
		sum client.IngestSummary
		err error
	}
	done := make(chan result, 1)
	go func() {
		sum, err := c.Ingest(ctx, client.IngestRequest{Pages: pages})
		done <- result{sum, err}
	}()
	var atSignal int
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(20 * time.Millisecond) {
		if atSignal = storedPages(t, data); atSignal > 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the ingest stored nothing within a minute")
		}
	}
	if err := srv.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if atSignal-1 >= len(pages) {
		t.Fatalf("the ingest had finished (%d pages) before the signal: the test did not test shutdown during an ingest", atSignal-1)
	}
	t.Logf("SIGTERM with %d of %d pages of the ingest stored", atSignal-1, len(pages))
	r := <-done
	if r.err != nil || r.sum.Pages != len(pages) || len(r.sum.Failures) != 0 || r.sum.Articles == 0 {
		t.Errorf("ingest in flight at SIGTERM (%d of %d pages stored then): %+v %v", atSignal-1, len(pages), r.sum, r.err)
	}
	if err := srv.wait(); err != nil {
		t.Errorf("serve exit after SIGTERM: %v\n%s", err, srv.stderr)
	}
	if !strings.Contains(srv.stderr.String(), "stopped") {
		t.Errorf("serve stderr:\n%s", srv.stderr)
	}
	if n := storedPages(t, data); n != 1+len(pages) {
		t.Errorf("after shutdown %d pages stored, want %d", n, 1+len(pages))
	}

	// Started again, the server keeps its token and prints it no more; the
	// lock was released, so a local writer works once it stops.
	again := startServe(t, bin, data)
	if again.token != "" {
		t.Errorf("second start printed a token again")
	}
	c2 := client.New(again.url, client.WithToken(srv.token))
	if _, err := c2.Ingest(ctx, client.IngestRequest{Pages: pages[:1]}); err != nil {
		t.Errorf("kept token refused: %v", err)
	}
	again.cmd.Process.Signal(syscall.SIGTERM)
	if err := again.wait(); err != nil {
		t.Errorf("second serve exit: %v\n%s", err, again.stderr)
	}
	if _, errs, code := dossier(t, "add", "-q", "-data", data, page); code != 0 {
		t.Errorf("local add after the server stopped: exit %d: %s", code, errs)
	}
}
