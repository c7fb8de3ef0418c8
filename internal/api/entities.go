package api

import "net/http"

// entity answers an entity: its names with counts, its stories, a page of
// its articles and (on the first page) the figures whose source it is.
func (h *Handler) entity(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	n := q.limit()
	if q.err != nil {
		return q.err
	}
	p, err := h.svc.Entity(r.Context(), r.PathValue("id"), q.str("cursor"), n)
	if err != nil {
		return err
	}
	return writeJSON(w, r, http.StatusOK, renderEntity(p))
}
