package api

import (
	"context"
	"net/http"
)

// entity answers an entity: its names with counts, its stories, a page of
// its articles and (on the first page) the figures whose source it is.
func (h *Handler) entity(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	n := q.limit()
	if q.err != nil {
		return q.err
	}
	stamp, err := h.svc.Stamp(r.Context())
	if err != nil {
		return err
	}
	id, cursor := r.PathValue("id"), q.str("cursor")
	return h.cachedJSON(w, r, "entity/"+id+"?"+r.URL.RawQuery, stamp, func(ctx context.Context) (any, error) {
		p, err := h.svc.Entity(ctx, id, cursor, n)
		if err != nil {
			return nil, err
		}
		return renderEntity(p), nil
	})
}
