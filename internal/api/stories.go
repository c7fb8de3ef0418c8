package api

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"dossier/internal/client"
	"dossier/internal/pipeline"
)

func (h *Handler) storyRoutes() {
	h.handle("GET /v1/stories", h.stories)
	h.handle("GET /v1/stories/{id}", h.story)
	h.handle("GET /v1/stories/{id}/export.json", h.storyExport("json", "application/json"))
	h.handle("GET /v1/stories/{id}/export.md", h.storyExport("markdown", "text/markdown; charset=utf-8"))
	h.handle("GET /v1/stories/{id}/ledger.csv", h.storyLedger)
}

// stories lists stories, latest development first, filtered by language,
// outlet, entity and the date of the latest development.
func (h *Handler) stories(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	f := pipeline.StoryFilter{Lang: q.str("lang"), Outlet: q.str("outlet"), Entity: q.str("entity"),
		From: q.date("from", false), To: q.date("to", true), Cursor: q.str("cursor"), Limit: q.limit()}
	if q.err != nil {
		return q.err
	}
	stamp, err := h.svc.Stamp(r.Context())
	if err != nil {
		return err
	}
	return h.cachedJSON(w, r, "stories?"+r.URL.RawQuery, stamp, func(ctx context.Context) (any, error) {
		p, err := h.svc.Stories(ctx, f)
		if err != nil {
			return nil, err
		}
		out := client.StoryList{Stories: make([]client.StorySummary, len(p.Stories)), Next: str(p.Next)}
		for i, s := range p.Stories {
			out.Stories[i] = renderStorySummary(s)
		}
		return out, nil
	})
}

func pathStory(r *http.Request) (int64, error) {
	id, ok := parseID(r.PathValue("id"), "s")
	if !ok {
		return 0, notFound("no story %q: a story id looks like s12", r.PathValue("id"))
	}
	return id, nil
}

// moved answers a request for a story that was merged into another
// (err is ErrNotFound) with a redirect to the same resource of the story
// it went into: 307 with Location (the path's id replaced, the query
// kept) and the error envelope, code "moved", naming both stories for
// clients that do not follow redirects. Any other err is returned.
// Temporary, not permanent: a recluster may give the id a story again.
func (h *Handler) moved(w http.ResponseWriter, r *http.Request, id int64, err error) error {
	if !errors.Is(err, pipeline.ErrNotFound) {
		return err
	}
	into, merr := h.svc.StoryMoved(r.Context(), id)
	if errors.Is(merr, pipeline.ErrNotFound) {
		return err
	} else if merr != nil {
		return merr
	}
	// The id is the path's fourth segment ("", "v1", "stories", id, …),
	// replaced as sent (it may be escaped: /v1/stories/%735).
	seg := strings.SplitN(r.URL.EscapedPath(), "/", 5)
	if len(seg) < 4 {
		return err
	}
	seg[3] = storyID(into)
	loc := strings.Join(seg, "/")
	if r.URL.RawQuery != "" {
		loc += "?" + r.URL.RawQuery
	}
	w.Header().Set("Location", loc)
	writeError(w, http.StatusTemporaryRedirect, "moved", fmt.Sprintf("story %s was merged into story %s", storyID(id), storyID(into)))
	return nil
}

// story answers a story with all its stored views.
func (h *Handler) story(w http.ResponseWriter, r *http.Request) error {
	id, err := pathStory(r)
	if err != nil {
		return err
	}
	// The stamp is the view's own: answers of other stories stay cached
	// while this one changes.
	stamp, err := h.svc.StoryStamp(r.Context(), id)
	if err != nil {
		return h.moved(w, r, id, err)
	}
	return h.cachedJSON(w, r, "story/"+strconv.FormatInt(id, 10), stamp.UTC().Format(time.RFC3339Nano), func(ctx context.Context) (any, error) {
		v, updated, err := h.svc.Story(ctx, id)
		if err != nil {
			return nil, err
		}
		return renderStory(v, updated), nil
	})
}

// storyExport answers one story in the export's JSON or Markdown.
func (h *Handler) storyExport(format, contentType string) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathStory(r)
		if err != nil {
			return err
		}
		var b bytes.Buffer
		if err := h.svc.ExportStory(r.Context(), &b, id, format); err != nil {
			return h.moved(w, r, id, err)
		}
		return writeBody(w, r, http.StatusOK, contentType, b.Bytes())
	}
}

// ledgerHeader is the figure ledger's CSV header.
var ledgerHeader = []string{"topic", "kind", "subject", "figure", "article", "value", "low", "high", "qualifier", "unit",
	"attributed_to", "reported", "disagree", "changed", "sentence"}

// storyLedger answers a story's figure ledger as CSV, one row per report.
func (h *Handler) storyLedger(w http.ResponseWriter, r *http.Request) error {
	id, err := pathStory(r)
	if err != nil {
		return err
	}
	v, _, err := h.svc.Story(r.Context(), id)
	if err != nil {
		return h.moved(w, r, id, err)
	}
	var b bytes.Buffer
	cw := csv.NewWriter(&b)
	cw.Write(ledgerHeader)
	num := func(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
	for _, l := range v.Ledger {
		for _, rep := range l.Reports {
			lo, hi := "", ""
			if rep.IsRange {
				lo, hi = num(rep.Low), num(rep.High)
			}
			when := ""
			if !rep.When.IsZero() {
				when = rep.When.UTC().Format(time.RFC3339)
			}
			cw.Write([]string{l.Topic, l.Kind, l.Subject, figureID(rep.Article, rep.Index), articleID(rep.Article),
				num(rep.Value), lo, hi, rep.Qualifier, rep.Unit, rep.AttributedTo, when,
				strconv.FormatBool(l.Disagree), strconv.FormatBool(l.Changed), rep.Sentence})
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	w.Header().Set("Content-Disposition", `attachment; filename="`+storyID(id)+`-ledger.csv"`)
	return writeBody(w, r, http.StatusOK, "text/csv; charset=utf-8", b.Bytes())
}
