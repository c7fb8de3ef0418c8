// Package jobs runs dossier's ingest on a job queue in PostgreSQL: River
// (github.com/riverqueue/river). Enqueuers (`dossier add -queue`, `dossier
// serve -queue`) add one analyse job per page or URL; any number of
// workers in any number of processes (`dossier worker`) fetch, extract and
// analyse them and keep the result in the store; one assignment owner at a
// time (the process holding the store's writer lock, an advisory lock)
// folds duplicates, assigns stories and events in job order and stores the
// pages. River retries failed jobs with backoff, rescues the jobs of a
// worker that died, and keeps the jobs that failed every attempt as
// discarded: the dead letters, listed by `dossier errors` and the API.
package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"

	"dossier/internal/ingest"
	"dossier/internal/pipeline"
	"dossier/internal/store"
)

// queueName is the River queue of dossier's analyse jobs.
const queueName = "dossier_analyse"

// AnalyseArgs is an analyse job: one page or URL.
type AnalyseArgs struct {
	Item ingest.Item `json:"item"`
}

// Kind implements river.JobArgs.
func (AnalyseArgs) Kind() string { return "dossier.analyse" }

// Config sets up a queue.
type Config struct {
	// DSN is the PostgreSQL database (the store's).
	DSN string
	// Workers is how many analyse jobs this process runs at once; 0 makes
	// a queue that only enqueues and lists.
	Workers int
	// MaxAttempts is how many times a job runs before it is discarded
	// (default 5); retries back off exponentially from one second.
	MaxAttempts int
	// JobTimeout cancels a job that runs longer (default 1 minute).
	JobTimeout time.Duration
	// RescueAfter is how long a job may be running before it is taken to
	// belong to a dead worker and run again (default 2 minutes; at least
	// JobTimeout).
	RescueAfter time.Duration
	// Logger receives River's warnings (nil: discarded).
	Logger *slog.Logger
	// ListOnly opens the queue to list its dead letters only: River's
	// tables are not created (a store that never had a queue has none).
	ListOnly bool
}

// Queue is a River client on the store's database.
type Queue struct {
	cfg    Config
	pool   *pgxpool.Pool
	client *river.Client[pgx.Tx]
}

var _ pipeline.Queue = (*Queue)(nil)

// Open connects to cfg.DSN and brings River's tables up to date
// (rivermigrate, under an advisory lock: several processes may start at
// once). With cfg.Workers > 0, svc (opened with pipeline.OpenWorker)
// analyses the jobs once Start is called.
func Open(ctx context.Context, cfg Config, svc *pipeline.Service) (*Queue, error) {
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = 5
	}
	if cfg.JobTimeout <= 0 {
		cfg.JobTimeout = time.Minute
	}
	if cfg.RescueAfter < cfg.JobTimeout {
		cfg.RescueAfter = max(2*time.Minute, cfg.JobTimeout)
	}
	pcfg, err := pgxpool.ParseConfig(cfg.DSN)
	if err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	}
	pcfg.ConnConfig.RuntimeParams["application_name"] = "dossier queue"
	pool, err := pgxpool.NewWithConfig(ctx, pcfg)
	if err != nil {
		return nil, fmt.Errorf("jobs: connect: %w", err)
	}
	if !cfg.ListOnly {
		if err := migrate(ctx, pool); err != nil {
			pool.Close()
			return nil, err
		}
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	host, _ := os.Hostname()
	rc := &river.Config{
		ID:                   fmt.Sprintf("dossier_%s_%d_%d", host, os.Getpid(), time.Now().UnixNano()),
		Logger:               logger,
		MaxAttempts:          cfg.MaxAttempts,
		JobTimeout:           cfg.JobTimeout,
		RescueStuckJobsAfter: cfg.RescueAfter,
		// Dead letters are kept for a month, for `dossier errors`.
		DiscardedJobRetentionPeriod: 30 * 24 * time.Hour,
	}
	if cfg.Workers > 0 {
		if svc == nil {
			pool.Close()
			return nil, errors.New("jobs: workers need a service")
		}
		workers := river.NewWorkers()
		river.AddWorker(workers, &analyseWorker{svc: svc})
		rc.Workers = workers
		rc.Queues = map[string]river.QueueConfig{queueName: {MaxWorkers: cfg.Workers}}
		rc.FetchPollInterval = 200 * time.Millisecond
		// River fetches at most MaxWorkers jobs at a time, and at most once
		// per FetchCooldown (100 ms by default): with two workers and jobs
		// of a few milliseconds that capped a process at 20 jobs a second,
		// the workers idle most of the time (10,000 pages: 508 s). A fetch
		// is one indexed query, so it may come as soon as a slot frees.
		rc.FetchCooldown = fetchCooldown
	}
	client, err := river.NewClient(riverpgxv5.New(pool), rc)
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("jobs: %w", err)
	}
	return &Queue{cfg: cfg, pool: pool, client: client}, nil
}

// fetchCooldown is the least time between two fetches of jobs by one
// process.
const fetchCooldown = 2 * time.Millisecond

// riverMigrateLock keys the advisory lock under which River's migrations
// run.
const riverMigrateLock = "dossier.river-migrate"

// migrate applies River's own migrations (its job, leader and queue
// tables), one process at a time.
func migrate(ctx context.Context, pool *pgxpool.Pool) error {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("jobs: migrate: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock(hashtext($1))`, riverMigrateLock); err != nil {
		return fmt.Errorf("jobs: migrate: lock: %w", err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(hashtext($1))`, riverMigrateLock)
	m, err := rivermigrate.New(riverpgxv5.New(pool), &rivermigrate.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return fmt.Errorf("jobs: migrate: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("jobs: migrate River's tables: %w", err)
	}
	return nil
}

// Start starts working jobs (a queue opened with Workers > 0).
func (q *Queue) Start(ctx context.Context) error {
	if err := q.client.Start(ctx); err != nil {
		return fmt.Errorf("jobs: start: %w", err)
	}
	return nil
}

// Close stops working (jobs in flight get a few seconds to end; the rest
// are run again elsewhere) and closes the connections.
func (q *Queue) Close() error {
	var err error
	if q.cfg.Workers > 0 {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err = q.client.Stop(ctx); err != nil {
			sctx, scancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer scancel()
			err = q.client.StopAndCancel(sctx)
		}
	}
	q.pool.Close()
	return err
}

// Enqueue implements pipeline.Queue: one analyse job per item, in one
// transaction; the jobs' ids follow the items' order, the order in which
// the owner assigns them.
func (q *Queue) Enqueue(ctx context.Context, items []ingest.Item) (int, error) {
	params := make([]river.InsertManyParams, len(items))
	for i, it := range items {
		params[i] = river.InsertManyParams{Args: AnalyseArgs{Item: it}, InsertOpts: &river.InsertOpts{Queue: queueName}}
	}
	res, err := q.client.InsertMany(ctx, params)
	if err != nil {
		return 0, fmt.Errorf("jobs: enqueue: %w", err)
	}
	return len(res), nil
}

// DeadLetters implements pipeline.Queue: the analyse jobs that failed
// every attempt (River's discarded jobs), newest first, with their last
// error.
func (q *Queue) DeadLetters(ctx context.Context) ([]store.Failure, error) {
	res, err := q.client.JobList(ctx, river.NewJobListParams().Kinds(AnalyseArgs{}.Kind()).
		States(rivertype.JobStateDiscarded).OrderBy(river.JobListOrderByFinalizedAt, river.SortOrderDesc).First(1000))
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "42P01" && q.cfg.ListOnly {
		return nil, nil // no queue was ever run on this store
	}
	if err != nil {
		return nil, fmt.Errorf("jobs: dead letters: %w", err)
	}
	var out []store.Failure
	for _, j := range res.Jobs {
		f := store.Failure{Input: fmt.Sprintf("job %d", j.ID), Err: "discarded"}
		var a AnalyseArgs
		if json.Unmarshal(j.EncodedArgs, &a) == nil && a.Item.Input != "" {
			f.Input = a.Item.Input
		}
		if n := len(j.Errors); n > 0 {
			f.Err = fmt.Sprintf("dead letter after %d attempt(s) (job %d): %s", j.Attempt, j.ID, j.Errors[n-1].Error)
			f.At = j.Errors[n-1].At
		}
		if j.FinalizedAt != nil {
			f.At = *j.FinalizedAt
		}
		out = append(out, f)
	}
	return out, nil
}

// unfinished lists the ids of analyse jobs not yet done (waiting, running
// or to be retried), lowest first, at most n.
func (q *Queue) unfinished(ctx context.Context, n int) ([]int64, error) {
	res, err := q.client.JobList(ctx, river.NewJobListParams().Kinds(AnalyseArgs{}.Kind()).
		States(rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRetryable,
			rivertype.JobStateRunning, rivertype.JobStateScheduled).
		OrderBy(river.JobListOrderByID, river.SortOrderAsc).First(n))
	if err != nil {
		return nil, fmt.Errorf("jobs: list: %w", err)
	}
	ids := make([]int64, len(res.Jobs))
	for i, j := range res.Jobs {
		ids[i] = j.ID
	}
	return ids, nil
}

// Unfinished counts the analyse jobs not yet done (at most 10,000).
func (q *Queue) Unfinished(ctx context.Context) (int, error) {
	ids, err := q.unfinished(ctx, 10000)
	return len(ids), err
}

// analyseWorker runs analyse jobs.
type analyseWorker struct {
	river.WorkerDefaults[AnalyseArgs]
	svc *pipeline.Service
}

func (w *analyseWorker) Work(ctx context.Context, job *river.Job[AnalyseArgs]) error {
	return w.svc.AnalyseItem(ctx, job.ID, job.Args.Item)
}

// NextRetry backs off exponentially: 1 s, 2 s, 4 s, … up to 5 minutes.
func (w *analyseWorker) NextRetry(job *river.Job[AnalyseArgs]) time.Time {
	return time.Now().Add(Backoff(job.Attempt))
}

// Backoff is the wait before attempt+1 of a job.
func Backoff(attempt int) time.Duration {
	d := time.Second
	for i := 1; i < attempt && d < 5*time.Minute; i++ {
		d *= 2
	}
	return min(d, 5*time.Minute)
}
