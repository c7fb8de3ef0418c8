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

	"modernc.org/sqlite" // registers the "sqlite" driver
	sqlite3 "modernc.org/sqlite/lib"

	"dossier/internal/news"
	"dossier/internal/store"
)

//go:embed migrations/*.sql
var migrations embed.FS

// DB is a SQLite store. Writes go through one pool whose transactions take
// the write lock at BEGIN (BEGIN IMMEDIATE); reads go through another whose
// transactions are deferred, so that readers never wait for the writer and
// a read transaction sees one snapshot (WAL).
type DB struct {
	reader
	db   *sql.DB // writes; nil when opened read-only
	rdb  *sql.DB
	path string
	now  func() time.Time
}

var _ store.Store = (*DB)(nil)

// writerPragmas tune the one writing connection: the savepoint each page
// of a batch gets keeps its journal in memory (temp_store), not in a
// temporary file written and read back for every page; and 64 MB of page
// cache (SQLite's default is 2 MB) keeps the indexes a batch walks and the
// pages it dirties from being spilled and read back. Measured on 10,000
// generated articles (dossier bench -scale): 123 s with 32 s of system
// time before; 130 s and 28 s with the journal in memory alone; 104 s and
// 20 s with both.
const writerPragmas = "&_pragma=temp_store(MEMORY)&_pragma=cache_size(-65536)"

// Open opens (creating if needed) the database at path for reading and
// writing and brings its schema up to date.
func Open(ctx context.Context, path string) (*DB, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	pragmas := "&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(ON)"
	db, err := sql.Open("sqlite", "file:"+path+"?_txlock=immediate"+pragmas+writerPragmas)
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	s := &DB{db: db, path: path, now: time.Now}
	if err := s.migrateRetrying(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, damaged(path, err))
	}
	if s.rdb, err = sql.Open("sqlite", "file:"+path+"?_txlock=deferred"+pragmas+"&_pragma=query_only(1)"); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	s.rdb.SetMaxOpenConns(4)
	st, err := newStamper("file:" + path + "?_pragma=busy_timeout(10000)&_pragma=query_only(1)")
	if err != nil {
		db.Close()
		s.rdb.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	s.reader = reader{q: s.rdb, now: s.now, stamper: st}
	return s, nil
}

// OpenReadOnly opens an existing database for reading only: nothing is
// created or migrated. It fails with a clear message when there is no
// store at path, or when the store needs a migration that only a writer
// may run.
func OpenReadOnly(ctx context.Context, path string) (*DB, error) {
	if _, err := os.Stat(path); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("sqlite: no store at %s (wrong -data directory? `dossier add` creates one): %w", path, store.ErrNoStore)
		}
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	s, pending, err := openReadOnly(ctx, path, false)
	var se *sqlite.Error
	if _, werr := os.Stat(path + "-wal"); errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_READONLY && errors.Is(werr, fs.ErrNotExist) {
		// A store in a directory this process may not write (a read-only
		// mount, another user's archive), closed cleanly (no write-ahead
		// log beside it), cannot get one; nobody can be writing it, so it
		// is read as immutable. With a log left, immutable would ignore
		// what the log holds.
		s, pending, err = openReadOnly(ctx, path, true)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	if pending > 0 {
		s.Close()
		return nil, fmt.Errorf("sqlite: %s needs %d schema migration(s) that only a writer runs (run `dossier add`, `dossier serve` or `dossier reanalyze` once): %w", path, pending, store.ErrNeedsMigration)
	}
	return s, nil
}

// openReadOnly opens path for reading and counts the migrations it lacks.
func openReadOnly(ctx context.Context, path string, immutable bool) (*DB, int, error) {
	dsn := "file:" + path + "?mode=ro&_txlock=deferred&_pragma=busy_timeout(10000)&_pragma=query_only(1)"
	if immutable {
		dsn += "&immutable=1"
	}
	rdb, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, 0, err
	}
	rdb.SetMaxOpenConns(4)
	st, err := newStamper(strings.Replace(dsn, "&_txlock=deferred", "", 1))
	if err != nil {
		rdb.Close()
		return nil, 0, err
	}
	s := &DB{rdb: rdb, path: path, now: time.Now}
	s.reader = reader{q: rdb, now: s.now, stamper: st}
	pending, err := s.pendingMigrations(ctx)
	if err != nil {
		s.Close()
		return nil, 0, err
	}
	return s, pending, nil
}

// QuickCheck runs SQLite's quick check, so that a damaged store is
// reported as such, with what to do, rather than failing later with a
// decoder's message. The service runs it when a writer opens the store
// after another crashed.
func (s *DB) QuickCheck(ctx context.Context) error {
	rows, err := s.db.QueryContext(ctx, `PRAGMA quick_check`)
	if err != nil {
		return fmt.Errorf("sqlite: open %s: %w", s.path, damaged(s.path, err))
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var msg string
		if err := rows.Scan(&msg); err != nil {
			return fmt.Errorf("sqlite: open %s: %w", s.path, damaged(s.path, err))
		}
		if msg != "ok" && len(problems) < 5 {
			problems = append(problems, msg)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sqlite: open %s: %w", s.path, damaged(s.path, err))
	}
	if len(problems) > 0 {
		return fmt.Errorf("sqlite: %s is damaged (%s): restore a backup (`dossier backup` makes one), or move the file away and re-ingest; `dossier check` lists what it finds: %w",
			s.path, strings.Join(problems, "; "), store.ErrDamaged)
	}
	return nil
}

// damaged explains SQLite's errors for a file that is not a sound database.
func damaged(path string, err error) error {
	msg := err.Error()
	if strings.Contains(msg, "not a database") || strings.Contains(msg, "malformed") || strings.Contains(msg, "corrupt") {
		return fmt.Errorf("%s is not a sound dossier database (%v): restore a backup or move it away: %w", path, err, store.ErrDamaged)
	}
	return err
}

// pendingMigrations counts the embedded migrations not yet applied.
func (s *DB) pendingMigrations(ctx context.Context) (int, error) {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return 0, err
	}
	var applied int
	if err := s.rdb.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations`).Scan(&applied); err != nil {
		// A database with no tables at all is a store whose first writer
		// was stopped before its first migration committed: every
		// migration is pending. Tables without the migrations' table are
		// not dossier's.
		var tables int
		if cerr := s.rdb.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_schema`).Scan(&tables); cerr == nil && tables == 0 {
			return len(names), nil
		}
		return 0, fmt.Errorf("not a dossier store, or damaged: %w", err)
	}
	return len(names) - applied, nil
}

// ReadTx implements store.Store.
func (s *DB) ReadTx(ctx context.Context, fn func(store.Reader) error) error {
	tx, err := s.rdb.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("sqlite: read: %w", err)
	}
	defer tx.Rollback()
	return fn(&reader{q: tx, now: s.now, stamper: s.stamper})
}

func (s *DB) writable() error {
	if s.db == nil {
		return fmt.Errorf("sqlite: %s is open read-only", s.path)
	}
	return nil
}

// migrateRetrying is migrate, tried again while it fails with SQLITE_BUSY:
// a new connection switches a new file to WAL, and while another process
// does the same, SQLite may answer "database is locked" at once rather
// than call the busy handler (it would deadlock waiting). Each migration
// is applied under the write lock and checked there, so a retry applies
// only what is still missing.
func (s *DB) migrateRetrying(ctx context.Context) error {
	var err error
	for attempt := range 8 {
		if err = s.migrate(ctx); err == nil || !busy(err) || attempt == 7 {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(time.Duration(10<<attempt) * time.Millisecond):
		}
	}
	return err
}

// busy says whether err is SQLite's SQLITE_BUSY (in any of its forms).
func busy(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_BUSY
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
		// Asked again under the write lock (BEGIN IMMEDIATE): another
		// process opening the same file may have applied it meanwhile.
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = ?`, v).Scan(&n); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate %s: %w", name, err)
		}
		if n > 0 {
			tx.Rollback()
			continue
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
func (s *DB) Close() error {
	var err error
	if s.db != nil {
		err = s.db.Close()
	}
	if rerr := s.rdb.Close(); err == nil {
		err = rerr
	}
	if s.stamper != nil {
		if serr := s.stamper.close(); err == nil {
			err = serr
		}
	}
	return err
}

func ts(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func nullTime(t time.Time) any {
	if y := t.Year(); t.IsZero() || y < 1 || y > 9999 {
		return nil // zero, or outside what RFC 3339 (and the export) can hold: unknown
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
func (s *reader) HasPage(ctx context.Context, key, bodyHash string) (bool, error) {
	var n int
	err := s.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM pages WHERE key = ? AND body_hash = ?`, key, bodyHash).Scan(&n)
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
	if err := s.writable(); err != nil {
		return saved, err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return saved, fmt.Errorf("sqlite: save page %s: %w", p.Key, err)
	}
	if saved, err = s.savePage(ctx, tx, p, arts, nil); err != nil {
		tx.Rollback()
		return saved, err
	}
	if err := tx.Commit(); err != nil {
		return saved, fmt.Errorf("sqlite: save page %s: %w", p.Key, err)
	}
	return saved, nil
}

// BeginPages implements store.Writer.
func (s *DB) BeginPages(ctx context.Context) (store.PageBatch, error) {
	if err := s.writable(); err != nil {
		return nil, err
	}
	// The transaction outlives the caller's cancellation (database/sql
	// rolls back a transaction whose context ends): a cancelled run still
	// commits the pages it stored.
	tx, err := s.db.BeginTx(context.WithoutCancel(ctx), nil)
	if err != nil {
		return nil, fmt.Errorf("sqlite: begin pages: %w", err)
	}
	return &pageBatch{db: s, tx: newStmtCache(tx), r: &reader{q: tx, now: s.now}}, nil
}

// pageBatch is a store.PageBatch on one SQLite transaction.
type pageBatch struct {
	db *DB
	tx *stmtCache
	r  *reader
	// search holds the search rows of the pages saved, written at Commit.
	// FTS5 writes the terms it holds in memory to a new segment of its
	// index at every savepoint once it is part of a transaction, so rows
	// written page by page, each under its savepoint, made one segment
	// per article and the merges that follow.
	search []searchRow
}

// searchRow is an article's search document waiting for the commit.
type searchRow struct {
	id  int64
	doc store.SearchDoc
}

// SavePage saves one page under a savepoint: a page that fails leaves
// the batch as it was before it, and the batch can still be committed.
func (b *pageBatch) SavePage(ctx context.Context, p store.Page, arts []store.NewArticle) (store.Saved, error) {
	// The statements run without the caller's cancellation: SQLite rolls
	// a whole transaction back when a write in it is interrupted.
	ctx = context.WithoutCancel(ctx)
	if _, err := b.tx.ExecContext(ctx, `SAVEPOINT page`); err != nil {
		return store.Saved{}, fmt.Errorf("sqlite: save page %s: %w", p.Key, err)
	}
	var search []searchRow
	saved, err := b.db.savePage(ctx, b.tx, p, arts, &search)
	if err != nil {
		if _, rerr := b.tx.ExecContext(ctx, `ROLLBACK TO page`); rerr != nil {
			return store.Saved{}, errors.Join(err, fmt.Errorf("sqlite: roll back page %s: %w", p.Key, rerr))
		}
	}
	if _, rerr := b.tx.ExecContext(ctx, `RELEASE page`); rerr != nil && err == nil {
		err = fmt.Errorf("sqlite: save page %s: %w", p.Key, rerr)
	}
	if err == nil {
		b.search = append(b.search, search...)
	}
	return saved, err
}

func (b *pageBatch) Candidates(ctx context.Context, hash string, bands []int64) ([]store.Candidate, error) {
	return b.r.Candidates(context.WithoutCancel(ctx), hash, bands) // an interrupt must not end the batch
}

func (b *pageBatch) Commit() error {
	ctx := context.Background()
	for _, r := range b.search {
		if err := writeSearch(ctx, b.tx, r.id, r.doc, false); err != nil {
			b.tx.Rollback()
			return fmt.Errorf("sqlite: commit pages: search terms of article %d: %w", r.id, err)
		}
	}
	b.search = nil
	if err := b.tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: commit pages: %w", err)
	}
	return nil
}

func (b *pageBatch) Rollback() error {
	b.search = nil
	return b.tx.Rollback()
}

// savePage stores a page and its articles in tx.
// With search set, the articles' search rows are added to it rather than
// written.
func (s *DB) savePage(ctx context.Context, tx execer, p store.Page, arts []store.NewArticle, search *[]searchRow) (saved store.Saved, err error) {
	defer func() {
		if err != nil {
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
		return saved, nil
	}
	pageID, err := res.LastInsertId()
	if err != nil {
		return saved, err
	}
	var added int64 // the first article the page adds
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
			bands := make([]any, 0, 2*len(a.Bands))
			for _, b := range a.Bands {
				bands = append(bands, b, id)
			}
			if err := insertRows(ctx, tx, `INSERT INTO article_bands (band, article_id)`, 2, "", bands); err != nil {
				return saved, err
			}
			if err := writeFacts(ctx, tx, id, a.Facts, a.SourceEntities); err != nil {
				return saved, err
			}
			if search != nil {
				*search = append(*search, searchRow{id, a.Search})
			} else if err := writeSearch(ctx, tx, id, a.Search, false); err != nil {
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
			if err := markDirty(ctx, tx, a.Story); err != nil {
				return saved, err
			}
			saved.New++
			if added == 0 {
				added = id
			}
		} else {
			saved.Dup++
			// A new source changes the story's coverage.
			if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO dirty_stories (story) SELECT story FROM clusters WHERE article_id = ?`, id); err != nil {
				return saved, err
			}
		}
		// A new version of a page already among the article's sources (a
		// whitespace edit) is not a second source of it.
		if _, err := tx.ExecContext(ctx, `INSERT INTO article_sources (page_id, idx, article_id, title)
			SELECT ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM article_sources s JOIN pages p ON p.id = s.page_id
				WHERE s.article_id = ? AND p.key = ? AND p.id <> ?)`,
			pageID, a.Index, id, a.Title, id, p.Key, pageID); err != nil {
			return saved, err
		}
		saved.IDs = append(saved.IDs, id)
	}
	changes := store.PageChanges(p.Changes, added, saved.IDs)
	if err := applyChanges(ctx, tx, changes, s.now()); err != nil {
		return saved, err
	}
	return saved, nil
}

func nonNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}

// markDirty marks a story for a view refresh (0: no story).
func markDirty(ctx context.Context, tx execer, story int64) error {
	if story == 0 {
		return nil
	}
	_, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO dirty_stories (story) VALUES (?)`, story)
	return err
}

// applyChanges relabels the articles of merged clusters and logs the changes.
func applyChanges(ctx context.Context, tx execer, changes []news.ClusterChange, now time.Time) error {
	for _, c := range changes {
		if c.Level == "story" {
			if err := markDirty(ctx, tx, c.From); err != nil {
				return err
			}
			if err := markDirty(ctx, tx, c.Into); err != nil {
				return err
			}
		} else if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO dirty_stories (story) SELECT DISTINCT story FROM clusters WHERE event IN (?, ?)`, c.From, c.Into); err != nil {
			return err
		}
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
func logChange(ctx context.Context, tx execer, c news.ClusterChange, now time.Time) error {
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
	return s.setClusters(ctx, assign, changes, false)
}

// AssignClusters implements store.Store.
func (s *DB) AssignClusters(ctx context.Context, assign map[int64][2]int64, changes []news.ClusterChange) error {
	return s.setClusters(ctx, assign, changes, true)
}

// setClusters sets the clusters of the articles of assign, then logs the
// changes, or applies them (relabels) when apply.
func (s *DB) setClusters(ctx context.Context, assign map[int64][2]int64, changes []news.ClusterChange, apply bool) error {
	if err := s.writable(); err != nil {
		return err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: set clusters: %w", err)
	}
	for id, se := range assign {
		// The article's old story and its new one both change.
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO dirty_stories (story) SELECT story FROM clusters WHERE article_id = ?`, id); err != nil {
			tx.Rollback()
			return fmt.Errorf("sqlite: set clusters: %w", err)
		}
		if err := markDirty(ctx, tx, se[0]); err != nil {
			tx.Rollback()
			return fmt.Errorf("sqlite: set clusters: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO clusters (article_id, story, event) VALUES (?, ?, ?)
			ON CONFLICT (article_id) DO UPDATE SET story = excluded.story, event = excluded.event`, id, se[0], se[1]); err != nil {
			tx.Rollback()
			return fmt.Errorf("sqlite: set clusters: %w", err)
		}
	}
	now := s.now()
	if apply {
		if err := applyChanges(ctx, tx, changes, now); err != nil {
			tx.Rollback()
			return fmt.Errorf("sqlite: set clusters: %w", err)
		}
	} else {
		for _, c := range changes {
			if err := logChange(ctx, tx, c, now); err != nil {
				tx.Rollback()
				return fmt.Errorf("sqlite: set clusters: %w", err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: set clusters: %w", err)
	}
	return nil
}

// SaveModel implements store.Store.
func (s *DB) SaveModel(ctx context.Context, data []byte, lastArticle int64) error {
	if err := s.writable(); err != nil {
		return err
	}
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
	err := s.rdb.QueryRowContext(ctx, `SELECT data, last_article FROM cluster_model WHERE id = 1`).Scan(&data, &last)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, store.ErrNotFound
	}
	if err != nil {
		return nil, 0, fmt.Errorf("sqlite: load model: %w", err)
	}
	return data, last, nil
}

// writeFacts replaces the facts of article id inside tx.
func writeFacts(ctx context.Context, tx execer, id int64, f news.Facts, sourceEntities []string) error {
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
	args := make([]any, 0, 12*len(f.Figures))
	for i, g := range f.Figures {
		var lo, hi any
		if g.IsRange {
			lo, hi = g.Low, g.High
		}
		var se string
		if i < len(sourceEntities) {
			se = sourceEntities[i]
		}
		args = append(args, id, i, g.Value, lo, hi, g.Qualifier, g.Unit, g.Kind, g.Subject, g.AttributedTo, g.Sentence, se)
	}
	if err := insertRows(ctx, tx, `INSERT INTO figures (article_id, idx, value, low, high, qualifier, unit, kind, subject, attributed_to, sentence, source_entity)`,
		12, "", args); err != nil {
		return err
	}
	args = args[:0]
	for i, st := range f.Statements {
		args = append(args, id, i, st.Text, st.Expr, st.Value, nullTime(st.Earliest), nullTime(st.Latest), st.Anchor)
	}
	if err := insertRows(ctx, tx, `INSERT INTO statements (article_id, idx, body, expr, value, earliest, latest, anchor)`, 8, "", args); err != nil {
		return err
	}
	args = args[:0]
	for _, m := range f.Mentions {
		args = append(args, id, m.Entity, m.Type, m.Name, m.Canonical)
	}
	return insertRows(ctx, tx, `INSERT INTO mentions (article_id, entity, type, name, canonical)`, 5, "ON CONFLICT DO NOTHING", args)
}

// SetFacts implements store.Store.
func (s *DB) SetFacts(ctx context.Context, articleID int64, f news.Facts, search store.SearchDoc, sourceEntities []string) (err error) {
	if err := s.writable(); err != nil {
		return err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: set facts %d: %w", articleID, err)
	}
	err = writeFacts(ctx, tx, articleID, f, sourceEntities)
	if err == nil {
		err = writeSearch(ctx, tx, articleID, search, true)
	}
	if err == nil {
		_, err = tx.ExecContext(ctx, `INSERT OR IGNORE INTO dirty_stories (story) SELECT story FROM clusters WHERE article_id = ?`, articleID)
	}
	if err != nil {
		tx.Rollback()
		return fmt.Errorf("sqlite: set facts %d: %w", articleID, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: set facts %d: %w", articleID, err)
	}
	return nil
}

// RecordFailure implements store.Store.
func (s *DB) RecordFailure(ctx context.Context, f store.Failure) error {
	if err := s.writable(); err != nil {
		return err
	}
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

// ClearFailure implements store.Writer.
func (s *DB) ClearFailure(ctx context.Context, input string) error {
	if err := s.writable(); err != nil {
		return err
	}
	if _, err := s.db.ExecContext(ctx, `DELETE FROM failures WHERE input = ?`, input); err != nil {
		return fmt.Errorf("sqlite: clear failure %s: %w", input, err)
	}
	return nil
}

// Failures implements store.Store.
func (s *reader) Failures(ctx context.Context) ([]store.Failure, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT input, error, at FROM failures ORDER BY at DESC, input`)
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
func (s *reader) FeedState(ctx context.Context, url string) (store.FeedState, error) {
	st := store.FeedState{URL: url}
	var checked sql.NullString
	err := s.q.QueryRowContext(ctx, `SELECT etag, last_modified, checked FROM feed_state WHERE url = ?`, url).
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
	if err := s.writable(); err != nil {
		return err
	}
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
func (s *reader) Stats(ctx context.Context) (store.Stats, error) {
	st := store.Stats{Languages: map[string]int{}}
	for _, q := range []struct {
		sql string
		n   *int
	}{
		{`SELECT COUNT(*) FROM story_views`, &st.Stories},
		{`SELECT COUNT(*) FROM pages`, &st.Pages},
		{`SELECT COUNT(*) FROM articles`, &st.Articles},
		{`SELECT COUNT(*) FROM article_sources`, &st.Sources},
		{`SELECT COUNT(*) FROM failures`, &st.Failures},
	} {
		if err := s.q.QueryRowContext(ctx, q.sql).Scan(q.n); err != nil {
			return st, fmt.Errorf("sqlite: stats: %w", err)
		}
	}
	if err := s.q.QueryRowContext(ctx, `SELECT c.page_count * s.page_size FROM pragma_page_count() c, pragma_page_size() s`).Scan(&st.Bytes); err != nil {
		return st, fmt.Errorf("sqlite: stats: %w", err)
	}
	rows, err := s.q.QueryContext(ctx, `SELECT language, COUNT(*) FROM articles GROUP BY language`)
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
