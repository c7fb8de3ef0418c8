package pipeline

import (
	"context"
	"encoding/json"
	"fmt"

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

func (s *Service) refreshViews(ctx context.Context) (int, error) {
	n := 0
	for {
		ids, err := s.st.DirtyStories(ctx, 256)
		if err != nil {
			return n, err
		}
		if len(ids) == 0 {
			return n, nil
		}
		for _, id := range ids {
			if err := ctx.Err(); err != nil {
				return n, err
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
