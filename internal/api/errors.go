package api

import (
	"net/http"
	"time"

	"dossier/internal/client"
)

// errorsList answers the inputs that failed and, on a server that
// enqueues its ingests, the queue's dead letters.
func (h *Handler) errorsList(w http.ResponseWriter, r *http.Request) error {
	fails, err := h.svc.Failures(r.Context())
	if err != nil {
		return err
	}
	out := client.ErrorList{Errors: make([]client.InputError, len(fails))}
	for i, f := range fails {
		out.Errors[i] = client.InputError{Input: f.Input, Error: f.Err, At: f.At.UTC().Format(time.RFC3339)}
	}
	return writeJSON(w, r, http.StatusOK, out)
}
