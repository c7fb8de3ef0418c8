// Package postgres implements store.Store on PostgreSQL through pgx's
// native interface and connection pool (pgxpool): binary transfer of
// times, arrays and bytes, COPY for bulk loads, and one pool shared by the
// writer's transactions and the readers. SQL is written by hand; the
// schema is in embedded migrations, applied once, in order, under an
// advisory lock so that several processes may start at the same time.
//
// A store is one schema of one database: the schema first in the
// connection's search_path (public unless the DSN sets search_path).
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"

	"dossier/internal/news"
	"dossier/internal/store"
)

//go:embed migrations/*.sql
var migrations embed.FS

// DB is a PostgreSQL store.
type DB struct {
	reader
	pool     *pgxpool.Pool
	name     string // the DSN without its password, for messages
	readOnly bool
	now      func() time.Time
}

var _ store.Store = (*DB)(nil)

// IsDSN reports whether s names a PostgreSQL database (a postgres:// or
// postgresql:// URL) rather than a file.
func IsDSN(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// Redact returns dsn without its password, for messages and logs.
func Redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "postgres database"
	}
	if u.User != nil {
		u.User = url.User(u.User.Username())
	}
	q := u.Query()
	if q.Has("password") {
		q.Del("password")
		u.RawQuery = q.Encode()
	}
	return u.String()
}

func connect(ctx context.Context, dsn string, readOnly bool) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, err
	}
	cfg.ConnConfig.RuntimeParams["timezone"] = "UTC"
	if cfg.ConnConfig.RuntimeParams["application_name"] == "" {
		cfg.ConnConfig.RuntimeParams["application_name"] = "dossier"
	}
	if readOnly {
		cfg.ConnConfig.RuntimeParams["default_transaction_read_only"] = "on"
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return pool, nil
}

// Open connects to the database dsn (a postgres:// URL) for reading and
// writing and brings its schema up to date.
func Open(ctx context.Context, dsn string) (*DB, error) {
	name := Redact(dsn)
	pool, err := connect(ctx, dsn, false)
	if err != nil {
		return nil, fmt.Errorf("postgres: open %s: %w", name, err)
	}
	s := &DB{pool: pool, name: name, now: time.Now}
	s.reader = reader{q: pool, now: s.now}
	if err := s.migrate(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: open %s: %w", name, err)
	}
	return s, nil
}

// OpenReadOnly connects for reading only: nothing is created or migrated,
// and every transaction is read-only. It fails with store.ErrNoStore when
// the database holds no dossier store, and store.ErrNeedsMigration when
// its schema is older than this binary's.
func OpenReadOnly(ctx context.Context, dsn string) (*DB, error) {
	name := Redact(dsn)
	pool, err := connect(ctx, dsn, true)
	if err != nil {
		return nil, fmt.Errorf("postgres: open %s: %w", name, err)
	}
	s := &DB{pool: pool, name: name, readOnly: true, now: time.Now}
	s.reader = reader{q: pool, now: s.now}
	var exists bool
	if err := pool.QueryRow(ctx, `SELECT to_regclass('schema_migrations') IS NOT NULL`).Scan(&exists); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: open %s: %w", name, err)
	}
	if !exists {
		pool.Close()
		return nil, fmt.Errorf("postgres: no store in %s (wrong -db? `dossier add -db ...` creates one): %w", name, store.ErrNoStore)
	}
	pending, err := s.pending(ctx, pool)
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: open %s: %w", name, err)
	}
	if len(pending) > 0 {
		pool.Close()
		return nil, fmt.Errorf("postgres: %s needs %d schema migration(s) that only a writer runs (run `dossier add`, `dossier serve` or `dossier reanalyze` once): %w",
			name, len(pending), store.ErrNeedsMigration)
	}
	return s, nil
}

// migrationLock is the advisory lock key (with the schema's name) under
// which migrations run: several processes may open one store at once.
const migrationLock = "dossier.migrate:"

type migration struct {
	version int
	name    string
}

// pending lists the embedded migrations not yet applied, in order.
func (s *DB) pending(ctx context.Context, q querier) ([]migration, error) {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	applied := map[int]bool{}
	rows, err := q.Query(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return nil, fmt.Errorf("not a dossier store, or damaged: %w", err)
	}
	vs, err := pgx.CollectRows(rows, pgx.RowTo[int])
	if err != nil {
		return nil, fmt.Errorf("not a dossier store, or damaged: %w", err)
	}
	for _, v := range vs {
		applied[v] = true
	}
	var out []migration
	for _, name := range names {
		v, err := strconv.Atoi(strings.SplitN(path.Base(name), "_", 2)[0])
		if err != nil {
			return nil, fmt.Errorf("bad migration name %s", name)
		}
		if !applied[v] {
			out = append(out, migration{v, name})
		}
	}
	return out, nil
}

// migrate applies the embedded migrations not yet applied, each in its own
// transaction, holding an advisory lock for the store's schema meanwhile.
func (s *DB) migrate(ctx context.Context) error {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock(hashtext($1 || current_schema()))`, migrationLock); err != nil {
		return fmt.Errorf("migrate: lock: %w", err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(hashtext($1 || current_schema()))`, migrationLock)
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied timestamptz NOT NULL)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	todo, err := s.pending(ctx, conn)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for _, m := range todo {
		body, err := migrations.ReadFile(m.name)
		if err != nil {
			return err
		}
		err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			// No arguments: the simple protocol runs the file's statements.
			if _, err := tx.Exec(ctx, string(body)); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, applied) VALUES ($1, $2)`, m.version, s.now())
			return err
		})
		if err != nil {
			return fmt.Errorf("migrate %s: %w", m.name, err)
		}
	}
	return nil
}

// ReadTx implements store.Store: fn reads in a REPEATABLE READ, READ ONLY
// transaction, which sees one snapshot taken at its first query.
func (s *DB) ReadTx(ctx context.Context, fn func(store.Reader) error) error {
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return fmt.Errorf("postgres: read: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	return fn(&reader{q: tx, now: s.now})
}

// Close closes the pool.
func (s *DB) Close() error {
	s.pool.Close()
	return nil
}

// Name is the database the store is in, without the password.
func (s *DB) Name() string { return s.name }

func (s *DB) writable() error {
	if s.readOnly {
		return fmt.Errorf("postgres: %s is open read-only", s.name)
	}
	return nil
}

// write runs fn in a read-write transaction, wrapping its error with op.
func (s *DB) write(ctx context.Context, op string, fn func(pgx.Tx) error) error {
	if err := s.writable(); err != nil {
		return err
	}
	if err := pgx.BeginFunc(ctx, s.pool, fn); err != nil {
		return fmt.Errorf("postgres: %s: %w", op, err)
	}
	return nil
}

// tsArg is a time as a query argument: NULL when zero or outside the
// years 1 to 9999, else in UTC.
func tsArg(t time.Time) any {
	if y := t.Year(); t.IsZero() || y < 1 || y > 9999 {
		return nil // zero, or outside what RFC 3339 (and the export) can hold: unknown
	}
	return t.UTC()
}

// tsOf is a scanned timestamptz as a time: zero when NULL, else in UTC.
func tsOf(t pgtype.Timestamptz) time.Time {
	if !t.Valid {
		return time.Time{}
	}
	return t.Time.UTC()
}

// HasPage implements store.Reader.
func (s *reader) HasPage(ctx context.Context, key, bodyHash string) (bool, error) {
	var ok bool
	err := s.q.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pages WHERE key = $1 AND body_hash = $2)`, key, bodyHash).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("postgres: has page %s: %w", key, err)
	}
	return ok, nil
}

// SavePage implements store.Writer.
func (s *DB) SavePage(ctx context.Context, p store.Page, arts []store.NewArticle) (saved store.Saved, err error) {
	err = s.write(ctx, "save page "+p.Key, func(tx pgx.Tx) error {
		saved, err = s.savePage(ctx, tx, p, arts)
		return err
	})
	if err != nil {
		return store.Saved{}, err
	}
	return saved, nil
}

// BeginPages implements store.Writer.
func (s *DB) BeginPages(ctx context.Context) (store.PageBatch, error) {
	if err := s.writable(); err != nil {
		return nil, err
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("postgres: begin pages: %w", err)
	}
	return &pageBatch{db: s, tx: tx, r: &reader{q: tx, now: s.now}}, nil
}

// pageBatch is a store.PageBatch on one PostgreSQL transaction.
type pageBatch struct {
	db *DB
	tx pgx.Tx
	r  *reader
}

// SavePage saves one page under a savepoint: a page that fails leaves
// the batch as it was before it, and the batch can still be committed.
func (b *pageBatch) SavePage(ctx context.Context, p store.Page, arts []store.NewArticle) (store.Saved, error) {
	ctx = context.WithoutCancel(ctx) // as SQLite's: a page is saved whole or not at all
	sp, err := b.tx.Begin(ctx)
	if err != nil {
		return store.Saved{}, fmt.Errorf("postgres: save page %s: %w", p.Key, err)
	}
	saved, err := b.db.savePage(ctx, sp, p, arts)
	if err != nil {
		if rerr := sp.Rollback(ctx); rerr != nil {
			err = errors.Join(err, rerr)
		}
		return store.Saved{}, fmt.Errorf("postgres: save page %s: %w", p.Key, err)
	}
	if err := sp.Commit(ctx); err != nil {
		return store.Saved{}, fmt.Errorf("postgres: save page %s: %w", p.Key, err)
	}
	return saved, nil
}

func (b *pageBatch) Candidates(ctx context.Context, hash string, bands []int64) ([]store.Candidate, error) {
	return b.r.Candidates(context.WithoutCancel(ctx), hash, bands) // an interrupt must not end the batch
}

func (b *pageBatch) Commit() error {
	if err := b.tx.Commit(context.Background()); err != nil {
		return fmt.Errorf("postgres: commit pages: %w", err)
	}
	return nil
}

func (b *pageBatch) Rollback() error { return b.tx.Rollback(context.Background()) }

// savePage stores a page and its articles in tx.
func (s *DB) savePage(ctx context.Context, tx pgx.Tx, p store.Page, arts []store.NewArticle) (saved store.Saved, err error) {
	now := s.now().UTC()
	var pageID int64
	err = tx.QueryRow(ctx, `INSERT INTO pages (key, body_hash, origin, file, ext_id, url, captured, format, added)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (key, body_hash) DO NOTHING RETURNING id`,
		p.Key, p.BodyHash, p.Origin, p.File, p.ID, p.URL, tsArg(p.Captured), string(p.Format), now).Scan(&pageID)
	if errors.Is(err, pgx.ErrNoRows) {
		saved.Existed = true
		return saved, nil
	}
	if err != nil {
		return saved, err
	}
	var added int64 // the first article the page adds
	for _, a := range arts {
		id := a.DuplicateOf
		if id == 0 {
			if err := tx.QueryRow(ctx, `INSERT INTO articles (hash, title, body, byline, credits, site, language,
				published_earliest, published_latest, published_basis, added) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
				RETURNING id`,
				a.Hash, a.Title, a.Text, a.Byline, nonNil(a.Credits), a.Site, a.Language,
				tsArg(a.Published.Earliest), tsArg(a.Published.Latest), a.Published.Basis, now).Scan(&id); err != nil {
				return saved, err
			}
			if len(a.Bands) > 0 {
				if _, err := tx.Exec(ctx, `INSERT INTO article_bands (band, article_id) SELECT b, $2 FROM unnest($1::bigint[]) b`, a.Bands, id); err != nil {
					return saved, err
				}
			}
			if err := writeFacts(ctx, tx, id, a.Facts, a.SourceEntities); err != nil {
				return saved, err
			}
			if err := writeSearch(ctx, tx, id, a.Search); err != nil {
				return saved, err
			}
			if len(a.Embedding) > 0 {
				if _, err := tx.Exec(ctx, `INSERT INTO embeddings (article_id, vec) VALUES ($1, $2)`, id, store.EncodeVector(a.Embedding)); err != nil {
					return saved, err
				}
			}
			if a.Story != 0 {
				if _, err := tx.Exec(ctx, `INSERT INTO clusters (article_id, story, event) VALUES ($1, $2, $3)`, id, a.Story, a.Event); err != nil {
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
			if err := markDirtyOf(ctx, tx, id); err != nil {
				return saved, err
			}
		}
		// A new version of a page already among the article's sources
		// (a whitespace edit) is not a second source of it.
		if _, err := tx.Exec(ctx, `INSERT INTO article_sources (page_id, idx, article_id, title)
			SELECT $1, $2, $3, $4 WHERE NOT EXISTS (SELECT 1 FROM article_sources s JOIN pages p ON p.id = s.page_id
				WHERE s.article_id = $3 AND p.key = $5 AND p.id <> $1)`,
			pageID, a.Index, id, a.Title, p.Key); err != nil {
			return saved, err
		}
		saved.IDs = append(saved.IDs, id)
	}
	changes := store.PageChanges(p.Changes, added, saved.IDs)
	return saved, applyChanges(ctx, tx, changes, now)
}

func nonNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}

// markDirty marks a story for a view refresh (0: no story).
func markDirty(ctx context.Context, tx pgx.Tx, story int64) error {
	if story == 0 {
		return nil
	}
	_, err := tx.Exec(ctx, `INSERT INTO dirty_stories (story) VALUES ($1) ON CONFLICT DO NOTHING`, story)
	return err
}

// markDirtyOf marks the story of an article for a view refresh.
func markDirtyOf(ctx context.Context, tx pgx.Tx, article int64) error {
	_, err := tx.Exec(ctx, `INSERT INTO dirty_stories (story) SELECT story FROM clusters WHERE article_id = $1 ON CONFLICT DO NOTHING`, article)
	return err
}

// applyChanges relabels the articles of merged clusters and logs the changes.
func applyChanges(ctx context.Context, tx pgx.Tx, changes []news.ClusterChange, now time.Time) error {
	for _, c := range changes {
		if c.Level == "story" {
			if err := markDirty(ctx, tx, c.From); err != nil {
				return err
			}
			if err := markDirty(ctx, tx, c.Into); err != nil {
				return err
			}
		} else if _, err := tx.Exec(ctx, `INSERT INTO dirty_stories (story) SELECT DISTINCT story FROM clusters WHERE event IN ($1, $2)
			ON CONFLICT DO NOTHING`, c.From, c.Into); err != nil {
			return err
		}
		if c.Kind == "merge" {
			q := `UPDATE clusters SET event = $1 WHERE event = $2`
			if c.Level == "story" {
				q = `UPDATE clusters SET story = $1 WHERE story = $2`
			}
			if _, err := tx.Exec(ctx, q, c.Into, c.From); err != nil {
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
func logChange(ctx context.Context, tx pgx.Tx, c news.ClusterChange, now time.Time) error {
	if c.At.IsZero() {
		c.At = now
	}
	var art any
	if c.Article != 0 {
		art = c.Article
	}
	_, err := tx.Exec(ctx, `INSERT INTO cluster_changes (at, kind, level, from_id, into_id, article_id, score) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		c.At.UTC(), c.Kind, c.Level, c.From, c.Into, art, c.Score)
	return err
}

// SetClusters implements store.Writer.
func (s *DB) SetClusters(ctx context.Context, assign map[int64][2]int64, changes []news.ClusterChange) error {
	return s.setClusters(ctx, assign, changes, false)
}

// AssignClusters implements store.Writer.
func (s *DB) AssignClusters(ctx context.Context, assign map[int64][2]int64, changes []news.ClusterChange) error {
	return s.setClusters(ctx, assign, changes, true)
}

// setClusters sets the clusters of the articles of assign, then logs the
// changes, or applies them (relabels) when apply.
func (s *DB) setClusters(ctx context.Context, assign map[int64][2]int64, changes []news.ClusterChange, apply bool) error {
	return s.write(ctx, "set clusters", func(tx pgx.Tx) error {
		ids := make([]int64, 0, len(assign))
		for id := range assign {
			ids = append(ids, id)
		}
		slices.Sort(ids) // a stable order of row locks
		for _, id := range ids {
			se := assign[id]
			// The article's old story and its new one both change.
			if err := markDirtyOf(ctx, tx, id); err != nil {
				return err
			}
			if err := markDirty(ctx, tx, se[0]); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `INSERT INTO clusters (article_id, story, event) VALUES ($1, $2, $3)
				ON CONFLICT (article_id) DO UPDATE SET story = excluded.story, event = excluded.event`, id, se[0], se[1]); err != nil {
				return err
			}
		}
		now := s.now()
		if apply {
			return applyChanges(ctx, tx, changes, now)
		}
		for _, c := range changes {
			if err := logChange(ctx, tx, c, now); err != nil {
				return err
			}
		}
		return nil
	})
}

// SaveModel implements store.Writer.
func (s *DB) SaveModel(ctx context.Context, data []byte, lastArticle int64) error {
	if err := s.writable(); err != nil {
		return err
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO cluster_model (id, data, last_article, saved) VALUES (1, $1, $2, $3)
		ON CONFLICT (id) DO UPDATE SET data = excluded.data, last_article = excluded.last_article, saved = excluded.saved`,
		data, lastArticle, s.now().UTC())
	if err != nil {
		return fmt.Errorf("postgres: save model: %w", err)
	}
	return nil
}

// LoadModel implements store.Writer.
func (s *DB) LoadModel(ctx context.Context) ([]byte, int64, error) {
	var data []byte
	var last int64
	err := s.pool.QueryRow(ctx, `SELECT data, last_article FROM cluster_model WHERE id = 1`).Scan(&data, &last)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, 0, store.ErrNotFound
	}
	if err != nil {
		return nil, 0, fmt.Errorf("postgres: load model: %w", err)
	}
	return data, last, nil
}

// writeFacts replaces the facts of article id inside tx: one batch (one
// round trip), each table's rows in one statement over arrays (the server
// runs one statement, not one per row).
func writeFacts(ctx context.Context, tx pgx.Tx, id int64, f news.Facts, sourceEntities []string) error {
	b := &pgx.Batch{}
	for _, q := range []string{`DELETE FROM figures WHERE article_id = $1`, `DELETE FROM statements WHERE article_id = $1`,
		`DELETE FROM mentions WHERE article_id = $1`} {
		b.Queue(q, id)
	}
	b.Queue(`UPDATE articles SET bound_earliest = $1, bound_latest = $2 WHERE id = $3`,
		tsArg(f.Bounds.Earliest), tsArg(f.Bounds.Latest), id)
	if n := len(f.Figures); n > 0 {
		idx := make([]int32, n)
		value := make([]float64, n)
		low, high := make([]*float64, n), make([]*float64, n)
		var qual, unit, kind, subj, by, sent, se []string
		for i, g := range f.Figures {
			idx[i], value[i] = int32(i), g.Value
			if g.IsRange {
				low[i], high[i] = &g.Low, &g.High
			}
			src := ""
			if i < len(sourceEntities) {
				src = sourceEntities[i]
			}
			qual, unit, kind, subj = append(qual, g.Qualifier), append(unit, g.Unit), append(kind, g.Kind), append(subj, g.Subject)
			by, sent, se = append(by, g.AttributedTo), append(sent, g.Sentence), append(se, src)
		}
		b.Queue(`INSERT INTO figures (article_id, idx, value, low, high, qualifier, unit, kind, subject, attributed_to, sentence, source_entity)
			SELECT $1::bigint, * FROM unnest($2::int[], $3::float8[], $4::float8[], $5::float8[], $6::text[], $7::text[], $8::text[], $9::text[],
				$10::text[], $11::text[], $12::text[])`, id, idx, value, low, high, qual, unit, kind, subj, by, sent, se)
	}
	if n := len(f.Statements); n > 0 {
		idx := make([]int32, n)
		earliest, latest := make([]*time.Time, n), make([]*time.Time, n)
		var body, expr, value, anchor []string
		for i, st := range f.Statements {
			idx[i], earliest[i], latest[i] = int32(i), tsPtr(st.Earliest), tsPtr(st.Latest)
			body, expr, value, anchor = append(body, st.Text), append(expr, st.Expr), append(value, st.Value), append(anchor, st.Anchor)
		}
		b.Queue(`INSERT INTO statements (article_id, idx, body, expr, value, earliest, latest, anchor)
			SELECT $1::bigint, * FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[], $8::text[])`,
			id, idx, body, expr, value, earliest, latest, anchor)
	}
	if n := len(f.Mentions); n > 0 {
		idx := make([]int32, n)
		var entity, typ, name, canonical []string
		for i, m := range f.Mentions {
			idx[i] = int32(i)
			entity, typ, name, canonical = append(entity, m.Entity), append(typ, m.Type), append(name, m.Name), append(canonical, m.Canonical)
		}
		b.Queue(`INSERT INTO mentions (article_id, idx, entity, type, name, canonical)
			SELECT $1::bigint, * FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::text[]) ON CONFLICT DO NOTHING`,
			id, idx, entity, typ, name, canonical)
	}
	return tx.SendBatch(ctx, b).Close()
}

// tsPtr is tsArg for an array element: nil where tsArg is NULL.
func tsPtr(t time.Time) *time.Time {
	if v, ok := tsArg(t).(time.Time); ok {
		return &v
	}
	return nil
}

// SetFacts implements store.Writer.
func (s *DB) SetFacts(ctx context.Context, articleID int64, f news.Facts, search store.SearchDoc, sourceEntities []string) error {
	return s.write(ctx, fmt.Sprintf("set facts %d", articleID), func(tx pgx.Tx) error {
		if err := writeFacts(ctx, tx, articleID, f, sourceEntities); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM search WHERE article_id = $1`, articleID); err != nil {
			return err
		}
		if err := writeSearch(ctx, tx, articleID, search); err != nil {
			return err
		}
		return markDirtyOf(ctx, tx, articleID)
	})
}

// RecordFailure implements store.Writer.
func (s *DB) RecordFailure(ctx context.Context, f store.Failure) error {
	if err := s.writable(); err != nil {
		return err
	}
	if f.At.IsZero() {
		f.At = s.now()
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO failures (input, error, at) VALUES ($1, $2, $3)
		ON CONFLICT (input, error) DO UPDATE SET at = excluded.at`, f.Input, f.Err, f.At.UTC())
	if err != nil {
		return fmt.Errorf("postgres: record failure %s: %w", f.Input, err)
	}
	return nil
}

// ClearFailure implements store.Writer.
func (s *DB) ClearFailure(ctx context.Context, input string) error {
	if err := s.writable(); err != nil {
		return err
	}
	if _, err := s.pool.Exec(ctx, `DELETE FROM failures WHERE input = $1`, input); err != nil {
		return fmt.Errorf("postgres: clear failure %s: %w", input, err)
	}
	return nil
}

// Failures implements store.Reader.
func (s *reader) Failures(ctx context.Context) ([]store.Failure, error) {
	rows, err := s.q.Query(ctx, `SELECT input, error, at FROM failures ORDER BY at DESC, input`)
	if err != nil {
		return nil, fmt.Errorf("postgres: failures: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (store.Failure, error) {
		var f store.Failure
		err := row.Scan(&f.Input, &f.Err, &f.At)
		f.At = f.At.UTC()
		return f, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: failures: %w", err)
	}
	return out, nil
}

// FeedState implements store.Reader.
func (s *reader) FeedState(ctx context.Context, url string) (store.FeedState, error) {
	st := store.FeedState{URL: url}
	err := s.q.QueryRow(ctx, `SELECT etag, last_modified, checked FROM feed_state WHERE url = $1`, url).
		Scan(&st.ETag, &st.LastModified, &st.Checked)
	if errors.Is(err, pgx.ErrNoRows) {
		return st, store.ErrNotFound
	}
	if err != nil {
		return st, fmt.Errorf("postgres: feed state %s: %w", url, err)
	}
	st.Checked = st.Checked.UTC()
	return st, nil
}

// SetFeedState implements store.Writer.
func (s *DB) SetFeedState(ctx context.Context, st store.FeedState) error {
	if err := s.writable(); err != nil {
		return err
	}
	if st.Checked.IsZero() {
		st.Checked = s.now()
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO feed_state (url, etag, last_modified, checked) VALUES ($1, $2, $3, $4)
		ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified, checked = excluded.checked`,
		st.URL, st.ETag, st.LastModified, st.Checked.UTC())
	if err != nil {
		return fmt.Errorf("postgres: set feed state %s: %w", st.URL, err)
	}
	return nil
}

// Stats implements store.Reader.
func (s *reader) Stats(ctx context.Context) (store.Stats, error) {
	st := store.Stats{Languages: map[string]int{}}
	err := s.q.QueryRow(ctx, `SELECT (SELECT COUNT(*) FROM story_views), (SELECT COUNT(*) FROM pages), (SELECT COUNT(*) FROM articles),
		(SELECT COUNT(*) FROM article_sources), (SELECT COUNT(*) FROM failures), pg_database_size(current_database())`).
		Scan(&st.Stories, &st.Pages, &st.Articles, &st.Sources, &st.Failures, &st.Bytes)
	if err != nil {
		return st, fmt.Errorf("postgres: stats: %w", err)
	}
	rows, err := s.q.Query(ctx, `SELECT language, COUNT(*) FROM articles GROUP BY language`)
	if err != nil {
		return st, fmt.Errorf("postgres: stats: %w", err)
	}
	var l string
	var n int
	_, err = pgx.ForEachRow(rows, []any{&l, &n}, func() error { st.Languages[l] = n; return nil })
	if err != nil {
		return st, fmt.Errorf("postgres: stats: %w", err)
	}
	return st, nil
}

// KnownPages returns which of refs are the key or the URL of a stored page
// (with any body): the feed items whose pages need no fetching.
func (s *DB) KnownPages(ctx context.Context, refs []string) (map[string]bool, error) {
	known := map[string]bool{}
	if len(refs) == 0 {
		return known, nil
	}
	rows, err := s.pool.Query(ctx, `SELECT key FROM pages WHERE key = ANY($1) UNION SELECT url FROM pages WHERE url = ANY($1)`, refs)
	if err != nil {
		return nil, fmt.Errorf("postgres: known pages: %w", err)
	}
	var k string
	if _, err := pgx.ForEachRow(rows, []any{&k}, func() error { known[k] = true; return nil }); err != nil {
		return nil, fmt.Errorf("postgres: known pages: %w", err)
	}
	return known, nil
}
