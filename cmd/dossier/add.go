package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"sort"
	"strings"
	"time"

	"dossier/internal/embed"
	"dossier/internal/ingest"
	"dossier/internal/pipeline"
)

func cmdAdd(ctx context.Context, cfg *Config, args []string) error {
	ic := &cfg.Pipeline.Ingest
	fs := flags("add", cfg)
	captured := fs.String("captured", "", "capture date (YYYY-MM-DD or RFC 3339) of pages that carry none")
	fs.IntVar(&ic.Workers, "workers", 0, "pages processed in parallel (default: number of CPUs)")
	fs.Int64Var(&ic.MaxBytes, "max-bytes", ic.MaxBytes, "largest page, file or record accepted, in bytes")
	fs.DurationVar(&ic.Fetch.Timeout, "timeout", ic.Fetch.Timeout, "timeout of one HTTP request, body included")
	fs.IntVar(&ic.Fetch.MaxRedirects, "max-redirects", ic.Fetch.MaxRedirects, "redirects followed per request")
	fs.StringVar(&ic.Fetch.UserAgent, "user-agent", ic.Fetch.UserAgent, "User-Agent header")
	fs.BoolVar(&ic.Fetch.AllowPrivate, "allow-private", false, "allow fetching loopback, private and link-local addresses")
	quiet := fs.Bool("q", false, "no progress line")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the run to this file (go tool pprof)")
	memprofile := fs.String("memprofile", "", "write a heap profile to this file once the inputs are stored (go tool pprof)")
	var ec embed.Config
	fs.StringVar(&ec.URL, "embed-url", cfg.Getenv("DOSSIER_EMBED_URL"), "base URL of an OpenAI-compatible embeddings service, an optional clustering signal (env DOSSIER_EMBED_URL; off when empty)")
	fs.StringVar(&ec.Model, "embed-model", cfg.Getenv("DOSSIER_EMBED_MODEL"), "model name sent to the embeddings service (env DOSSIER_EMBED_MODEL)")
	server := fs.String("server", "", "send the inputs to the dossier server at `URL` (POST /v1/ingest) instead of writing the data directory")
	token := fs.String("token", cfg.Getenv("DOSSIER_TOKEN"), "the server's token, with -server (env DOSSIER_TOKEN; default: the one kept in the data directory)")
	queue := fs.Bool("queue", false, "enqueue one job per page for `dossier worker` processes instead of ingesting here (needs -db postgres://...)")
	wait := fs.Bool("wait", false, "with -queue: wait until the workers have analysed, stored and assigned every queued page")
	fs.Usage = func() {
		fmt.Fprintf(cfg.Stderr, "usage: dossier add [flags] INPUT...\n\nINPUT is a file, a directory (read recursively), a .jsonl corpus,\na .warc(.gz) archive, a feed file, or an http(s) URL of a page or feed.\nFlags may come before or after the inputs.\n\n")
		fs.PrintDefaults()
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return &exitError{code: 2, msg: "add: no inputs given"}
	}
	if *captured != "" {
		t, day, err := ingest.ParseCaptured(*captured)
		if err != nil {
			return &exitError{code: 2, msg: "add: -captured: " + err.Error()}
		}
		ic.Captured, ic.CapturedDay = t, day
	}
	if *server != "" {
		when := ""
		switch {
		case ic.Captured.IsZero():
		case ic.CapturedDay:
			when = ic.Captured.Format("2006-01-02")
		default:
			when = ic.Captured.Format(time.RFC3339)
		}
		return addToServer(ctx, cfg, *server, *token, when, fs.Args())
	}
	ec.APIKey = cfg.EmbedKey
	ic.Embed = embed.New(ec)
	if *queue {
		return addToQueue(ctx, cfg, fs.Args(), *wait)
	}

	// The profile covers opening the store (the model's load) and closing
	// it, not only the pages.
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			return fmt.Errorf("add: %w", err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return fmt.Errorf("add: %w", err)
		}
		defer pprof.StopCPUProfile()
	}
	svc, err := openWriter(ctx, cfg, "add")
	if err != nil {
		return err
	}
	defer svc.Close()
	prog := newProgress(cfg.Stderr, *quiet)
	sum, err := svc.Ingest(ctx, fs.Args(), pipeline.IngestOptions{Progress: prog.update, Views: pipeline.RefreshGrown})
	prog.done()
	printSummary(cfg.Stdout, sum)
	if err != nil {
		return fmt.Errorf("add: %w (pages finished before this are stored)", err)
	}
	if err := svc.SyncModel(ctx); err != nil {
		return fmt.Errorf("add: %w (the pages are stored; their stories are assigned again at the next start)", err)
	}
	if *memprofile != "" {
		if err := writeHeapProfile(*memprofile); err != nil {
			return fmt.Errorf("add: %w", err)
		}
	}
	if len(sum.Failures) > 0 {
		return &exitError{code: 1, msg: fmt.Sprintf("%d input(s) failed", len(sum.Failures))}
	}
	return nil
}

// writeHeapProfile writes what the heap holds now, after a collection.
func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	runtime.GC()
	if err := pprof.WriteHeapProfile(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func printSummary(w io.Writer, s *ingest.Summary) {
	if s == nil {
		return
	}
	fmt.Fprintf(w, "read %d page(s) in %s: %d new article(s), %d duplicate(s) folded, %d page(s) unchanged\n",
		s.Pages, s.Elapsed.Round(time.Millisecond), s.Articles, s.Duplicates, s.Unchanged)
	if len(s.Languages) > 0 {
		fmt.Fprintf(w, "languages: %s\n", counts(s.Languages))
	}
	if s.EmbedErrors > 0 {
		fmt.Fprintf(w, "embeddings service failed for %d page(s); they were clustered without\n", s.EmbedErrors)
	}
	if len(s.Failures) > 0 {
		fmt.Fprintf(w, "%d input(s) failed:\n", len(s.Failures))
		for _, f := range s.Failures {
			fmt.Fprintf(w, "  %s: %v\n", f.Input, f.Err)
		}
	}
}

func counts(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		name := k
		if name == "" {
			name = "unknown"
		}
		parts[i] = fmt.Sprintf("%s %d", name, m[k])
	}
	return strings.Join(parts, ", ")
}

// progress prints a status line on stderr at most once a second.
type progress struct {
	w     io.Writer
	quiet bool
	tty   bool
	last  time.Time
	shown bool
}

func newProgress(w io.Writer, quiet bool) *progress {
	p := &progress{w: w, quiet: quiet, last: time.Now()}
	if f, ok := w.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			p.tty = true
		}
	}
	return p
}

func (p *progress) update(pr ingest.Progress) {
	if p.quiet || time.Since(p.last) < time.Second {
		return
	}
	p.last = time.Now()
	line := fmt.Sprintf("%d pages, %d articles, %d duplicates, %d failed", pr.Pages, pr.Articles, pr.Duplicates, pr.Failed)
	if p.tty {
		fmt.Fprintf(p.w, "\r\033[K%s", line)
		p.shown = true
	} else {
		fmt.Fprintln(p.w, line)
	}
}

func (p *progress) done() {
	if p.shown {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
