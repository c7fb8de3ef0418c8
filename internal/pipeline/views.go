package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"sync"
	"time"

	"dossier/internal/news"
	"dossier/internal/store"
	"dossier/internal/story"
)

// RefreshViews rebuilds the stored views of every story whose articles
// changed since its view was built, and returns how many it rebuilt.
// Ingest, reanalysis and reclustering call it; a crash between a change and
// its refresh leaves the story marked, and the next writer rebuilds it.
func (s *Service) RefreshViews(ctx context.Context) (int, error) {
	if s.readOnly {
		return 0, ErrReadOnly
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refreshViews(ctx)
}

func (s *Service) refreshViews(ctx context.Context) (int, error) { return s.refresh(ctx, RefreshAll) }

// RefreshDue rebuilds the views that are due (RefreshDue); a server calls it
// now and then, so that no view trails its story by much more than viewLag.
func (s *Service) RefreshDue(ctx context.Context) (int, error) {
	if s.readOnly {
		return 0, ErrReadOnly
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	n, err := s.refresh(ctx, RefreshDue)
	if err != nil {
		return n, err
	}
	// The model, too, is saved about once a minute while it holds
	// articles ingested since its last save.
	return n, s.saveModelIfDue(ctx)
}

// ViewRefresh says which marked stories' views a refresh rebuilds.
//
// Rebuilding a story's view costs time in proportion to its articles (up
// to story.MaxDetail): rebuilt for every article that joins it, a story
// made each of its articles cost more the larger it grew. Rebuilt when it
// has grown by a quarter, a story of n articles costs about four rebuilds
// per n articles, whatever n is.
type ViewRefresh int

const (
	// RefreshAll rebuilds every marked view: what the end of an API
	// ingest, a reanalysis and a recluster leave is exact.
	RefreshAll ViewRefresh = iota
	// RefreshGrown rebuilds the marked views of stories that have grown by
	// a quarter (by one article below four) or were merged away; the
	// others keep their mark, and an export builds them as it goes. A long
	// ingest's checkpoints and the end of `dossier add` use it.
	RefreshGrown
	// RefreshDue also rebuilds the views viewLag old: a server's and a
	// watcher's periodic refresh (Service.RefreshDue).
	RefreshDue
)

// viewLag is the longest a marked view waits in RefreshDue.
const viewLag = time.Minute

func (s *Service) refreshGrown(ctx context.Context) (int, error) { return s.refresh(ctx, RefreshGrown) }

// viewBatch and viewBatchBytes bound the views saved in one transaction:
// a commit per view was a third of a refresh's time.
const (
	viewBatch      = 64
	viewBatchBytes = 16 << 20
)

func (s *Service) refresh(ctx context.Context, mode ViewRefresh) (int, error) {
	n := 0
	var after int64
	var batch []store.StoryView
	size := 0
	flush := func(ctx context.Context) error {
		if len(batch) == 0 {
			return nil
		}
		if err := s.st.SaveStoryViews(ctx, batch...); err != nil {
			return err
		}
		n += len(batch)
		batch, size = batch[:0], 0
		return nil
	}
	// fail returns err after saving the views already built: a cancelled
	// refresh keeps its work, as one that saved each view at once did.
	fail := func(err error) (int, error) {
		if ferr := flush(context.WithoutCancel(ctx)); ferr != nil {
			err = errors.Join(err, ferr)
		}
		return n, err
	}
	for {
		ids, err := s.st.DirtyStories(ctx, after, 256)
		if err != nil {
			return fail(err)
		}
		if len(ids) == 0 {
			err := flush(ctx)
			return n, err
		}
		rules, err := s.st.AlertRules(ctx)
		if err != nil {
			return fail(err)
		}
		var due []int64
		for _, id := range ids {
			after = id
			if err := ctx.Err(); err != nil {
				return fail(err)
			}
			if mode != RefreshAll {
				ok, err := s.viewDue(ctx, id, mode)
				if err != nil {
					return fail(err)
				}
				if !ok {
					continue
				}
			}
			due = append(due, id)
		}
		for len(due) > 0 {
			group := due[:min(len(due), viewGroup)]
			due = due[len(group):]
			views, err := s.buildViews(ctx, group)
			if err != nil {
				return fail(err)
			}
			for _, v := range views {
				if !alertsWatch(rules, v.Story) {
					batch, size = append(batch, v), size+len(v.Data)
					if len(batch) >= viewBatch || size >= viewBatchBytes {
						if err := flush(ctx); err != nil {
							return fail(err)
						}
					}
					continue
				}
				if err := s.saveViewAlerts(ctx, v, rules); err != nil {
					return fail(err)
				}
				n++
				if v.Articles == 0 {
					// A story merged away: its story rules now follow the
					// story it went into, which may come later in this
					// refresh and must be compared under them.
					if rules, err = s.st.AlertRules(ctx); err != nil {
						return fail(err)
					}
				}
			}
		}
	}
}

// viewGroup is how many views are built at once, on as many goroutines as
// there are processors: a view is built from the store's readers and
// the pure story package, so views build side by side while the writer
// waits for them (a refresh holds up ingest, and built one at a time it
// used one core of several).
const viewGroup = 16

// buildViews builds the views of ids side by side, in the order of ids,
// all stamped with one time. A panic in a build is an error of that
// story, as it would be on the caller's goroutine (the API recovers
// there).
func (s *Service) buildViews(ctx context.Context, ids []int64) ([]store.StoryView, error) {
	out := make([]store.StoryView, len(ids))
	errs := make([]error, len(ids))
	now := s.cfg.now()
	next := make(chan int)
	var wg sync.WaitGroup
	build := func(i int) {
		defer func() {
			if r := recover(); r != nil {
				errs[i] = fmt.Errorf("pipeline: story %d view: panic: %v\n%s", ids[i], r, debug.Stack())
			}
		}()
		out[i], errs[i] = s.buildViewAt(ctx, s.st, ids[i], now)
	}
	for range min(len(ids), runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				build(i)
			}
		}()
	}
	for i := range ids {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ViewWork counts what building story views has cost a Service since it
// opened: the views built, the articles they read, and of those read for
// detail how many were found in the memo, restored from the store into it
// (counted among the hits too) and derived again.
type ViewWork struct {
	Views, Read, MemoHits, Restored, Derived int64
}

// ViewWork returns what building views has cost so far (see ViewWork).
func (s *Service) ViewWork() ViewWork {
	w := ViewWork{Views: s.viewsBuilt.Load(), Read: s.viewsRead.Load(), Restored: s.viewsRestored.Load()}
	if s.viewMemo != nil {
		w.MemoHits, w.Derived = s.viewMemo.Counts()
	}
	return w
}

// viewDue says whether a marked story's view is to be rebuilt in mode.
func (s *Service) viewDue(ctx context.Context, id int64, mode ViewRefresh) (bool, error) {
	g, err := s.st.ViewGrowth(ctx, id)
	if err != nil {
		return false, err
	}
	switch {
	case g.Built < 0 || g.Articles == 0:
		return true, nil // a new story, or one merged away
	case mode == RefreshDue && s.cfg.now().Sub(g.Updated) >= viewLag:
		return true, nil
	}
	return abs(g.Articles-g.Built) >= max(1, g.Built/4), nil
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// buildViewFrom computes the view of one story from its articles in r
// (the store, or a snapshot for an export): the cost is that story's,
// never the archive's.
func (s *Service) buildViewFrom(ctx context.Context, r store.Reader, id int64) (store.StoryView, error) {
	return s.buildViewAt(ctx, r, id, s.cfg.now())
}

// buildViewAt is buildViewFrom with the view stamped as built at now.
func (s *Service) buildViewAt(ctx context.Context, r store.Reader, id int64, now time.Time) (store.StoryView, error) {
	// The story streams by: its coverage is counted over every article,
	// its details are built from the latest story.MaxDetail, so a view's
	// memory is bounded however large the story grows.
	var t story.Tally
	ring := make([]news.Stored, 0, 64)
	start := 0
	ents := map[string]int{}
	err := r.StoryArticles(ctx, id, func(a news.Stored) error {
		t.Add(a)
		seen := map[string]bool{}
		for _, m := range a.Facts.Mentions {
			if !seen[m.Entity] {
				seen[m.Entity] = true
				ents[m.Entity]++
			}
		}
		if len(ring) < story.MaxDetail {
			ring = append(ring, a)
		} else {
			ring[start] = a
			start = (start + 1) % story.MaxDetail
		}
		return nil
	})
	if err != nil {
		return store.StoryView{}, err
	}
	s.viewsBuilt.Add(1)
	s.viewsRead.Add(int64(t.Articles()))
	sv := store.StoryView{Story: id, Articles: t.Articles(), Updated: now}
	if t.Articles() == 0 {
		return sv, nil // merged away: the view is deleted
	}
	arts := append(append([]news.Stored(nil), ring[start:]...), ring[:start]...)
	if err := s.restoreDerived(ctx, r, arts); err != nil {
		return sv, fmt.Errorf("pipeline: story %d view: %w", id, err)
	}
	v := t.View(id, arts, s.viewMemo)
	if s.viewMemo != nil {
		// What this view derived, and what views built for an export
		// derived and did not save, is saved with this view.
		sv.Derived = s.viewMemo.Unsaved(arts)
	}
	data, err := json.Marshal(v)
	if err != nil {
		return sv, fmt.Errorf("pipeline: story %d view: %w", id, err)
	}
	sv.Title, sv.Summary, sv.First, sv.Latest, sv.Data = v.Title, v.Summary, v.First, v.Latest, data
	for _, c := range v.Coverage.Languages {
		sv.Facets = append(sv.Facets, store.Facet{Kind: "lang", Value: c.Key, N: c.N})
	}
	for _, c := range v.Coverage.Outlets {
		sv.Facets = append(sv.Facets, store.Facet{Kind: "outlet", Value: c.Key, N: c.N})
	}
	for _, c := range v.Coverage.Days {
		sv.Facets = append(sv.Facets, store.Facet{Kind: "day", Value: c.Key, N: c.N})
	}
	for e, n := range ents {
		sv.Facets = append(sv.Facets, store.Facet{Kind: "entity", Value: e, N: n})
	}
	return sv, nil
}

// restoreDerived fills the view memo, for the articles of arts it lacks,
// with what earlier builds derived from them and saved (a view's cost is
// mostly derivation: without this, a story rebuilt after its articles
// left the bounded memo, as in a long ingest or a new process, was
// analysed again, and the larger the archive, the more often).
func (s *Service) restoreDerived(ctx context.Context, r store.Reader, arts []news.Stored) error {
	if s.viewMemo == nil {
		return nil
	}
	miss := s.viewMemo.Missing(arts)
	if len(miss) == 0 {
		return nil
	}
	ids := make([]int64, len(miss))
	for i, k := range miss {
		ids[i] = arts[k].ID
	}
	stored, err := r.ArticleDerived(ctx, ids)
	if err != nil {
		return err
	}
	for _, k := range miss {
		if b, ok := stored[arts[k].ID]; ok && s.viewMemo.Restore(arts[k], b) {
			s.viewsRestored.Add(1)
		}
	}
	return nil
}
