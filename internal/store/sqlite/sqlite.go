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

// KnownPages implements store.Store.
func (s *DB) KnownPages(ctx context.Context, refs []string) (map[string]bool, error) {
	known := map[string]bool{}
	const batch = 400 // SQLite's limit on parameters is far above 2×400
	for len(refs) > 0 {
		n := min(batch, len(refs))
		part := refs[:n]
		refs = refs[n:]
		marks := strings.TrimSuffix(strings.Repeat("?,", len(part)), ",")
		args := make([]any, 0, 2*len(part))
		for _, r := range part {
			args = append(args, r)
		}
		args = append(args, args...)
		rows, err := s.db.QueryContext(ctx, `SELECT key FROM pages WHERE key IN (`+marks+`)
			UNION SELECT url FROM pages WHERE url IN (`+marks+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("sqlite: known pages: %w", err)
		}
		for rows.Next() {
			var k string
			if err := rows.Scan(&k); err != nil {
				rows.Close()
				return nil, fmt.Errorf("sqlite: known pages: %w", err)
			}
			known[k] = true
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("sqlite: known pages: %w", err)
		}
	}
	return known, nil
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
			if err := writeFacts(ctx, tx, id, a.Facts); err != nil {
				return saved, err
			}
			if len(a.Embedding) > 0 {
				if _, err := tx.ExecContext(ctx, `INSERT INTO embeddings (article_id, vec) VALUES (?, ?)`, id, store.EncodeVector(a.Embedding)); err != nil {
					return saved, err
				}
			}
			if a.Story != 0 {
				if _, err := tx.ExecContext(ctx, `INSERT INTO clusters (article_id, story, event) VALUES (?, ?, ?)`, id, a.Story, a.Event); err != nil {
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
	changes := append([]news.ClusterChange(nil), p.Changes...)
	for i := range changes {
		if changes[i].Article == 0 && len(saved.IDs) > 0 {
			changes[i].Article = saved.IDs[0]
		}
	}
	if err := applyChanges(ctx, tx, changes, s.now()); err != nil {
		return saved, err
	}
	return saved, tx.Commit()
}

func nonNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}

// applyChanges relabels the articles of merged clusters and logs the changes.
func applyChanges(ctx context.Context, tx *sql.Tx, changes []news.ClusterChange, now time.Time) error {
	for _, c := range changes {
		if c.Kind == "merge" {
			col := "event"
			if c.Level == "story" {
				col = "story"
			}
			if _, err := tx.ExecContext(ctx, `UPDATE clusters SET `+col+` = ? WHERE `+col+` = ?`, c.Into, c.From); err != nil {
				return err
			}
		}
		if err := logChange(ctx, tx, c, now); err != nil {
			return err
		}
	}
	return nil
}

// logChange records one cluster change.
func logChange(ctx context.Context, tx *sql.Tx, c news.ClusterChange, now time.Time) error {
	if c.At.IsZero() {
		c.At = now
	}
	var art any
	if c.Article != 0 {
		art = c.Article
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO cluster_changes (at, kind, level, from_id, into_id, article_id, score) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		ts(c.At), c.Kind, c.Level, c.From, c.Into, art, c.Score)
	return err
}

// SetClusters implements store.Store.
func (s *DB) SetClusters(ctx context.Context, assign map[int64][2]int64, changes []news.ClusterChange) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: set clusters: %w", err)
	}
	for id, se := range assign {
		if _, err := tx.ExecContext(ctx, `INSERT INTO clusters (article_id, story, event) VALUES (?, ?, ?)
			ON CONFLICT (article_id) DO UPDATE SET story = excluded.story, event = excluded.event`, id, se[0], se[1]); err != nil {
			tx.Rollback()
			return fmt.Errorf("sqlite: set clusters: %w", err)
		}
	}
	now := s.now()
	for _, c := range changes {
		if err := logChange(ctx, tx, c, now); err != nil {
			tx.Rollback()
			return fmt.Errorf("sqlite: set clusters: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: set clusters: %w", err)
	}
	return nil
}

// ClusterChanges implements store.Store.
func (s *DB) ClusterChanges(ctx context.Context) ([]news.ClusterChange, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT at, kind, level, from_id, into_id, article_id, score FROM cluster_changes ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: cluster changes: %w", err)
	}
	defer rows.Close()
	var out []news.ClusterChange
	for rows.Next() {
		var c news.ClusterChange
		var at sql.NullString
		var art sql.NullInt64
		if err := rows.Scan(&at, &c.Kind, &c.Level, &c.From, &c.Into, &art, &c.Score); err != nil {
			return nil, fmt.Errorf("sqlite: cluster changes: %w", err)
		}
		c.At, c.Article = parseTime(at), art.Int64
		out = append(out, c)
	}
	return out, rows.Err()
}

// SaveModel implements store.Store.
func (s *DB) SaveModel(ctx context.Context, data []byte, lastArticle int64) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO cluster_model (id, data, last_article, saved) VALUES (1, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET data = excluded.data, last_article = excluded.last_article, saved = excluded.saved`,
		data, lastArticle, ts(s.now()))
	if err != nil {
		return fmt.Errorf("sqlite: save model: %w", err)
	}
	return nil
}

// LoadModel implements store.Store.
func (s *DB) LoadModel(ctx context.Context) ([]byte, int64, error) {
	var data []byte
	var last int64
	err := s.db.QueryRowContext(ctx, `SELECT data, last_article FROM cluster_model WHERE id = 1`).Scan(&data, &last)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, store.ErrNotFound
	}
	if err != nil {
		return nil, 0, fmt.Errorf("sqlite: load model: %w", err)
	}
	return data, last, nil
}

// writeFacts replaces the facts of article id inside tx.
func writeFacts(ctx context.Context, tx *sql.Tx, id int64, f news.Facts) error {
	for _, q := range []string{`DELETE FROM figures WHERE article_id = ?`, `DELETE FROM statements WHERE article_id = ?`,
		`DELETE FROM mentions WHERE article_id = ?`} {
		if _, err := tx.ExecContext(ctx, q, id); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE articles SET bound_earliest = ?, bound_latest = ? WHERE id = ?`,
		nullTime(f.Bounds.Earliest), nullTime(f.Bounds.Latest), id); err != nil {
		return err
	}
	for i, g := range f.Figures {
		var lo, hi any
		if g.IsRange {
			lo, hi = g.Low, g.High
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO figures (article_id, idx, value, low, high, qualifier, unit, kind, subject, attributed_to, sentence)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, i, g.Value, lo, hi, g.Qualifier, g.Unit, g.Kind, g.Subject, g.AttributedTo, g.Sentence); err != nil {
			return err
		}
	}
	for i, st := range f.Statements {
		if _, err := tx.ExecContext(ctx, `INSERT INTO statements (article_id, idx, body, expr, value, earliest, latest, anchor)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, i, st.Text, st.Expr, st.Value, nullTime(st.Earliest), nullTime(st.Latest), st.Anchor); err != nil {
			return err
		}
	}
	for _, m := range f.Mentions {
		if _, err := tx.ExecContext(ctx, `INSERT INTO mentions (article_id, entity, type, name, canonical) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT DO NOTHING`, id, m.Entity, m.Type, m.Name, m.Canonical); err != nil {
			return err
		}
	}
	return nil
}

// SetFacts implements store.Store.
func (s *DB) SetFacts(ctx context.Context, articleID int64, f news.Facts) (err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: set facts %d: %w", articleID, err)
	}
	if err := writeFacts(ctx, tx, articleID, f); err != nil {
		tx.Rollback()
		return fmt.Errorf("sqlite: set facts %d: %w", articleID, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: set facts %d: %w", articleID, err)
	}
	return nil
}

// facts loads the facts of every article.
func (s *DB) facts(ctx context.Context, after int64) (map[int64]*news.Facts, error) {
	m := map[int64]*news.Facts{}
	get := func(id int64) *news.Facts {
		if m[id] == nil {
			m[id] = &news.Facts{}
		}
		return m[id]
	}
	rows, err := s.db.QueryContext(ctx, `SELECT article_id, value, low, high, qualifier, unit, kind, subject, attributed_to, sentence
		FROM figures WHERE article_id > ? ORDER BY article_id, idx`, after)
	if err != nil {
		return nil, fmt.Errorf("sqlite: figures: %w", err)
	}
	for rows.Next() {
		var id int64
		var g news.Figure
		var lo, hi sql.NullFloat64
		if err := rows.Scan(&id, &g.Value, &lo, &hi, &g.Qualifier, &g.Unit, &g.Kind, &g.Subject, &g.AttributedTo, &g.Sentence); err != nil {
			rows.Close()
			return nil, fmt.Errorf("sqlite: figures: %w", err)
		}
		g.IsRange, g.Low, g.High = lo.Valid, lo.Float64, hi.Float64
		f := get(id)
		f.Figures = append(f.Figures, g)
	}
	rows.Close()
	rows, err = s.db.QueryContext(ctx, `SELECT article_id, body, expr, value, earliest, latest, anchor FROM statements WHERE article_id > ? ORDER BY article_id, idx`, after)
	if err != nil {
		return nil, fmt.Errorf("sqlite: statements: %w", err)
	}
	for rows.Next() {
		var id int64
		var st news.Statement
		var e, l sql.NullString
		if err := rows.Scan(&id, &st.Text, &st.Expr, &st.Value, &e, &l, &st.Anchor); err != nil {
			rows.Close()
			return nil, fmt.Errorf("sqlite: statements: %w", err)
		}
		st.Earliest, st.Latest = parseTime(e), parseTime(l)
		f := get(id)
		f.Statements = append(f.Statements, st)
	}
	rows.Close()
	rows, err = s.db.QueryContext(ctx, `SELECT article_id, entity, type, name, canonical FROM mentions WHERE article_id > ? ORDER BY article_id, rowid`, after)
	if err != nil {
		return nil, fmt.Errorf("sqlite: mentions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var mm news.Mention
		if err := rows.Scan(&id, &mm.Entity, &mm.Type, &mm.Name, &mm.Canonical); err != nil {
			return nil, fmt.Errorf("sqlite: mentions: %w", err)
		}
		f := get(id)
		f.Mentions = append(f.Mentions, mm)
	}
	return m, rows.Err()
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
	return s.ArticlesAfter(ctx, 0, fn)
}

// ArticlesAfter implements store.Store.
func (s *DB) ArticlesAfter(ctx context.Context, after int64, fn func(news.Stored) error) error {
	sources, err := s.sources(ctx, after)
	if err != nil {
		return err
	}
	facts, err := s.facts(ctx, after)
	if err != nil {
		return err
	}
	clusters := map[int64][2]int64{}
	crows, err := s.db.QueryContext(ctx, `SELECT article_id, story, event FROM clusters WHERE article_id > ?`, after)
	if err != nil {
		return fmt.Errorf("sqlite: clusters: %w", err)
	}
	for crows.Next() {
		var id, st, ev int64
		if err := crows.Scan(&id, &st, &ev); err != nil {
			crows.Close()
			return fmt.Errorf("sqlite: clusters: %w", err)
		}
		clusters[id] = [2]int64{st, ev}
	}
	crows.Close()
	embs := map[int64][]float32{}
	erows, err := s.db.QueryContext(ctx, `SELECT article_id, vec FROM embeddings WHERE article_id > ?`, after)
	if err != nil {
		return fmt.Errorf("sqlite: embeddings: %w", err)
	}
	for erows.Next() {
		var id int64
		var b []byte
		if err := erows.Scan(&id, &b); err != nil {
			erows.Close()
			return fmt.Errorf("sqlite: embeddings: %w", err)
		}
		if embs[id], err = store.DecodeVector(b); err != nil {
			erows.Close()
			return fmt.Errorf("sqlite: embedding of article %d: %w", id, err)
		}
	}
	erows.Close()
	rows, err := s.db.QueryContext(ctx, `SELECT id, hash, title, body, byline, credits, site, language,
		published_earliest, published_latest, published_basis, added, bound_earliest, bound_latest FROM articles WHERE id > ? ORDER BY id`, after)
	if err != nil {
		return fmt.Errorf("sqlite: articles: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var a news.Stored
		var credits string
		var pe, pl, added, be, bl sql.NullString
		if err := rows.Scan(&a.ID, &a.Hash, &a.Title, &a.Text, &a.Byline, &credits, &a.Site, &a.Language,
			&pe, &pl, &a.Published.Basis, &added, &be, &bl); err != nil {
			return fmt.Errorf("sqlite: articles: %w", err)
		}
		if f := facts[a.ID]; f != nil {
			a.Facts = *f
		}
		if c, ok := clusters[a.ID]; ok {
			a.Story, a.Event = c[0], c[1]
		}
		a.Embedding = embs[a.ID]
		if be.Valid || bl.Valid {
			a.Facts.Bounds = news.DateRange{Earliest: parseTime(be), Latest: parseTime(bl), Basis: "capture"}
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

func (s *DB) sources(ctx context.Context, after int64) (map[int64][]news.Source, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT s.article_id, p.key, p.file, p.ext_id, p.url, p.captured, s.idx, s.title
		FROM article_sources s JOIN pages p ON p.id = s.page_id WHERE s.article_id > ? ORDER BY s.article_id, p.id, s.idx`, after)
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
