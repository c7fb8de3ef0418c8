package extract

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"flag"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	trafilatura "github.com/markusmobius/go-trafilatura"

	"dossier/internal/sharedtest"
)

var aebOut = flag.String("aeb-out", "", "also write the AEB predictions to this file")

type aebPage struct {
	key  string
	body []byte
}

func loadAEB(t testing.TB) []aebPage {
	t.Helper()
	files, err := filepath.Glob(sharedtest.Path(t, "bench", "extraction", "aeb", "html", "*.html.gz"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no AEB pages: %v", err)
	}
	var pages []aebPage
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		zr, err := gzip.NewReader(fh)
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(zr)
		fh.Close()
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, aebPage{strings.TrimSuffix(filepath.Base(f), ".html.gz"), b})
	}
	return pages
}

// TestAEB extracts every page of the Article Extraction Benchmark and holds
// the result, with the shared scorer, above 0.970 (rs_trafilatura, the best
// published figure; go-trafilatura alone scores 0.962 here).
func TestAEB(t *testing.T) {
	pages := loadAEB(t)
	pred := map[string]map[string]string{}
	for _, p := range pages {
		body := ""
		arts, err := Page(p.body, Input{Name: p.key, Format: "html"})
		if err != nil {
			t.Logf("%s: %v", p.key, err)
		} else {
			body = arts[0].Text
		}
		pred[p.key] = map[string]string{"articleBody": body}
	}
	out := filepath.Join(t.TempDir(), "pred.json")
	if *aebOut != "" {
		out = *aebOut
	}
	b, _ := json.Marshal(pred)
	if err := os.WriteFile(out, b, 0o644); err != nil {
		t.Fatal(err)
	}
	sharedtest.Score(t, "score_extraction.py", sharedtest.Path(t, "bench", "extraction", "aeb", "ground-truth.json"), out, "--min", "0.970")
}

// BenchmarkAEB measures extraction throughput on the AEB pages, on all
// CPUs, for dossier and, in the same run, for go-trafilatura called as its
// README shows. Report pages/s = 181 / (ns/op / 1e9).
func BenchmarkAEB(b *testing.B) {
	pages := loadAEB(b)
	var size int64
	for _, p := range pages {
		size += int64(len(p.body))
	}
	run := func(b *testing.B, fn func([]byte)) {
		b.SetBytes(size)
		b.ReportAllocs()
		for b.Loop() {
			work := make(chan []byte)
			var wg sync.WaitGroup
			for w := 0; w < runtime.GOMAXPROCS(0); w++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for p := range work {
						fn(p)
					}
				}()
			}
			for _, p := range pages {
				work <- p.body
			}
			close(work)
			wg.Wait()
		}
		b.ReportMetric(float64(len(pages))*float64(b.N)/b.Elapsed().Seconds(), "pages/s")
	}
	b.Run("dossier", func(b *testing.B) {
		run(b, func(p []byte) { Page(p, Input{Name: "aeb", Format: "html"}) })
	})
	b.Run("go-trafilatura", func(b *testing.B) {
		run(b, func(p []byte) { trafilatura.Extract(bytes.NewReader(p), trafilatura.Options{ExcludeComments: true}) })
	})
}

// BenchmarkAEBCPU measures the CPU time (user and system, all goroutines)
// one pass over the AEB pages costs dossier and go-trafilatura, one page at
// a time, alternating: on a shared machine CPU time is steadier than
// throughput. Reports ms of CPU a page for each and their ratio.
//
// go-trafilatura runs as its users build it: dossier's build replaces two
// of its dependencies (go.mod), which would speed it up here too, so it
// is built from bench/trafilatura, a module of its own, and runs as a
// process beside the benchmark, which hands it each page in turn.
func BenchmarkAEBCPU(b *testing.B) {
	pages := loadAEB(b)
	base := startBaseline(b)
	cpu := func() time.Duration {
		var ru syscall.Rusage
		_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	var d, g time.Duration
	for b.Loop() {
		for _, p := range pages {
			t0 := cpu()
			Page(p.body, Input{Name: "aeb", Format: "html"})
			d += cpu() - t0
			g += base(p.body)
		}
	}
	n := float64(b.N * len(pages))
	b.ReportMetric(float64(d.Microseconds())/1000/n, "dossier-cpu-ms/page")
	b.ReportMetric(float64(g.Microseconds())/1000/n, "trafilatura-cpu-ms/page")
	b.ReportMetric(float64(g)/float64(d), "ratio")
}

// startBaseline builds and starts bench/trafilatura, and returns a function
// that has it extract a page and returns the CPU time that took it.
func startBaseline(b *testing.B) func([]byte) time.Duration {
	b.Helper()
	exe := filepath.Join(b.TempDir(), "trafilatura")
	build := exec.Command("go", "build", "-o", exe, ".")
	build.Dir = filepath.Join("..", "..", "bench", "trafilatura")
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("building bench/trafilatura: %v\n%s", err, out)
	}
	cmd := exec.Command(exe)
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	outPipe, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		in.Close()
		cmd.Wait()
	})
	out := bufio.NewScanner(outPipe)
	if !out.Scan() || out.Text() != "ready" {
		b.Fatalf("bench/trafilatura did not start: %q %v", out.Text(), out.Err())
	}
	return func(page []byte) time.Duration {
		var n [4]byte
		binary.BigEndian.PutUint32(n[:], uint32(len(page)))
		if _, err := in.Write(append(n[:], page...)); err != nil {
			b.Fatal(err)
		}
		if !out.Scan() {
			b.Fatalf("bench/trafilatura: %v", out.Err())
		}
		ns, err := strconv.ParseInt(out.Text(), 10, 64)
		if err != nil {
			b.Fatal(err)
		}
		return time.Duration(ns)
	}
}

// TestBaselineVersion: the go-trafilatura that BenchmarkAEBCPU compares
// dossier with (bench/trafilatura, a module of its own) is built from the
// versions dossier builds on, go-trafilatura's and every other module both
// go.mod files name (x/net's parser, cascadia, …); only the replacements
// differ.
func TestBaselineVersion(t *testing.T) {
	requires := func(path string) map[string]string {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		block := false
		for _, l := range strings.Split(string(b), "\n") {
			l = strings.TrimSpace(l)
			switch {
			case l == "require (":
				block = true
				continue
			case l == ")":
				block = false
				continue
			case strings.HasPrefix(l, "require "):
				l = strings.TrimPrefix(l, "require ")
			case !block:
				continue
			}
			if f := strings.Fields(l); len(f) >= 2 {
				out[f[0]] = f[1]
			}
		}
		return out
	}
	ours, base := requires(filepath.Join("..", "..", "go.mod")), requires(filepath.Join("..", "..", "bench", "trafilatura", "go.mod"))
	if base["github.com/markusmobius/go-trafilatura"] == "" {
		t.Fatal("bench/trafilatura requires no go-trafilatura")
	}
	for mod, v := range base {
		if w, ok := ours[mod]; ok && w != v {
			t.Errorf("%s: dossier builds on %s, bench/trafilatura on %s", mod, w, v)
		}
	}
}
