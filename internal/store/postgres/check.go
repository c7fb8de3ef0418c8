package postgres

import (
	"context"
	"fmt"

	"dossier/internal/store"
)

var _ store.Checker = (*DB)(nil)

// orphans are queries counting records that the schema's foreign keys
// cannot keep in order.
var orphans = []struct{ what, query string }{
	{"articles with no source", `SELECT COUNT(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM article_sources s WHERE s.article_id = a.id)`},
	{"articles in no story", `SELECT COUNT(*) FROM articles a LEFT JOIN clusters c ON c.article_id = a.id WHERE c.article_id IS NULL`},
	{"story views of stories with no article", `SELECT COUNT(*) FROM story_views v WHERE NOT EXISTS (SELECT 1 FROM clusters c WHERE c.story = v.story)`},
	{"stories with no view", `SELECT COUNT(DISTINCT c.story) FROM clusters c LEFT JOIN story_views v ON v.story = c.story WHERE v.story IS NULL AND c.story NOT IN (SELECT story FROM dirty_stories)`},
}

// Check implements store.Checker. PostgreSQL keeps its own files sound
// (write-ahead log, checksums when enabled) and its foreign keys keep
// sources, figures and mentions attached; the check counts what the store
// holds and runs the orphan queries for what the schema cannot enforce.
func (s *DB) Check(ctx context.Context) (store.CheckReport, error) {
	var r store.CheckReport
	var err error
	if r.Stats, err = s.Stats(ctx); err != nil {
		return r, err
	}
	for _, o := range orphans {
		var n int
		if err := s.pool.QueryRow(ctx, o.query).Scan(&n); err != nil {
			return r, fmt.Errorf("postgres: check %s: %s: %w", s.name, o.what, err)
		}
		if n > 0 {
			r.Problems = append(r.Problems, fmt.Sprintf("%d %s", n, o.what))
		}
	}
	return r, nil
}
