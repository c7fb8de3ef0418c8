package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"dossier/internal/export"
	"dossier/internal/news"
	"dossier/internal/store"
	"dossier/internal/story"
)

// Export writes the JSON export (format "json") or the Markdown report
// ("markdown") of everything stored, from one consistent snapshot and the
// stored story views. It streams: memory does not grow with the archive.
func (s *Service) Export(ctx context.Context, w io.Writer, format string) error {
	return s.st.ReadTx(ctx, func(r store.Reader) error {
		dirty, err := markedStories(ctx, r)
		if err != nil {
			return err
		}
		src := snapshot{r: r, svc: s, dirty: dirty}
		var _ export.Snapshot = src
		switch format {
		case "json":
			return export.WriteJSON(ctx, w, src, s.cfg.now())
		case "markdown":
			return export.WriteMarkdown(ctx, w, src, s.cfg.now())
		}
		return fmt.Errorf("pipeline: export: unknown format %q", format)
	})
}

// snapshot is an export.Source over a store snapshot. The views of the
// stories marked for a refresh (dirty), which a writer leaves until they
// have grown enough (see grownViews), are built from the snapshot's
// articles as the export goes: an export is exact whatever the writer left.
type snapshot struct {
	r     store.Reader
	svc   *Service
	dirty map[int64]bool
}

// markedStories returns the stories whose stored views are to be rebuilt.
func markedStories(ctx context.Context, r store.Reader) (map[int64]bool, error) {
	out := map[int64]bool{}
	var after int64
	for {
		ids, err := r.DirtyStories(ctx, after, 4096)
		if err != nil || len(ids) == 0 {
			return out, err
		}
		for _, id := range ids {
			out[id] = true
		}
		after = ids[len(ids)-1]
	}
}

func (s snapshot) Articles(ctx context.Context, fn func(news.Stored) error) error {
	return s.r.Articles(ctx, fn)
}

func (s snapshot) Stories(ctx context.Context, fn func(story.View) error) error {
	return s.r.EachStoryView(ctx, func(sv store.StoryView) error {
		if s.dirty[sv.Story] {
			fresh, err := s.svc.buildViewFrom(ctx, s.r, sv.Story)
			if err != nil {
				return err
			}
			if fresh.Articles == 0 {
				return nil // merged away since its view was stored
			}
			sv = fresh
		}
		var v story.View
		if err := json.Unmarshal(sv.Data, &v); err != nil {
			return fmt.Errorf("story %d: stored view: %w", sv.Story, err)
		}
		return fn(v)
	})
}

func (s snapshot) Mentions(ctx context.Context, fn func(news.Mention, int64) error) error {
	return s.r.EachMention(ctx, fn)
}

func (s snapshot) ClusterChanges(ctx context.Context, fn func(news.ClusterChange) error) error {
	cs, err := s.r.ClusterChanges(ctx)
	if err != nil {
		return err
	}
	for _, c := range cs {
		if err := fn(c); err != nil {
			return err
		}
	}
	return nil
}

func (s snapshot) Counts(ctx context.Context) (int, map[string]int, int, error) {
	st, err := s.r.Stats(ctx)
	return st.Articles, st.Languages, st.Stories, err
}
