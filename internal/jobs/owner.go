package jobs

import (
	"context"
	"errors"
	"time"

	"dossier/internal/pipeline"
)

// OwnerConfig sets up the assignment owner.
type OwnerConfig struct {
	// Open opens the store as its one writer (pipeline.Open); it fails
	// with a *pipeline.LockError while another process owns it.
	Open func(context.Context) (*pipeline.Service, error)
	// OrderWait is how long assignment waits for an earlier job that has
	// not finished (running, or to be retried) before it assigns the
	// pages after it (default 10 s): pages are assigned in job order
	// unless a job is stuck.
	OrderWait time.Duration
	// Poll is the pause when there is nothing to do (default 200 ms).
	Poll time.Duration
	// Logf, if set, reports taking and losing ownership and errors.
	Logf func(format string, args ...any)
}

// Own makes this process a candidate assignment owner until ctx ends: it
// waits for the store's writer lock (held by one process at a time, and
// released by PostgreSQL when its holder dies), then stores the pages the
// workers analysed, in the order of their jobs. An error of the store
// gives the lock up and the process becomes a candidate again, so that a
// database restart does not leave two owners.
func (q *Queue) Own(ctx context.Context, cfg OwnerConfig) error {
	if cfg.OrderWait <= 0 {
		cfg.OrderWait = 10 * time.Second
	}
	if cfg.Poll <= 0 {
		cfg.Poll = 200 * time.Millisecond
	}
	logf := cfg.Logf
	if logf == nil {
		logf = func(string, ...any) {}
	}
	for ctx.Err() == nil {
		svc, err := cfg.Open(ctx)
		if err != nil {
			var le *pipeline.LockError
			if !errors.As(err, &le) && ctx.Err() == nil {
				logf("assignment: %v", err)
			}
			sleep(ctx, time.Second)
			continue
		}
		logf("assignment owner: taking over")
		err = q.assign(ctx, svc, cfg)
		svc.Close()
		if err != nil && ctx.Err() == nil {
			logf("assignment: %v; giving the ownership up", err)
			sleep(ctx, time.Second)
		}
	}
	return nil
}

// assign is the owner's loop.
func (q *Queue) assign(ctx context.Context, svc *pipeline.Service, cfg OwnerConfig) error {
	// seen: when each unfinished job was first seen at the head of the
	// order, to pass it once it has held the order up for OrderWait.
	seen := map[int64]time.Time{}
	lastSave := time.Now()
	for ctx.Err() == nil {
		ids, err := q.unfinished(ctx, 100)
		if err != nil {
			return err
		}
		now := time.Now()
		var before int64
		keep := map[int64]time.Time{}
		for _, id := range ids {
			first, ok := seen[id]
			if !ok {
				first = now
			}
			keep[id] = first
			if now.Sub(first) < cfg.OrderWait {
				before = id
				break
			}
		}
		seen = keep
		n, _, err := svc.AssignAnalysed(ctx, before, 200)
		if err != nil {
			return err
		}
		if time.Since(lastSave) > time.Minute {
			if err := svc.SaveModel(ctx); err != nil {
				return err
			}
			lastSave = time.Now()
		}
		if n == 0 {
			sleep(ctx, cfg.Poll)
		}
	}
	return nil
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// Wait returns when no analyse job is unfinished and no analysed page
// waits for the owner (svc: any service on the store), or when ctx ends.
func (q *Queue) Wait(ctx context.Context, svc *pipeline.Service, poll time.Duration) error {
	for {
		n, err := q.Unfinished(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			waiting, err := svc.Waiting(ctx)
			if err != nil {
				return err
			}
			if !waiting {
				return nil
			}
		}
		sleep(ctx, poll)
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
}
