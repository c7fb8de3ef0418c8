// Command dossier is a self-hosted, multilingual news story tracker.
//
//	dossier add [flags] INPUT...     ingest files, directories, JSONL, WARC, feeds, URLs
//	dossier export [flags]           write the JSON export or a Markdown report
//	dossier stats                    count what the store holds
//	dossier errors                   list inputs that failed
//	dossier reanalyze                recompute facts of stored articles
//	dossier recluster                regroup all articles into stories and events
//	dossier bench [flags] [DIR]      measure extraction and ingest throughput
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"dossier/internal/cluster"
	"dossier/internal/embed"
	"dossier/internal/export"
	"dossier/internal/fetch"
	"dossier/internal/ingest"
	"dossier/internal/lang"
	"dossier/internal/news"
	"dossier/internal/store"
	"dossier/internal/store/sqlite"
	"dossier/internal/story"
)

const usage = `dossier: a multilingual news story tracker

usage:
  dossier add [flags] INPUT...   ingest pages: files (.html, .txt, gzipped or not),
                                 directories, JSON Lines corpora, WARC archives,
                                 RSS/Atom/JSON feeds (files or URLs), http(s) URLs
  dossier export [flags]         write the JSON export (-format json) or a report (-format markdown)
  dossier stats                  count pages, articles, sources and languages
  dossier errors                 list inputs that could not be ingested
  dossier reanalyze              recompute the facts (figures, dates, entities) of every stored article
  dossier recluster              regroup every stored article into stories and events from scratch
  dossier bench [flags] [DIR]    measure extraction and ingest throughput on a corpus

Every command takes -data DIR (default $DOSSIER_DATA, else ~/.local/share/dossier).
Run 'dossier COMMAND -h' for a command's flags.
`

// Config is everything a run needs, built once from flags and environment.
type Config struct {
	DataDir string
	Ingest  ingest.Config
	Stdout  io.Writer
	Stderr  io.Writer
}

// exitError carries an exit status.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	if err == nil {
		return
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.msg != "" {
			fmt.Fprintln(os.Stderr, "dossier:", ee.msg)
		}
		os.Exit(ee.code)
	}
	fmt.Fprintln(os.Stderr, "dossier:", err)
	os.Exit(1)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return &exitError{code: 2}
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "add":
		return cmdAdd(ctx, rest, stdout, stderr)
	case "export":
		return cmdExport(ctx, rest, stdout, stderr)
	case "stats":
		return cmdStats(ctx, rest, stdout, stderr)
	case "errors":
		return cmdErrors(ctx, rest, stdout, stderr)
	case "bench":
		return cmdBench(ctx, rest, stdout, stderr)
	case "reanalyze":
		return cmdReanalyze(ctx, rest, stdout, stderr)
	case "recluster":
		return cmdRecluster(ctx, rest, stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return &exitError{code: 2, msg: fmt.Sprintf("unknown command %q", cmd)}
}

func defaultDataDir() string {
	if d := os.Getenv("DOSSIER_DATA"); d != "" {
		return d
	}
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "dossier")
	}
	if h, err := os.UserHomeDir(); err == nil {
		return filepath.Join(h, ".local", "share", "dossier")
	}
	return "dossier-data"
}

// flags starts a command's flag set with the flags every command shares.
func flags(name string, stderr io.Writer, cfg *Config) *flag.FlagSet {
	fs := flag.NewFlagSet("dossier "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.DataDir, "data", defaultDataDir(), "data directory (env DOSSIER_DATA)")
	return fs
}

func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return &exitError{code: 0}
		}
		return &exitError{code: 2}
	}
	return nil
}

func openStore(ctx context.Context, cfg Config) (store.Store, error) {
	return sqlite.Open(ctx, filepath.Join(cfg.DataDir, "dossier.db"))
}

// storeCommand runs a subcommand that works on the store: it parses the
// shared flags and those setup adds, opens the store, runs fn and closes it.
func storeCommand(ctx context.Context, name string, args []string, stderr io.Writer, setup func(*flag.FlagSet),
	fn func(context.Context, store.Store, Config) error) error {
	cfg := Config{}
	fs := flags(name, stderr, &cfg)
	if setup != nil {
		setup(fs)
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	return fn(ctx, st, cfg)
}

func cmdAdd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg := Config{Stdout: stdout, Stderr: stderr}
	fc := fetch.DefaultConfig()
	fs := flags("add", stderr, &cfg)
	captured := fs.String("captured", "", "capture date (YYYY-MM-DD or RFC 3339) of pages that carry none")
	fs.IntVar(&cfg.Ingest.Workers, "workers", 0, "pages processed in parallel (default: number of CPUs)")
	fs.Int64Var(&cfg.Ingest.MaxBytes, "max-bytes", fc.MaxBytes, "largest page, file or record accepted, in bytes")
	fs.DurationVar(&fc.Timeout, "timeout", fc.Timeout, "timeout of one HTTP request, body included")
	fs.IntVar(&fc.MaxRedirects, "max-redirects", fc.MaxRedirects, "redirects followed per request")
	fs.StringVar(&fc.UserAgent, "user-agent", fc.UserAgent, "User-Agent header")
	fs.BoolVar(&fc.AllowPrivate, "allow-private", false, "allow fetching loopback, private and link-local addresses")
	quiet := fs.Bool("q", false, "no progress line")
	var ec embed.Config
	fs.StringVar(&ec.URL, "embed-url", os.Getenv("DOSSIER_EMBED_URL"), "base URL of an OpenAI-compatible embeddings service, an optional clustering signal (env DOSSIER_EMBED_URL; off when empty)")
	fs.StringVar(&ec.Model, "embed-model", os.Getenv("DOSSIER_EMBED_MODEL"), "model name sent to the embeddings service (env DOSSIER_EMBED_MODEL)")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: dossier add [flags] INPUT...\n\nINPUT is a file, a directory (read recursively), a .jsonl corpus,\na .warc(.gz) archive, a feed file, or an http(s) URL of a page or feed.\n\n")
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
		cfg.Ingest.Captured, cfg.Ingest.CapturedDay = t, day
	}
	cfg.Ingest.Fetch = fc
	ec.APIKey = os.Getenv("DOSSIER_EMBED_KEY")
	cfg.Ingest.Embed = embed.New(ec)

	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	prog := newProgress(stderr, *quiet)
	g := ingest.New(st, lang.New(), cfg.Ingest, prog.update)
	sum, err := g.Run(ctx, fs.Args())
	prog.done()
	printSummary(stdout, sum)
	if err != nil {
		return fmt.Errorf("add: %w (pages finished before this are stored)", err)
	}
	if len(sum.Failures) > 0 {
		return &exitError{code: 1, msg: fmt.Sprintf("%d input(s) failed", len(sum.Failures))}
	}
	return nil
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

func cmdExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg := Config{}
	fs := flags("export", stderr, &cfg)
	format := fs.String("format", "json", "json or markdown")
	out := fs.String("o", "-", "output file (- for standard output)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *format != "json" && *format != "markdown" && *format != "md" {
		return &exitError{code: 2, msg: fmt.Sprintf("export: unknown format %q (want json or markdown)", *format)}
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	var arts []news.Stored
	if err := st.Articles(ctx, func(a news.Stored) error { arts = append(arts, a); return nil }); err != nil {
		return err
	}
	changes, err := st.ClusterChanges(ctx)
	if err != nil {
		return err
	}
	doc := export.Build(arts, story.Build(arts), changes, time.Now())
	w := stdout
	var f *os.File
	if *out != "-" {
		f, err = os.Create(*out)
		if err != nil {
			return fmt.Errorf("export: %w", err)
		}
		w = f
	}
	if *format == "json" {
		err = export.WriteJSON(w, doc)
	} else {
		err = export.WriteMarkdown(w, doc)
	}
	if f != nil {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	return err
}

func cmdStats(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return storeCommand(ctx, "stats", args, stderr, nil, func(ctx context.Context, st store.Store, cfg Config) error {
		s, err := st.Stats(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "data: %s\npages: %d\narticles: %d\nsources: %d\nfailed inputs: %d\nlanguages: %s\n",
			cfg.DataDir, s.Pages, s.Articles, s.Sources, s.Failures, counts(s.Languages))
		return nil
	})
}

func cmdErrors(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return storeCommand(ctx, "errors", args, stderr, nil, func(ctx context.Context, st store.Store, _ Config) error {
		fails, err := st.Failures(ctx)
		if err != nil {
			return err
		}
		for _, f := range fails {
			fmt.Fprintf(stdout, "%s\t%s\t%s\n", f.At.Format(time.RFC3339), f.Input, f.Err)
		}
		return nil
	})
}

func cmdReanalyze(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return storeCommand(ctx, "reanalyze", args, stderr, nil, func(ctx context.Context, st store.Store, _ Config) error {
		return reanalyze(ctx, st, stdout)
	})
}

func reanalyze(ctx context.Context, st store.Store, stdout io.Writer) error {
	var arts []news.Stored
	if err := st.Articles(ctx, func(a news.Stored) error { arts = append(arts, a); return nil }); err != nil {
		return err
	}
	figures := 0
	for _, a := range arts {
		var captured time.Time
		if len(a.Sources) > 0 {
			captured = a.Sources[0].Captured
		}
		f := ingest.Analyze(a.Article, captured)
		if err := st.SetFacts(ctx, a.ID, f); err != nil {
			return err
		}
		figures += len(f.Figures)
	}
	fmt.Fprintf(stdout, "reanalyzed %d article(s): %d figure(s)\n", len(arts), figures)
	return nil
}

func cmdRecluster(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	bc := cluster.DefaultBatchConfig()
	return storeCommand(ctx, "recluster", args, stderr, func(fs *flag.FlagSet) {
		fs.Float64Var(&bc.EventThreshold, "event-threshold", bc.EventThreshold, "average similarity at which articles form one event")
		fs.Float64Var(&bc.StoryThreshold, "story-threshold", bc.StoryThreshold, "average similarity at which events form one story")
	}, func(ctx context.Context, st store.Store, _ Config) error {
		return recluster(ctx, st, bc, stdout)
	})
}

func recluster(ctx context.Context, st store.Store, bc cluster.BatchConfig, stdout io.Writer) error {
	var docs []cluster.Doc
	var oldStory, oldEvent, ids []int64
	err := st.Articles(ctx, func(a news.Stored) error {
		var captured time.Time
		if len(a.Sources) > 0 {
			captured = a.Sources[0].Captured
		}
		docs = append(docs, cluster.NewDoc(a.ID, a.Article, ingest.Day(a.Article, captured)))
		oldStory, oldEvent, ids = append(oldStory, a.Story), append(oldEvent, a.Event), append(ids, a.ID)
		return nil
	})
	if err != nil {
		return err
	}
	r := cluster.Batch(docs, oldStory, oldEvent, cluster.DefaultConfig(), bc)
	assign := map[int64][2]int64{}
	stories, events := map[int64]bool{}, map[int64]bool{}
	for i, id := range ids {
		assign[id] = [2]int64{r.Story[i], r.Event[i]}
		stories[r.Story[i]], events[r.Event[i]] = true, true
	}
	var changes []news.ClusterChange
	merges, splits := 0, 0
	for _, c := range r.Changes {
		changes = append(changes, news.ClusterChange{Kind: c.Kind, Level: c.Level, From: c.From, Into: c.Into})
		if c.Kind == "merge" {
			merges++
		} else {
			splits++
		}
	}
	if err := st.SetClusters(ctx, assign, changes); err != nil {
		return err
	}
	data, err := r.Model.MarshalBinary()
	if err != nil {
		return err
	}
	if err := st.SaveModel(ctx, data, r.Model.LastArticle); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "reclustered %d article(s) into %d stories and %d events: %d merge(s), %d split(s) recorded\n",
		len(ids), len(stories), len(events), merges, splits)
	return nil
}
