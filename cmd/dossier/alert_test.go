package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAlertCommands follows a figure from the CLI, ingests a count and its
// revision, and reads the alerts.
func TestAlertCommands(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	count := write("count.txt", "Spy agency counts North Korean soldiers killed\nAbout 300 North Korean soldiers have been killed fighting for Russia in the Kursk region, South Korea's spy agency said on Monday.\n")
	revision := write("revision.txt", "North Korean soldiers killed now put at 600\nAbout 600 North Korean soldiers have been killed fighting for Russia in the Kursk region, South Korea's spy agency said on Thursday, revising its count.\n")

	if _, errOut, code := dossier(t, "alert", "add", "-data", data); code != 2 || !strings.Contains(errOut, "exactly one") {
		t.Errorf("alert add with nothing to follow: %d %s", code, errOut)
	}
	out, errOut, code := dossier(t, "alert", "add", "-figure", "North Korean soldiers killed", "-webhook", "https://hooks.example/x", "-data", data)
	if code != 0 || !strings.Contains(out, "rule 1: figure \"North Korean soldiers killed\" → https://hooks.example/x") || !strings.Contains(out, "webhook secret") {
		t.Fatalf("alert add: %d %q %q", code, out, errOut)
	}
	if out, _, code := dossier(t, "alert", "list", "-data", data); code != 0 || !strings.HasPrefix(out, "1 ") {
		t.Errorf("alert list: %d %q", code, out)
	}
	for _, p := range []string{count, revision} {
		if _, errOut, code := dossier(t, "add", "-q", "-captured", "2025-02-20", "-data", data, p); code != 0 {
			t.Fatalf("add %s: %d %s", p, code, errOut)
		}
	}
	out, _, code = dossier(t, "alerts", "-data", data)
	if code != 0 || !strings.Contains(out, "changed_figure") || !strings.Contains(out, "before: about 300  after: about 600") ||
		!strings.Contains(out, "new_figure") || !strings.Contains(out, "“About 600 North Korean soldiers") {
		t.Errorf("alerts: %d\n%s", code, out)
	}
	if out, _, code := dossier(t, "alert", "rm", "1", "-data", data); code != 0 || !strings.Contains(out, "rule 1 deleted") {
		t.Errorf("alert rm: %d %q", code, out)
	}
	if _, errOut, code := dossier(t, "alert", "rm", "1", "-data", data); code != 1 || !strings.Contains(errOut, "no rule 1") {
		t.Errorf("second rm: %d %q", code, errOut)
	}
	if out, _, _ := dossier(t, "alerts", "-data", data); out != "" {
		t.Errorf("alerts of a deleted rule: %q", out)
	}
}
