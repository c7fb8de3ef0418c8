package pipeline

import (
	"context"
	"errors"
	"fmt"
	"time"

	"dossier/internal/cluster"
	"dossier/internal/ingest"
	"dossier/internal/lang"
	"dossier/internal/news"
	"dossier/internal/store"
	"dossier/internal/store/postgres"
	"dossier/internal/store/sqlite"
	"dossier/internal/story"
)

// Queue is a job queue that takes the service's ingests instead of running
// them in this process (internal/jobs): workers analyse the pages and the
// assignment owner stores them.
type Queue interface {
	// Enqueue adds one job per item and returns how many it added.
	Enqueue(ctx context.Context, items []ingest.Item) (int, error)
	// DeadLetters lists the jobs that failed every attempt, newest first.
	DeadLetters(ctx context.Context) ([]store.Failure, error)
}

// UseQueue makes Ingest and IngestPages enqueue their pages on q, and
// Failures list q's dead letters besides the store's failures.
func (s *Service) UseQueue(q Queue) { s.queue = q }

// OpenWorker opens the store of cfg for a queue worker: it migrates the
// store but takes neither the data directory's lock nor the writer lock,
// and loads no clustering model. Any number of workers share a store; they
// analyse pages (AnalyseItem) and hand them to the owner, which opens the
// store with Open and stores them (AssignAnalysed).
func OpenWorker(ctx context.Context, cfg Config) (*Service, error) {
	var st store.Store
	var err error
	if cfg.DB != "" {
		st, err = postgres.Open(ctx, cfg.DB)
	} else {
		st, err = sqlite.Open(ctx, DBPath(cfg.DataDir))
	}
	if err != nil {
		return nil, err
	}
	if cfg.Ingest.Cluster.EventThreshold == 0 {
		cfg.Ingest.Cluster = cluster.DefaultConfig()
	}
	if err := useDictionaries(&cfg); err != nil {
		st.Close()
		return nil, err
	}
	return &Service{cfg: cfg, st: st, det: lang.New(), worker: true, viewMemo: story.NewStoredMemo(viewMemoArticles, executableSum)}, nil
}

// ErrNoQueue is returned by a worker's ingest when no queue is attached.
var ErrNoQueue = errors.New("pipeline: a queue worker ingests through its queue only")

// enqueue expands inputs (or takes pages) into items and enqueues them.
func (s *Service) enqueue(ctx context.Context, inputs []string, pages []news.Page, o IngestOptions) (*ingest.Summary, error) {
	start := time.Now()
	cfg := s.cfg.Ingest
	if !o.Captured.IsZero() {
		cfg.Captured, cfg.CapturedDay = o.Captured, o.CapturedDay
	}
	sum := &ingest.Summary{Languages: map[string]int{}}
	var batch []ingest.Item
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		n, err := s.queue.Enqueue(ctx, batch)
		sum.Pages += n
		batch = batch[:0]
		return err
	}
	var err error
	if len(pages) > 0 {
		batch = ingest.PageItems(pages, cfg.Captured)
		err = flush()
	}
	if err == nil && len(inputs) > 0 {
		g := ingest.New(s.st, s.det, cfg, nil)
		g.Expand(ctx, inputs, func(it ingest.Item) bool {
			batch = append(batch, it)
			if len(batch) == enqueueBatch {
				err = flush()
			}
			return err == nil
		})
		if err == nil {
			err = flush()
		}
		if err == nil {
			err = ctx.Err()
		}
	}
	sum.Elapsed = time.Since(start)
	if err != nil {
		return sum, fmt.Errorf("pipeline: enqueue: %w", err)
	}
	return sum, nil
}

// enqueueBatch is how many jobs one insert adds.
const enqueueBatch = 200

// AnalyseItem is a worker's job: it fetches, extracts and analyses one
// item and keeps the result for the assignment owner under seq (the job's
// id, its place in the order of assignment). An input that fails by itself
// is recorded as a failure and the job is done (nil); any other error
// means the job should run again.
func (s *Service) AnalyseItem(ctx context.Context, seq int64, it ingest.Item) error {
	h, ok := s.st.(store.Handoff)
	if !ok {
		return ErrUnsupported
	}
	g := ingest.New(s.st, s.det, s.cfg.Ingest, nil)
	a, err := g.Analyse(ctx, it)
	var ie *ingest.InputError
	switch {
	case errors.As(err, &ie):
		if rerr := s.st.RecordFailure(ctx, store.Failure{Input: it.Input, Err: ie.Error()}); rerr != nil {
			return rerr
		}
		return nil
	case err != nil:
		return err
	case a.Unchanged:
		return nil
	}
	data, err := a.Encode()
	if err != nil {
		return err
	}
	return h.AddAnalysed(ctx, store.Analysed{Seq: seq, Input: a.Input, Data: data})
}

// AssignAnalysed is the assignment owner's work, on a service opened with
// Open (the one writer): it stores up to limit analysed pages kept with a
// sequence number below before (any, when before is 0), in sequence order,
// folding duplicates and assigning stories and events, and refreshes the
// story views once no page is left. It returns how many pages it stored
// and the lowest sequence number left waiting (0: none).
func (s *Service) AssignAnalysed(ctx context.Context, before int64, limit int) (n int, next int64, err error) {
	if s.readOnly || s.worker {
		return 0, 0, ErrReadOnly
	}
	h, ok := s.st.(store.Handoff)
	if !ok {
		return 0, 0, ErrUnsupported
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	// The writer lock of PostgreSQL goes with its connection: an owner
	// whose lock went (a database restart) must stop, for another may
	// have taken it.
	if s.pgLock != nil {
		if err := s.pgLock.Held(ctx); err != nil {
			return 0, 0, err
		}
	}
	list, err := h.Analysed(ctx, limit)
	if err != nil {
		return 0, 0, err
	}
	if s.assigner == nil {
		if s.model == nil {
			if err := s.reloadModel(ctx); err != nil {
				return 0, 0, err
			}
		}
		s.assigner = ingest.New(s.st, s.det, s.cfg.Ingest, nil)
		s.assigner.UseModel(s.model)
		s.assigner.OnRelearn(s.relearn)
		s.assigner.OnCheckpoint(func(ctx context.Context) error {
			_, err := s.refreshGrown(ctx)
			return err
		})
		if s.assignSum == nil {
			s.assignSum = &ingest.Summary{Languages: map[string]int{}}
		}
	}
	for _, k := range list {
		if before != 0 && k.Seq >= before {
			return n, k.Seq, nil
		}
		a, err := ingest.DecodeAnalysed(k.Data)
		if err != nil {
			return n, 0, err
		}
		// A page stored before an owner died, but not yet dropped, is
		// stored again as a no-op (SavePage: Existed).
		s.modelSaved = false
		if err := s.assigner.StoreAnalysed(ctx, a, s.assignSum); err != nil {
			if s.assigner.ModelStale() {
				// The page's articles were assigned in memory and rolled
				// back in the store: saved, the model would hold them
				// twice once the page is assigned again, without the
				// merges they made logged. It is read again from the
				// store, and the next call assigns with it.
				s.assigner = nil
				if lerr := s.reloadModel(ctx); lerr != nil {
					return n, 0, errors.Join(err, lerr)
				}
			}
			return n, 0, err
		}
		if err := h.DropAnalysed(ctx, k.Seq); err != nil {
			return n, 0, err
		}
		n++
	}
	if len(list) < limit {
		if _, err := s.refreshViews(ctx); err != nil {
			return n, 0, err
		}
		return n, 0, nil
	}
	return n, 0, nil
}

// SaveModel saves the clustering model of the one writer, so that the
// next owner starts from it rather than from the articles after the last
// save.
func (s *Service) SaveModel(ctx context.Context) error {
	if s.readOnly || s.worker {
		return ErrReadOnly
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.saveModel(ctx)
}

// Waiting reports whether analysed pages wait for the assignment owner.
func (s *Service) Waiting(ctx context.Context) (bool, error) {
	h, ok := s.st.(store.Handoff)
	if !ok {
		return false, ErrUnsupported
	}
	list, err := h.Analysed(ctx, 1)
	return len(list) > 0, err
}
