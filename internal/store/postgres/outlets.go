package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"dossier/internal/store"
)

// Outlets implements store.Reader.
func (s *reader) Outlets(ctx context.Context) ([]store.Outlet, error) {
	var acc store.Outlets
	err := s.each(ctx, `SELECT site, language, n, first, last FROM outlet_counts`, nil, func(rows pgx.Rows) error {
		var site, lang string
		var n int
		var first, last *time.Time
		if err := rows.Scan(&site, &lang, &n, &first, &last); err != nil {
			return err
		}
		var f, l time.Time
		if first != nil {
			f = first.UTC()
		}
		if last != nil {
			l = last.UTC()
		}
		acc.Add(site, lang, n, f, l)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: outlets: %w", err)
	}
	return acc.List(), nil
}
