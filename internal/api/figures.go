package api

import (
	"net/http"

	"dossier/internal/client"
	"dossier/internal/pipeline"
)

// figures lists figures by kind, subject, source entity, source text or
// story, newest article first.
func (h *Handler) figures(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	f := pipeline.FigureFilter{Kind: q.str("kind"), Subject: q.str("subject"), Entity: q.str("entity"), Source: q.str("source"),
		Story: q.id("story", "s"), Cursor: q.str("cursor"), Limit: q.limit()}
	if q.err != nil {
		return q.err
	}
	p, err := h.svc.Figures(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, r, http.StatusOK, client.FigureList{Figures: renderFigureRows(p.Figures), Next: str(p.Next)})
}
