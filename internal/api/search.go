package api

import (
	"context"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"dossier/internal/pipeline"
)

// maxQuery is the longest search query accepted, in bytes.
const maxQuery = 1000

// search finds articles by their words and by the entities the query
// names, with snippets and highlights.
func (h *Handler) search(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	text := strings.TrimSpace(q.str("q"))
	switch {
	case text == "":
		return badRequest("q, the query, is required")
	case len(text) > maxQuery:
		return badRequest("q is longer than %d bytes", maxQuery)
	case !utf8.ValidString(text):
		return badRequest("q is not valid UTF-8")
	}
	req := pipeline.SearchRequest{Query: text, Lang: q.str("lang"), Outlet: q.str("outlet"), Entity: q.str("entity"),
		Story: q.id("story", "s"), From: q.date("from", false), To: q.date("to", true), Cursor: q.str("cursor"), Limit: q.limit()}
	if q.err != nil {
		return q.err
	}
	stamp, err := h.svc.Stamp(r.Context())
	if err != nil {
		return err
	}
	// Ranking boosts recent articles, measured from now: a kept answer
	// serves for the hour it was built in (a cursor carries its own now).
	stamp += "|" + h.opts.Now().UTC().Truncate(time.Hour).Format(time.RFC3339)
	return h.cachedJSON(w, r, "search?"+r.URL.RawQuery, stamp, func(ctx context.Context) (any, error) {
		res, err := h.svc.Search(ctx, req)
		if err != nil {
			return nil, err
		}
		return renderSearch(text, res), nil
	})
}
