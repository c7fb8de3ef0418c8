package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"dossier/internal/store"
)

// Stamp implements store.Reader: data_stamp's counter, which a statement
// trigger on every table the reads show bumps in the writing transaction
// (migration 005), so a stamp that reads the same saw no commit between.
func (s *reader) Stamp(ctx context.Context) (string, error) {
	var n int64
	if err := s.q.QueryRow(ctx, `SELECT n FROM data_stamp`).Scan(&n); err != nil {
		return "", fmt.Errorf("postgres: stamp: %w", err)
	}
	return strconv.FormatInt(n, 10), nil
}

// StoryStamp implements store.Reader.
func (s *reader) StoryStamp(ctx context.Context, story int64) (time.Time, error) {
	var updated time.Time
	err := s.q.QueryRow(ctx, `SELECT updated FROM story_views WHERE story = $1`, story).Scan(&updated)
	if errors.Is(err, pgx.ErrNoRows) {
		return updated, fmt.Errorf("postgres: story %d: %w", story, store.ErrNotFound)
	}
	if err != nil {
		return updated, fmt.Errorf("postgres: story %d: %w", story, err)
	}
	return updated, nil
}
