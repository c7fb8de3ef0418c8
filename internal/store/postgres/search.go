package postgres

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"dossier/internal/store"
)

// maxSearchBytes bounds the terms indexed for one article: a tsvector may
// not exceed 1 MB, and the opening of a text says what it is about.
const maxSearchBytes = 256 << 10

// cutTerms cuts a space-separated term list to at most max bytes, at a space.
func cutTerms(s string, max int) string {
	if len(s) <= max {
		return s
	}
	if i := strings.LastIndexByte(s[:max], ' '); i > 0 {
		return s[:i]
	}
	return ""
}

// writeSearch indexes an article's search terms. The terms come from
// dossier's tokenizer, already folded and stemmed: the 'simple'
// configuration only splits them and lower-cases what is already lower
// case. Title terms weigh A, body terms B.
func writeSearch(ctx context.Context, tx pgx.Tx, id int64, d store.SearchDoc) error {
	if d.Title == "" && d.Body == "" {
		return nil
	}
	_, err := tx.Exec(ctx, `INSERT INTO search (article_id, doc) VALUES ($1,
		setweight(to_tsvector('simple', $2), 'A') || setweight(to_tsvector('simple', $3), 'B'))`,
		id, cutTerms(d.Title, maxSearchBytes/4), cutTerms(d.Body, maxSearchBytes))
	return err
}

// tsquery is the to_tsquery input for terms: every word, in one of its
// forms. Each form is a quoted lexeme (quotes and backslashes doubled), so
// nothing in it is read as query syntax; a form the parser splits becomes
// a phrase, as it was split when indexed.
func tsquery(terms [][]string) string {
	quote := strings.NewReplacer(`'`, `''`, `\`, `\\`)
	var words []string
	for _, forms := range terms {
		var alts []string
		for _, f := range forms {
			if f != "" {
				alts = append(alts, `'`+quote.Replace(f)+`'`)
			}
		}
		if len(alts) > 0 {
			words = append(words, "("+strings.Join(alts, " | ")+")")
		}
	}
	return strings.Join(words, " & ")
}

// Ranking: ts_rank_cd (cover density) with title terms weighing twice body
// terms, as SQLite's BM25 weights them ({D, C, B, A} weights). Scores
// follow SQLite's convention: lower is better (the rank negated), divided
// by 1 + the article's age in years, so that of two equally relevant
// articles the newer comes first (age in days, from the start of the day).
const rankWeights = `'{0.1, 0.2, 0.5, 1.0}'`

// entityRank ranks an article found only because it mentions an entity
// the query names: below nearly every article whose text matches. Cover
// density falls with the distance between the query's words (one body
// occurrence of a one-word query ranks 0.5; two words 10 apart, 0.05; 1000
// apart, 0.0005), so the entity's rank sits below that.
const entityRank = 0.0001

// Search implements store.Reader.
func (s *reader) Search(ctx context.Context, q store.SearchQuery) ([]store.Hit, error) {
	var a args
	var parts []string
	// Without filters, the candidates are bounded (store.SearchCandidates
	// of each kind, the latest stored), as in SQLite; a filter may keep few
	// of them, so filtered searches rank every match.
	capped := q.Lang == "" && q.Outlet == "" && q.Story == 0 && q.Entity == "" && q.From.IsZero() && q.To.IsZero()
	if m := tsquery(q.Terms); m != "" {
		part := `SELECT s.article_id AS id, ts_rank_cd(` + rankWeights + `, s.doc, tq.q) AS r, false AS via
			FROM search s, (SELECT to_tsquery('simple', ` + a.add(m) + `) AS q) tq WHERE s.doc @@ tq.q`
		if capped {
			part = `SELECT * FROM (` + part + ` ORDER BY s.article_id DESC LIMIT ` + strconv.Itoa(store.SearchCandidates) + `) t`
		}
		parts = append(parts, part)
	}
	if len(q.Entities) > 0 {
		if capped {
			for _, e := range q.Entities {
				parts = append(parts, `SELECT * FROM (SELECT DISTINCT article_id, `+a.add(entityRank)+`::float8, true FROM mentions
					WHERE entity = `+a.add(e)+` ORDER BY article_id DESC LIMIT `+strconv.Itoa(store.SearchCandidates)+`) m`)
			}
		} else {
			parts = append(parts, `SELECT article_id, `+a.add(entityRank)+`::float8, true FROM mentions WHERE entity = ANY(`+a.add(q.Entities)+`)`)
		}
	}
	if len(parts) == 0 {
		return nil, nil
	}
	now := q.Now
	if now.IsZero() {
		now = s.now()
	}
	// Age is measured from the start of the day, so that the scores, and
	// with them the paging cursor, stay put between the requests for one
	// page and the next.
	now = now.UTC().Truncate(24 * time.Hour)
	inner := `SELECT a.id AS id, -MAX(h.r) / (1.0 + GREATEST(0.0, EXTRACT(EPOCH FROM (` + a.add(now.UTC()) + `::timestamptz
			- COALESCE(a.published_latest, a.added)))::float8 / 86400.0) / 365.0) AS score,
		bool_and(h.via) AS via FROM (` + strings.Join(parts, " UNION ALL ") + `) h
		JOIN articles a ON a.id = h.id LEFT JOIN clusters c ON c.article_id = a.id`
	var where []string
	if q.Lang != "" {
		where = append(where, `a.language = `+a.add(q.Lang))
	}
	if q.Outlet != "" {
		where = append(where, `a.site = `+a.add(q.Outlet))
	}
	if q.Story != 0 {
		where = append(where, `c.story = `+a.add(q.Story))
	}
	if q.Entity != "" {
		where = append(where, `a.id IN (SELECT article_id FROM mentions WHERE entity = `+a.add(q.Entity)+`)`)
	}
	if !q.From.IsZero() {
		where = append(where, `COALESCE(a.published_latest, a.added) >= `+a.add(q.From.UTC()))
	}
	if !q.To.IsZero() {
		where = append(where, `COALESCE(a.published_earliest, a.added) <= `+a.add(q.To.UTC()))
	}
	if len(where) > 0 {
		inner += ` WHERE ` + strings.Join(where, ` AND `)
	}
	inner += ` GROUP BY a.id`
	query := `SELECT id, score, via FROM (` + inner + `) x`
	if q.AfterID != 0 {
		sc := a.add(q.AfterScore)
		query += ` WHERE score > ` + sc + ` OR (score = ` + sc + ` AND id > ` + a.add(q.AfterID) + `)`
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 20
	}
	query += ` ORDER BY score, id LIMIT ` + a.add(limit)
	var out []store.Hit
	err := s.each(ctx, query, a, func(rows pgx.Rows) error {
		var h store.Hit
		if err := rows.Scan(&h.Article, &h.Score, &h.ViaEntity); err != nil {
			return err
		}
		out = append(out, h)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: search: %w", err)
	}
	return out, nil
}
