package main

import (
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

const page = `<html><head><title>Harbour works begin</title></head><body><article><h1>Harbour works begin</h1>
<p>Work on the new harbour began on Monday after years of delays, the city council said in a statement, adding that the first phase would take eighteen months.</p>
<p>About 300 workers are employed on the site, according to the contractor.</p></article></body></html>`

func writePage(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "harbour.html")
	if err := os.WriteFile(p, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestFlagsAfterInputs checks that a flag after the inputs is a flag, so
// the command acts on the directory it names, never on another one.
func TestFlagsAfterInputs(t *testing.T) {
	in := writePage(t)
	data := t.TempDir()
	elsewhere := filepath.Join(t.TempDir(), "default")
	t.Setenv("DOSSIER_DATA", elsewhere)
	out, errs, code := dossier(t, "add", in, "-q", "-data", data, "-captured", "2025-03-04")
	if code != 0 {
		t.Fatalf("add: exit %d\n%s%s", code, out, errs)
	}
	if !strings.Contains(out, "1 new article(s)") {
		t.Errorf("add output: %s", out)
	}
	if _, err := os.Stat(elsewhere); err == nil {
		t.Errorf("add wrote to the default data directory %s", elsewhere)
	}
	if out, _, code := dossier(t, "stats", "-data", data); code != 0 || !strings.Contains(out, "articles: 1") {
		t.Errorf("stats of the named directory: exit %d: %s", code, out)
	}
	// After "--", everything is an input.
	if _, errs, code := dossier(t, "add", "-q", "-data", data, "--", "-data"); code != 1 || !strings.Contains(errs, "input(s) failed") {
		t.Errorf(`"-data" after "--" is not taken as an input: exit %d: %s`, code, errs)
	}
}

// TestReadersDoNotCreateStores checks that a mistyped data directory is
// reported, not created, by the commands that only read.
func TestReadersDoNotCreateStores(t *testing.T) {
	typo := filepath.Join(t.TempDir(), "typo")
	for _, cmd := range []string{"stats", "export", "errors"} {
		_, errs, code := dossier(t, cmd, "-data", typo)
		if code != 1 || !strings.Contains(errs, "no store at") {
			t.Errorf("%s on a missing directory: exit %d: %s", cmd, code, errs)
		}
		if _, err := os.Stat(typo); err == nil {
			t.Fatalf("%s created %s", cmd, typo)
		}
	}
}

// TestSecondWriterRefused runs two writers on one data directory at once
// (a writer in this process holds the directory while another add runs):
// the second is refused with the holder's PID, and the first finishes its
// work.
func TestSecondWriterRefused(t *testing.T) {
	data := t.TempDir()
	cfg := newConfig(os.Stdout, os.Stderr, os.Getenv)
	cfg.Pipeline.DataDir = data
	holder, err := openWriter(t.Context(), cfg, "serve")
	if err != nil {
		t.Fatal(err)
	}
	if err := holder.Advertise("serve", "http://127.0.0.1:8931"); err != nil {
		t.Fatal(err)
	}
	_, errs, code := dossier(t, "add", "-q", "-data", data, writePage(t))
	if code != 1 || !strings.Contains(errs, "in use by dossier serve, PID") || !strings.Contains(errs, "-server http://127.0.0.1:8931") {
		t.Errorf("second writer: exit %d: %s", code, errs)
	}
	if _, errs, code := dossier(t, "stats", "-data", data); code != 0 {
		t.Errorf("a reader is refused while a writer runs: %s", errs)
	}
	holder.Close()
	if out, errs, code := dossier(t, "add", "-q", "-data", data, writePage(t)); code != 0 || !strings.Contains(out, "1 new article(s)") {
		t.Errorf("after the holder closed: exit %d: %s%s", code, out, errs)
	}
}

// TestReadOnlyDataDir checks that a store in a directory the reader may not
// write (a read-only mount, an archive owned by someone else) can still be
// read: stats and export work, and a writer is refused with the directory
// named. As root, permissions do not bind, so the commands run as nobody.
func TestReadOnlyDataDir(t *testing.T) {
	root, err := os.MkdirTemp("", "dossier-ro-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err == nil && d.IsDir() {
				os.Chmod(p, 0o755)
			}
			return nil
		})
		os.RemoveAll(root)
	})
	data := filepath.Join(root, "data")
	input := filepath.Join(root, "page.txt")
	text := "Flood waters rise in the valley\n\nHeavy rain flooded the river valley on Monday, and rescue teams evacuated 300 residents, officials said.\n"
	if err := os.WriteFile(input, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, errs, code := dossier(t, "add", "-q", "-data", data, "-captured", "2025-07-08", input); code != 0 {
		t.Fatalf("add: exit %d: %s%s", code, out, errs)
	}
	bin := filepath.Join(root, "dossier")
	b, err := os.ReadFile(buildDossier(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, b, 0o755); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if err := os.Chmod(filepath.Join(data, e.Name()), 0o444); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range []string{data, root} {
		if err := os.Chmod(p, 0o555); err != nil {
			t.Fatal(err)
		}
	}
	run := func(args ...string) (string, int) {
		cmd := exec.Command(bin, args...)
		if os.Geteuid() == 0 {
			cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
		}
		out, err := cmd.CombinedOutput()
		code := 0
		if ee := (*exec.ExitError)(nil); errors.As(err, &ee) {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return string(out), code
	}
	if out, code := run("stats", "-data", data); code != 0 || !strings.Contains(out, "articles: 1") {
		t.Errorf("stats on a read-only directory: exit %d: %s", code, out)
	}
	if out, code := run("export", "-data", data, "-format", "markdown"); code != 0 || !strings.Contains(out, "1 article(s)") {
		t.Errorf("export on a read-only directory: exit %d: %s", code, out)
	}
	if out, code := run("add", "-data", data, input); code == 0 || !strings.Contains(out, data) {
		t.Errorf("add on a read-only directory: exit %d (want a refusal naming %s): %s", code, data, out)
	}
}
