package api

import "net/http"

// article answers one article with its sources and facts.
func (h *Handler) article(w http.ResponseWriter, r *http.Request) error {
	id, ok := parseID(r.PathValue("id"), "a")
	if !ok {
		return notFound("no article %q: an article id looks like a34", r.PathValue("id"))
	}
	a, err := h.svc.Article(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, r, http.StatusOK, renderArticle(a))
}
