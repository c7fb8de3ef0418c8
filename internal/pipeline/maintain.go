package pipeline

import (
	"context"
	"fmt"
	"time"

	"dossier/internal/cluster"
	"dossier/internal/ingest"
	"dossier/internal/news"
)

// ReanalyzeResult says what a reanalysis did.
type ReanalyzeResult struct {
	Articles, Figures, Views int
}

// Reanalyze recomputes the facts and search terms of every stored article
// (after an upgrade of the analysers) and refreshes every story view.
func (s *Service) Reanalyze(ctx context.Context) (ReanalyzeResult, error) {
	var r ReanalyzeResult
	if s.readOnly {
		return r, ErrReadOnly
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	err := s.st.Articles(ctx, func(a news.Stored) error {
		var captured time.Time
		if len(a.Sources) > 0 {
			captured = a.Sources[0].Captured
		}
		f, err := ingest.AnalyzeContext(ctx, a.Article, captured)
		if err != nil {
			return err
		}
		a.Facts = f
		doc, ents := ingest.Index(a.Article)
		if err := s.st.SetFacts(ctx, a.ID, a.Facts, doc, ents); err != nil {
			return err
		}
		r.Articles++
		r.Figures += len(a.Facts.Figures)
		return nil
	})
	if err != nil {
		return r, err
	}
	if err := s.st.MarkAllDirty(ctx); err != nil {
		return r, err
	}
	r.Views, err = s.refreshViews(ctx)
	return r, err
}

// ReclusterResult says what a recluster did.
type ReclusterResult struct {
	Articles, Stories, Events, Merges, Splits int
}

// Recluster regroups every stored article into stories and events from
// scratch, keeps ids where the groups overlap, logs merges and splits,
// replaces the incremental model and refreshes every story view.
func (s *Service) Recluster(ctx context.Context, bc cluster.BatchConfig) (ReclusterResult, error) {
	if s.readOnly {
		return ReclusterResult{}, ErrReadOnly
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	res, err := s.recluster(ctx, bc)
	if err != nil {
		return res, err
	}
	_, err = s.refreshViews(ctx)
	return res, err
}

// relearn is the ingest's relearn (ingest.Ingester.OnRelearn): a
// recluster whose views are rebuilt with the ingest's, at its end. s.mu
// is held by the ingest.
func (s *Service) relearn(ctx context.Context) (*cluster.Model, error) {
	if _, err := s.recluster(ctx, cluster.DefaultBatchConfig()); err != nil {
		return nil, err
	}
	return s.model, nil
}

// keepItems is the most articles a recluster keeps in memory between its
// passes (see recluster): a relearn reads fewer than 1,024.
const keepItems = 4096

// recluster is Recluster without the lock and the views: the stories it
// changed are marked for a rebuild. s.mu is held.
func (s *Service) recluster(ctx context.Context, bc cluster.BatchConfig) (ReclusterResult, error) {
	var res ReclusterResult
	// The articles are streamed from the store on each of the recluster's
	// passes rather than held: memory is what the clusterer keeps per
	// article, not the articles. A small archive's (a relearn's) are kept
	// from the first pass for the others: reading and analysing them
	// again took two thirds of a relearn.
	var ids []int64
	var kept []cluster.Item
	keep, passes := true, 0
	items := func(fn func(cluster.Item) error) error {
		passes++
		if passes > 1 && keep {
			for _, it := range kept {
				if err := fn(it); err != nil {
					return err
				}
			}
			return nil
		}
		ids = ids[:0]
		return s.st.Articles(ctx, func(a news.Stored) error {
			var captured time.Time
			if len(a.Sources) > 0 {
				captured = a.Sources[0].Captured
			}
			ids = append(ids, a.ID)
			it := cluster.Item{Doc: s.cfg.Ingest.Cluster.NewDoc(a.ID, a.Article, ingest.Day(a.Article, captured)), Story: a.Story, Event: a.Event}
			if keep && passes == 1 {
				if kept = append(kept, it); len(kept) > keepItems {
					keep, kept = false, nil
				}
			}
			return fn(it)
		})
	}
	// Ids are never reused: new clusters start above every id handed out,
	// those merged away included, which the model and the log know (a
	// recluster reads the whole archive; the log is a small part of it).
	if s.model != nil {
		bc.NextID = s.model.NextID()
	}
	logged, err := s.st.ClusterChanges(ctx)
	if err != nil {
		return res, err
	}
	for _, c := range logged {
		bc.NextID = max(bc.NextID, c.From+1, c.Into+1)
	}
	// The model being replaced is let go while the new one is built (both
	// would otherwise be held at once), and loaded again if the recluster
	// fails.
	s.model, s.modelSaved = nil, false
	r, err := cluster.BatchItems(ctx, items, s.cfg.Ingest.Cluster, bc)
	if err != nil {
		if lerr := s.reloadModel(ctx); lerr != nil {
			return res, fmt.Errorf("recluster: %w (and %v)", err, lerr)
		}
		return res, fmt.Errorf("recluster: %w", err)
	}
	assign := map[int64][2]int64{}
	stories, events := map[int64]bool{}, map[int64]bool{}
	for i, id := range ids {
		assign[id] = [2]int64{r.Story[i], r.Event[i]}
		stories[r.Story[i]], events[r.Event[i]] = true, true
	}
	var changes []news.ClusterChange
	for _, c := range r.Changes {
		changes = append(changes, news.ClusterChange{Kind: c.Kind, Level: c.Level, From: c.From, Into: c.Into})
		if c.Kind == "merge" {
			res.Merges++
		} else {
			res.Splits++
		}
	}
	if err := s.st.SetClusters(ctx, assign, changes); err != nil {
		// The store keeps the clusters it had: so does the model, read
		// again from it.
		if lerr := s.reloadModel(ctx); lerr != nil {
			return res, fmt.Errorf("recluster: %w (and %v)", err, lerr)
		}
		return res, fmt.Errorf("recluster: %w", err)
	}
	s.model, s.modelSaved = r.Model, false
	if err := s.saveModel(ctx); err != nil {
		return res, err
	}
	if err := s.st.MarkAllDirty(ctx); err != nil {
		return res, err
	}
	res.Articles, res.Stories, res.Events = len(ids), len(stories), len(events)
	return res, nil
}
