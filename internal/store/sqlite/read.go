package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"dossier/internal/news"
	"dossier/internal/store"
)

// querier is what reads need: the read pool or a read transaction.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// reader implements store.Reader over a querier.
type reader struct {
	q       querier
	now     func() time.Time
	stamper *stamper
}

var _ store.Reader = (*reader)(nil)

// chunk is how many articles one iteration step loads with their facts:
// iterations stream in chunks, so memory does not grow with the archive.
const chunk = 256

// Articles implements store.Reader.
func (s *reader) Articles(ctx context.Context, fn func(news.Stored) error) error {
	return s.ArticlesAfter(ctx, 0, fn)
}

// ArticlesAfter implements store.Reader.
func (s *reader) ArticlesAfter(ctx context.Context, after int64, fn func(news.Stored) error) error {
	for {
		arts, err := s.load(ctx, `SELECT id FROM articles WHERE id > ? ORDER BY id LIMIT `+fmt.Sprint(chunk), after)
		if err != nil {
			return err
		}
		for _, a := range arts {
			if err := fn(a); err != nil {
				return err
			}
		}
		if len(arts) < chunk {
			return nil
		}
		after = arts[len(arts)-1].ID
	}
}

// Article implements store.Reader.
func (s *reader) Article(ctx context.Context, id int64) (news.Stored, error) {
	arts, err := s.load(ctx, `SELECT ?`, id)
	if err != nil {
		return news.Stored{}, err
	}
	if len(arts) == 0 {
		return news.Stored{}, fmt.Errorf("sqlite: article %d: %w", id, store.ErrNotFound)
	}
	return arts[0], nil
}

// StoryArticles implements store.Reader.
func (s *reader) StoryArticles(ctx context.Context, story int64, fn func(news.Stored) error) error {
	after := int64(0)
	for {
		arts, err := s.load(ctx, `SELECT article_id FROM clusters WHERE story = ? AND article_id > ? ORDER BY article_id LIMIT `+fmt.Sprint(chunk), story, after)
		if err != nil {
			return err
		}
		for _, a := range arts {
			if err := fn(a); err != nil {
				return err
			}
		}
		if len(arts) < chunk {
			return nil
		}
		after = arts[len(arts)-1].ID
	}
}

// load reads the articles whose ids ids selects (a query with args), in id
// order, with their sources, facts, clusters and embeddings.
func (s *reader) load(ctx context.Context, ids string, args ...any) ([]news.Stored, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT id, hash, title, body, byline, credits, site, language,
		published_earliest, published_latest, published_basis, added, bound_earliest, bound_latest,
		c.story, c.event, e.vec
		FROM articles a LEFT JOIN clusters c ON c.article_id = a.id LEFT JOIN embeddings e ON e.article_id = a.id
		WHERE a.id IN (`+ids+`) ORDER BY a.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: articles: %w", err)
	}
	var arts []news.Stored
	at := map[int64]int{}
	for rows.Next() {
		var a news.Stored
		var credits string
		var pe, pl, added, be, bl sql.NullString
		var st, ev sql.NullInt64
		var vec []byte
		if err := rows.Scan(&a.ID, &a.Hash, &a.Title, &a.Text, &a.Byline, &credits, &a.Site, &a.Language,
			&pe, &pl, &a.Published.Basis, &added, &be, &bl, &st, &ev, &vec); err != nil {
			rows.Close()
			return nil, fmt.Errorf("sqlite: articles: %w", err)
		}
		a.Story, a.Event = st.Int64, ev.Int64
		if len(vec) > 0 {
			if a.Embedding, err = store.DecodeVector(vec); err != nil {
				rows.Close()
				return nil, fmt.Errorf("sqlite: embedding of article %d: %w", a.ID, err)
			}
		}
		if be.Valid || bl.Valid {
			a.Facts.Bounds = news.DateRange{Earliest: parseTime(be), Latest: parseTime(bl), Basis: "capture"}
		}
		_ = json.Unmarshal([]byte(credits), &a.Credits)
		a.Published.Earliest, a.Published.Latest, a.Added = parseTime(pe), parseTime(pl), parseTime(added)
		at[a.ID] = len(arts)
		arts = append(arts, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: articles: %w", err)
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
	if err := s.each(ctx, `SELECT s.article_id, p.key, p.file, p.ext_id, p.url, p.captured, s.idx, s.title
		FROM article_sources s JOIN pages p ON p.id = s.page_id WHERE s.article_id IN (`+ids+`) ORDER BY s.article_id, p.id, s.idx`, args,
		func(rows *sql.Rows) error {
			var id int64
			var src news.Source
			var captured sql.NullString
			if err := rows.Scan(&id, &src.PageKey, &src.File, &src.ID, &src.URL, &captured, &src.Index, &src.Title); err != nil {
				return err
			}
			src.Captured = parseTime(captured)
			if a := get(id); a != nil {
				a.Sources = append(a.Sources, src)
				if len(a.Sources) == 1 {
					a.Index = src.Index
				}
			}
			return nil
		}); err != nil {
		return nil, fmt.Errorf("sqlite: sources: %w", err)
	}
	if err := s.each(ctx, `SELECT article_id, value, low, high, qualifier, unit, kind, subject, attributed_to, sentence
		FROM figures WHERE article_id IN (`+ids+`) ORDER BY article_id, idx`, args, func(rows *sql.Rows) error {
		var id int64
		var g news.Figure
		var lo, hi sql.NullFloat64
		if err := rows.Scan(&id, &g.Value, &lo, &hi, &g.Qualifier, &g.Unit, &g.Kind, &g.Subject, &g.AttributedTo, &g.Sentence); err != nil {
			return err
		}
		g.IsRange, g.Low, g.High = lo.Valid, lo.Float64, hi.Float64
		if a := get(id); a != nil {
			a.Facts.Figures = append(a.Facts.Figures, g)
		}
		return nil
	}); err != nil {
		return nil, fmt.Errorf("sqlite: figures: %w", err)
	}
	if err := s.each(ctx, `SELECT article_id, body, expr, value, earliest, latest, anchor FROM statements
		WHERE article_id IN (`+ids+`) ORDER BY article_id, idx`, args, func(rows *sql.Rows) error {
		var id int64
		var st news.Statement
		var e, l sql.NullString
		if err := rows.Scan(&id, &st.Text, &st.Expr, &st.Value, &e, &l, &st.Anchor); err != nil {
			return err
		}
		st.Earliest, st.Latest = parseTime(e), parseTime(l)
		if a := get(id); a != nil {
			a.Facts.Statements = append(a.Facts.Statements, st)
		}
		return nil
	}); err != nil {
		return nil, fmt.Errorf("sqlite: statements: %w", err)
	}
	if err := s.each(ctx, `SELECT article_id, entity, type, name, canonical FROM mentions
		WHERE article_id IN (`+ids+`) ORDER BY article_id, rowid`, args, func(rows *sql.Rows) error {
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
		return nil, fmt.Errorf("sqlite: mentions: %w", err)
	}
	return arts, nil
}

// each runs a query and calls fn for each row.
func (s *reader) each(ctx context.Context, query string, args []any, fn func(*sql.Rows) error) error {
	rows, err := s.q.QueryContext(ctx, query, args...)
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

// Candidates implements store.Reader.
func (s *reader) Candidates(ctx context.Context, hash string, bands []int64) ([]store.Candidate, error) {
	q := `SELECT id, hash, language, body FROM articles WHERE hash = ?`
	args := []any{hash}
	if len(bands) > 0 {
		q += ` OR id IN (SELECT article_id FROM article_bands WHERE band IN (?` + strings.Repeat(",?", len(bands)-1) + `))`
		for _, b := range bands {
			args = append(args, b)
		}
	}
	var cs []store.Candidate
	err := s.each(ctx, q+` ORDER BY id`, args, func(rows *sql.Rows) error {
		var c store.Candidate
		if err := rows.Scan(&c.ID, &c.Hash, &c.Language, &c.Text); err != nil {
			return err
		}
		cs = append(cs, c)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sqlite: candidates: %w", err)
	}
	return cs, nil
}

// ClusterChanges implements store.Reader.
func (s *reader) ClusterChanges(ctx context.Context) ([]news.ClusterChange, error) {
	return s.clusterChanges(ctx, ``, nil)
}

// ClusterChangesAfter implements store.Reader.
func (s *reader) ClusterChangesAfter(ctx context.Context, article int64) ([]news.ClusterChange, error) {
	return s.clusterChanges(ctx, `WHERE article_id > ?`, []any{article})
}

func (s *reader) clusterChanges(ctx context.Context, where string, args []any) ([]news.ClusterChange, error) {
	var out []news.ClusterChange
	err := s.each(ctx, `SELECT at, kind, level, from_id, into_id, article_id, score FROM cluster_changes `+where+` ORDER BY id`, args,
		func(rows *sql.Rows) error {
			var c news.ClusterChange
			var at sql.NullString
			var art sql.NullInt64
			if err := rows.Scan(&at, &c.Kind, &c.Level, &c.From, &c.Into, &art, &c.Score); err != nil {
				return err
			}
			c.At, c.Article = parseTime(at), art.Int64
			out = append(out, c)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("sqlite: cluster changes: %w", err)
	}
	return out, nil
}

// ChangesSince implements store.Reader.
func (s *reader) ChangesSince(ctx context.Context, c store.ChangeCursor, limit int) (store.Changes, error) {
	out := store.Changes{Next: c}
	if limit <= 0 {
		limit = 100
	}
	err := s.each(ctx, `SELECT id FROM articles WHERE id > ? ORDER BY id LIMIT ?`, []any{c.Article, limit}, func(rows *sql.Rows) error {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return err
		}
		out.Articles = append(out.Articles, id)
		out.Next.Article = id
		return nil
	})
	if err != nil {
		return out, fmt.Errorf("sqlite: changes: %w", err)
	}
	err = s.each(ctx, `SELECT id, at, kind, level, from_id, into_id, article_id, score FROM cluster_changes WHERE id > ? ORDER BY id LIMIT ?`,
		[]any{c.Change, limit}, func(rows *sql.Rows) error {
			var r store.ClusterChangeRow
			var at sql.NullString
			var art sql.NullInt64
			if err := rows.Scan(&r.ID, &at, &r.Kind, &r.Level, &r.From, &r.Into, &art, &r.Score); err != nil {
				return err
			}
			r.At, r.Article = parseTime(at), art.Int64
			out.Clusters = append(out.Clusters, r)
			out.Next.Change = r.ID
			return nil
		})
	if err != nil {
		return out, fmt.Errorf("sqlite: changes: %w", err)
	}
	return out, nil
}

// notFound turns sql.ErrNoRows into store.ErrNotFound.
func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return store.ErrNotFound
	}
	return err
}
