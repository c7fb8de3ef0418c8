package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"dossier/internal/news"
)

// stamper reads PRAGMA data_version on a connection of its own that never
// writes: the value changes whenever another connection commits (this
// process's writer, or any other process), and reading it touches no
// table. Values are per connection, so a new connection starts a new
// epoch, and stamps of two connections never compare equal.
type stamper struct {
	mu    sync.Mutex
	db    *sql.DB
	conn  *sql.Conn
	epoch int64
}

func newStamper(dsn string) (*stamper, error) {
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	return &stamper{db: db}, nil
}

func (st *stamper) stamp(ctx context.Context) (string, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.conn == nil {
		c, err := st.db.Conn(ctx)
		if err != nil {
			return "", fmt.Errorf("sqlite: stamp: %w", err)
		}
		st.conn = c
		st.epoch++
	}
	var v int64
	if err := st.conn.QueryRowContext(ctx, `PRAGMA data_version`).Scan(&v); err != nil {
		st.conn.Close()
		st.conn = nil
		return "", fmt.Errorf("sqlite: stamp: %w", err)
	}
	return strconv.FormatInt(st.epoch, 10) + "." + strconv.FormatInt(v, 10), nil
}

func (st *stamper) close() error {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.conn != nil {
		st.conn.Close()
		st.conn = nil
	}
	return st.db.Close()
}

// Stamp implements store.Reader.
func (s *reader) Stamp(ctx context.Context) (string, error) {
	return s.stamper.stamp(ctx)
}

// StoryStamp implements store.Reader.
func (s *reader) StoryStamp(ctx context.Context, story int64) (time.Time, error) {
	var updated string
	if err := s.q.QueryRowContext(ctx, `SELECT updated FROM story_views WHERE story = ?`, story).Scan(&updated); err != nil {
		return time.Time{}, fmt.Errorf("sqlite: story %d: %w", story, notFound(err))
	}
	return parseTime(sql.NullString{String: updated, Valid: true}), nil
}

// ArticleTexts implements store.Reader.
func (s *reader) ArticleTexts(ctx context.Context, ids []int64) ([]news.Stored, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	var out []news.Stored
	err := s.each(ctx, `SELECT id, hash, title, body, byline, site, language, published_earliest, published_latest, published_basis, added,
		c.story, c.event FROM articles a LEFT JOIN clusters c ON c.article_id = a.id
		WHERE a.id IN (?`+strings.Repeat(",?", len(ids)-1)+`) ORDER BY a.id`, args, func(rows *sql.Rows) error {
		var a news.Stored
		var pe, pl, added sql.NullString
		var st, ev sql.NullInt64
		if err := rows.Scan(&a.ID, &a.Hash, &a.Title, &a.Text, &a.Byline, &a.Site, &a.Language, &pe, &pl, &a.Published.Basis, &added,
			&st, &ev); err != nil {
			return err
		}
		a.Story, a.Event = st.Int64, ev.Int64
		a.Published.Earliest, a.Published.Latest, a.Added = parseTime(pe), parseTime(pl), parseTime(added)
		out = append(out, a)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sqlite: article texts: %w", err)
	}
	return out, nil
}

// MergedInto implements store.Reader.
func (s *reader) MergedInto(ctx context.Context, story int64) (int64, error) {
	var into int64
	err := s.q.QueryRowContext(ctx, `SELECT into_id FROM cluster_changes
		WHERE level = 'story' AND from_id = ? AND kind = 'merge' ORDER BY id DESC LIMIT 1`, story).Scan(&into)
	if err != nil {
		return 0, fmt.Errorf("sqlite: story %d merged: %w", story, notFound(err))
	}
	return into, nil
}
