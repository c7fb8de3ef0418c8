package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"

	"dossier/internal/export"
	"dossier/internal/news"
	"dossier/internal/store"
	"dossier/internal/story"
)

// ExportStory writes the JSON export (format "json") or the Markdown
// report ("markdown") of one story: its stored view, its articles, the
// entities they name and the merges and splits it took part in, in the
// export's own format. The cost is the story's, never the archive's.
func (s *Service) ExportStory(ctx context.Context, w io.Writer, id int64, format string) error {
	if format != "json" && format != "markdown" {
		return fmt.Errorf("pipeline: export: unknown format %q", format)
	}
	return s.st.ReadTx(ctx, func(r store.Reader) error {
		sv, err := r.StoryView(ctx, id)
		if err != nil {
			return err
		}
		// A story marked for a refresh the writer left for later (see
		// RefreshGrown) is exported from its articles, not its stale view.
		if marked, err := r.DirtyStories(ctx, id-1, 1); err != nil {
			return err
		} else if len(marked) == 1 && marked[0] == id {
			if sv, err = s.buildViewFrom(ctx, r, id); err != nil {
				return err
			}
			if sv.Articles == 0 {
				return fmt.Errorf("pipeline: story %d: merged into another: %w", id, store.ErrNotFound)
			}
		}
		var v story.View
		if err := json.Unmarshal(sv.Data, &v); err != nil {
			return fmt.Errorf("pipeline: story %d: stored view: %w", id, err)
		}
		src := storySnapshot{r: r, view: v}
		if format == "json" {
			return export.WriteJSON(ctx, w, src, s.cfg.now())
		}
		return export.WriteMarkdown(ctx, w, src, s.cfg.now())
	})
}

// storySnapshot is an export.Snapshot of one story.
type storySnapshot struct {
	r    store.Reader
	view story.View
}

func (s storySnapshot) Articles(ctx context.Context, fn func(news.Stored) error) error {
	return s.r.StoryArticles(ctx, s.view.ID, fn)
}

func (s storySnapshot) Stories(_ context.Context, fn func(story.View) error) error {
	return fn(s.view)
}

// Mentions reads the story's articles' mentions, ordered by entity and then
// article as the export wants them.
func (s storySnapshot) Mentions(ctx context.Context, fn func(news.Mention, int64) error) error {
	type am struct {
		m   news.Mention
		art int64
	}
	var all []am
	err := s.r.StoryArticles(ctx, s.view.ID, func(a news.Stored) error {
		for _, m := range a.Facts.Mentions {
			all = append(all, am{m, a.ID})
		}
		return nil
	})
	if err != nil {
		return err
	}
	sort.SliceStable(all, func(i, j int) bool {
		if all[i].m.Entity != all[j].m.Entity {
			return all[i].m.Entity < all[j].m.Entity
		}
		return all[i].art < all[j].art
	})
	for _, x := range all {
		if err := fn(x.m, x.art); err != nil {
			return err
		}
	}
	return nil
}

// ClusterChanges lists the story-level merges and splits into or out of
// this story, and the event-level ones of its events.
func (s storySnapshot) ClusterChanges(ctx context.Context, fn func(news.ClusterChange) error) error {
	cs, err := s.r.ClusterChanges(ctx)
	if err != nil {
		return err
	}
	events := map[int64]bool{}
	for _, e := range s.view.Events {
		events[e.ID] = true
	}
	for _, c := range cs {
		mine := (c.Level == "story" && (c.From == s.view.ID || c.Into == s.view.ID)) ||
			(c.Level == "event" && (events[c.From] || events[c.Into]))
		if !mine {
			continue
		}
		if err := fn(c); err != nil {
			return err
		}
	}
	return nil
}

func (s storySnapshot) Counts(ctx context.Context) (int, map[string]int, int, error) {
	n, langs := 0, map[string]int{}
	err := s.r.StoryArticles(ctx, s.view.ID, func(a news.Stored) error {
		n++
		langs[a.Language]++
		return nil
	})
	return n, langs, 1, err
}
