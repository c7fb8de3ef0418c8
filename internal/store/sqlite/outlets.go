package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"dossier/internal/store"
)

// Outlets implements store.Reader.
func (s *reader) Outlets(ctx context.Context) ([]store.Outlet, error) {
	var acc store.Outlets
	err := s.each(ctx, `SELECT site, language, n, first, last FROM outlet_counts`, nil, func(rows *sql.Rows) error {
		var site, lang string
		var n int
		var first, last sql.NullString
		if err := rows.Scan(&site, &lang, &n, &first, &last); err != nil {
			return err
		}
		acc.Add(site, lang, n, parseTime(first), parseTime(last))
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sqlite: outlets: %w", err)
	}
	return acc.List(), nil
}
