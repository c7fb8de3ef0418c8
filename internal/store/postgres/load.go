package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"dossier/internal/store"
)

var _ store.Loader = (*DB)(nil)

// copyRows loads rows into table with COPY inside tx.
func copyRows(ctx context.Context, tx pgx.Tx, table string, cols []string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(rows)); err != nil {
		return fmt.Errorf("%s: %w", table, err)
	}
	return nil
}

// LoadPages implements store.Loader.
func (s *DB) LoadPages(ctx context.Context, pages []store.PageRow) error {
	rows := make([][]any, len(pages))
	for i, p := range pages {
		rows[i] = []any{p.ID, p.Key, p.BodyHash, p.Origin, p.File, p.Page.ID, p.URL, tsArg(p.Captured), string(p.Format), p.Added.UTC()}
	}
	return s.write(ctx, "load pages", func(tx pgx.Tx) error {
		return copyRows(ctx, tx, "pages", []string{"id", "key", "body_hash", "origin", "file", "ext_id", "url", "captured", "format", "added"}, rows)
	})
}

// LoadArticles implements store.Loader: the articles with their ids, bands,
// facts, clusters, embeddings and search terms, in one transaction.
func (s *DB) LoadArticles(ctx context.Context, arts []store.ArticleRow) error {
	var articles, bands, figures, statements, mentions, clusters, embeddings [][]any
	var ids []int64
	var titles, bodies []string
	for _, a := range arts {
		f := a.Facts
		articles = append(articles, []any{a.ID, a.Hash, a.Title, a.Text, a.Byline, nonNil(a.Credits), a.Site, a.Language,
			tsArg(a.Published.Earliest), tsArg(a.Published.Latest), a.Published.Basis, a.Added.UTC(), tsArg(f.Bounds.Earliest), tsArg(f.Bounds.Latest)})
		for _, b := range a.Bands {
			bands = append(bands, []any{b, a.ID})
		}
		for i, g := range f.Figures {
			var lo, hi any
			if g.IsRange {
				lo, hi = g.Low, g.High
			}
			var se string
			if i < len(a.SourceEntities) {
				se = a.SourceEntities[i]
			}
			figures = append(figures, []any{a.ID, i, g.Value, lo, hi, g.Qualifier, g.Unit, g.Kind, g.Subject, g.AttributedTo, g.Sentence, se})
		}
		for i, st := range f.Statements {
			statements = append(statements, []any{a.ID, i, st.Text, st.Expr, st.Value, tsArg(st.Earliest), tsArg(st.Latest), st.Anchor})
		}
		seen := map[[2]string]bool{}
		for i, m := range f.Mentions {
			if k := [2]string{m.Entity, m.Name}; !seen[k] {
				seen[k] = true
				mentions = append(mentions, []any{a.ID, i, m.Entity, m.Type, m.Name, m.Canonical})
			}
		}
		if a.Story != 0 || a.Event != 0 {
			clusters = append(clusters, []any{a.ID, a.Story, a.Event})
		}
		if len(a.Embedding) > 0 {
			embeddings = append(embeddings, []any{a.ID, store.EncodeVector(a.Embedding)})
		}
		if a.Search.Title != "" || a.Search.Body != "" {
			ids = append(ids, a.ID)
			titles = append(titles, cutTerms(a.Search.Title, maxSearchBytes/4))
			bodies = append(bodies, cutTerms(a.Search.Body, maxSearchBytes))
		}
	}
	return s.write(ctx, "load articles", func(tx pgx.Tx) error {
		for _, t := range []struct {
			table string
			cols  []string
			rows  [][]any
		}{
			{"articles", []string{"id", "hash", "title", "body", "byline", "credits", "site", "language", "published_earliest",
				"published_latest", "published_basis", "added", "bound_earliest", "bound_latest"}, articles},
			{"article_bands", []string{"band", "article_id"}, bands},
			{"figures", []string{"article_id", "idx", "value", "low", "high", "qualifier", "unit", "kind", "subject", "attributed_to",
				"sentence", "source_entity"}, figures},
			{"statements", []string{"article_id", "idx", "body", "expr", "value", "earliest", "latest", "anchor"}, statements},
			{"mentions", []string{"article_id", "idx", "entity", "type", "name", "canonical"}, mentions},
			{"clusters", []string{"article_id", "story", "event"}, clusters},
			{"embeddings", []string{"article_id", "vec"}, embeddings},
		} {
			if err := copyRows(ctx, tx, t.table, t.cols, t.rows); err != nil {
				return err
			}
		}
		if len(ids) == 0 {
			return nil
		}
		_, err := tx.Exec(ctx, `INSERT INTO search (article_id, doc)
			SELECT id, setweight(to_tsvector('simple', t), 'A') || setweight(to_tsvector('simple', b), 'B')
			FROM unnest($1::bigint[], $2::text[], $3::text[]) AS u (id, t, b)`, ids, titles, bodies)
		if err != nil {
			return fmt.Errorf("search: %w", err)
		}
		return nil
	})
}

// LoadSources implements store.Loader.
func (s *DB) LoadSources(ctx context.Context, srcs []store.SourceRow) error {
	rows := make([][]any, len(srcs))
	for i, r := range srcs {
		rows[i] = []any{r.Page, r.Index, r.Article, r.Title}
	}
	return s.write(ctx, "load sources", func(tx pgx.Tx) error {
		return copyRows(ctx, tx, "article_sources", []string{"page_id", "idx", "article_id", "title"}, rows)
	})
}

// LoadChanges implements store.Loader.
func (s *DB) LoadChanges(ctx context.Context, changes []store.ClusterChangeRow) error {
	rows := make([][]any, len(changes))
	for i, c := range changes {
		var art any
		if c.Article != 0 {
			art = c.Article
		}
		rows[i] = []any{c.ID, c.At.UTC(), c.Kind, c.Level, c.From, c.Into, art, c.Score}
	}
	return s.write(ctx, "load cluster changes", func(tx pgx.Tx) error {
		return copyRows(ctx, tx, "cluster_changes", []string{"id", "at", "kind", "level", "from_id", "into_id", "article_id", "score"}, rows)
	})
}

// LoadDone implements store.Loader.
func (s *DB) LoadDone(ctx context.Context, dirty []int64) error {
	return s.write(ctx, "load", func(tx pgx.Tx) error {
		if dirty == nil {
			dirty = []int64{}
		}
		if _, err := tx.Exec(ctx, `INSERT INTO dirty_stories (story) SELECT unnest($1::bigint[]) ON CONFLICT DO NOTHING`, dirty); err != nil {
			return err
		}
		// The next id of each table follows the highest loaded.
		for _, t := range []string{"pages", "articles", "cluster_changes"} {
			if _, err := tx.Exec(ctx, `SELECT setval(pg_get_serial_sequence('`+t+`', 'id'), COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM `+t); err != nil {
				return fmt.Errorf("%s: %w", t, err)
			}
		}
		return nil
	})
}
