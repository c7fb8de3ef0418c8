package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"dossier/internal/store"
)

var (
	_ store.Checker  = (*DB)(nil)
	_ store.BackerUp = (*DB)(nil)
)

// orphans are queries counting rows that point at nothing.
var orphans = []struct{ what, query string }{
	{"sources of missing articles", `SELECT COUNT(*) FROM article_sources s LEFT JOIN articles a ON a.id = s.article_id WHERE a.id IS NULL`},
	{"sources of missing pages", `SELECT COUNT(*) FROM article_sources s LEFT JOIN pages p ON p.id = s.page_id WHERE p.id IS NULL`},
	{"articles with no source", `SELECT COUNT(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM article_sources s WHERE s.article_id = a.id)`},
	{"articles in no story", `SELECT COUNT(*) FROM articles a LEFT JOIN clusters c ON c.article_id = a.id WHERE c.article_id IS NULL`},
	{"figures of missing articles", `SELECT COUNT(*) FROM figures f LEFT JOIN articles a ON a.id = f.article_id WHERE a.id IS NULL`},
	{"mentions of missing articles", `SELECT COUNT(*) FROM mentions m LEFT JOIN articles a ON a.id = m.article_id WHERE a.id IS NULL`},
	{"story views of stories with no article", `SELECT COUNT(*) FROM story_views v WHERE NOT EXISTS (SELECT 1 FROM clusters c WHERE c.story = v.story)`},
	{"stories with no view", `SELECT COUNT(DISTINCT c.story) FROM clusters c LEFT JOIN story_views v ON v.story = c.story WHERE v.story IS NULL AND c.story NOT IN (SELECT story FROM dirty_stories)`},
}

// Check implements store.Checker: SQLite's integrity check, the counts,
// and the orphan queries.
func (s *DB) Check(ctx context.Context) (store.CheckReport, error) {
	var r store.CheckReport
	err := s.each(ctx, `PRAGMA integrity_check`, nil, func(rows *sql.Rows) error {
		var msg string
		if err := rows.Scan(&msg); err != nil {
			return err
		}
		if msg != "ok" {
			r.Problems = append(r.Problems, "integrity: "+msg)
		}
		return nil
	})
	if err != nil {
		return r, fmt.Errorf("sqlite: check %s: %w", s.path, err)
	}
	if r.Stats, err = s.Stats(ctx); err != nil {
		return r, err
	}
	for _, o := range orphans {
		var n int
		if err := s.q.QueryRowContext(ctx, o.query).Scan(&n); err != nil {
			return r, fmt.Errorf("sqlite: check %s: %s: %w", s.path, o.what, err)
		}
		if n > 0 {
			r.Problems = append(r.Problems, fmt.Sprintf("%d %s", n, o.what))
		}
	}
	return r, nil
}

// Backup implements store.BackerUp with VACUUM INTO: a consistent, compact
// copy of the live database, taken inside one read transaction.
func (s *DB) Backup(ctx context.Context, dest string) error {
	if _, err := os.Stat(dest); err == nil {
		return fmt.Errorf("sqlite: backup: %s exists; give a new file", dest)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("sqlite: backup: %w", err)
	}
	conn, err := s.rdb.Conn(ctx)
	if err != nil {
		return fmt.Errorf("sqlite: backup: %w", err)
	}
	defer conn.Close()
	// VACUUM INTO writes a new file; query_only would refuse it.
	if _, err := conn.ExecContext(ctx, `PRAGMA query_only = 0`); err != nil {
		return fmt.Errorf("sqlite: backup: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `PRAGMA query_only = 1`)
	if _, err := conn.ExecContext(ctx, `VACUUM INTO ?`, dest); err != nil {
		return fmt.Errorf("sqlite: backup to %s: %w", dest, err)
	}
	return nil
}
