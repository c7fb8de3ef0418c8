package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"dossier/internal/news"
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

// ArticleTexts implements store.Reader.
func (s *reader) ArticleTexts(ctx context.Context, ids []int64) ([]news.Stored, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var out []news.Stored
	err := s.each(ctx, `SELECT id, hash, title, body, byline, site, language, published_earliest, published_latest, published_basis, added,
		c.story, c.event FROM articles a LEFT JOIN clusters c ON c.article_id = a.id
		WHERE a.id = ANY($1) ORDER BY a.id`, []any{ids}, func(rows pgx.Rows) error {
		var a news.Stored
		var pe, pl pgtype.Timestamptz
		var st, ev pgtype.Int8
		if err := rows.Scan(&a.ID, &a.Hash, &a.Title, &a.Text, &a.Byline, &a.Site, &a.Language, &pe, &pl, &a.Published.Basis, &a.Added,
			&st, &ev); err != nil {
			return err
		}
		a.Story, a.Event = st.Int64, ev.Int64
		a.Published.Earliest, a.Published.Latest, a.Added = tsOf(pe), tsOf(pl), a.Added.UTC()
		out = append(out, a)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: article texts: %w", err)
	}
	return out, nil
}

// MergedInto implements store.Reader.
func (s *reader) MergedInto(ctx context.Context, story int64) (int64, error) {
	var into int64
	err := s.q.QueryRow(ctx, `SELECT into_id FROM cluster_changes
		WHERE level = 'story' AND from_id = $1 AND kind = 'merge' ORDER BY id DESC LIMIT 1`, story).Scan(&into)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, fmt.Errorf("postgres: story %d merged: %w", story, store.ErrNotFound)
	}
	if err != nil {
		return 0, fmt.Errorf("postgres: story %d merged: %w", story, err)
	}
	return into, nil
}
