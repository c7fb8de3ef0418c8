package main

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"dossier/internal/ingest"
	"dossier/internal/pipeline"
)

// benchScale ingests a JSON Lines corpus into the configured store (the
// data directory's SQLite, or -db) in one run, as `dossier add` does, and
// prints for each of parts equal slices of it the articles per second, the
// CPU time per article, resident memory and the database's size: the curve
// that shows whether the cost of an article grows with the archive. read/art
// is how many stored articles view builds read per article ingested,
// restore/art how many of those had their derivation restored from the
// store into the view memo, and derive/art how many the views analysed
// (in neither).
func benchScale(ctx context.Context, cfg *Config, corpus string, parts, workers int) error {
	stdout := cfg.Stdout
	lines, err := corpusLines(corpus)
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	parts = max(1, min(parts, lines))
	pc := cfg.Pipeline
	if workers > 0 {
		pc.Ingest.Workers = workers
	}
	svc, err := pipeline.Open(ctx, pc, "bench")
	if err != nil {
		return err
	}
	defer svc.Close()
	st0, err := svc.Stats(ctx)
	if err != nil {
		return err
	}
	where := "SQLite in " + pc.DataDir
	if pc.DB != "" {
		where = "PostgreSQL"
	}
	if pc.Ingest.Workers <= 0 {
		pc.Ingest.Workers = runtime.NumCPU() // what the ingest uses
	}
	host, _ := os.Hostname()
	fmt.Fprintf(stdout, "corpus: %s, %d lines in %d parts; store: %s holding %d articles; %d ingest workers; %d CPUs (%s)\n",
		corpus, lines, parts, where, st0.Articles, pc.Ingest.Workers, runtime.NumCPU(), host)
	fmt.Fprintf(stdout, "%5s %9s %9s %8s %9s %11s %8s %9s %10s %11s %10s\n", "part", "pages", "articles", "wall s", "art/s", "CPU ms/art", "RSS MB", "DB MB",
		"read/art", "restore/art", "derive/art")
	type mark struct {
		at       time.Time
		cpu      time.Duration
		articles int
		work     pipeline.ViewWork
	}
	var rates, cpus []float64
	var failed error
	start := time.Now()
	last := mark{at: start, cpu: cpuTime(), work: svc.ViewWork()}
	next := 1
	progress := func(p ingest.Progress) {
		if failed != nil || p.Pages < next*lines/parts {
			return
		}
		m := mark{at: time.Now(), cpu: cpuTime(), articles: p.Articles, work: svc.ViewWork()}
		st, err := svc.Stats(ctx)
		if err != nil {
			failed = err
			return
		}
		n := m.articles - last.articles
		rate, per, read, restored, derived := 0.0, 0.0, 0.0, 0.0, 0.0
		if n > 0 {
			rate = float64(n) / m.at.Sub(last.at).Seconds()
			per = float64((m.cpu - last.cpu).Microseconds()) / 1e3 / float64(n)
			read = float64(m.work.Read-last.work.Read) / float64(n)
			restored = float64(m.work.Restored-last.work.Restored) / float64(n)
			derived = float64(m.work.Derived-last.work.Derived) / float64(n)
		}
		rates, cpus = append(rates, rate), append(cpus, per)
		fmt.Fprintf(stdout, "%5d %9d %9d %8.1f %9.1f %11.2f %8.0f %9.1f %10.2f %11.2f %10.2f\n",
			next, p.Pages, n, m.at.Sub(last.at).Seconds(), rate, per, float64(rss())/1e6, float64(st.Bytes)/1e6, read, restored, derived)
		last = m
		next++
	}
	sum, err := svc.Ingest(ctx, []string{corpus}, pipeline.IngestOptions{Progress: progress, Views: pipeline.RefreshGrown})
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	if failed != nil {
		return fmt.Errorf("bench: %w", failed)
	}
	if err := svc.SyncModel(ctx); err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	end := time.Now()
	st, err := svc.Stats(ctx)
	if err != nil {
		return err
	}
	w := svc.ViewWork()
	fmt.Fprintf(stdout, "after the last page: %.1f s, %.1f s of CPU (the remaining views rebuilt, the model saved); views read %d stored articles, restored %d, derived %d\n",
		end.Sub(last.at).Seconds(), (cpuTime() - last.cpu).Seconds(), w.Read-last.work.Read, w.Restored-last.work.Restored, w.Derived-last.work.Derived)
	total := end.Sub(start).Seconds()
	fmt.Fprintf(stdout, "total: %d articles (%d folded, %d failed inputs) in %.1f s: %.1f art/s; peak RSS %.0f MB; database %.1f MB (%.1f KB an article)\n",
		sum.Articles, sum.Duplicates, len(sum.Failures), total, float64(sum.Articles)/total,
		float64(maxRSS())/1e6, float64(st.Bytes)/1e6, float64(st.Bytes)/1e3/float64(max(st.Articles, 1)))
	if k := len(rates) - 1; k > 0 && rates[0] > 0 && cpus[0] > 0 {
		fmt.Fprintf(stdout, "last part against first: %.2f× the articles/s, %.2f× the CPU per article\n", rates[k]/rates[0], cpus[k]/cpus[0])
	}
	return nil
}

// corpusLines counts the non-empty lines of a file.
func corpusLines(name string) (int, error) {
	f, err := os.Open(name)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		if len(bytes.TrimSpace(sc.Bytes())) > 0 {
			n++
		}
	}
	return n, sc.Err()
}

// cpuTime is the user and system CPU time this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// maxRSS is the largest resident set this process has had, in bytes.
func maxRSS() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return ru.Maxrss * 1024
}

// rss is the process's resident set now, in bytes (0 where /proc is missing).
func rss() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb * 1024
		}
	}
	return 0
}

// flagSet says whether the flag name was given on the command line.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}
