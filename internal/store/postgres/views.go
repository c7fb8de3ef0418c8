package postgres

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"dossier/internal/news"
	"dossier/internal/store"
)

// DirtyStories implements store.Reader.
func (s *reader) DirtyStories(ctx context.Context, after int64, limit int) ([]int64, error) {
	rows, err := s.q.Query(ctx, `SELECT story FROM dirty_stories WHERE story > $1 ORDER BY story LIMIT $2`, after, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: dirty stories: %w", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("postgres: dirty stories: %w", err)
	}
	return out, nil
}

// ViewGrowth implements store.Writer.
func (s *DB) ViewGrowth(ctx context.Context, story int64) (store.Growth, error) {
	g := store.Growth{Built: -1}
	var built *int64
	var updated *time.Time
	err := s.pool.QueryRow(ctx, `SELECT v.articles, v.updated, (SELECT COUNT(*) FROM clusters WHERE story = $1)
		FROM (SELECT $1::bigint AS story) k LEFT JOIN story_views v ON v.story = k.story`, story).Scan(&built, &updated, &g.Articles)
	if err != nil {
		return g, fmt.Errorf("postgres: view growth %d: %w", story, err)
	}
	if built != nil && updated != nil {
		g.Built, g.Updated = int(*built), updated.UTC()
	}
	return g, nil
}

// SaveStoryViews implements store.Writer.
func (s *DB) SaveStoryViews(ctx context.Context, vs ...store.StoryView) error {
	if len(vs) == 0 {
		return s.writable()
	}
	op := fmt.Sprintf("save story view %d", vs[0].Story)
	if len(vs) > 1 {
		op = fmt.Sprintf("save story views %d to %d", vs[0].Story, vs[len(vs)-1].Story)
	}
	return s.write(ctx, op, func(tx pgx.Tx) error {
		for _, v := range vs {
			if err := writeView(ctx, tx, v, s.now()); err != nil {
				return fmt.Errorf("story %d: %w", v.Story, err)
			}
		}
		return nil
	})
}

// writeView replaces a story's view and facets in tx and clears its mark,
// in one batch: one round trip, not one per facet.
func writeView(ctx context.Context, tx pgx.Tx, v store.StoryView, now time.Time) error {
	b := &pgx.Batch{}
	for _, q := range []string{`DELETE FROM story_views WHERE story = $1`, `DELETE FROM story_facets WHERE story = $1`,
		`DELETE FROM dirty_stories WHERE story = $1`} {
		b.Queue(q, v.Story)
	}
	if v.Articles > 0 {
		if v.Updated.IsZero() {
			v.Updated = now
		}
		data := v.Data
		if data == nil {
			data = []byte{}
		}
		b.Queue(`INSERT INTO story_views (story, title, summary, articles, first, latest, updated, data, coverage)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, v.Story, v.Title, v.Summary, v.Articles, tsArg(v.First), tsArg(v.Latest),
			v.Updated.UTC(), data, store.EncodeCoverage(v.Facets))
		// A facet named twice counts both times; summed here, since one
		// statement may not update a row twice.
		type key struct{ kind, value string }
		at := map[key]int{}
		var kind, value []string
		var n []int64
		for _, f := range v.Facets {
			k := key{f.Kind, f.Value}
			if i, ok := at[k]; ok {
				n[i] += int64(f.N)
				continue
			}
			at[k] = len(kind)
			kind, value, n = append(kind, f.Kind), append(value, f.Value), append(n, int64(f.N))
		}
		if len(kind) > 0 {
			b.Queue(`INSERT INTO story_facets (story, kind, value, n, latest)
				SELECT $1::bigint, k, v, n, $5::timestamptz FROM unnest($2::text[], $3::text[], $4::bigint[]) AS f(k, v, n)
				ON CONFLICT (story, kind, value) DO UPDATE SET n = story_facets.n + excluded.n`, v.Story, kind, value, n, tsArg(v.Latest))
		}
	}
	if len(v.Derived) > 0 {
		ids := slices.Sorted(maps.Keys(v.Derived))
		data := make([][]byte, len(ids))
		for i, id := range ids {
			data[i] = v.Derived[id]
		}
		b.Queue(`INSERT INTO article_derived (article_id, data) SELECT * FROM unnest($1::bigint[], $2::bytea[])
			ON CONFLICT (article_id) DO UPDATE SET data = excluded.data`, ids, data)
	}
	return tx.SendBatch(ctx, b).Close()
}

// ArticleDerived implements store.Reader.
func (s *reader) ArticleDerived(ctx context.Context, ids []int64) (map[int64][]byte, error) {
	out := make(map[int64][]byte, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := s.q.Query(ctx, `SELECT article_id, data FROM article_derived WHERE article_id = ANY($1)`, ids)
	if err != nil {
		return nil, fmt.Errorf("postgres: derived: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var data []byte
		if err := rows.Scan(&id, &data); err != nil {
			return nil, fmt.Errorf("postgres: derived: %w", err)
		}
		out[id] = data
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: derived: %w", err)
	}
	return out, nil
}

// MarkAllDirty implements store.Writer.
func (s *DB) MarkAllDirty(ctx context.Context) error {
	if err := s.writable(); err != nil {
		return err
	}
	if _, err := s.pool.Exec(ctx, `INSERT INTO dirty_stories (story)
		SELECT story FROM clusters UNION SELECT story FROM story_views ON CONFLICT DO NOTHING`); err != nil {
		return fmt.Errorf("postgres: mark stories: %w", err)
	}
	return nil
}

const viewColumns = `v.story, v.title, v.summary, v.articles, v.first, v.latest, v.updated, v.coverage`

// scanView reads viewColumns (and data): the list facets come from the
// row's coverage when kept, else the story is added to missing, whose
// facets the caller reads from story_facets.
func scanView(row pgx.Row, v *store.StoryView, data bool, missing *[]int64) error {
	var first, latest pgtype.Timestamptz
	var coverage string
	dst := []any{&v.Story, &v.Title, &v.Summary, &v.Articles, &first, &latest, &v.Updated, &coverage}
	if data {
		dst = append(dst, &v.Data)
	}
	if err := row.Scan(dst...); err != nil {
		return err
	}
	v.First, v.Latest, v.Updated = tsOf(first), tsOf(latest), v.Updated.UTC()
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
	err := scanView(s.q.QueryRow(ctx, `SELECT `+viewColumns+`, v.data FROM story_views v WHERE v.story = $1`, story), &v, true, &missing)
	if errors.Is(err, pgx.ErrNoRows) {
		return v, fmt.Errorf("postgres: story %d: %w", story, store.ErrNotFound)
	}
	if err != nil {
		return v, fmt.Errorf("postgres: story %d: %w", story, err)
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

// args builds a query's positional arguments: add returns the next
// placeholder for a value.
type args []any

func (a *args) add(v any) string {
	*a = append(*a, v)
	return fmt.Sprintf("$%d", len(*a))
}

// StoryViews implements store.Reader.
func (s *reader) StoryViews(ctx context.Context, q store.StoryQuery) ([]store.StoryView, error) {
	var where []string
	var a args
	// With a facet filter, the list is read from the facets' index on
	// (kind, value, latest, story), in the list's order: LIMIT stops the
	// scan whether the value is rare or names every story. Other facet
	// filters are checked per story.
	from := `story_views v`
	col := "v."
	for _, f := range []struct{ kind, value string }{{"lang", q.Lang}, {"outlet", q.Outlet}, {"entity", q.Entity}} {
		if f.value == "" {
			continue
		}
		if col == "v." {
			from = `story_facets d JOIN story_views v ON v.story = d.story`
			col = "d."
			where = append(where, `d.kind = `+a.add(f.kind)+` AND d.value = `+a.add(f.value))
		} else {
			where = append(where, `EXISTS (SELECT 1 FROM story_facets x WHERE x.story = v.story AND x.kind = `+a.add(f.kind)+` AND x.value = `+a.add(f.value)+`)`)
		}
	}
	if !q.From.IsZero() {
		where = append(where, col+`latest >= `+a.add(q.From.UTC()))
	}
	if !q.To.IsZero() {
		where = append(where, col+`latest <= `+a.add(q.To.UTC()))
	}
	if q.AfterStory != 0 {
		// Keyset paging on (latest DESC NULLS LAST, story DESC).
		if q.AfterLatest.IsZero() {
			where = append(where, `(`+col+`latest IS NULL AND `+col+`story < `+a.add(q.AfterStory)+`)`)
		} else {
			l := a.add(q.AfterLatest.UTC())
			where = append(where, `(`+col+`latest < `+l+` OR (`+col+`latest = `+l+` AND `+col+`story < `+a.add(q.AfterStory)+`) OR `+col+`latest IS NULL)`)
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
	query += ` ORDER BY ` + col + `latest DESC NULLS LAST, ` + col + `story DESC LIMIT ` + a.add(limit)
	var out []store.StoryView
	var missing []int64
	err := s.each(ctx, query, a, func(rows pgx.Rows) error {
		var v store.StoryView
		if err := scanView(rows, &v, false, &missing); err != nil {
			return err
		}
		out = append(out, v)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: stories: %w", err)
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
	err := s.each(ctx, `SELECT story, kind, value, n FROM story_facets WHERE story = ANY($1) AND kind IN ('lang', 'outlet', 'day')
		ORDER BY story, kind, n DESC, value`, []any{ids}, func(rows pgx.Rows) error {
		var id int64
		var f store.Facet
		if err := rows.Scan(&id, &f.Kind, &f.Value, &f.N); err != nil {
			return err
		}
		m[id] = append(m[id], f)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: facets: %w", err)
	}
	return m, nil
}

// Entity implements store.Reader.
func (s *reader) Entity(ctx context.Context, id string) (store.Entity, error) {
	e := store.Entity{ID: id}
	// entity_names and entity_counts are kept by a trigger on mentions
	// (migration 005): the aliases are read, not counted. The type and
	// canonical name come from the most used name.
	err := s.each(ctx, `SELECT name, type, canonical, n FROM entity_names WHERE entity = $1
		ORDER BY n DESC, name`, []any{id}, func(rows pgx.Rows) error {
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
		return e, fmt.Errorf("postgres: entity %s: %w", id, err)
	}
	if len(e.Aliases) == 0 {
		return e, fmt.Errorf("postgres: entity %s: %w", id, store.ErrNotFound)
	}
	if err := s.q.QueryRow(ctx, `SELECT COALESCE((SELECT articles FROM entity_counts WHERE entity = $1), 0)`, id).Scan(&e.Articles); err != nil {
		return e, fmt.Errorf("postgres: entity %s: %w", id, err)
	}
	err = s.each(ctx, `SELECT story FROM story_facets
		WHERE kind = 'entity' AND value = $1 ORDER BY n DESC, latest DESC NULLS LAST, story DESC LIMIT 100`, []any{id}, func(rows pgx.Rows) error {
		var st int64
		if err := rows.Scan(&st); err != nil {
			return err
		}
		e.Stories = append(e.Stories, st)
		return nil
	})
	if err != nil {
		return e, fmt.Errorf("postgres: entity %s: %w", id, err)
	}
	return e, nil
}

// EntityArticles implements store.Reader.
func (s *reader) EntityArticles(ctx context.Context, id string, before int64, limit int) ([]int64, error) {
	if before <= 0 {
		before = 1<<63 - 1
	}
	rows, err := s.q.Query(ctx, `SELECT DISTINCT article_id FROM mentions WHERE entity = $1 AND article_id < $2
		ORDER BY article_id DESC LIMIT $3`, id, before, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: entity %s articles: %w", id, err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("postgres: entity %s articles: %w", id, err)
	}
	return out, nil
}

// likeArg escapes s for a LIKE pattern that finds it anywhere.
func likeArg(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(s) + "%"
}

// Figures implements store.Reader.
func (s *reader) Figures(ctx context.Context, q store.FigureQuery) ([]store.FigureRow, error) {
	var where []string
	var a args
	if q.Kind != "" {
		where = append(where, `f.kind = `+a.add(q.Kind))
	}
	// ILIKE: SQLite's LIKE ignores the case of ASCII letters.
	if q.Subject != "" {
		where = append(where, `f.subject ILIKE `+a.add(likeArg(q.Subject)))
	}
	if q.Source != "" {
		where = append(where, `f.attributed_to ILIKE `+a.add(likeArg(q.Source)))
	}
	if q.Entity != "" {
		where = append(where, `f.source_entity = `+a.add(q.Entity))
	}
	if q.Story != 0 {
		where = append(where, `c.story = `+a.add(q.Story))
	}
	if q.BeforeArticle != 0 {
		b := a.add(q.BeforeArticle)
		where = append(where, `(f.article_id < `+b+` OR (f.article_id = `+b+` AND f.idx < `+a.add(q.BeforeIndex)+`))`)
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
	query += ` ORDER BY f.article_id DESC, f.idx DESC LIMIT ` + a.add(limit)
	var out []store.FigureRow
	err := s.each(ctx, query, a, func(rows pgx.Rows) error {
		var r store.FigureRow
		var lo, hi pgtype.Float8
		var pub, capt pgtype.Timestamptz
		if err := rows.Scan(&r.Article, &r.Index, &r.Value, &lo, &hi, &r.Qualifier, &r.Unit, &r.Kind, &r.Subject, &r.AttributedTo,
			&r.Sentence, &r.SourceEntity, &r.Story, &r.Language, &r.Site, &pub, &capt); err != nil {
			return err
		}
		r.IsRange, r.Low, r.High = lo.Valid, lo.Float64, hi.Float64
		r.Published, r.Captured = tsOf(pub), tsOf(capt)
		out = append(out, r)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: figures: %w", err)
	}
	return out, nil
}

// EachStoryView implements store.Reader.
func (s *reader) EachStoryView(ctx context.Context, fn func(store.StoryView) error) error {
	after := int64(-1 << 62)
	for {
		var page []store.StoryView
		err := s.each(ctx, `SELECT `+viewColumns+`, v.data FROM story_views v WHERE v.story > $1 ORDER BY v.story LIMIT $2`, []any{after, chunk},
			func(rows pgx.Rows) error {
				var v store.StoryView
				if err := scanView(rows, &v, true, nil); err != nil {
					return err
				}
				v.Facets = nil // as documented: views with their data
				page = append(page, v)
				return nil
			})
		if err != nil {
			return fmt.Errorf("postgres: story views: %w", err)
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

// EachMention implements store.Reader, in chunks (keyset on entity,
// article and position) so that no rows are open while fn runs.
func (s *reader) EachMention(ctx context.Context, fn func(news.Mention, int64) error) error {
	type row struct {
		m       news.Mention
		article int64
		idx     int
	}
	var last *row
	for {
		query := `SELECT entity, type, name, canonical, article_id, idx FROM mentions`
		var a args
		if last != nil {
			query += ` WHERE (entity, article_id, idx) > (` + a.add(last.m.Entity) + `, ` + a.add(last.article) + `, ` + a.add(last.idx) + `)`
		}
		query += ` ORDER BY entity, article_id, idx LIMIT ` + a.add(chunk)
		var page []row
		err := s.each(ctx, query, a, func(rows pgx.Rows) error {
			var r row
			if err := rows.Scan(&r.m.Entity, &r.m.Type, &r.m.Name, &r.m.Canonical, &r.article, &r.idx); err != nil {
				return err
			}
			page = append(page, r)
			return nil
		})
		if err != nil {
			return fmt.Errorf("postgres: mentions: %w", err)
		}
		for _, r := range page {
			if err := fn(r.m, r.article); err != nil {
				return err
			}
		}
		if len(page) < chunk {
			return nil
		}
		last = &page[len(page)-1]
	}
}
