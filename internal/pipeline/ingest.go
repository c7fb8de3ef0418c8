package pipeline

import (
	"context"
	"errors"
	"time"

	"dossier/internal/ingest"
	"dossier/internal/news"
)

// IngestOptions adjust one ingest.
type IngestOptions struct {
	// Captured is the capture time of pages that carry none (zero: the
	// service's configuration).
	Captured    time.Time
	CapturedDay bool
	// Progress, if set, is called after each page.
	Progress func(ingest.Progress)
	// Views says which changed stories' views are rebuilt at the end:
	// all of them (the zero value), or, for a long ingest or a stream of
	// small ones, those that are due (see ViewRefresh).
	Views ViewRefresh
}

func (s *Service) ingester(o IngestOptions) *ingest.Ingester {
	cfg := s.cfg.Ingest
	if !o.Captured.IsZero() {
		cfg.Captured, cfg.CapturedDay = o.Captured, o.CapturedDay
	}
	if !s.readOnly && !s.worker {
		cfg.Capture = s.Capture
	}
	g := ingest.New(s.st, s.det, cfg, o.Progress)
	g.UseModel(s.model)
	g.OnRelearn(s.relearn)
	g.DeferModelSave() // saveModelIfDue, and Close
	// A long ingest refreshes the views of the stories it grew about once
	// every viewLag, as a server's RefreshDue does. Refreshed at every
	// checkpoint (1,000 pages), a story growing through the run was
	// rebuilt several times: the 10,000-article corpus spent 17 of its 58
	// CPU seconds on views, and took 38.6-41.6 s against 29.0-37.7 s now
	// (runs alternating; `dossier add` of /tmp/gen10k.jsonl, see README).
	last := s.cfg.now()
	g.OnCheckpoint(func(ctx context.Context) error {
		if s.cfg.now().Sub(last) < viewLag {
			return nil
		}
		_, err := s.refreshGrown(ctx) // s.mu is held by the ingest
		last = s.cfg.now()
		return err
	})
	return g
}

// Ingest reads inputs (files, directories, JSON Lines, WARC, feeds, URLs),
// stores their articles, assigns them to stories and refreshes the views
// of the stories they changed. Failed inputs are in the summary; the error
// says the run could not go on (what was stored before it is kept).
func (s *Service) Ingest(ctx context.Context, inputs []string, o IngestOptions) (*ingest.Summary, error) {
	if s.queue != nil {
		return s.enqueue(ctx, inputs, nil, o)
	}
	return s.ingest(ctx, func(g *ingest.Ingester) (*ingest.Summary, error) { return g.Run(ctx, inputs) }, o)
}

// IngestPages stores pages given whole (a page body posted to the API).
func (s *Service) IngestPages(ctx context.Context, pages []news.Page, o IngestOptions) (*ingest.Summary, error) {
	if s.queue != nil {
		return s.enqueue(ctx, nil, pages, o)
	}
	return s.ingest(ctx, func(g *ingest.Ingester) (*ingest.Summary, error) { return g.RunPages(ctx, pages) }, o)
}

func (s *Service) ingest(ctx context.Context, run func(*ingest.Ingester) (*ingest.Summary, error), o IngestOptions) (*ingest.Summary, error) {
	if s.readOnly {
		return nil, ErrReadOnly
	}
	if s.worker {
		return nil, ErrNoQueue
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.ingester(o)
	sum, err := run(g)
	switch {
	case g.ModelStale():
		// Pages assigned in memory were rolled back: the model is read
		// again from what the store holds.
		if lerr := s.reloadModel(ctx); lerr != nil {
			return sum, errors.Join(err, lerr)
		}
	case g.ModelDirty():
		s.modelSaved = false
	case g.ModelSaved():
		s.modelSaved, s.modelSavedAt = true, time.Now()
	}
	if serr := s.saveModelIfDue(context.WithoutCancel(ctx)); serr != nil {
		return sum, errors.Join(err, serr)
	}
	if err != nil && !errors.Is(err, context.Canceled) {
		return sum, err
	}
	// A cancelled run has committed the pages it stored (a watcher stopped
	// just after a page was stored, say): their stories' views are rebuilt
	// all the same, so that what a reader sees stored is also listed.
	if _, rerr := s.refresh(context.WithoutCancel(ctx), o.Views); rerr != nil {
		return sum, errors.Join(err, rerr)
	}
	return sum, err
}
