package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"dossier/internal/archive"
	"dossier/internal/client"
	"dossier/internal/pipeline"
	"dossier/internal/store"
)

// followRoutes registers the followed sources and the article history.
func (h *Handler) followRoutes() {
	h.handle("GET /v1/following", h.following)
	h.handle("POST /v1/following", h.follow)
	h.handle("GET /v1/following/{id}", h.source)
	h.handle("DELETE /v1/following/{id}", h.unfollow)
	h.handle("GET /v1/following.opml", h.followingOPML)
	h.handle("POST /v1/following.opml", h.importOPML)
	h.handle("GET /v1/articles/{id}/versions", h.articleHistory)
	h.handle("GET /v1/articles/{id}/capture", h.articleCapture)
}

func renderSource(s store.Subscription) client.Followed {
	out := client.Followed{ID: "src" + strconv.FormatInt(s.ID, 10), URL: s.URL, Kind: str(s.Kind), Title: s.Title,
		Added: s.Added.UTC().Format(time.RFC3339), LastCheck: instant(s.LastCheck), LastNew: instant(s.LastNew),
		NextCheck: s.NextCheck.UTC().Format(time.RFC3339), Errors: s.Errors, LastError: str(s.LastError), ItemsSeen: s.ItemsSeen}
	return out
}

func (h *Handler) following(w http.ResponseWriter, r *http.Request) error {
	subs, err := h.svc.Following(r.Context())
	if err != nil {
		return err
	}
	out := client.FollowedList{Sources: []client.Followed{}}
	for _, s := range subs {
		out.Sources = append(out.Sources, renderSource(s))
	}
	return writeJSON(w, r, http.StatusOK, out)
}

func (h *Handler) sourceOf(r *http.Request) (store.Subscription, error) {
	id, ok := parseID(r.PathValue("id"), "src")
	if !ok {
		return store.Subscription{}, notFound("no source %q: a source id looks like src3", r.PathValue("id"))
	}
	sub, err := h.svc.FollowedSource(r.Context(), strconv.FormatInt(id, 10))
	if errors.Is(err, store.ErrNotFound) {
		return sub, notFound("no source %q is followed", r.PathValue("id"))
	}
	return sub, err
}

func (h *Handler) source(w http.ResponseWriter, r *http.Request) error {
	sub, err := h.sourceOf(r)
	if err != nil {
		return err
	}
	items, err := h.svc.SourceItems(r.Context(), sub.ID, 50)
	if err != nil {
		return err
	}
	out := client.FollowedDetail{Followed: renderSource(sub), Items: []client.FollowedItem{}}
	for _, it := range items {
		si := client.FollowedItem{URL: it.URL, Title: it.Title, State: it.State, Attempts: it.Attempts,
			LastError: str(it.LastError), Fetched: instant(it.Fetched)}
		if it.State == store.ItemPending {
			si.NextTry = instant(it.NextTry)
		}
		out.Items = append(out.Items, si)
	}
	return writeJSON(w, r, http.StatusOK, out)
}

func (h *Handler) follow(w http.ResponseWriter, r *http.Request) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return &apiError{http.StatusUnsupportedMediaType, "unsupported_media_type", "the body must be application/json"}
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10))
	dec.DisallowUnknownFields()
	var req client.FollowRequest
	if err := dec.Decode(&req); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return err
		}
		return badRequest("body: %v", err)
	}
	sub, existed, err := h.svc.Follow(r.Context(), req.URL, req.Kind, req.Title)
	if errors.Is(err, pipeline.ErrBadSource) {
		return badRequest("%v", strings.TrimPrefix(err.Error(), "pipeline: "))
	}
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if existed {
		status = http.StatusOK
	} else {
		w.Header().Set("Location", "/v1/following/src"+strconv.FormatInt(sub.ID, 10))
	}
	return writeJSON(w, r, status, renderSource(sub))
}

func (h *Handler) unfollow(w http.ResponseWriter, r *http.Request) error {
	sub, err := h.sourceOf(r)
	if err != nil {
		return err
	}
	if _, err := h.svc.Unfollow(r.Context(), strconv.FormatInt(sub.ID, 10)); err != nil {
		return err
	}
	return writeJSON(w, r, http.StatusOK, renderSource(sub))
}

func (h *Handler) followingOPML(w http.ResponseWriter, r *http.Request) error {
	var b strings.Builder
	if err := h.svc.ExportOPML(r.Context(), &b); err != nil {
		return err
	}
	w.Header().Set("Content-Disposition", `attachment; filename="dossier-following.opml"`)
	return writeBody(w, r, http.StatusOK, "text/x-opml; charset=utf-8", []byte(b.String()))
}

func (h *Handler) importOPML(w http.ResponseWriter, r *http.Request) error {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, min(h.opts.MaxBody, 16<<20)))
	if err != nil {
		return err
	}
	added, existed, err := h.svc.ImportOPML(context.WithoutCancel(r.Context()), body)
	if err != nil && strings.Contains(err.Error(), "opml:") {
		return badRequest("not an OPML subscription list: %v", strings.TrimPrefix(err.Error(), "pipeline: import OPML: "))
	}
	if err != nil {
		return err
	}
	return writeJSON(w, r, http.StatusOK, client.OPMLImport{Added: added, Existed: existed})
}

func (h *Handler) articleID(r *http.Request) (int64, error) {
	id, ok := parseID(r.PathValue("id"), "a")
	if !ok {
		return 0, notFound("no article %q: an article id looks like a34", r.PathValue("id"))
	}
	if _, err := h.svc.Article(r.Context(), id); err != nil {
		return 0, err
	}
	return id, nil
}

func (h *Handler) articleHistory(w http.ResponseWriter, r *http.Request) error {
	id, err := h.articleID(r)
	if err != nil {
		return err
	}
	vs, err := h.svc.ArticleVersions(r.Context(), id)
	if err != nil {
		return err
	}
	caps, err := h.svc.ArticleCaptures(r.Context(), id)
	if err != nil {
		return err
	}
	aid := "a" + strconv.FormatInt(id, 10)
	out := client.ArticleHistory{Article: aid, Versions: []client.ArticleVersion{}, Captures: []client.Capture{}}
	for _, v := range vs {
		cv := client.ArticleVersion{Version: v.Version, Captured: instant(v.Captured), Title: v.Title, Changes: []client.FigureChange{}}
		for _, c := range v.Changes {
			cv.Changes = append(cv.Changes, client.FigureChange{Quantity: c.Quantity, Old: str(c.Old), New: str(c.New),
				Sentence: c.Sentence, At: c.At.UTC().Format(time.RFC3339)})
		}
		out.Versions = append(out.Versions, cv)
	}
	for i, c := range caps {
		out.Captures = append(out.Captures, client.Capture{N: i, URL: c.URL, Captured: c.Captured.UTC().Format(time.RFC3339),
			Status: c.Status, Href: fmt.Sprintf("/v1/articles/%s/capture?n=%d", aid, i)})
	}
	return writeJSON(w, r, http.StatusOK, out)
}

// articleCapture serves an archived page as it was captured, sandboxed: it
// runs no script and reaches nothing of this origin.
func (h *Handler) articleCapture(w http.ResponseWriter, r *http.Request) error {
	id, err := h.articleID(r)
	if err != nil {
		return err
	}
	n := -1 // the latest
	if v := r.URL.Query().Get("n"); v != "" {
		if n, err = strconv.Atoi(v); err != nil || n < 0 {
			return badRequest("n must be a capture's number (0 the first), not %q", v)
		}
	}
	cp, err := h.svc.ArticleCapture(r.Context(), id, n)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return notFound("article a%d has no archived capture %s", id, r.URL.Query().Get("n"))
	case errors.Is(err, archive.ErrGone):
		return &apiError{http.StatusGone, "gone", "the archive file of this capture was deleted (the archive's retention)"}
	case err != nil:
		return err
	}
	ct := cp.ContentType
	if ct == "" {
		ct = "application/octet-stream"
	}
	w.Header().Set("Content-Security-Policy", "sandbox; default-src 'none'; img-src * data:; style-src * 'unsafe-inline'")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("X-Dossier-Captured", cp.Captured.UTC().Format(time.RFC3339Nano))
	w.Header().Set("X-Dossier-Target-URI", cp.URL)
	w.Header().Set("Link", "<"+cp.URL+`>; rel="original"`)
	return writeBody(w, r, http.StatusOK, ct, cp.Body)
}
