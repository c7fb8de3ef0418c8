package sqlite

import (
	"context"
	"fmt"

	"dossier/internal/store"
)

var _ store.Handoff = (*DB)(nil)

// AddAnalysed implements store.Handoff.
func (s *DB) AddAnalysed(ctx context.Context, a store.Analysed) error {
	if err := s.writable(); err != nil {
		return err
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO analysed (seq, input, data, added) VALUES (?, ?, ?, ?) ON CONFLICT (seq) DO NOTHING`,
		a.Seq, a.Input, a.Data, ts(s.now()))
	if err != nil {
		return fmt.Errorf("sqlite: keep analysed page %d (%s): %w", a.Seq, a.Input, err)
	}
	return nil
}

// Analysed implements store.Handoff.
func (s *DB) Analysed(ctx context.Context, limit int) ([]store.Analysed, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT seq, input, data FROM analysed ORDER BY seq LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: analysed pages: %w", err)
	}
	defer rows.Close()
	var out []store.Analysed
	for rows.Next() {
		var a store.Analysed
		if err := rows.Scan(&a.Seq, &a.Input, &a.Data); err != nil {
			return nil, fmt.Errorf("sqlite: analysed pages: %w", err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: analysed pages: %w", err)
	}
	return out, nil
}

// DropAnalysed implements store.Handoff.
func (s *DB) DropAnalysed(ctx context.Context, seq int64) error {
	if err := s.writable(); err != nil {
		return err
	}
	if _, err := s.db.ExecContext(ctx, `DELETE FROM analysed WHERE seq = ?`, seq); err != nil {
		return fmt.Errorf("sqlite: drop analysed page %d: %w", seq, err)
	}
	return nil
}
