package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"sort"

	"dossier/internal/store"
)

// Outlets implements store.Store.
func (s *reader) Outlets(ctx context.Context) ([]store.Outlet, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT site, language, COUNT(*),
		MIN(COALESCE(published_latest, added)), MAX(COALESCE(published_latest, added))
		FROM articles GROUP BY site, language`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: outlets: %w", err)
	}
	defer rows.Close()
	bySite := map[string]*store.Outlet{}
	var out []*store.Outlet
	for rows.Next() {
		var site, lang string
		var n int
		var first, last sql.NullString
		if err := rows.Scan(&site, &lang, &n, &first, &last); err != nil {
			return nil, fmt.Errorf("sqlite: outlets: %w", err)
		}
		o := bySite[site]
		if o == nil {
			o = &store.Outlet{Site: site}
			bySite[site] = o
			out = append(out, o)
		}
		o.Articles += n
		o.Languages = append(o.Languages, store.LangCount{Language: lang, N: n})
		if f := parseTime(first); !f.IsZero() && (o.First.IsZero() || f.Before(o.First)) {
			o.First = f
		}
		if l := parseTime(last); l.After(o.Last) {
			o.Last = l
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: outlets: %w", err)
	}
	res := make([]store.Outlet, 0, len(out))
	for _, o := range out {
		sort.Slice(o.Languages, func(i, j int) bool {
			if o.Languages[i].N != o.Languages[j].N {
				return o.Languages[i].N > o.Languages[j].N
			}
			return o.Languages[i].Language < o.Languages[j].Language
		})
		res = append(res, *o)
	}
	sort.Slice(res, func(i, j int) bool {
		if res[i].Articles != res[j].Articles {
			return res[i].Articles > res[j].Articles
		}
		return res[i].Site < res[j].Site
	})
	return res, nil
}
