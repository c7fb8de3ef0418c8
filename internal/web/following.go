package web

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"dossier/internal/archive"
	"dossier/internal/pipeline"
	"dossier/internal/store"
)

// The Following page lists the followed sources with their state, and
// follows and unfollows them with plain forms (no JavaScript): each write
// needs the CSRF token of the page (double submit, as the Add page) and
// the write token, typed or remembered.

const followCSRF = "dossier_csrf_follow"

// followingRoutes registers the page, its forms, the OPML list and the
// archived captures of articles.
func (h *Handler) followingRoutes() {
	h.pages["following"] = template.Must(template.New("layout.html").Funcs(funcs).Funcs(template.FuncMap{"when": fmtWhen}).
		ParseFS(templateFS, "templates/layout.html", "templates/following.html"))
	h.mux.HandleFunc("GET /following", h.followingPage)
	h.mux.HandleFunc("POST /following", h.followingPost)
	h.mux.HandleFunc("GET /following.opml", h.followingOPML)
	h.mux.HandleFunc("GET /articles/{id}/capture", h.articleCapture)
}

// fmtWhen is an instant to the minute, in UTC.
func fmtWhen(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return t.UTC().Format("2 Jan 2006 15:04") + " UTC"
}

type followingData struct {
	CSRF       string
	Writable   bool
	Remembered bool
	Sources    []store.Subscription
	URL, Title string
	Kind       string
	Message    string
	Error      string
}

func (h *Handler) followingPage(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	d := followingData{CSRF: h.csrfToken(w, r, followCSRF, "/following"), Writable: h.opts.Token != "", Remembered: h.remembered(r)}
	h.renderFollowing(w, r, http.StatusOK, d)
}

func (h *Handler) renderFollowing(w http.ResponseWriter, r *http.Request, status int, d followingData) {
	subs, err := h.svc.Following(r.Context())
	if err != nil {
		h.failErr(w, r, err)
		return
	}
	d.Sources = subs
	h.render(w, r, status, "following", page{Title: "Following", Nav: "following", Data: d})
}

// followingPost follows (action=follow), unfollows the sources ticked
// (action=unfollow) or imports an OPML file (action=import).
func (h *Handler) followingPost(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	r.Body = http.MaxBytesReader(w, r.Body, 16<<20)
	var err error
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		err = r.ParseMultipartForm(1 << 20)
	} else {
		err = r.ParseForm()
	}
	if err != nil {
		h.fail(w, r, http.StatusRequestEntityTooLarge, "That is too much to post at once.")
		return
	}
	tok, ok := csrfValid(r, followCSRF)
	if !ok {
		h.fail(w, r, http.StatusForbidden, "This form has expired or came from another site. Open the Following page again.")
		return
	}
	d := followingData{CSRF: tok, Writable: h.opts.Token != "", Remembered: h.remembered(r)}
	status := http.StatusOK
	defer func() { h.renderFollowing(w, r, status, d) }()
	if st, msg := h.authorizeWrite(w, r); st != 0 {
		status, d.Error = st, msg
		return
	}
	d.Remembered = d.Remembered || r.PostFormValue("remember") != ""
	ctx := r.Context()
	switch r.PostFormValue("action") {
	case "follow":
		d.URL, d.Kind, d.Title = strings.TrimSpace(r.PostFormValue("url")), r.PostFormValue("kind"), strings.TrimSpace(r.PostFormValue("title"))
		sub, existed, err := h.svc.Follow(ctx, d.URL, d.Kind, d.Title)
		switch {
		case errors.Is(err, pipeline.ErrBadSource):
			status, d.Error = http.StatusBadRequest, strings.TrimPrefix(err.Error(), "pipeline: ")
		case err != nil:
			h.log.Error("web: follow", "err", err)
			status, d.Error = http.StatusInternalServerError, "The source could not be followed: something went wrong on the server."
		case existed:
			d.Message = sub.URL + " is followed already."
			d.URL, d.Kind, d.Title = "", "", ""
		default:
			d.Message = "Following " + sub.URL + ": it is checked at once, then on its schedule."
			d.URL, d.Kind, d.Title = "", "", ""
		}
	case "unfollow":
		var gone []string
		for _, id := range r.PostForm["id"] {
			if _, err := strconv.ParseInt(id, 10, 64); err != nil {
				continue
			}
			sub, err := h.svc.Unfollow(ctx, id)
			if errors.Is(err, store.ErrNotFound) {
				continue
			}
			if err != nil {
				h.log.Error("web: unfollow", "err", err)
				status, d.Error = http.StatusInternalServerError, "Something went wrong on the server."
				return
			}
			gone = append(gone, sub.URL)
		}
		if len(gone) == 0 {
			status, d.Error = http.StatusBadRequest, "Tick the sources to stop following."
			return
		}
		d.Message = "No longer following " + strings.Join(gone, ", ") + ". What was stored from them is kept."
	case "import":
		f, _, err := r.FormFile("opml")
		if err != nil {
			status, d.Error = http.StatusBadRequest, "Choose an OPML file to import."
			return
		}
		body, err := io.ReadAll(io.LimitReader(f, 16<<20))
		f.Close()
		if err != nil {
			status, d.Error = http.StatusBadRequest, "The file could not be read."
			return
		}
		added, existed, err := h.svc.ImportOPML(ctx, body)
		if err != nil {
			status, d.Error = http.StatusBadRequest, "That is not an OPML subscription list ("+strings.TrimPrefix(err.Error(), "pipeline: import OPML: ")+")."
			return
		}
		d.Message = fmt.Sprintf("Imported: %d new source(s), %d followed already.", added, existed)
	default:
		status, d.Error = http.StatusBadRequest, "Unknown action."
	}
}

func (h *Handler) followingOPML(w http.ResponseWriter, r *http.Request) {
	var b strings.Builder
	if err := h.svc.ExportOPML(r.Context(), &b); err != nil {
		h.failErr(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/x-opml; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="dossier-following.opml"`)
	io.WriteString(w, b.String())
}

// articleCapture serves an archived page exactly as captured, under a
// sandboxing policy: no script runs, and it reaches nothing of this origin.
func (h *Handler) articleCapture(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		h.fail(w, r, http.StatusNotFound, "No such article.")
		return
	}
	n := -1
	if v := r.URL.Query().Get("n"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 0 {
			h.fail(w, r, http.StatusBadRequest, "That is not a capture's number.")
			return
		}
	}
	cp, err := h.svc.ArticleCapture(r.Context(), id, n)
	switch {
	case errors.Is(err, archive.ErrGone):
		h.fail(w, r, http.StatusGone, "The archive file holding this capture was deleted by the archive's retention.")
		return
	case err != nil:
		h.failErr(w, r, err)
		return
	}
	ct := cp.ContentType
	if ct == "" {
		ct = "application/octet-stream"
	}
	w.Header().Set("Content-Security-Policy", "sandbox; default-src 'none'; img-src * data:; style-src * 'unsafe-inline'")
	w.Header().Set("X-Frame-Options", "DENY")
	w.Header().Set("Content-Type", ct)
	w.Header().Set("X-Dossier-Captured", cp.Captured.UTC().Format(time.RFC3339Nano))
	w.Header().Set("Link", "<"+cp.URL+`>; rel="original"`)
	w.Write(cp.Body)
}

// articleHistory is what the article page shows of an article's versions
// and captures.
type articleHistory struct {
	Versions []store.ArticleVersion
	Captures []store.Capture
}

// history reads an article's versions and captures; a failure leaves the
// section out (the article itself is shown) and is logged.
func (h *Handler) history(ctx context.Context, id int64) articleHistory {
	var out articleHistory
	var err error
	if out.Versions, err = h.svc.ArticleVersions(ctx, id); err == nil {
		out.Captures, err = h.svc.ArticleCaptures(ctx, id)
	}
	if err != nil {
		h.log.Error("web: article history", "article", id, "err", err)
	}
	return out
}
