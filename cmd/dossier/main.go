// Command dossier is a self-hosted, multilingual news story tracker.
//
//	dossier add [flags] INPUT...     ingest files, directories, JSONL, WARC, feeds, URLs
//	dossier serve [flags]            serve the web UI and the JSON API; the one writer of the data directory
//	dossier export [flags]           write the JSON export or a Markdown report
//	dossier stats                    count what the store holds
//	dossier errors                   list inputs that failed
//	dossier reanalyze                recompute facts of stored articles
//	dossier recluster                regroup all articles into stories and events
//	dossier bench [flags] [DIR]      measure extraction and ingest throughput
//	dossier follow URL...            follow feeds, sitemaps and pages; unfollow, following list them
//	dossier watch [flags]            check followed sources on a schedule, without serving
//	dossier worker -db URL [-assign] run queued ingest jobs on PostgreSQL
//	dossier alert add|list|rm        follow stories, entities, searches and figures
//	dossier alerts                   show the alerts fired
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
	"syscall"
	"time"

	"dossier/internal/cluster"
	"dossier/internal/dict"
	"dossier/internal/fetch"
	"dossier/internal/pipeline"
	"dossier/internal/store"
	"dossier/internal/watch"
)

const usage = `dossier: a multilingual news story tracker

usage:
  dossier add [flags] INPUT...   ingest pages: files (.html, .txt, gzipped or not),
                                 directories, JSON Lines corpora, WARC archives,
                                 RSS/Atom/JSON feeds (files or URLs), http(s) URLs
  dossier serve [flags]          serve the web UI (/) and the JSON API (/v1/...) on -addr (default 127.0.0.1:8080);
                                 while it runs, 'dossier add -server URL' sends inputs to it
  dossier export [flags]         write the JSON export (-format json) or a report (-format markdown)
  dossier stats                  count pages, articles, sources and languages
  dossier errors                 list inputs that could not be ingested
  dossier reanalyze              recompute the facts (figures, dates, entities) of every stored article
  dossier recluster              regroup every stored article into stories and events from scratch
  dossier check                  verify the store: integrity, counts, orphaned records
  dossier backup DEST.db         write a consistent copy of the store, even while it is in use
  dossier bench [flags] [DIR]    measure extraction and ingest throughput on a corpus
  dossier gen-corpus [flags] DIR write a large benchmark corpus generated from ../shared/bench
  dossier migrate-store -to URL  copy the data directory's SQLite store into PostgreSQL
  dossier follow [flags] URL...  follow feeds (RSS, Atom, JSON), news sitemaps and pages (-opml FILE: a list)
  dossier unfollow ID|URL...     stop following sources
  dossier following [-opml]      list followed sources and their state (-opml: as OPML)
  dossier watch [flags]          check followed sources on a schedule and archive what is read, without serving
  dossier worker -db URL [-assign] run queued ingest jobs (add -queue, serve -queue) on PostgreSQL
  dossier alert add -story ID | -entity NAME | -query Q | -figure QUANTITY [-webhook URL]
                                 follow a story, an entity, a search or a figure; alerts fire when it changes
  dossier alert list             list the alert rules; 'dossier alert rm ID' deletes one
  dossier alerts [-rule ID]      show the alerts fired, newest first

Every command takes -data DIR (default $DOSSIER_DATA, else ~/.local/share/dossier)
and -db postgres://... (default $DOSSIER_DB) to keep the store in PostgreSQL.
Run 'dossier COMMAND -h' for a command's flags.
`

// Config is everything a run needs, built once in run from the
// environment and passed to the command, whose flags fill in the rest.
type Config struct {
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	// Pipeline configures the service: the data directory, ingest limits,
	// fetching and clustering.
	Pipeline pipeline.Config
	// EmbedKey is the embeddings service's key ($DOSSIER_EMBED_KEY).
	EmbedKey string
	// Watch configures the watcher (watch, serve); WarcRetention the
	// archive's retention (its file size is Pipeline.ArchiveMaxFile).
	Watch         watch.Config
	WarcRetention time.Duration
}

// newConfig builds the one Config of a run.
func newConfig(stdout, stderr io.Writer, getenv func(string) string) *Config {
	cfg := &Config{Stdout: stdout, Stderr: stderr, Getenv: getenv}
	cfg.Pipeline.DataDir = defaultDataDir(getenv)
	cfg.Pipeline.DB = getenv("DOSSIER_DB")
	cfg.Pipeline.Ingest.Fetch = fetch.DefaultConfig()
	cfg.Pipeline.Ingest.MaxBytes = cfg.Pipeline.Ingest.Fetch.MaxBytes
	cfg.Pipeline.Ingest.Cluster = cluster.DefaultConfig()
	cfg.Pipeline.DictDir = dict.DefaultDir
	if d, ok := lookupEnv(getenv, "DOSSIER_DICT"); ok {
		cfg.Pipeline.DictDir = d
	}
	cfg.Pipeline.CacheDir = defaultCacheDir(getenv)
	cfg.EmbedKey = getenv("DOSSIER_EMBED_KEY")
	return cfg
}

// exitError carries an exit status.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		// A second signal exits at once.
		<-ctx.Done()
		stop()
		c := make(chan os.Signal, 1)
		signal.Notify(c, os.Interrupt, syscall.SIGTERM)
		<-c
		fmt.Fprintln(os.Stderr, "dossier: second signal, exiting now")
		os.Exit(130)
	}()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv)
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

// commands maps each subcommand to its function.
var commands = map[string]func(context.Context, *Config, []string) error{
	"add":           cmdAdd,
	"export":        cmdExport,
	"stats":         cmdStats,
	"errors":        cmdErrors,
	"bench":         cmdBench,
	"reanalyze":     cmdReanalyze,
	"recluster":     cmdRecluster,
	"gen-corpus":    cmdGenCorpus,
	"check":         cmdCheck,
	"backup":        cmdBackup,
	"migrate-store": cmdMigrateStore,
	"serve":         cmdServe,
	"follow":        cmdFollow,
	"unfollow":      cmdUnfollow,
	"following":     cmdFollowing,
	"watch":         cmdWatch,
	"worker":        cmdWorker,
	"alert":         cmdAlert,
	"alerts":        cmdAlerts,
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return &exitError{code: 2}
	}
	name, rest := args[0], args[1:]
	switch name {
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	cmd, ok := commands[name]
	if !ok {
		fmt.Fprint(stderr, usage)
		return &exitError{code: 2, msg: fmt.Sprintf("unknown command %q", name)}
	}
	return cmd(ctx, newConfig(stdout, stderr, getenv), rest)
}

// lookupEnv reads a variable that may be set to the empty string on
// purpose ("DOSSIER_DICT=" turns the dictionaries off): getenv cannot tell
// unset from empty, so "-" stands for empty too.
func lookupEnv(getenv func(string) string, k string) (string, bool) {
	v := getenv(k)
	if v == "" {
		return "", false
	}
	if v == "-" {
		return "", true
	}
	return v, true
}

func defaultDataDir(getenv func(string) string) string {
	if d := getenv("DOSSIER_DATA"); d != "" {
		return d
	}
	if d := getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "dossier")
	}
	if h, err := os.UserHomeDir(); err == nil {
		return filepath.Join(h, ".local", "share", "dossier")
	}
	return "dossier-data"
}

// defaultCacheDir is where derived files that outlive a process go (the
// prepared dictionaries): $DOSSIER_CACHE ("-" for none), else
// $XDG_CACHE_HOME/dossier, else ~/.cache/dossier.
func defaultCacheDir(getenv func(string) string) string {
	if d, ok := lookupEnv(getenv, "DOSSIER_CACHE"); ok {
		return d
	}
	if d := getenv("XDG_CACHE_HOME"); d != "" {
		return filepath.Join(d, "dossier")
	}
	if h, err := os.UserHomeDir(); err == nil {
		return filepath.Join(h, ".cache", "dossier")
	}
	return ""
}

// flags starts a command's flag set with the flags every command shares.
func flags(name string, cfg *Config) *flag.FlagSet {
	fs := flag.NewFlagSet("dossier "+name, flag.ContinueOnError)
	fs.SetOutput(cfg.Stderr)
	fs.StringVar(&cfg.Pipeline.DataDir, "data", cfg.Pipeline.DataDir, "data directory (env DOSSIER_DATA)")
	fs.StringVar(&cfg.Pipeline.DictDir, "dict", cfg.Pipeline.DictDir, "directory of bilingual dictionaries in the dictd format, such as Debian's FreeDict packages (env DOSSIER_DICT; empty: none)")
	fs.StringVar(&cfg.Pipeline.DB, "db", cfg.Pipeline.DB, "PostgreSQL database holding the store, postgres://USER:PASSWORD@HOST:PORT/DB (env DOSSIER_DB; empty: SQLite in the data directory)")
	return fs
}

// parse parses a command's arguments. Flags may come before or after the
// inputs ("dossier add FILE -data DIR"); "--" ends the flags.
func parse(fs *flag.FlagSet, args []string) error {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return &exitError{code: 0}
			}
			return &exitError{code: 2}
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			pos = append(pos, rest...)
			break
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
	// Leave the positional arguments where fs.Args() finds them.
	return fs.Parse(append([]string{"--"}, pos...))
}

// openReader opens the data directory for reading (no lock, no migration).
func openReader(ctx context.Context, cfg *Config) (*pipeline.Service, error) {
	svc, err := pipeline.OpenReader(ctx, cfg.Pipeline)
	if err != nil {
		return nil, readerError(err)
	}
	return svc, nil
}

// readerError explains the errors of opening a store to read it.
func readerError(err error) error {
	switch {
	case errors.Is(err, store.ErrNoStore), errors.Is(err, store.ErrNeedsMigration):
		return &exitError{code: 1, msg: err.Error()}
	}
	return err
}

// openWriter opens the data directory for writing on behalf of command.
func openWriter(ctx context.Context, cfg *Config, command string) (*pipeline.Service, error) {
	svc, err := pipeline.Open(ctx, cfg.Pipeline, command)
	var le *pipeline.LockError
	if errors.As(err, &le) {
		return nil, &exitError{code: 1, msg: le.Error()}
	}
	return svc, err
}
