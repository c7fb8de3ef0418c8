// Package web is dossier's web UI: server-rendered HTML pages over the
// service layer (internal/pipeline), with SVG charts drawn on the server,
// a strict Content-Security-Policy and a little JavaScript for keyboard
// shortcuts. Every page works without JavaScript. It calls the
// pipeline.Service and nothing below it.
package web

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"dossier/internal/pipeline"
	"dossier/internal/respcache"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// CSP is the Content-Security-Policy of every page: nothing inline, nothing
// from elsewhere. Violations are reported to /csp-report.
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; " +
	"frame-ancestors 'none'; report-uri /csp-report"

// Options configure the UI.
type Options struct {
	// Token is the write token: adding inputs through the Add page needs
	// it. Empty disables writes through the UI.
	Token string
	// SecureCookies marks cookies Secure (when served over HTTPS).
	SecureCookies bool
	// Logger receives CSP violation reports and server errors (slog.Default when nil).
	Logger *slog.Logger
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// CacheBytes bounds the memory of rendered pages kept (story list,
	// story, entity, search), each under the stamp of the data it was
	// built from (0: 64 MiB; negative: no cache).
	CacheBytes int
}

// CSPReport is one Content-Security-Policy violation a browser reported.
type CSPReport struct {
	DocumentURI       string `json:"document-uri"`
	ViolatedDirective string `json:"violated-directive"`
	BlockedURI        string `json:"blocked-uri"`
	SourceFile        string `json:"source-file"`
	LineNumber        int    `json:"line-number"`
}

// Handler serves the UI. Mount it at "/".
type Handler struct {
	svc   *pipeline.Service
	opts  Options
	log   *slog.Logger
	pages map[string]*template.Template
	mux   *http.ServeMux
	cache *respcache.Cache

	mu      sync.Mutex
	reports []CSPReport
}

// New returns the UI over svc.
func New(svc *pipeline.Service, opts Options) *Handler {
	h := &Handler{svc: svc, opts: opts, log: opts.Logger, pages: map[string]*template.Template{}, mux: http.NewServeMux()}
	if h.log == nil {
		h.log = slog.Default()
	}
	if h.opts.Now == nil {
		h.opts.Now = time.Now
	}
	switch {
	case opts.CacheBytes == 0:
		h.cache = respcache.New(64 << 20)
	case opts.CacheBytes > 0:
		h.cache = respcache.New(opts.CacheBytes)
	}
	for _, name := range []string{"stories", "story", "article", "entity", "search", "sources", "add", "help", "error", "alerts"} {
		h.pages[name] = template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html"))
	}
	static, _ := fs.Sub(staticFS, "static")
	fileServer := http.StripPrefix("/static/", http.FileServerFS(static))
	h.mux.Handle("GET /static/", cacheStatic(fileServer))
	h.mux.HandleFunc("GET /{$}", h.stories)
	h.mux.HandleFunc("GET /stories/{id}", h.story)
	h.mux.HandleFunc("GET /articles/{id}", h.article)
	h.mux.HandleFunc("GET /entities/{id}", h.entity)
	h.mux.HandleFunc("GET /search", h.search)
	h.mux.HandleFunc("GET /sources", h.sources)
	h.mux.HandleFunc("GET /add", h.addForm)
	h.mux.HandleFunc("POST /add", h.addPost)
	h.mux.HandleFunc("GET /help", h.help)
	h.mux.HandleFunc("GET /alerts", h.alerts)
	h.mux.HandleFunc("POST /alerts/rules", h.addRule)
	h.mux.HandleFunc("POST /alerts/rules/{id}/delete", h.deleteRule)
	h.mux.HandleFunc("POST /csp-report", h.cspReport)
	h.followingRoutes()
	h.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		h.fail(w, r, http.StatusNotFound, "No such page.")
	})
	return h
}

func cacheStatic(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		next.ServeHTTP(w, r)
	})
}

// ServeHTTP implements http.Handler: every response carries the CSP and
// the usual hardening headers.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	hd.Set("Content-Security-Policy", CSP)
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "same-origin")
	hd.Set("X-Frame-Options", "DENY")
	h.mux.ServeHTTP(w, r)
}

// CSPReports returns the violations reported so far.
func (h *Handler) CSPReports() []CSPReport {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]CSPReport(nil), h.reports...)
}

const maxReports = 1000

func (h *Handler) cspReport(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 64<<10))
	if err != nil {
		http.Error(w, "bad report", http.StatusBadRequest)
		return
	}
	var rep struct {
		Report CSPReport `json:"csp-report"`
	}
	if err := json.Unmarshal(body, &rep); err != nil {
		http.Error(w, "bad report", http.StatusBadRequest)
		return
	}
	h.log.Warn("web: content security policy violation", "document", rep.Report.DocumentURI,
		"directive", rep.Report.ViolatedDirective, "blocked", rep.Report.BlockedURI)
	h.mu.Lock()
	if len(h.reports) < maxReports {
		h.reports = append(h.reports, rep.Report)
	}
	h.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

// page is what the layout needs besides the page's own data.
type page struct {
	Title string
	// Nav is the current section ("stories", "search", "sources", "add",
	// "alerts").
	Nav string
	// Query fills the search box.
	Query string
	Data  any
}

// render executes a page into a buffer first, so that a template error
// becomes a clean 500 rather than half a page.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	var buf bytes.Buffer
	if err := h.pages[name].Execute(&buf, p); err != nil {
		h.log.Error("web: render", "page", name, "path", r.URL.Path, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// renderCached answers r with a page kept in the cache under key and
// stamp (the state of the data build reads, read before it), rendering it
// on a miss; build runs once for concurrent requests, and the client that
// started it going away does not cancel it. An error of build is answered
// as failErr does.
func (h *Handler) renderCached(w http.ResponseWriter, r *http.Request, key, stamp string, build func(context.Context) (string, page, error)) {
	e, err := h.cache.Get(key, stamp, func() (respcache.Entry, error) {
		name, p, err := build(context.WithoutCancel(r.Context()))
		if err != nil {
			return respcache.Entry{}, err
		}
		var buf bytes.Buffer
		if err := h.pages[name].Execute(&buf, p); err != nil {
			return respcache.Entry{}, fmt.Errorf("web: render %s: %w", name, err)
		}
		return respcache.NewEntry(buf.Bytes()), nil
	})
	if err != nil {
		h.failErr(w, r, err)
		return
	}
	w.Header().Set("ETag", e.ETag)
	w.Header().Set("Cache-Control", "no-cache")
	if inm := r.Header.Get("If-None-Match"); inm != "" && strings.Contains(inm, e.ETag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(e.Body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(e.Body)
	}
}

func (h *Handler) fail(w http.ResponseWriter, r *http.Request, status int, msg string) {
	h.render(w, r, status, "error", page{Title: http.StatusText(status), Data: struct {
		Status  int
		Message string
	}{status, msg}})
}

// failErr maps a service error to a page.
func (h *Handler) failErr(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, pipeline.ErrNotFound):
		h.fail(w, r, http.StatusNotFound, "Not found.")
	case errors.Is(err, pipeline.ErrBadCursor):
		h.fail(w, r, http.StatusBadRequest, "That page link is not valid any more; start from the first page.")
	case errors.Is(err, context.Canceled):
		// The client went away.
	default:
		h.log.Error("web: request", "path", r.URL.Path, "err", err)
		h.fail(w, r, http.StatusInternalServerError, "Something went wrong on the server.")
	}
}

func (h *Handler) help(w http.ResponseWriter, r *http.Request) {
	h.render(w, r, http.StatusOK, "help", page{Title: "Keyboard shortcuts"})
}

// trimQuery returns a form value without surrounding space, at most n bytes.
func trimQuery(r *http.Request, key string, n int) string {
	v := strings.TrimSpace(r.URL.Query().Get(key))
	if len(v) > n {
		v = v[:n]
	}
	return v
}
