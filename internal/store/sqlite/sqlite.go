// Package sqlite implements store.Store on SQLite through modernc.org/sqlite,
// a pure-Go driver: no cgo, one static binary. The database runs in WAL mode
// with synchronous=NORMAL; every page is saved in its own transaction, so a
// crash loses at most the page being written.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"dossier/internal/news"
	"dossier/internal/store"
)

//go:embed migrations/*.sql
var migrations embed.FS

// DB is a SQLite store.
type DB struct {
	db  *sql.DB
	now func() time.Time
}

var _ store.Store = (*DB)(nil)

// Open opens (creating if needed) the database at path and brings its
// schema up to date.
func Open(ctx context.Context, path string) (*DB, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	dsn := "file:" + path + "?_txlock=immediate" +
		"&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)" +
		"&_pragma=busy_timeout(10000)&_pragma=foreign_keys(ON)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	db.SetMaxOpenConns(4)
	s := &DB{db: db, now: time.Now}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	return s, nil
}

// migrate applies the embedded migrations not yet applied, each in its own
// transaction, in file-name order.
func (s *DB) migrate(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	slices.Sort(names)
	for _, name := range names {
		v, err := strconv.Atoi(strings.SplitN(filepath.Base(name), "_", 2)[0])
		if err != nil {
			return fmt.Errorf("migrate: bad migration name %s", name)
		}
		var n int
		if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = ?`, v).Scan(&n); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		if n > 0 {
			continue
		}
		body, err := migrations.ReadFile(name)
		if err != nil {
			return err
		}
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("migrate %s: %w", name, err)
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate %s: %w", name, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied) VALUES (?, ?)`, v, ts(s.now())); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate %s: %w", name, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migrate %s: %w", name, err)
		}
	}
	return nil
}

// Close closes the database.
func (s *DB) Close() error { return s.db.Close() }

func ts(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return ts(t)
}

func parseTime(ns sql.NullString) time.Time {
	if !ns.Valid {
		return time.Time{}
	}
	t, _ := time.Parse(time.RFC3339Nano, ns.String)
	return t
}

// HasPage implements store.Store.
func (s *DB) HasPage(ctx context.Context, key, bodyHash string) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM pages WHERE key = ? AND body_hash = ?`, key, bodyHash).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("sqlite: has page %s: %w", key, err)
	}
	return n > 0, nil
}

// SavePage implements store.Store.
func (s *DB) SavePage(ctx context.Context, p store.Page, arts []store.NewArticle) (saved store.Saved, err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return saved, fmt.Errorf("sqlite: save page %s: %w", p.Key, err)
	}
	defer func() {
		if err != nil {
			tx.Rollback()
			err = fmt.Errorf("sqlite: save page %s: %w", p.Key, err)
		}
	}()
	now := ts(s.now())
	res, err := tx.ExecContext(ctx, `INSERT INTO pages (key, body_hash, origin, file, ext_id, url, captured, format, added)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key, body_hash) DO NOTHING`,
		p.Key, p.BodyHash, p.Origin, p.File, p.ID, p.URL, nullTime(p.Captured), string(p.Format), now)
	if err != nil {
		return saved, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		saved.Existed = true
		return saved, tx.Commit()
	}
	pageID, err := res.LastInsertId()
	if err != nil {
		return saved, err
	}
	for _, a := range arts {
		id := a.DuplicateOf
		if id == 0 {
			credits, _ := json.Marshal(nonNil(a.Credits))
			r, err := tx.ExecContext(ctx, `INSERT INTO articles (hash, title, body, byline, credits, site, language,
				published_earliest, published_latest, published_basis, added) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				a.Hash, a.Title, a.Text, a.Byline, string(credits), a.Site, a.Language,
				nullTime(a.Published.Earliest), nullTime(a.Published.Latest), a.Published.Basis, now)
			if err != nil {
				return saved, err
			}
			if id, err = r.LastInsertId(); err != nil {
				return saved, err
			}
			for _, b := range a.Bands {
				if _, err := tx.ExecContext(ctx, `INSERT INTO article_bands (band, article_id) VALUES (?, ?)`, b, id); err != nil {
					return saved, err
				}
			}
			saved.New++
		} else {
			saved.Dup++
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO article_sources (page_id, idx, article_id, title) VALUES (?, ?, ?, ?)`,
			pageID, a.Index, id, a.Title); err != nil {
			return saved, err
		}
		saved.IDs = append(saved.IDs, id)
	}
	return saved, tx.Commit()
}

func nonNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}

// Candidates implements store.Store.
func (s *DB) Candidates(ctx context.Context, hash string, bands []int64) ([]store.Candidate, error) {
	q := `SELECT id, hash, language, body FROM articles WHERE hash = ?`
	args := []any{hash}
	if len(bands) > 0 {
		q += ` OR id IN (SELECT article_id FROM article_bands WHERE band IN (?` + strings.Repeat(",?", len(bands)-1) + `))`
		for _, b := range bands {
			args = append(args, b)
		}
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: candidates: %w", err)
	}
	defer rows.Close()
	var cs []store.Candidate
	for rows.Next() {
		var c store.Candidate
		if err := rows.Scan(&c.ID, &c.Hash, &c.Language, &c.Text); err != nil {
			return nil, fmt.Errorf("sqlite: candidates: %w", err)
		}
		cs = append(cs, c)
	}
	return cs, rows.Err()
}

// Articles implements store.Store.
func (s *DB) Articles(ctx context.Context, fn func(news.Stored) error) error {
	sources, err := s.sources(ctx)
	if err != nil {
		return err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, hash, title, body, byline, credits, site, language,
		published_earliest, published_latest, published_basis, added FROM articles ORDER BY id`)
	if err != nil {
		return fmt.Errorf("sqlite: articles: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var a news.Stored
		var credits string
		var pe, pl, added sql.NullString
		if err := rows.Scan(&a.ID, &a.Hash, &a.Title, &a.Text, &a.Byline, &credits, &a.Site, &a.Language,
			&pe, &pl, &a.Published.Basis, &added); err != nil {
			return fmt.Errorf("sqlite: articles: %w", err)
		}
		_ = json.Unmarshal([]byte(credits), &a.Credits)
		a.Published.Earliest, a.Published.Latest, a.Added = parseTime(pe), parseTime(pl), parseTime(added)
		a.Sources = sources[a.ID]
		if len(a.Sources) > 0 {
			a.Index = a.Sources[0].Index
		}
		if err := fn(a); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sqlite: articles: %w", err)
	}
	return nil
}

func (s *DB) sources(ctx context.Context) (map[int64][]news.Source, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT s.article_id, p.key, p.file, p.ext_id, p.url, p.captured, s.idx, s.title
		FROM article_sources s JOIN pages p ON p.id = s.page_id ORDER BY s.article_id, p.id, s.idx`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: sources: %w", err)
	}
	defer rows.Close()
	m := map[int64][]news.Source{}
	for rows.Next() {
		var id int64
		var src news.Source
		var captured sql.NullString
		if err := rows.Scan(&id, &src.PageKey, &src.File, &src.ID, &src.URL, &captured, &src.Index, &src.Title); err != nil {
			return nil, fmt.Errorf("sqlite: sources: %w", err)
		}
		src.Captured = parseTime(captured)
		m[id] = append(m[id], src)
	}
	return m, rows.Err()
}

// RecordFailure implements store.Store.
func (s *DB) RecordFailure(ctx context.Context, f store.Failure) error {
	if f.At.IsZero() {
		f.At = s.now()
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO failures (input, error, at) VALUES (?, ?, ?)
		ON CONFLICT (input, error) DO UPDATE SET at = excluded.at`, f.Input, f.Err, ts(f.At))
	if err != nil {
		return fmt.Errorf("sqlite: record failure %s: %w", f.Input, err)
	}
	return nil
}

// Failures implements store.Store.
func (s *DB) Failures(ctx context.Context) ([]store.Failure, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT input, error, at FROM failures ORDER BY at DESC, input`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: failures: %w", err)
	}
	defer rows.Close()
	var fs []store.Failure
	for rows.Next() {
		var f store.Failure
		var at sql.NullString
		if err := rows.Scan(&f.Input, &f.Err, &at); err != nil {
			return nil, fmt.Errorf("sqlite: failures: %w", err)
		}
		f.At = parseTime(at)
		fs = append(fs, f)
	}
	return fs, rows.Err()
}

// FeedState implements store.Store.
func (s *DB) FeedState(ctx context.Context, url string) (store.FeedState, error) {
	st := store.FeedState{URL: url}
	var checked sql.NullString
	err := s.db.QueryRowContext(ctx, `SELECT etag, last_modified, checked FROM feed_state WHERE url = ?`, url).
		Scan(&st.ETag, &st.LastModified, &checked)
	if errors.Is(err, sql.ErrNoRows) {
		return st, store.ErrNotFound
	}
	if err != nil {
		return st, fmt.Errorf("sqlite: feed state %s: %w", url, err)
	}
	st.Checked = parseTime(checked)
	return st, nil
}

// SetFeedState implements store.Store.
func (s *DB) SetFeedState(ctx context.Context, st store.FeedState) error {
	if st.Checked.IsZero() {
		st.Checked = s.now()
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO feed_state (url, etag, last_modified, checked) VALUES (?, ?, ?, ?)
		ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified, checked = excluded.checked`,
		st.URL, st.ETag, st.LastModified, ts(st.Checked))
	if err != nil {
		return fmt.Errorf("sqlite: set feed state %s: %w", st.URL, err)
	}
	return nil
}

// Stats implements store.Store.
func (s *DB) Stats(ctx context.Context) (store.Stats, error) {
	st := store.Stats{Languages: map[string]int{}}
	for _, q := range []struct {
		sql string
		n   *int
	}{
		{`SELECT COUNT(*) FROM pages`, &st.Pages},
		{`SELECT COUNT(*) FROM articles`, &st.Articles},
		{`SELECT COUNT(*) FROM article_sources`, &st.Sources},
		{`SELECT COUNT(*) FROM failures`, &st.Failures},
	} {
		if err := s.db.QueryRowContext(ctx, q.sql).Scan(q.n); err != nil {
			return st, fmt.Errorf("sqlite: stats: %w", err)
		}
	}
	rows, err := s.db.QueryContext(ctx, `SELECT language, COUNT(*) FROM articles GROUP BY language`)
	if err != nil {
		return st, fmt.Errorf("sqlite: stats: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var l string
		var n int
		if err := rows.Scan(&l, &n); err != nil {
			return st, fmt.Errorf("sqlite: stats: %w", err)
		}
		st.Languages[l] = n
	}
	return st, rows.Err()
}
