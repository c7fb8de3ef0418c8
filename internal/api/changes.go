package api

import "net/http"

// changes answers what was stored after a cursor: new articles and the
// merges and splits of stories and events.
func (h *Handler) changes(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	n := q.limit()
	if q.err != nil {
		return q.err
	}
	c, err := h.svc.ChangesSince(r.Context(), q.str("cursor"), n)
	if err != nil {
		return err
	}
	return writeJSON(w, r, http.StatusOK, renderChanges(c))
}
