package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"dossier/internal/client"
	"dossier/internal/ingest"
	"dossier/internal/news"
	"dossier/internal/pipeline"
)

// Limits of one ingest request besides its size.
const (
	maxURLs  = 1000
	maxPages = 1000
)

// ingest stores the pages of a request: URLs of pages or feeds, which the
// server fetches, and pages given whole. It answers the run's summary;
// inputs that failed are listed in it.
func (h *Handler) ingest(w http.ResponseWriter, r *http.Request) error {
	if h.draining.Load() {
		return &apiError{http.StatusServiceUnavailable, "unavailable", "the server is shutting down"}
	}
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return &apiError{http.StatusUnsupportedMediaType, "unsupported_media_type", "the body must be application/json"}
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, h.opts.MaxBody))
	dec.DisallowUnknownFields()
	var req client.IngestRequest
	if err := dec.Decode(&req); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return err
		}
		return badRequest("body: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return badRequest("body: one JSON object expected")
	}
	urls, pages, opts, err := checkIngest(req)
	if err != nil {
		return err
	}
	// The run goes on if the client goes away: what it stores is kept,
	// and shutdown waits for it.
	ctx := context.WithoutCancel(r.Context())
	sum := client.IngestSummary{Languages: map[string]int{}, Failures: []client.IngestFailure{}}
	if len(urls) > 0 {
		s, err := h.svc.Ingest(ctx, urls, opts)
		addSummary(&sum, s)
		if err != nil {
			return err
		}
	}
	if len(pages) > 0 {
		s, err := h.svc.IngestPages(ctx, pages, opts)
		addSummary(&sum, s)
		if err != nil {
			return err
		}
	}
	h.metrics.ingested(sum)
	return writeJSON(w, r, http.StatusOK, sum)
}

func addSummary(sum *client.IngestSummary, s *ingest.Summary) {
	if s == nil {
		return
	}
	sum.Pages += s.Pages
	sum.Unchanged += s.Unchanged
	sum.Articles += s.Articles
	sum.Duplicates += s.Duplicates
	sum.EmbedErrors += s.EmbedErrors
	sum.ElapsedMS += s.Elapsed.Milliseconds()
	for l, n := range s.Languages {
		sum.Languages[l] += n
	}
	for _, f := range s.Failures {
		sum.Failures = append(sum.Failures, client.IngestFailure{Input: f.Input, Error: f.Err.Error()})
	}
}

// checkIngest validates a request and turns it into the service's inputs.
// Only http(s) URLs are taken: a path would read the server's files.
func checkIngest(req client.IngestRequest) ([]string, []news.Page, pipeline.IngestOptions, error) {
	var opts pipeline.IngestOptions
	if len(req.URLs) == 0 && len(req.Pages) == 0 {
		return nil, nil, opts, badRequest("nothing to ingest: give urls, pages or both")
	}
	if len(req.URLs) > maxURLs || len(req.Pages) > maxPages {
		return nil, nil, opts, &apiError{http.StatusRequestEntityTooLarge, "too_large", fmt.Sprintf("at most %d urls and %d pages a request", maxURLs, maxPages)}
	}
	if req.Captured != "" {
		t, day, err := parseCaptured(req.Captured)
		if err != nil {
			return nil, nil, opts, badRequest("captured: %v", err)
		}
		opts.Captured, opts.CapturedDay = t, day
	}
	for _, u := range req.URLs {
		if err := checkURL(u); err != nil {
			return nil, nil, opts, badRequest("urls: %v", err)
		}
	}
	pages := make([]news.Page, 0, len(req.Pages))
	for i, p := range req.Pages {
		if p.Name == "" && p.URL == "" {
			return nil, nil, opts, badRequest("pages[%d]: name or url is required", i)
		}
		if p.Body == "" {
			return nil, nil, opts, badRequest("pages[%d]: body is empty", i)
		}
		if strings.ContainsAny(p.Name, "/\\") {
			return nil, nil, opts, badRequest("pages[%d]: name must be a file name, not a path", i)
		}
		if p.URL != "" {
			if err := checkURL(p.URL); err != nil {
				return nil, nil, opts, badRequest("pages[%d]: %v", i, err)
			}
		}
		np := news.Page{File: p.Name, URL: p.URL, Body: []byte(p.Body), Origin: p.Name}
		switch p.Format {
		case "", "html", "text":
			np.Format = news.Format(p.Format)
		default:
			return nil, nil, opts, badRequest("pages[%d]: format must be html or text, not %q", i, p.Format)
		}
		if p.Captured != "" {
			t, _, err := parseCaptured(p.Captured)
			if err != nil {
				return nil, nil, opts, badRequest("pages[%d]: captured: %v", i, err)
			}
			np.Captured = t
		}
		// A posted page is known by its URL, else by its name: posting the
		// same page again changes nothing.
		np.Key = "post:" + p.Name
		if p.URL != "" {
			np.Key = p.URL
		}
		if np.Origin == "" {
			np.Origin = p.URL
		}
		pages = append(pages, np)
	}
	return req.URLs, pages, opts, nil
}

func checkURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an http(s) URL", s)
	}
	return nil
}

// parseCaptured reads a capture date: YYYY-MM-DD (day says only the day is
// known) or RFC 3339.
func parseCaptured(s string) (t time.Time, day bool, err error) {
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, true, nil
	}
	t, err = time.Parse(time.RFC3339, s)
	if err != nil {
		return t, false, fmt.Errorf("%q is not YYYY-MM-DD or RFC 3339", s)
	}
	return t, false, nil
}
