package main

import (
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"
)

// TestBackupAndRestore backs up a store while a writer holds it, restores
// the copy into a new data directory and checks it holds the same.
func TestBackupAndRestore(t *testing.T) {
	data := t.TempDir()
	if _, errs, code := dossier(t, "add", "-q", "-data", data, "-captured", "2025-03-04", writePage(t)); code != 0 {
		t.Fatal(errs)
	}
	cfg := newConfig(os.Stdout, os.Stderr, os.Getenv)
	cfg.Pipeline.DataDir = data
	holder, err := openWriter(t.Context(), cfg, "serve")
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	dest := filepath.Join(t.TempDir(), "copy.db")
	if out, errs, code := dossier(t, "backup", "-data", data, dest); code != 0 || !strings.Contains(out, "backed up") {
		t.Fatalf("backup: exit %d: %s%s", code, out, errs)
	}
	if _, errs, code := dossier(t, "backup", "-data", data, dest); code == 0 || !strings.Contains(errs, "exists") {
		t.Errorf("backup over an existing file: exit %d: %s", code, errs)
	}
	restored := t.TempDir()
	b, err := os.ReadFile(dest)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(restored, "dossier.db"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	orig, _, _ := dossier(t, "stats", "-data", data)
	copied, errs, code := dossier(t, "stats", "-data", restored)
	if code != 0 || strings.Replace(orig, data, "", 1) != strings.Replace(copied, restored, "", 1) {
		t.Errorf("restored store differs:\n%s\n%s%s", orig, copied, errs)
	}
	if out, errs, code := dossier(t, "check", "-data", restored); code != 0 || !strings.Contains(out, "check: ok") {
		t.Errorf("check of the restored store: exit %d: %s%s", code, out, errs)
	}
}

// TestCheckFindsOrphans removes an article's sources behind the store's
// back: check must say so and exit 1.
func TestCheckFindsOrphans(t *testing.T) {
	data := t.TempDir()
	if _, errs, code := dossier(t, "add", "-q", "-data", data, "-captured", "2025-03-04", writePage(t)); code != 0 {
		t.Fatal(errs)
	}
	db, err := sql.Open("sqlite", filepath.Join(data, "dossier.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`DELETE FROM article_sources`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	out, errs, code := dossier(t, "check", "-data", data)
	if code != 1 || !strings.Contains(out, "problem: 1 articles with no source") {
		t.Errorf("check: exit %d: %s%s", code, out, errs)
	}
}

// TestDamagedStore overwrites part of the database file, as a crash on a
// failing disk might: the next writer checks the file (its predecessor did
// not release the lock) and refuses it with a message naming the file and
// what to do, never a panic.
func TestDamagedStore(t *testing.T) {
	data := t.TempDir()
	if _, errs, code := dossier(t, "add", "-q", "-data", data, "-captured", "2025-03-04", writePage(t)); code != 0 {
		t.Fatal(errs)
	}
	path := filepath.Join(data, "dossier.db")
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	fi, _ := f.Stat()
	// Keep the header; damage every page after the first.
	junk := []byte(strings.Repeat("\xde\xad\xbe\xef", int(fi.Size()/4)))
	if _, err := f.WriteAt(junk[:fi.Size()-4096], 4096); err != nil {
		t.Fatal(err)
	}
	f.Close()
	os.Remove(path + "-wal")
	os.Remove(path + "-shm")
	// What a writer killed mid-write leaves: its record in the lock file.
	if err := os.WriteFile(filepath.Join(data, "lock"), []byte("pid=999999\ncommand=add\naddr=\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errs, code := dossier(t, "add", "-q", "-data", data, writePage(t))
	if code != 1 || !strings.Contains(errs, path) || !strings.Contains(errs, "backup") {
		t.Errorf("add on a damaged store: exit %d: %s", code, errs)
	}
}
