package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"dossier/internal/store"
)

// writeSearch indexes an article's search terms, replacing what was there.
func writeSearch(ctx context.Context, tx execer, id int64, d store.SearchDoc, replace bool) error {
	if replace {
		if _, err := tx.ExecContext(ctx, `DELETE FROM search WHERE rowid = ?`, id); err != nil {
			return err
		}
	}
	if d.Title == "" && d.Body == "" {
		return nil
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO search (rowid, title, body) VALUES (?, ?, ?)`, id, d.Title, d.Body)
	return err
}

// matchExpr is the FTS5 query for terms: every word, in one of its forms.
// Each form is a quoted string, so nothing in it is read as syntax.
func matchExpr(terms [][]string) string {
	var words []string
	for _, forms := range terms {
		var alts []string
		for _, f := range forms {
			if f != "" {
				alts = append(alts, `"`+strings.ReplaceAll(f, `"`, `""`)+`"`)
			}
		}
		if len(alts) > 0 {
			words = append(words, "("+strings.Join(alts, " OR ")+")")
		}
	}
	return strings.Join(words, " AND ")
}

// entityScore ranks an article found only because it mentions an entity
// the query names: below most articles whose text matches.
const entityScore = -0.5

// Search implements store.Reader. Relevance is FTS5's BM25 (title words
// count double), divided by 1 + the article's age in years, so that of two
// equally relevant articles the newer comes first.
func (s *reader) Search(ctx context.Context, q store.SearchQuery) ([]store.Hit, error) {
	match := matchExpr(q.Terms)
	var parts []string
	var args []any
	with := ""
	// Without filters, the candidates are bounded (store.SearchCandidates
	// of each kind, the latest stored), read in index order: a word every
	// article holds costs what a rare one does. A filter may keep few of
	// them, so filtered searches rank every match.
	capped := q.Lang == "" && q.Outlet == "" && q.Story == 0 && q.Entity == "" && q.From.IsZero() && q.To.IsZero()
	if match != "" {
		// BM25 is computed where the MATCH is, in a materialised CTE: the
		// function cannot run inside the union's flattened subquery.
		bound := ""
		if capped {
			bound = ` ORDER BY rowid DESC LIMIT ` + strconv.Itoa(store.SearchCandidates)
		}
		with = `WITH t AS MATERIALIZED (SELECT rowid AS id, bm25(search, 2.0, 1.0) AS r FROM search WHERE search MATCH ?` + bound + `) `
		parts = append(parts, `SELECT id, r, 0 AS via FROM t`)
		args = append(args, match)
	}
	if len(q.Entities) > 0 {
		if capped {
			for _, e := range q.Entities {
				parts = append(parts, `SELECT * FROM (SELECT DISTINCT article_id, ?, 1 FROM mentions WHERE entity = ? ORDER BY article_id DESC LIMIT `+
					strconv.Itoa(store.SearchCandidates)+`)`)
				args = append(args, entityScore, e)
			}
		} else {
			parts = append(parts, `SELECT article_id, ?, 1 FROM mentions WHERE entity IN (?`+strings.Repeat(",?", len(q.Entities)-1)+`)`)
			args = append(args, entityScore)
			for _, e := range q.Entities {
				args = append(args, e)
			}
		}
	}
	if len(parts) == 0 {
		return nil, nil
	}
	now := q.Now
	if now.IsZero() {
		now = s.now()
	}
	inner := `SELECT h.id AS id, MIN(h.r) / (1.0 + MAX(0.0, julianday(?) - julianday(COALESCE(a.published_latest, a.added))) / 365.0) AS score,
		MIN(h.via) AS via FROM (` + strings.Join(parts, " UNION ALL ") + `) h
		JOIN articles a ON a.id = h.id LEFT JOIN clusters c ON c.article_id = a.id`
	if with != "" {
		args = append([]any{args[0], ts(now)}, args[1:]...)
	} else {
		args = append([]any{ts(now)}, args...)
	}
	var where []string
	if q.Lang != "" {
		where, args = append(where, `a.language = ?`), append(args, q.Lang)
	}
	if q.Outlet != "" {
		where, args = append(where, `a.site = ?`), append(args, q.Outlet)
	}
	if q.Story != 0 {
		where, args = append(where, `c.story = ?`), append(args, q.Story)
	}
	if q.Entity != "" {
		where, args = append(where, `a.id IN (SELECT article_id FROM mentions WHERE entity = ?)`), append(args, q.Entity)
	}
	if !q.From.IsZero() {
		where, args = append(where, `COALESCE(a.published_latest, a.added) >= ?`), append(args, ts(q.From))
	}
	if !q.To.IsZero() {
		where, args = append(where, `COALESCE(a.published_earliest, a.added) <= ?`), append(args, ts(q.To))
	}
	if len(where) > 0 {
		inner += ` WHERE ` + strings.Join(where, ` AND `)
	}
	inner += ` GROUP BY h.id`
	query := with + `SELECT id, score, via FROM (` + inner + `)`
	if q.AfterID != 0 {
		query += ` WHERE score > ? OR (score = ? AND id > ?)`
		args = append(args, q.AfterScore, q.AfterScore, q.AfterID)
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 20
	}
	query += ` ORDER BY score, id LIMIT ?`
	args = append(args, limit)
	var out []store.Hit
	err := s.each(ctx, query, args, func(rows *sql.Rows) error {
		var h store.Hit
		var via int
		if err := rows.Scan(&h.Article, &h.Score, &via); err != nil {
			return err
		}
		h.ViaEntity = via == 1
		out = append(out, h)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sqlite: search: %w", err)
	}
	return out, nil
}
