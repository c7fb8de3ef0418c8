// Package api is dossier's JSON API, version 1: an http.Handler over a
// pipeline.Service. It reads and writes through the service only; the
// JSON representation is the types of internal/client, and the contract
// is the OpenAPI 3.1 document openapi.json, served at /v1/openapi.json.
//
// Conventions: the version is in the path; lists page with opaque cursors
// ("next"); every error is {"error":{"code","message"}} with a stable code;
// GET answers carry an ETag and honour If-None-Match; request bodies are
// size-limited; every write needs the bearer token, and reads need it too
// unless the server is bound to loopback; clients are rate-limited with
// 429 and Retry-After.
package api

import (
	"context"
	"crypto/subtle"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"dossier/internal/client"
	"dossier/internal/pipeline"
	"dossier/internal/respcache"
)

//go:embed openapi.json
var openapiDoc []byte

// OpenAPI returns the embedded OpenAPI document.
func OpenAPI() []byte { return openapiDoc }

// Options configure a Handler.
type Options struct {
	// Token is the bearer token every write needs. With none, writes are
	// refused.
	Token string
	// ReadsNeedToken makes reads need the token too (a server bound
	// beyond loopback).
	ReadsNeedToken bool
	// MaxBody is the largest request body accepted, in bytes (default
	// 32 MiB).
	MaxBody int64
	// Rate is the requests per second each client may make on average,
	// Burst how many it may make at once (Rate 0: no limit).
	Rate  float64
	Burst int
	// Logger logs one line per request (nil: none).
	Logger *slog.Logger
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// CacheBytes bounds the memory of encoded read answers kept (story
	// lists, stories, entities, searches), each under the stamp of the
	// data it was built from (0: 64 MiB; negative: no cache).
	CacheBytes int
}

// Handler serves the API.
type Handler struct {
	svc      *pipeline.Service
	opts     Options
	mux      *http.ServeMux
	routes   []string
	limiter  *limiter
	metrics  *metrics
	log      *slog.Logger
	draining atomic.Bool
	cache    *respcache.Cache
}

// New returns the API handler of svc.
func New(svc *pipeline.Service, opts Options) *Handler {
	if opts.MaxBody <= 0 {
		opts.MaxBody = 32 << 20
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	h := &Handler{svc: svc, opts: opts, mux: http.NewServeMux(), metrics: newMetrics(), log: opts.Logger}
	switch {
	case opts.CacheBytes == 0:
		h.cache = respcache.New(64 << 20)
	case opts.CacheBytes > 0:
		h.cache = respcache.New(opts.CacheBytes)
	}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	if opts.Rate > 0 {
		burst := opts.Burst
		if burst < 1 {
			burst = 1
		}
		h.limiter = newLimiter(opts.Rate, burst, opts.Now)
	}
	h.handle("GET /healthz", h.health)
	h.handle("GET /metrics", h.serveMetrics)
	h.handle("GET /v1/openapi.json", h.openapi)
	h.storyRoutes()
	h.handle("GET /v1/articles/{id}", h.article)
	h.handle("GET /v1/entities/{id}", h.entity)
	h.handle("GET /v1/figures", h.figures)
	h.handle("GET /v1/search", h.search)
	h.handle("GET /v1/changes", h.changes)
	h.handle("POST /v1/ingest", h.ingest)
	h.handle("GET /v1/export", h.export)
	h.followRoutes()
	h.handle("GET /v1/errors", h.errorsList)
	h.alertRoutes()
	return h
}

func (h *Handler) handle(pattern string, fn func(http.ResponseWriter, *http.Request) error) {
	h.routes = append(h.routes, pattern)
	h.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		if err := fn(w, r); err != nil {
			h.fail(w, r, err)
		}
	})
}

// Routes lists the registered patterns ("GET /v1/stories").
func (h *Handler) Routes() []string { return append([]string(nil), h.routes...) }

// Drain makes the handler refuse new ingests and report unhealthy, before
// the server shuts down; requests in flight go on.
func (h *Handler) Drain() { h.draining.Store(true) }

// ServeHTTP runs a request through the edge: logging and metrics, rate
// limiting, authentication, then the route.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := &recorder{ResponseWriter: w, status: http.StatusOK}
	_, pattern := h.mux.Handler(r)
	route := pattern
	if route == "" {
		route = "unmatched"
	}
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			h.log.Error("panic", "route", route, "panic", fmt.Sprint(v))
			if !rec.wrote {
				writeError(rec, http.StatusInternalServerError, "internal", "internal error")
			}
		}
		d := time.Since(start)
		h.metrics.observe(route, r.Method, rec.status, d)
		h.log.Info("request", "method", r.Method, "path", r.URL.Path, "route", route, "status", rec.status,
			"bytes", rec.bytes, "duration_ms", float64(d.Microseconds())/1000, "client", clientIP(r))
	}()
	if h.limiter != nil && pattern != "GET /healthz" {
		if ok, wait := h.limiter.allow(clientIP(r)); !ok {
			secs := int((wait + time.Second - 1) / time.Second)
			if secs < 1 {
				secs = 1
			}
			rec.Header().Set("Retry-After", strconv.Itoa(secs))
			writeError(rec, http.StatusTooManyRequests, "rate_limited", fmt.Sprintf("too many requests; retry after %d s", secs))
			return
		}
	}
	if pattern == "" {
		h.unmatched(rec, r)
		return
	}
	write := r.Method != http.MethodGet && r.Method != http.MethodHead
	if pattern != "GET /healthz" && (write || h.opts.ReadsNeedToken) && !h.authorized(r) {
		rec.Header().Set("WWW-Authenticate", `Bearer realm="dossier"`)
		writeError(rec, http.StatusUnauthorized, "unauthorized", "this request needs the server's token: Authorization: Bearer TOKEN")
		return
	}
	h.mux.ServeHTTP(rec, r)
}

func (h *Handler) authorized(r *http.Request) bool {
	if h.opts.Token == "" {
		return false
	}
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return ok && subtle.ConstantTimeCompare([]byte(strings.TrimSpace(tok)), []byte(h.opts.Token)) == 1
}

// unmatched answers a request no route takes: 405 when the path exists
// under another method, else 404, in the error envelope.
func (h *Handler) unmatched(w http.ResponseWriter, r *http.Request) {
	probe := &statusProbe{header: http.Header{}}
	h.mux.ServeHTTP(probe, r)
	if probe.status == http.StatusMethodNotAllowed {
		w.Header().Set("Allow", probe.header.Get("Allow"))
		writeError(w, http.StatusMethodNotAllowed, "method_not_allowed", fmt.Sprintf("%s is not allowed on %s", r.Method, r.URL.Path))
		return
	}
	writeError(w, http.StatusNotFound, "not_found", "no such endpoint: "+r.URL.Path)
}

// statusProbe records what the mux would answer, writing nothing.
type statusProbe struct {
	header http.Header
	status int
}

func (p *statusProbe) Header() http.Header { return p.header }
func (p *statusProbe) Write(b []byte) (int, error) {
	if p.status == 0 {
		p.status = http.StatusOK
	}
	return len(b), nil
}
func (p *statusProbe) WriteHeader(code int) {
	if p.status == 0 {
		p.status = code
	}
}

// recorder notes the status and size of a response.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
	wrote  bool
}

func (r *recorder) WriteHeader(code int) {
	if !r.wrote {
		r.status, r.wrote = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	r.wrote = true
	n, err := r.ResponseWriter.Write(b)
	r.bytes += int64(n)
	return n, err
}

func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

func (r *recorder) Flush() {
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		r.wrote = true
		f.Flush()
	}
}

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// apiError is an error with its status and code.
type apiError struct {
	status  int
	code    string
	message string
}

func (e *apiError) Error() string { return e.message }

func badRequest(format string, args ...any) error {
	return &apiError{http.StatusBadRequest, "bad_request", fmt.Sprintf(format, args...)}
}

func notFound(format string, args ...any) error {
	return &apiError{http.StatusNotFound, "not_found", fmt.Sprintf(format, args...)}
}

// fail answers err in the envelope: the service's errors map to their
// status; anything else is a 500 whose detail goes to the log only.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	var ae *apiError
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &ae):
		writeError(w, ae.status, ae.code, ae.message)
	case errors.As(err, &mbe):
		writeError(w, http.StatusRequestEntityTooLarge, "too_large", fmt.Sprintf("request body larger than %d bytes", mbe.Limit))
	case errors.Is(err, pipeline.ErrBadCursor):
		writeError(w, http.StatusBadRequest, "bad_cursor", "the cursor was not issued by this server or is damaged")
	case errors.Is(err, pipeline.ErrNotFound):
		writeError(w, http.StatusNotFound, "not_found", "not found: "+r.URL.Path)
	case pipeline.Unavailable(err):
		w.Header().Set("Retry-After", "5")
		writeError(w, http.StatusServiceUnavailable, "unavailable", "the database cannot be reached now; try again")
	case errors.Is(err, pipeline.ErrReadOnly), errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		writeError(w, http.StatusServiceUnavailable, "unavailable", "the service cannot answer now; try again")
	default:
		h.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		writeError(w, http.StatusInternalServerError, "internal", "internal error")
	}
}

func writeError(w http.ResponseWriter, status int, code, message string) {
	b, _ := json.Marshal(client.ErrorBody{Error: client.ErrorDetail{Code: code, Message: message}})
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Del("ETag")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}

// writeJSON answers v. A GET's answer carries an ETag, the hash of its
// body, and is 304 when the client already has it.
func writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("api: encode: %w", err)
	}
	return writeBody(w, r, status, "application/json", append(b, '\n'))
}

func writeBody(w http.ResponseWriter, r *http.Request, status int, contentType string, b []byte) error {
	if status == http.StatusOK && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
		return writeEntry(w, r, contentType, respcache.NewEntry(b))
	}
	return writeTagged(w, r, status, contentType, b, "")
}

// cachedJSON answers r with the JSON of what build returns, kept in the
// cache under key and stamp (the state of the data build reads, read
// before it). The build runs once for concurrent requests, and is not
// cancelled by the client that started it going away.
func (h *Handler) cachedJSON(w http.ResponseWriter, r *http.Request, key, stamp string, build func(context.Context) (any, error)) error {
	e, err := h.cache.Get(key, stamp, func() (respcache.Entry, error) {
		v, err := build(context.WithoutCancel(r.Context()))
		if err != nil {
			return respcache.Entry{}, err
		}
		b, err := json.Marshal(v)
		if err != nil {
			return respcache.Entry{}, fmt.Errorf("api: encode: %w", err)
		}
		return respcache.NewEntry(append(b, '\n')), nil
	})
	if err != nil {
		return err
	}
	return writeEntry(w, r, "application/json", e)
}

// writeEntry answers a GET or HEAD with an encoded body and its ETag (304
// when the client holds it).
func writeEntry(w http.ResponseWriter, r *http.Request, contentType string, e respcache.Entry) error {
	return writeTagged(w, r, http.StatusOK, contentType, e.Body, e.ETag)
}

func writeTagged(w http.ResponseWriter, r *http.Request, status int, contentType string, b []byte, etag string) error {
	if etag != "" {
		w.Header().Set("ETag", etag)
		w.Header().Set("Cache-Control", "no-cache")
		if matchETag(r.Header.Get("If-None-Match"), etag) {
			w.WriteHeader(http.StatusNotModified)
			return nil
		}
	}
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(b)
	}
	return nil
}

// matchETag reports whether an If-None-Match header names etag (weak
// comparison, as RFC 9110 asks for If-None-Match).
func matchETag(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == etag {
			return true
		}
	}
	return false
}

func (h *Handler) health(w http.ResponseWriter, r *http.Request) error {
	if h.draining.Load() {
		writeError(w, http.StatusServiceUnavailable, "unavailable", "shutting down")
		return nil
	}
	return writeJSON(w, r, http.StatusOK, client.Health{Status: "ok"})
}

func (h *Handler) openapi(w http.ResponseWriter, r *http.Request) error {
	return writeBody(w, r, http.StatusOK, "application/json", openapiDoc)
}

// copyBody streams a body of unknown length.
func copyBody(w http.ResponseWriter, contentType string, fn func(io.Writer) error) error {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Cache-Control", "no-store")
	return fn(w)
}
