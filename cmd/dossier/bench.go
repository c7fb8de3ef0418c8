package main

import (
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"dossier/internal/extract"
	"dossier/internal/pipeline"
)

// cmdBench measures extraction throughput on a directory of pages (.html,
// .txt, gzipped or not) and then ingest into a fresh SQLite store.
func cmdBench(ctx context.Context, cfg *Config, args []string) error {
	stdout, stderr := cfg.Stdout, cfg.Stderr
	fs := flags("bench", cfg)
	rounds := fs.Int("rounds", 3, "extraction passes over the corpus")
	workers := fs.Int("workers", runtime.GOMAXPROCS(0), "parallel extractors")
	skipIngest := fs.Bool("no-ingest", false, "measure extraction only")
	scale := fs.String("scale", "", "instead: ingest this JSON Lines corpus into the store (-data or -db) in -parts equal parts and print the cost of each part")
	parts := fs.Int("parts", 10, "with -scale: how many parts")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: dossier bench [flags] DIR\n       dossier bench -scale CORPUS.jsonl [-parts N] [-workers N] [-data DIR | -db URL]\n\n")
		fs.PrintDefaults()
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	if *scale != "" {
		w := 0
		if flagSet(fs, "workers") {
			w = *workers
		}
		return benchScale(ctx, cfg, *scale, *parts, w)
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return &exitError{code: 2, msg: "bench: give one corpus directory"}
	}
	dir := fs.Arg(0)
	pages, size, err := loadCorpus(dir)
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	if len(pages) == 0 {
		return fmt.Errorf("bench: no .html or .txt pages under %s", dir)
	}
	fmt.Fprintf(stdout, "corpus: %d pages, %.1f MB, average %.0f KB; %d workers, GOMAXPROCS %d, %s/%s\n",
		len(pages), float64(size)/1e6, float64(size)/float64(len(pages))/1e3, *workers, runtime.GOMAXPROCS(0), runtime.GOOS, runtime.GOARCH)

	var ms0, ms1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms0)
	var failed atomic.Int64
	var peak atomic.Uint64
	stopSampling := sampleHeap(&peak)
	start := time.Now()
	for r := 0; r < *rounds; r++ {
		work := make(chan []byte)
		var wg sync.WaitGroup
		for w := 0; w < *workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for p := range work {
					if _, err := extract.Page(p, extract.Input{Name: "bench"}); err != nil {
						failed.Add(1)
					}
				}
			}()
		}
		for _, p := range pages {
			work <- p
		}
		close(work)
		wg.Wait()
	}
	el := time.Since(start)
	stopSampling()
	runtime.ReadMemStats(&ms1)
	n := float64(len(pages) * *rounds)
	fmt.Fprintf(stdout, "extract: %.0f pages/s, %.1f MB/s, %.2f MB allocated per page, peak heap %.0f MB, %d failures\n",
		n/el.Seconds(), float64(size)*float64(*rounds)/1e6/el.Seconds(),
		float64(ms1.TotalAlloc-ms0.TotalAlloc)/n/1e6, float64(peak.Load())/1e6, failed.Load()/int64(*rounds))

	if *skipIngest {
		return nil
	}
	tmp, err := os.MkdirTemp("", "dossier-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	pc := cfg.Pipeline
	pc.DataDir, pc.Ingest.Workers = tmp, *workers
	svc, err := pipeline.Open(ctx, pc, "bench")
	if err != nil {
		return err
	}
	defer svc.Close()
	peak.Store(0)
	stopSampling = sampleHeap(&peak)
	sum, err := svc.Ingest(ctx, []string{dir}, pipeline.IngestOptions{})
	stopSampling()
	if err != nil {
		return fmt.Errorf("bench: ingest: %w", err)
	}
	fmt.Fprintf(stdout, "ingest (extract, language, dedup, SQLite): %.0f pages/s, %d articles, %d duplicates, %d failures, peak heap %.0f MB\n",
		float64(sum.Pages)/sum.Elapsed.Seconds(), sum.Articles, sum.Duplicates, len(sum.Failures), float64(peak.Load())/1e6)
	return nil
}

// sampleHeap records the largest live heap seen until the returned func is called.
func sampleHeap(peak *atomic.Uint64) func() {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > peak.Load() {
				peak.Store(ms.HeapAlloc)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

func loadCorpus(dir string) (pages [][]byte, size int64, err error) {
	err = filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		name := strings.TrimSuffix(strings.ToLower(path), ".gz")
		if !strings.HasSuffix(name, ".html") && !strings.HasSuffix(name, ".htm") && !strings.HasSuffix(name, ".txt") {
			return nil
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		var r io.Reader = f
		if strings.HasSuffix(path, ".gz") {
			zr, err := gzip.NewReader(f)
			if err != nil {
				return fmt.Errorf("%s: %w", path, err)
			}
			r = zr
		}
		b, err := io.ReadAll(r)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		pages = append(pages, b)
		size += int64(len(b))
		return nil
	})
	return pages, size, err
}
