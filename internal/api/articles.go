package api

import (
	"context"
	"net/http"
	"strconv"
)

// article answers one article with its sources and facts.
func (h *Handler) article(w http.ResponseWriter, r *http.Request) error {
	id, ok := parseID(r.PathValue("id"), "a")
	if !ok {
		return notFound("no article %q: an article id looks like a34", r.PathValue("id"))
	}
	stamp, err := h.svc.Stamp(r.Context())
	if err != nil {
		return err
	}
	return h.cachedJSON(w, r, "article/"+strconv.FormatInt(id, 10), stamp, func(ctx context.Context) (any, error) {
		a, err := h.svc.Article(ctx, id)
		if err != nil {
			return nil, err
		}
		return renderArticle(a), nil
	})
}
