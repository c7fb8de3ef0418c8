package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"time"

	"dossier/internal/archive"
	"dossier/internal/pipeline"
	"dossier/internal/watch"
)

// watchFlags adds the watcher's flags (shared by watch and serve) to fs,
// filling cfg.Watch.
func watchFlags(fs *flag.FlagSet, cfg *Config) {
	w := &cfg.Watch
	fs.IntVar(&w.Workers, "watch-workers", 8, "fetches the watcher makes at once, all hosts together")
	fs.IntVar(&w.PerHost, "per-host", 2, "most requests in flight to one host")
	fs.DurationVar(&w.HostInterval, "host-interval", 2*time.Second, "least time between two requests to one host")
	fs.DurationVar(&w.MinInterval, "min-interval", 5*time.Minute, "least time between two checks of a source")
	fs.DurationVar(&w.MaxInterval, "max-interval", 24*time.Hour, "most time between two checks of a source")
	fs.Int64Var(&cfg.Pipeline.ArchiveMaxFile, "warc-size", 1<<30, "size at which a WARC file of the archive (DATA/warc) is closed and the next begun")
	fs.DurationVar(&cfg.WarcRetention, "warc-retention", 0, "delete archive files older than this (0: keep everything)")
}

// startWatcher runs the watcher of svc until ctx is done; the returned
// function waits for it to stop.
func startWatcher(ctx context.Context, cfg *Config, svc *pipeline.Service, log *slog.Logger) (wait func() error, err error) {
	arch, err := svc.Archive() // shared with the ingests, closed with svc
	if err != nil {
		return nil, err
	}
	wc := cfg.Watch
	wc.Fetch = cfg.Pipeline.Ingest.Fetch
	wc.Archive = true
	wc.Logger = log
	w := watch.New(svc, wc)
	done := make(chan error, 1)
	go func() {
		if cfg.WarcRetention > 0 {
			go prune(ctx, arch, cfg.WarcRetention, log)
		}
		done <- w.Run(ctx)
	}()
	return func() error { return <-done }, nil
}

// keepViews rebuilds the story views that are due every 20 seconds until
// ctx is done; the returned function waits for it to stop. The watcher's
// ingests and `dossier add` leave the views of stories that grew little
// for later (pipeline.RefreshDue): the store's owner (serve, watch)
// rebuilds them here, at most about a minute behind their stories.
func keepViews(ctx context.Context, svc *pipeline.Service, log *slog.Logger) (wait func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(20 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			if _, err := svc.RefreshDue(ctx); err != nil && ctx.Err() == nil {
				log.Error("story views", "err", err)
			}
		}
	}()
	return func() { <-done }
}

// prune deletes the archive's files older than keep, at start and daily.
func prune(ctx context.Context, arch *archive.Writer, keep time.Duration, log *slog.Logger) {
	t := time.NewTicker(24 * time.Hour)
	defer t.Stop()
	for {
		if gone, err := arch.Prune(time.Now().Add(-keep)); err != nil {
			log.Error("archive: retention", "err", err)
		} else if len(gone) > 0 {
			log.Info("archive: retention deleted files", "files", len(gone))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func cmdWatch(ctx context.Context, cfg *Config, args []string) error {
	ic := &cfg.Pipeline.Ingest
	fs := flags("watch", cfg)
	watchFlags(fs, cfg)
	fs.DurationVar(&ic.Fetch.Timeout, "timeout", ic.Fetch.Timeout, "timeout of one HTTP request, body included")
	fs.BoolVar(&ic.Fetch.AllowPrivate, "allow-private", false, "allow fetching loopback, private and link-local addresses")
	quiet := fs.Bool("q", false, "log nothing but errors")
	fs.Usage = func() {
		fmt.Fprintf(cfg.Stderr, "usage: dossier watch [flags]\n\nFollow the sources 'dossier follow' added, without serving: check each when due,\nstore what is new, archive every response in DATA/warc. Stops on SIGINT or SIGTERM.\n\n")
		fs.PrintDefaults()
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return &exitError{code: 2, msg: "watch: takes no arguments"}
	}
	svc, err := openWriter(ctx, cfg, "watch")
	if err != nil {
		return err
	}
	level := slog.LevelInfo
	if *quiet {
		level = slog.LevelError
	}
	log := slog.New(slog.NewTextHandler(cfg.Stderr, &slog.HandlerOptions{Level: level}))
	wait, err := startWatcher(ctx, cfg, svc, log)
	if err != nil {
		svc.Close()
		return err
	}
	stopViews := keepViews(ctx, svc, log)
	fmt.Fprintf(cfg.Stdout, "dossier watch: following the sources of %s (archive %s)\n", cfg.Pipeline.DataDir, svc.ArchiveDir())
	werr := wait()
	stopViews() // ctx is done: it stops
	if err := svc.Close(); werr == nil {
		werr = err
	}
	if werr != nil {
		return fmt.Errorf("watch: %w", werr)
	}
	fmt.Fprintln(cfg.Stderr, "dossier watch: stopped")
	return nil
}
