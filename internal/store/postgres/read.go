package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"

	"dossier/internal/news"
	"dossier/internal/store"
)

// querier is what reads need: the pool, a connection or a transaction.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// reader implements store.Reader over a querier. On a transaction only one
// query may be open at a time, so no method calls back into its caller
// while rows are open: results are read in chunks, then handed over.
type reader struct {
	q   querier
	now func() time.Time
}

var _ store.Reader = (*reader)(nil)

// chunk is how many rows one iteration step loads: iterations stream in
// chunks, so memory does not grow with the archive.
const chunk = 256

// each runs a query and calls fn for each row, to scan it.
func (s *reader) each(ctx context.Context, query string, args []any, fn func(pgx.Rows) error) error {
	rows, err := s.q.Query(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Articles implements store.Reader.
func (s *reader) Articles(ctx context.Context, fn func(news.Stored) error) error {
	return s.ArticlesAfter(ctx, 0, fn)
}

// ArticlesAfter implements store.Reader.
func (s *reader) ArticlesAfter(ctx context.Context, after int64, fn func(news.Stored) error) error {
	return s.iterate(ctx, `SELECT id FROM articles WHERE id > $1 ORDER BY id LIMIT $2`, nil, after, fn)
}

// StoryArticles implements store.Reader.
func (s *reader) StoryArticles(ctx context.Context, story int64, fn func(news.Stored) error) error {
	return s.iterate(ctx, `SELECT article_id FROM clusters WHERE story = $3 AND article_id > $1 ORDER BY article_id LIMIT $2`,
		[]any{story}, 0, fn)
}

// iterate pages through the ids that query selects ($1: after, $2: limit,
// then extra), loading each chunk whole before calling fn.
func (s *reader) iterate(ctx context.Context, query string, extra []any, after int64, fn func(news.Stored) error) error {
	for {
		rows, err := s.q.Query(ctx, query, append([]any{after, chunk}, extra...)...)
		if err != nil {
			return fmt.Errorf("postgres: articles: %w", err)
		}
		ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil {
			return fmt.Errorf("postgres: articles: %w", err)
		}
		arts, err := s.load(ctx, ids)
		if err != nil {
			return err
		}
		for _, a := range arts {
			if err := fn(a); err != nil {
				return err
			}
		}
		if len(ids) < chunk {
			return nil
		}
		after = ids[len(ids)-1]
	}
}

// Article implements store.Reader.
func (s *reader) Article(ctx context.Context, id int64) (news.Stored, error) {
	arts, err := s.load(ctx, []int64{id})
	if err != nil {
		return news.Stored{}, err
	}
	if len(arts) == 0 {
		return news.Stored{}, fmt.Errorf("postgres: article %d: %w", id, store.ErrNotFound)
	}
	return arts[0], nil
}

// load reads the articles with the given ids, in id order, with their
// sources, facts, clusters and embeddings.
func (s *reader) load(ctx context.Context, ids []int64) ([]news.Stored, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var arts []news.Stored
	at := map[int64]int{}
	err := s.each(ctx, `SELECT id, hash, title, body, byline, credits, site, language,
		published_earliest, published_latest, published_basis, added, bound_earliest, bound_latest,
		c.story, c.event, e.vec
		FROM articles a LEFT JOIN clusters c ON c.article_id = a.id LEFT JOIN embeddings e ON e.article_id = a.id
		WHERE a.id = ANY($1) ORDER BY a.id`, []any{ids}, func(rows pgx.Rows) error {
		var a news.Stored
		var pe, pl, be, bl pgtype.Timestamptz
		var st, ev pgtype.Int8
		var vec []byte
		if err := rows.Scan(&a.ID, &a.Hash, &a.Title, &a.Text, &a.Byline, &a.Credits, &a.Site, &a.Language,
			&pe, &pl, &a.Published.Basis, &a.Added, &be, &bl, &st, &ev, &vec); err != nil {
			return err
		}
		a.Story, a.Event = st.Int64, ev.Int64
		if len(vec) > 0 {
			var err error
			if a.Embedding, err = store.DecodeVector(vec); err != nil {
				return fmt.Errorf("embedding of article %d: %w", a.ID, err)
			}
		}
		if be.Valid || bl.Valid {
			a.Facts.Bounds = news.DateRange{Earliest: tsOf(be), Latest: tsOf(bl), Basis: "capture"}
		}
		a.Published.Earliest, a.Published.Latest, a.Added = tsOf(pe), tsOf(pl), a.Added.UTC()
		at[a.ID] = len(arts)
		arts = append(arts, a)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: articles: %w", err)
	}
	if len(arts) == 0 {
		return nil, nil
	}
	get := func(id int64) *news.Stored {
		if i, ok := at[id]; ok {
			return &arts[i]
		}
		return nil
	}
	args := []any{ids}
	if err := s.each(ctx, `SELECT s.article_id, p.key, p.file, p.ext_id, p.url, p.captured, s.idx, s.title
		FROM article_sources s JOIN pages p ON p.id = s.page_id WHERE s.article_id = ANY($1) ORDER BY s.article_id, p.id, s.idx`, args,
		func(rows pgx.Rows) error {
			var id int64
			var src news.Source
			var captured pgtype.Timestamptz
			if err := rows.Scan(&id, &src.PageKey, &src.File, &src.ID, &src.URL, &captured, &src.Index, &src.Title); err != nil {
				return err
			}
			src.Captured = tsOf(captured)
			if a := get(id); a != nil {
				a.Sources = append(a.Sources, src)
				if len(a.Sources) == 1 {
					a.Index = src.Index
				}
			}
			return nil
		}); err != nil {
		return nil, fmt.Errorf("postgres: sources: %w", err)
	}
	if err := s.each(ctx, `SELECT article_id, value, low, high, qualifier, unit, kind, subject, attributed_to, sentence
		FROM figures WHERE article_id = ANY($1) ORDER BY article_id, idx`, args, func(rows pgx.Rows) error {
		var id int64
		var g news.Figure
		var lo, hi pgtype.Float8
		if err := rows.Scan(&id, &g.Value, &lo, &hi, &g.Qualifier, &g.Unit, &g.Kind, &g.Subject, &g.AttributedTo, &g.Sentence); err != nil {
			return err
		}
		g.IsRange, g.Low, g.High = lo.Valid, lo.Float64, hi.Float64
		if a := get(id); a != nil {
			a.Facts.Figures = append(a.Facts.Figures, g)
		}
		return nil
	}); err != nil {
		return nil, fmt.Errorf("postgres: figures: %w", err)
	}
	if err := s.each(ctx, `SELECT article_id, body, expr, value, earliest, latest, anchor FROM statements
		WHERE article_id = ANY($1) ORDER BY article_id, idx`, args, func(rows pgx.Rows) error {
		var id int64
		var st news.Statement
		var e, l pgtype.Timestamptz
		if err := rows.Scan(&id, &st.Text, &st.Expr, &st.Value, &e, &l, &st.Anchor); err != nil {
			return err
		}
		st.Earliest, st.Latest = tsOf(e), tsOf(l)
		if a := get(id); a != nil {
			a.Facts.Statements = append(a.Facts.Statements, st)
		}
		return nil
	}); err != nil {
		return nil, fmt.Errorf("postgres: statements: %w", err)
	}
	if err := s.each(ctx, `SELECT article_id, entity, type, name, canonical FROM mentions
		WHERE article_id = ANY($1) ORDER BY article_id, idx`, args, func(rows pgx.Rows) error {
		var id int64
		var m news.Mention
		if err := rows.Scan(&id, &m.Entity, &m.Type, &m.Name, &m.Canonical); err != nil {
			return err
		}
		if a := get(id); a != nil {
			a.Facts.Mentions = append(a.Facts.Mentions, m)
		}
		return nil
	}); err != nil {
		return nil, fmt.Errorf("postgres: mentions: %w", err)
	}
	return arts, nil
}

// Candidates implements store.Reader.
func (s *reader) Candidates(ctx context.Context, hash string, bands []int64) ([]store.Candidate, error) {
	if bands == nil {
		bands = []int64{}
	}
	var cs []store.Candidate
	// A union of the two index lookups: written as "hash = $1 OR id IN
	// (…)", the planner filtered every row of articles, once per page
	// stored (30,000 articles: 250 million rows read).
	err := s.each(ctx, `SELECT id, hash, language, body FROM articles
		WHERE id IN (SELECT id FROM articles WHERE hash = $1 UNION SELECT article_id FROM article_bands WHERE band = ANY($2))
		ORDER BY id`,
		[]any{hash, bands}, func(rows pgx.Rows) error {
			var c store.Candidate
			if err := rows.Scan(&c.ID, &c.Hash, &c.Language, &c.Text); err != nil {
				return err
			}
			cs = append(cs, c)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("postgres: candidates: %w", err)
	}
	return cs, nil
}

func scanChange(rows pgx.Rows, id *int64, c *news.ClusterChange) error {
	var art pgtype.Int8
	dst := []any{&c.At, &c.Kind, &c.Level, &c.From, &c.Into, &art, &c.Score}
	if id != nil {
		dst = append([]any{id}, dst...)
	}
	if err := rows.Scan(dst...); err != nil {
		return err
	}
	c.At, c.Article = c.At.UTC(), art.Int64
	return nil
}

// ClusterChanges implements store.Reader.
func (s *reader) ClusterChanges(ctx context.Context) ([]news.ClusterChange, error) {
	return s.clusterChanges(ctx, ``, nil)
}

// ClusterChangesAfter implements store.Reader.
func (s *reader) ClusterChangesAfter(ctx context.Context, article int64) ([]news.ClusterChange, error) {
	return s.clusterChanges(ctx, `WHERE article_id > $1`, []any{article})
}

func (s *reader) clusterChanges(ctx context.Context, where string, args []any) ([]news.ClusterChange, error) {
	var out []news.ClusterChange
	err := s.each(ctx, `SELECT at, kind, level, from_id, into_id, article_id, score FROM cluster_changes `+where+` ORDER BY id`, args,
		func(rows pgx.Rows) error {
			var c news.ClusterChange
			if err := scanChange(rows, nil, &c); err != nil {
				return err
			}
			out = append(out, c)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("postgres: cluster changes: %w", err)
	}
	return out, nil
}

// ChangesSince implements store.Reader.
func (s *reader) ChangesSince(ctx context.Context, c store.ChangeCursor, limit int) (store.Changes, error) {
	out := store.Changes{Next: c}
	if limit <= 0 {
		limit = 100
	}
	err := s.each(ctx, `SELECT id FROM articles WHERE id > $1 ORDER BY id LIMIT $2`, []any{c.Article, limit}, func(rows pgx.Rows) error {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return err
		}
		out.Articles = append(out.Articles, id)
		out.Next.Article = id
		return nil
	})
	if err != nil {
		return out, fmt.Errorf("postgres: changes: %w", err)
	}
	err = s.each(ctx, `SELECT id, at, kind, level, from_id, into_id, article_id, score FROM cluster_changes WHERE id > $1 ORDER BY id LIMIT $2`,
		[]any{c.Change, limit}, func(rows pgx.Rows) error {
			var r store.ClusterChangeRow
			if err := scanChange(rows, &r.ID, &r.ClusterChange); err != nil {
				return err
			}
			out.Clusters = append(out.Clusters, r)
			out.Next.Change = r.ID
			return nil
		})
	if err != nil {
		return out, fmt.Errorf("postgres: changes: %w", err)
	}
	return out, nil
}
