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
			if err := s.st.SaveStoryView(ctx, v); err != nil {
				return n, err
			}
			n++
		}
	}
}

// buildView computes the view of one story from its articles: the cost is
// that story's, never the archive's.
func (s *Service) buildView(ctx context.Context, id int64) (store.StoryView, error) {
	var arts []news.Stored
	if err := s.st.StoryArticles(ctx, id, func(a news.Stored) error { arts = append(arts, a); return nil }); err != nil {
		return store.StoryView{}, err
	}
	sv := store.StoryView{Story: id, Articles: len(arts), Updated: s.cfg.now()}
	if len(arts) == 0 {
		return sv, nil // merged away: the view is deleted
	}
	v := story.NewView(id, arts)
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
	ents := map[string]int{}
	for _, a := range arts {
		seen := map[string]bool{}
		for _, m := range a.Facts.Mentions {
			if !seen[m.Entity] {
				seen[m.Entity] = true
				ents[m.Entity]++
			}
		}
	}
	for e, n := range ents {
		sv.Facets = append(sv.Facets, store.Facet{Kind: "entity", Value: e, N: n})
	}
	return sv, nil
}
