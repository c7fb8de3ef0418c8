package main

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Start-up budget: what every process pays before main runs, measured with
// GODEBUG=inittrace=1 (see the README's "Start-up and size"). Allocation
// does not depend on the machine's load, so it is held tightly; wall time
// does, so it is logged, not asserted.
const (
	maxInitAlloc = 10_000_000
	// maxBinary is the goal, 60 MB: the binary is 43.5 MB since
	// dossier's own language detector replaced lingua-go (171.7 MB with
	// lingua's 75 embedded models).
	maxBinary = 60_000_000
)

// initTrace is what one process's package initialisers cost.
type initTrace struct {
	bytes, allocs int64
	clock         time.Duration
	top           []string // the costliest packages by bytes
}

// parseInitTrace reads GODEBUG=inittrace=1 lines:
// "init PKG @0.5 ms, 1.2 ms clock, 1024 bytes, 7 allocs".
func parseInitTrace(t *testing.T, stderr []byte) initTrace {
	t.Helper()
	var tr initTrace
	type pkg struct {
		name  string
		bytes int64
	}
	var pkgs []pkg
	sc := bufio.NewScanner(bytes.NewReader(stderr))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) != 11 || f[0] != "init" || f[8] != "bytes," {
			continue
		}
		ms, err1 := strconv.ParseFloat(f[4], 64)
		b, err2 := strconv.ParseInt(f[7], 10, 64)
		n, err3 := strconv.ParseInt(f[9], 10, 64)
		if err1 != nil || err2 != nil || err3 != nil {
			t.Fatalf("unreadable inittrace line %q", sc.Text())
		}
		tr.clock += time.Duration(ms * float64(time.Millisecond))
		tr.bytes += b
		tr.allocs += n
		pkgs = append(pkgs, pkg{f[1], b})
	}
	if len(pkgs) < 10 {
		t.Fatalf("inittrace listed %d packages; stderr:\n%s", len(pkgs), stderr)
	}
	slices.SortFunc(pkgs, func(a, b pkg) int { return int(b.bytes - a.bytes) })
	for _, p := range pkgs[:5] {
		tr.top = append(tr.top, p.name+" "+strconv.FormatInt(p.bytes/1000, 10)+" kB")
	}
	return tr
}

// TestStartup builds the binary and runs `help` and `stats` as a user
// does: each must allocate less than maxInitAlloc in its package
// initialisers (go-dateparser's alone allocated 95 MB), and the binary must
// stay under maxBinary.
func TestStartup(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "dossier")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	st, err := os.Stat(bin)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("binary: %.1f MB", float64(st.Size())/1e6)
	if st.Size() > maxBinary {
		t.Errorf("binary is %.1f MB, want at most %.1f MB", float64(st.Size())/1e6, float64(maxBinary)/1e6)
	}

	data := filepath.Join(dir, "data")
	page := filepath.Join(dir, "page.txt")
	text := "Council approves the new bridge\n\nThe city council voted on Tuesday to build a bridge over the river, " +
		"a project the mayor said would cost 40 million euros and take three years.\n"
	if err := os.WriteFile(page, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(bin, "add", "-q", "-data", data, page).CombinedOutput(); err != nil {
		t.Fatalf("add: %v\n%s", err, out)
	}

	for _, args := range [][]string{{"help"}, {"stats", "-data", data}} {
		var walls []time.Duration
		var tr initTrace
		for range 5 {
			cmd := exec.Command(bin, args...)
			cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			start := time.Now()
			if err := cmd.Run(); err != nil {
				t.Fatalf("%s: %v\n%s", args[0], err, stderr.Bytes())
			}
			walls = append(walls, time.Since(start))
			tr = parseInitTrace(t, stderr.Bytes())
			if stdout.Len() == 0 {
				t.Fatalf("%s printed nothing", args[0])
			}
		}
		slices.Sort(walls)
		t.Logf("%s: init %.2f MB in %d allocs, %v clock; wall median %v (min %v); costliest: %s",
			args[0], float64(tr.bytes)/1e6, tr.allocs, tr.clock.Round(time.Millisecond/10),
			walls[len(walls)/2].Round(time.Millisecond/10), walls[0].Round(time.Millisecond/10), strings.Join(tr.top, ", "))
		if tr.bytes > maxInitAlloc {
			t.Errorf("%s: package initialisers allocate %.1f MB, want under %.0f MB (costliest: %s)",
				args[0], float64(tr.bytes)/1e6, float64(maxInitAlloc)/1e6, strings.Join(tr.top, ", "))
		}
	}
}
