package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"dossier/internal/news"
	"dossier/internal/store"
)

var _ store.Dumper = (*DB)(nil)

// EachPage implements store.Dumper.
func (s *DB) EachPage(ctx context.Context, fn func(store.PageRow) error) error {
	after := int64(0)
	for {
		var page []store.PageRow
		err := s.each(ctx, `SELECT id, key, body_hash, origin, file, ext_id, url, captured, format, added FROM pages
			WHERE id > ? ORDER BY id LIMIT ?`, []any{after, chunk}, func(rows *sql.Rows) error {
			var p store.PageRow
			var captured, added sql.NullString
			var format string
			if err := rows.Scan(&p.ID, &p.Key, &p.BodyHash, &p.Origin, &p.File, &p.Page.ID, &p.URL, &captured, &format, &added); err != nil {
				return err
			}
			p.Captured, p.Added, p.Format = parseTime(captured), parseTime(added), news.Format(format)
			page = append(page, p)
			return nil
		})
		if err != nil {
			return fmt.Errorf("sqlite: pages: %w", err)
		}
		for _, p := range page {
			if err := fn(p); err != nil {
				return err
			}
		}
		if len(page) < chunk {
			return nil
		}
		after = page[len(page)-1].ID
	}
}

// EachSource implements store.Dumper.
func (s *DB) EachSource(ctx context.Context, fn func(store.SourceRow) error) error {
	var last store.SourceRow
	last.Index = -1
	for {
		var page []store.SourceRow
		err := s.each(ctx, `SELECT page_id, idx, article_id, title FROM article_sources
			WHERE page_id > ? OR (page_id = ? AND idx > ?) ORDER BY page_id, idx LIMIT ?`, []any{last.Page, last.Page, last.Index, chunk},
			func(rows *sql.Rows) error {
				var r store.SourceRow
				if err := rows.Scan(&r.Page, &r.Index, &r.Article, &r.Title); err != nil {
					return err
				}
				page = append(page, r)
				return nil
			})
		if err != nil {
			return fmt.Errorf("sqlite: sources: %w", err)
		}
		for _, r := range page {
			if err := fn(r); err != nil {
				return err
			}
		}
		if len(page) < chunk {
			return nil
		}
		last = page[len(page)-1]
	}
}

// ArticleExtras implements store.Dumper.
func (s *DB) ArticleExtras(ctx context.Context, ids []int64) (map[int64][]int64, map[int64][]string, error) {
	bands, ents := map[int64][]int64{}, map[int64][]string{}
	if len(ids) == 0 {
		return bands, ents, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	in := `(?` + strings.Repeat(",?", len(ids)-1) + `)`
	err := s.each(ctx, `SELECT article_id, band FROM article_bands WHERE article_id IN `+in+` ORDER BY rowid`, args, func(rows *sql.Rows) error {
		var id, b int64
		if err := rows.Scan(&id, &b); err != nil {
			return err
		}
		bands[id] = append(bands[id], b)
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("sqlite: bands: %w", err)
	}
	err = s.each(ctx, `SELECT article_id, source_entity FROM figures WHERE article_id IN `+in+` ORDER BY article_id, idx`, args, func(rows *sql.Rows) error {
		var id int64
		var e string
		if err := rows.Scan(&id, &e); err != nil {
			return err
		}
		ents[id] = append(ents[id], e)
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("sqlite: figure sources: %w", err)
	}
	return bands, ents, nil
}

// EachFeedState implements store.Dumper.
func (s *DB) EachFeedState(ctx context.Context, fn func(store.FeedState) error) error {
	var all []store.FeedState
	err := s.each(ctx, `SELECT url, etag, last_modified, checked FROM feed_state ORDER BY url`, nil, func(rows *sql.Rows) error {
		var f store.FeedState
		var checked sql.NullString
		if err := rows.Scan(&f.URL, &f.ETag, &f.LastModified, &checked); err != nil {
			return err
		}
		f.Checked = parseTime(checked)
		all = append(all, f)
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlite: feed states: %w", err)
	}
	for _, f := range all {
		if err := fn(f); err != nil {
			return err
		}
	}
	return nil
}

// StoryFacets implements store.Dumper.
func (s *DB) StoryFacets(ctx context.Context, story int64) ([]store.Facet, error) {
	var out []store.Facet
	err := s.each(ctx, `SELECT kind, value, n FROM story_facets WHERE story = ? ORDER BY kind, n DESC, value`, []any{story},
		func(rows *sql.Rows) error {
			var f store.Facet
			if err := rows.Scan(&f.Kind, &f.Value, &f.N); err != nil {
				return err
			}
			out = append(out, f)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("sqlite: facets of story %d: %w", story, err)
	}
	return out, nil
}
