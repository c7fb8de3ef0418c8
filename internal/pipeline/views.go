package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
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

func (s *Service) refreshViews(ctx context.Context) (int, error) { return s.refresh(ctx, false) }

// RefreshDue rebuilds the views that are due (refreshDue); a server calls
// it now and then, so that no view trails its story by much more than
// viewLag while nothing else writes.
func (s *Service) RefreshDue(ctx context.Context) (int, error) {
	if s.readOnly {
		return 0, ErrReadOnly
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refresh(ctx, true)
}

// refreshDue rebuilds the views of the changed stories that are due: a
// story's view is rebuilt when the story is small, when it has grown by a
// tenth since the view was built, or when the view is viewLag old; the
// others stay marked for a later refresh. Rebuilding a
// story costs time in proportion to its articles (up to story.MaxDetail),
// so rebuilding a large story for every article that joins it made an
// article's cost grow with the story; rebuilt every tenth, a story of n
// articles costs about ten rebuilds' worth per n, whatever n is.
func (s *Service) refreshDue(ctx context.Context) (int, error) { return s.refresh(ctx, true) }

// viewLag is the longest a changed story's view waits when its story
// has not grown enough to be rebuilt (refreshDue); stories of fewer than
// smallStory articles, cheap to rebuild, never wait.
const (
	viewLag    = time.Minute
	smallStory = 50
)

func (s *Service) refresh(ctx context.Context, lazy bool) (int, error) {
	n := 0
	var after int64
	for {
		ids, err := s.st.DirtyStories(ctx, after, 256)
		if err != nil {
			return n, err
		}
		if len(ids) == 0 {
			return n, nil
		}
		for _, id := range ids {
			after = id
			if err := ctx.Err(); err != nil {
				return n, err
			}
			if lazy {
				due, err := s.viewDue(ctx, id)
				if err != nil {
					return n, err
				}
				if !due {
					continue
				}
			}
			v, err := s.buildView(ctx, id)
			if err != nil {
				return n, err
			}
			if err := s.saveView(ctx, v); err != nil {
				return n, err
			}
			n++
		}
	}
}

// viewDue says whether a changed story's view is to be rebuilt now.
func (s *Service) viewDue(ctx context.Context, id int64) (bool, error) {
	g, err := s.st.ViewGrowth(ctx, id)
	if err != nil {
		return false, err
	}
	if g.Built < smallStory || g.Articles == 0 || s.cfg.now().Sub(g.Updated) >= viewLag {
		return true, nil // a new or small story, one merged away, or a view old enough
	}
	return abs(g.Articles-g.Built) >= g.Built/10, nil
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// buildView computes the view of one story from its articles: the cost is
// that story's, never the archive's.
func (s *Service) buildView(ctx context.Context, id int64) (store.StoryView, error) {
	// The story streams by: its coverage is counted over every article,
	// its details are built from the latest story.MaxDetail, so a view's
	// memory is bounded however large the story grows.
	var t story.Tally
	ring := make([]news.Stored, 0, 64)
	start := 0
	ents := map[string]int{}
	err := s.st.StoryArticles(ctx, id, func(a news.Stored) error {
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
	sv := store.StoryView{Story: id, Articles: t.Articles(), Updated: s.cfg.now()}
	if t.Articles() == 0 {
		return sv, nil // merged away: the view is deleted
	}
	arts := append(append([]news.Stored(nil), ring[start:]...), ring[:start]...)
	v := t.View(id, arts)
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
