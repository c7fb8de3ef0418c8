package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"dossier/internal/news"
	"dossier/internal/store"
)

// DirtyStories implements store.Reader.
func (s *reader) DirtyStories(ctx context.Context, after int64, limit int) ([]int64, error) {
	var out []int64
	err := s.each(ctx, `SELECT story FROM dirty_stories WHERE story > ? ORDER BY story LIMIT ?`, []any{after, limit}, func(rows *sql.Rows) error {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return err
		}
		out = append(out, id)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sqlite: dirty stories: %w", err)
	}
	return out, nil
}

// ViewGrowth implements store.Writer.
func (s *DB) ViewGrowth(ctx context.Context, story int64) (store.Growth, error) {
	g := store.Growth{Built: -1}
	var built sql.NullInt64
	var updated sql.NullString
	err := s.rdb.QueryRowContext(ctx, `SELECT v.articles, v.updated, (SELECT COUNT(*) FROM clusters WHERE story = k.story)
		FROM (SELECT ? AS story) k LEFT JOIN story_views v ON v.story = k.story`, story).Scan(&built, &updated, &g.Articles)
	if err != nil {
		return g, fmt.Errorf("sqlite: view growth %d: %w", story, err)
	}
	if built.Valid {
		g.Built, g.Updated = int(built.Int64), parseTime(updated)
	}
	return g, nil
}

// SaveStoryViews implements store.Writer.
func (s *DB) SaveStoryViews(ctx context.Context, vs ...store.StoryView) error {
	if err := s.writable(); err != nil {
		return err
	}
	if len(vs) == 0 {
		return nil
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: save story views: %w", err)
	}
	c := newStmtCache(tx) // many views, the same statements
	for _, v := range vs {
		if err := writeView(ctx, c, v, s.now()); err != nil {
			tx.Rollback()
			return fmt.Errorf("sqlite: save story view %d: %w", v.Story, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: save story views: %w", err)
	}
	return nil
}

// writeView replaces a story's view and facets in tx and clears its mark.
func writeView(ctx context.Context, tx execer, v store.StoryView, now time.Time) error {
	for _, q := range []string{`DELETE FROM story_views WHERE story = ?`, `DELETE FROM story_facets WHERE story = ?`,
		`DELETE FROM story_coverage WHERE story = ?`, `DELETE FROM dirty_stories WHERE story = ?`} {
		if _, err := tx.ExecContext(ctx, q, v.Story); err != nil {
			return err
		}
	}
	if v.Articles > 0 {
		if v.Updated.IsZero() {
			v.Updated = now
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO story_views (story, title, summary, articles, first, latest, updated, data)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, v.Story, v.Title, v.Summary, v.Articles, nullTime(v.First), nullTime(v.Latest),
			ts(v.Updated), v.Data); err != nil {
			return err
		}
		if cov := store.EncodeCoverage(v.Facets); cov != "" {
			if _, err := tx.ExecContext(ctx, `INSERT INTO story_coverage (story, coverage) VALUES (?, ?)`, v.Story, cov); err != nil {
				return err
			}
		}
		args := make([]any, 0, 5*len(v.Facets))
		latest := nullTime(v.Latest)
		for _, f := range v.Facets {
			args = append(args, v.Story, f.Kind, f.Value, f.N, latest)
		}
		if err := insertRows(ctx, tx, `INSERT INTO story_facets (story, kind, value, n, latest)`, 5,
			`ON CONFLICT DO UPDATE SET n = n + excluded.n`, args); err != nil {
			return err
		}
	}
	return writeDerived(ctx, tx, v.Derived)
}

// writeDerived saves what a view derived from its articles, in id order.
func writeDerived(ctx context.Context, tx execer, derived map[int64][]byte) error {
	if len(derived) == 0 {
		return nil
	}
	ids := slices.Sorted(maps.Keys(derived))
	args := make([]any, 0, 2*len(ids))
	for _, id := range ids {
		args = append(args, id, derived[id])
	}
	return insertRows(ctx, tx, `INSERT INTO article_derived (article_id, data)`, 2,
		`ON CONFLICT (article_id) DO UPDATE SET data = excluded.data`, args)
}

// MarkAllDirty implements store.Writer.
func (s *DB) MarkAllDirty(ctx context.Context) error {
	if err := s.writable(); err != nil {
		return err
	}
	if _, err := s.db.ExecContext(ctx, `INSERT OR IGNORE INTO dirty_stories (story)
		SELECT DISTINCT story FROM clusters UNION SELECT story FROM story_views`); err != nil {
		return fmt.Errorf("sqlite: mark stories: %w", err)
	}
	return nil
}

// viewColumns are read from story_views v LEFT JOIN story_coverage c.
const viewColumns = `v.story, v.title, v.summary, v.articles, v.first, v.latest, v.updated, COALESCE(c.coverage, '')`

const viewTables = `story_views v LEFT JOIN story_coverage c ON c.story = v.story`

// scanView reads viewColumns (and data): the list facets come from the
// row's coverage when kept, else the story is added to missing, whose
// facets the caller reads from story_facets.
func scanView(rows interface{ Scan(...any) error }, v *store.StoryView, data bool, missing *[]int64) error {
	var first, latest, updated sql.NullString
	var coverage string
	dst := []any{&v.Story, &v.Title, &v.Summary, &v.Articles, &first, &latest, &updated, &coverage}
	if data {
		dst = append(dst, &v.Data)
	}
	if err := rows.Scan(dst...); err != nil {
		return err
	}
	v.First, v.Latest, v.Updated = parseTime(first), parseTime(latest), parseTime(updated)
	facets, ok, err := store.DecodeCoverage(coverage)
	if err != nil {
		return fmt.Errorf("story %d: %w", v.Story, err)
	}
	v.Facets = facets
	if !ok && missing != nil {
		*missing = append(*missing, v.Story)
	}
	return nil
}

// StoryView implements store.Reader.
func (s *reader) StoryView(ctx context.Context, story int64) (store.StoryView, error) {
	var v store.StoryView
	var missing []int64
	row := s.q.QueryRowContext(ctx, `SELECT `+viewColumns+`, v.data FROM `+viewTables+` WHERE v.story = ?`, story)
	if err := scanView(row, &v, true, &missing); err != nil {
		return v, fmt.Errorf("sqlite: story %d: %w", story, notFound(err))
	}
	if len(missing) > 0 {
		facets, err := s.facets(ctx, missing)
		if err != nil {
			return v, err
		}
		v.Facets = facets[story]
	}
	return v, nil
}

// StoryViews implements store.Reader.
func (s *reader) StoryViews(ctx context.Context, q store.StoryQuery) ([]store.StoryView, error) {
	var where []string
	var args []any
	// With a facet filter, the list is read from the facets' index on
	// (kind, value, latest, story), in the list's order: LIMIT stops the
	// scan whether the value is rare or names every story. Other facet
	// filters are checked per story.
	from := viewTables
	col := "v."
	for _, f := range []struct{ kind, value string }{{"lang", q.Lang}, {"outlet", q.Outlet}, {"entity", q.Entity}} {
		if f.value == "" {
			continue
		}
		if col == "v." {
			from = `story_facets d CROSS JOIN story_views v ON v.story = d.story LEFT JOIN story_coverage c ON c.story = v.story`
			col = "d."
			where = append(where, `d.kind = ? AND d.value = ?`)
		} else {
			where = append(where, `EXISTS (SELECT 1 FROM story_facets x WHERE x.story = v.story AND x.kind = ? AND x.value = ?)`)
		}
		args = append(args, f.kind, f.value)
	}
	if !q.From.IsZero() {
		where = append(where, col+`latest >= ?`)
		args = append(args, ts(q.From))
	}
	if !q.To.IsZero() {
		where = append(where, col+`latest <= ?`)
		args = append(args, ts(q.To))
	}
	if q.AfterStory != 0 {
		// Keyset paging on (latest DESC, story DESC); a story with no date
		// sorts last (NULL latest).
		if q.AfterLatest.IsZero() {
			where = append(where, `(`+col+`latest IS NULL AND `+col+`story < ?)`)
			args = append(args, q.AfterStory)
		} else {
			where = append(where, `(`+col+`latest < ? OR (`+col+`latest = ? AND `+col+`story < ?) OR `+col+`latest IS NULL)`)
			args = append(args, ts(q.AfterLatest), ts(q.AfterLatest), q.AfterStory)
		}
	}
	query := `SELECT ` + viewColumns + ` FROM ` + from
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, ` AND `)
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 50
	}
	// SQLite sorts NULL below every value, so DESC puts undated stories
	// last and the order is the index's: no sort per request.
	query += ` ORDER BY ` + col + `latest DESC, ` + col + `story DESC LIMIT ?`
	args = append(args, limit)
	var out []store.StoryView
	var missing []int64
	err := s.each(ctx, query, args, func(rows *sql.Rows) error {
		var v store.StoryView
		if err := scanView(rows, &v, false, &missing); err != nil {
			return err
		}
		out = append(out, v)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sqlite: stories: %w", err)
	}
	if len(missing) > 0 { // views whose row keeps no coverage
		facets, err := s.facets(ctx, missing)
		if err != nil {
			return nil, err
		}
		for i := range out {
			if f, ok := facets[out[i].Story]; ok {
				out[i].Facets = f
			}
		}
	}
	return out, nil
}

// facets loads the facets of the given stories, largest first.
func (s *reader) facets(ctx context.Context, ids []int64) (map[int64][]store.Facet, error) {
	m := map[int64][]store.Facet{}
	if len(ids) == 0 {
		return m, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	err := s.each(ctx, `SELECT story, kind, value, n FROM story_facets WHERE kind IN ('lang', 'outlet', 'day') AND story IN (?`+strings.Repeat(",?", len(ids)-1)+`)
		ORDER BY story, kind, n DESC, value`, args, func(rows *sql.Rows) error {
		var id int64
		var f store.Facet
		if err := rows.Scan(&id, &f.Kind, &f.Value, &f.N); err != nil {
			return err
		}
		m[id] = append(m[id], f)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sqlite: facets: %w", err)
	}
	return m, nil
}

// Entity implements store.Reader.
func (s *reader) Entity(ctx context.Context, id string) (store.Entity, error) {
	e := store.Entity{ID: id}
	// entity_names and entity_counts are kept by triggers on mentions
	// (migration 010): the aliases are read, not counted.
	err := s.each(ctx, `SELECT name, type, canonical, n FROM entity_names WHERE entity = ? ORDER BY n DESC, name`,
		[]any{id}, func(rows *sql.Rows) error {
			var a store.Alias
			var typ, canon string
			if err := rows.Scan(&a.Name, &typ, &canon, &a.N); err != nil {
				return err
			}
			if e.Type == "" {
				e.Type, e.Name = typ, canon
			}
			e.Aliases = append(e.Aliases, a)
			return nil
		})
	if err != nil {
		return e, fmt.Errorf("sqlite: entity %s: %w", id, err)
	}
	if len(e.Aliases) == 0 {
		return e, fmt.Errorf("sqlite: entity %s: %w", id, store.ErrNotFound)
	}
	if err := s.q.QueryRowContext(ctx, `SELECT COALESCE((SELECT articles FROM entity_counts WHERE entity = ?), 0)`, id).Scan(&e.Articles); err != nil {
		return e, fmt.Errorf("sqlite: entity %s: %w", id, err)
	}
	err = s.each(ctx, `SELECT story FROM story_facets
		WHERE kind = 'entity' AND value = ? ORDER BY n DESC, latest DESC, story DESC LIMIT 100`, []any{id}, func(rows *sql.Rows) error {
		var st int64
		if err := rows.Scan(&st); err != nil {
			return err
		}
		e.Stories = append(e.Stories, st)
		return nil
	})
	if err != nil {
		return e, fmt.Errorf("sqlite: entity %s: %w", id, err)
	}
	return e, nil
}

// EntityArticles implements store.Reader.
func (s *reader) EntityArticles(ctx context.Context, id string, before int64, limit int) ([]int64, error) {
	if before <= 0 {
		before = 1<<63 - 1
	}
	var out []int64
	err := s.each(ctx, `SELECT DISTINCT article_id FROM mentions WHERE entity = ? AND article_id < ? ORDER BY article_id DESC LIMIT ?`,
		[]any{id, before, limit}, func(rows *sql.Rows) error {
			var a int64
			if err := rows.Scan(&a); err != nil {
				return err
			}
			out = append(out, a)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("sqlite: entity %s articles: %w", id, err)
	}
	return out, nil
}

// Figures implements store.Reader.
func (s *reader) Figures(ctx context.Context, q store.FigureQuery) ([]store.FigureRow, error) {
	var where []string
	var args []any
	if q.Kind != "" {
		where, args = append(where, `f.kind = ?`), append(args, q.Kind)
	}
	if q.Subject != "" {
		where, args = append(where, `f.subject LIKE ?`), append(args, "%"+q.Subject+"%")
	}
	if q.Source != "" {
		where, args = append(where, `f.attributed_to LIKE ?`), append(args, "%"+q.Source+"%")
	}
	if q.Entity != "" {
		where, args = append(where, `f.source_entity = ?`), append(args, q.Entity)
	}
	if q.Story != 0 {
		where, args = append(where, `c.story = ?`), append(args, q.Story)
	}
	if q.BeforeArticle != 0 {
		where = append(where, `(f.article_id < ? OR (f.article_id = ? AND f.idx < ?))`)
		args = append(args, q.BeforeArticle, q.BeforeArticle, q.BeforeIndex)
	}
	query := `SELECT f.article_id, f.idx, f.value, f.low, f.high, f.qualifier, f.unit, f.kind, f.subject, f.attributed_to, f.sentence,
		f.source_entity, COALESCE(c.story, 0), a.language, a.site, a.published_latest,
		(SELECT p.captured FROM article_sources s JOIN pages p ON p.id = s.page_id WHERE s.article_id = a.id ORDER BY p.id LIMIT 1)
		FROM figures f JOIN articles a ON a.id = f.article_id LEFT JOIN clusters c ON c.article_id = f.article_id`
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, ` AND `)
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 50
	}
	query += ` ORDER BY f.article_id DESC, f.idx DESC LIMIT ?`
	args = append(args, limit)
	var out []store.FigureRow
	err := s.each(ctx, query, args, func(rows *sql.Rows) error {
		var r store.FigureRow
		var lo, hi sql.NullFloat64
		var pub, cap sql.NullString
		if err := rows.Scan(&r.Article, &r.Index, &r.Value, &lo, &hi, &r.Qualifier, &r.Unit, &r.Kind, &r.Subject, &r.AttributedTo,
			&r.Sentence, &r.SourceEntity, &r.Story, &r.Language, &r.Site, &pub, &cap); err != nil {
			return err
		}
		r.IsRange, r.Low, r.High = lo.Valid, lo.Float64, hi.Float64
		r.Published, r.Captured = parseTime(pub), parseTime(cap)
		out = append(out, r)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sqlite: figures: %w", err)
	}
	return out, nil
}

// EachStoryView implements store.Reader.
func (s *reader) EachStoryView(ctx context.Context, fn func(store.StoryView) error) error {
	after := int64(-1 << 62)
	for {
		var page []store.StoryView
		err := s.each(ctx, `SELECT `+viewColumns+`, v.data FROM `+viewTables+` WHERE v.story > ? ORDER BY v.story LIMIT ?`, []any{after, chunk},
			func(rows *sql.Rows) error {
				var v store.StoryView
				if err := scanView(rows, &v, true, nil); err != nil {
					return err
				}
				v.Facets = nil // as documented: views with their data
				page = append(page, v)
				return nil
			})
		if err != nil {
			return fmt.Errorf("sqlite: story views: %w", err)
		}
		for _, v := range page {
			if err := fn(v); err != nil {
				return err
			}
		}
		if len(page) < chunk {
			return nil
		}
		after = page[len(page)-1].Story
	}
}

// EachMention implements store.Reader.
func (s *reader) EachMention(ctx context.Context, fn func(news.Mention, int64) error) error {
	err := s.each(ctx, `SELECT entity, type, name, canonical, article_id FROM mentions ORDER BY entity, article_id, rowid`, nil,
		func(rows *sql.Rows) error {
			var m news.Mention
			var id int64
			if err := rows.Scan(&m.Entity, &m.Type, &m.Name, &m.Canonical, &id); err != nil {
				return err
			}
			return fn(m, id)
		})
	if err != nil {
		return fmt.Errorf("sqlite: mentions: %w", err)
	}
	return nil
}

// ArticleDerived implements store.Reader.
func (s *reader) ArticleDerived(ctx context.Context, ids []int64) (map[int64][]byte, error) {
	out := make(map[int64][]byte, len(ids))
	for len(ids) > 0 {
		part := ids[:min(len(ids), 500)]
		ids = ids[len(part):]
		args := make([]any, len(part))
		for i, id := range part {
			args[i] = id
		}
		err := s.each(ctx, `SELECT article_id, data FROM article_derived WHERE article_id IN (?`+strings.Repeat(",?", len(part)-1)+`)`, args,
			func(rows *sql.Rows) error {
				var id int64
				var data []byte
				if err := rows.Scan(&id, &data); err != nil {
					return err
				}
				out[id] = data
				return nil
			})
		if err != nil {
			return nil, fmt.Errorf("sqlite: derived: %w", err)
		}
	}
	return out, nil
}
