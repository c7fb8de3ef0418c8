package main

import (
	"context"
	"fmt"
	"log/slog"
	"runtime"
	"time"

	"dossier/internal/jobs"
	"dossier/internal/pipeline"
	"dossier/internal/store/postgres"
)

func cmdWorker(ctx context.Context, cfg *Config, args []string) error {
	ic := &cfg.Pipeline.Ingest
	fs := flags("worker", cfg)
	n := fs.Int("workers", runtime.GOMAXPROCS(0), "analyse jobs run at once by this process")
	assign := fs.Bool("assign", false, "also stand for assignment owner: the one process at a time that assigns stories and events (another takes over when it dies)")
	qc := queueFlags(fs)
	orderWait := fs.Duration("order-wait", 10*time.Second, "how long assignment waits for an earlier, unfinished job before it passes it")
	fs.DurationVar(&ic.Fetch.Timeout, "timeout", ic.Fetch.Timeout, "timeout of one HTTP request, body included")
	fs.BoolVar(&ic.Fetch.AllowPrivate, "allow-private", false, "allow fetching loopback, private and link-local addresses")
	quiet := fs.Bool("q", false, "log only errors")
	fs.Usage = func() {
		fmt.Fprintf(cfg.Stderr, "usage: dossier worker -db postgres://... [flags]\n\nRun ingest jobs from the queue in the PostgreSQL store: fetch, extract and analyse\nthe pages that `dossier add -queue` and `dossier serve -queue` enqueue. With -assign,\nthis process may also become the assignment owner, which stores the analysed pages\nand assigns them to stories and events. Runs until interrupted.\n\n")
		fs.PrintDefaults()
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return &exitError{code: 2, msg: "worker: takes no arguments"}
	}
	if !postgres.IsDSN(cfg.Pipeline.DB) {
		return &exitError{code: 2, msg: "worker: the job queue lives in PostgreSQL: give -db postgres://... (or DOSSIER_DB)"}
	}
	if *n < 1 {
		return &exitError{code: 2, msg: "worker: -workers must be at least 1"}
	}
	level := slog.LevelInfo
	if *quiet {
		level = slog.LevelError
	}
	logger := slog.New(slog.NewTextHandler(cfg.Stderr, &slog.HandlerOptions{Level: level}))
	svc, err := pipeline.OpenWorker(ctx, cfg.Pipeline)
	if err != nil {
		return err
	}
	defer svc.Close()
	qcfg := qc.config(cfg.Pipeline.DB)
	qcfg.Workers = *n
	qcfg.Logger = slog.New(slog.NewTextHandler(cfg.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	q, err := jobs.Open(ctx, qcfg, svc)
	if err != nil {
		return err
	}
	defer q.Close()
	svc.UseQueue(q)
	if err := q.Start(ctx); err != nil {
		return err
	}
	logger.Info("dossier worker: running", "workers", *n, "assign", *assign, "db", postgres.Redact(cfg.Pipeline.DB))
	owned := make(chan error, 1)
	if *assign {
		go func() {
			owned <- q.Own(ctx, jobs.OwnerConfig{
				Open: func(ctx context.Context) (*pipeline.Service, error) {
					return pipeline.Open(ctx, cfg.Pipeline, "worker")
				},
				OrderWait: *orderWait,
				Logf:      func(format string, args ...any) { logger.Info(fmt.Sprintf(format, args...)) },
			})
		}()
	} else {
		close(owned)
	}
	<-ctx.Done()
	<-owned
	logger.Info("dossier worker: stopping; jobs in flight get 10 s, the rest run again elsewhere")
	return nil
}

// queueConfig holds the queue's flags shared by worker, add and serve.
type queueConfig struct {
	attempts    *int
	jobTimeout  *time.Duration
	rescueAfter *time.Duration
}

func queueFlags(fs interface {
	Int(string, int, string) *int
	Duration(string, time.Duration, string) *time.Duration
}) queueConfig {
	return queueConfig{
		attempts:    fs.Int("attempts", 5, "attempts of a job before it is discarded (a dead letter, listed by `dossier errors`)"),
		jobTimeout:  fs.Duration("job-timeout", time.Minute, "a job running longer is cancelled and retried"),
		rescueAfter: fs.Duration("rescue-after", 2*time.Minute, "a job running longer is taken to belong to a dead worker and run again (at least -job-timeout)"),
	}
}

func (c queueConfig) config(dsn string) jobs.Config {
	return jobs.Config{DSN: dsn, MaxAttempts: *c.attempts, JobTimeout: *c.jobTimeout, RescueAfter: *c.rescueAfter}
}

// openQueued opens the store for a process that enqueues its ingests
// (`add -queue`, `serve -queue`) rather than running them: a worker's
// service (no writer lock) with the queue attached.
func openQueued(ctx context.Context, cfg *Config) (*pipeline.Service, *jobs.Queue, error) {
	if !postgres.IsDSN(cfg.Pipeline.DB) {
		return nil, nil, &exitError{code: 2, msg: "-queue: the job queue lives in PostgreSQL: give -db postgres://... (or DOSSIER_DB)"}
	}
	svc, err := pipeline.OpenWorker(ctx, cfg.Pipeline)
	if err != nil {
		return nil, nil, err
	}
	q, err := jobs.Open(ctx, jobs.Config{DSN: cfg.Pipeline.DB}, nil)
	if err != nil {
		svc.Close()
		return nil, nil, err
	}
	svc.UseQueue(q)
	return svc, q, nil
}

// addToQueue is `dossier add -queue`: the inputs are read here and one
// analyse job per page or URL is enqueued; with wait, it returns once the
// workers have stored and assigned them all.
func addToQueue(ctx context.Context, cfg *Config, inputs []string, wait bool) error {
	svc, q, err := openQueued(ctx, cfg)
	if err != nil {
		return err
	}
	defer svc.Close()
	defer q.Close()
	sum, err := svc.Ingest(ctx, inputs, pipeline.IngestOptions{})
	if sum != nil {
		fmt.Fprintf(cfg.Stdout, "queued %d page(s) in %s\n", sum.Pages, sum.Elapsed.Round(time.Millisecond))
	}
	if err != nil {
		return fmt.Errorf("add: %w", err)
	}
	if !wait {
		return nil
	}
	start := time.Now()
	if err := q.Wait(ctx, svc, 250*time.Millisecond); err != nil {
		return fmt.Errorf("add: wait: %w", err)
	}
	fmt.Fprintf(cfg.Stdout, "stored and assigned in %s\n", time.Since(start).Round(time.Millisecond))
	return nil
}

// openServed opens the store for `dossier serve`: as its one writer, or,
// with queued, as one of any number of servers that enqueue their ingests.
func openServed(ctx context.Context, cfg *Config, queued bool) (*pipeline.Service, func(), error) {
	if !queued {
		svc, err := openWriter(ctx, cfg, "serve")
		return svc, func() {}, err
	}
	svc, q, err := openQueued(ctx, cfg)
	if err != nil {
		return nil, nil, err
	}
	return svc, func() { q.Close() }, nil
}

// listDeadLetters makes svc's Failures list the job queue's dead letters
// too, on a PostgreSQL store, and returns what closes the queue.
func listDeadLetters(ctx context.Context, cfg *Config, svc *pipeline.Service) func() {
	if !postgres.IsDSN(cfg.Pipeline.DB) {
		return func() {}
	}
	q, err := jobs.Open(ctx, jobs.Config{DSN: cfg.Pipeline.DB, ListOnly: true}, nil)
	if err != nil {
		fmt.Fprintf(cfg.Stderr, "dossier: the job queue's dead letters cannot be listed: %v\n", err)
		return func() {}
	}
	svc.UseQueue(q)
	return func() { q.Close() }
}
