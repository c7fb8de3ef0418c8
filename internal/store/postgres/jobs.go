package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"dossier/internal/store"
)

var _ store.Handoff = (*DB)(nil)

// AddAnalysed implements store.Handoff.
func (s *DB) AddAnalysed(ctx context.Context, a store.Analysed) error {
	if err := s.writable(); err != nil {
		return err
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO analysed (seq, input, data) VALUES ($1, $2, $3) ON CONFLICT (seq) DO NOTHING`,
		a.Seq, a.Input, a.Data)
	if err != nil {
		return fmt.Errorf("postgres: keep analysed page %d (%s): %w", a.Seq, a.Input, err)
	}
	return nil
}

// Analysed implements store.Handoff.
func (s *DB) Analysed(ctx context.Context, limit int) ([]store.Analysed, error) {
	rows, err := s.pool.Query(ctx, `SELECT seq, input, data FROM analysed ORDER BY seq LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: analysed pages: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.Analysed, error) {
		var a store.Analysed
		err := r.Scan(&a.Seq, &a.Input, &a.Data)
		return a, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: analysed pages: %w", err)
	}
	return out, nil
}

// DropAnalysed implements store.Handoff.
func (s *DB) DropAnalysed(ctx context.Context, seq int64) error {
	if err := s.writable(); err != nil {
		return err
	}
	if _, err := s.pool.Exec(ctx, `DELETE FROM analysed WHERE seq = $1`, seq); err != nil {
		return fmt.Errorf("postgres: drop analysed page %d: %w", seq, err)
	}
	return nil
}
