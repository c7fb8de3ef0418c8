// Package client is a typed Go client of dossier's JSON API (version 1),
// and the API's JSON representation: the server renders into these types.
//
//	c := client.New("http://127.0.0.1:8080", client.WithToken(token))
//	page, err := c.Stories(ctx, client.StoryFilter{Lang: "ar"})
//
// Errors the server answers are *Error values carrying the envelope's
// stable code ("not_found", "bad_cursor", "rate_limited", …).
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Client talks to one dossier server.
type Client struct {
	base  string
	token string
	hc    *http.Client
}

// Option configures a Client.
type Option func(*Client)

// WithToken sends the server's bearer token with every request.
func WithToken(token string) Option { return func(c *Client) { c.token = token } }

// WithHTTPClient uses hc instead of http.DefaultClient.
func WithHTTPClient(hc *http.Client) Option { return func(c *Client) { c.hc = hc } }

// New returns a client of the server at base ("http://127.0.0.1:8080").
func New(base string, opts ...Option) *Client {
	c := &Client{base: strings.TrimRight(base, "/"), hc: http.DefaultClient}
	for _, o := range opts {
		o(c)
	}
	return c
}

// Error is an error the server answered.
type Error struct {
	Status  int
	Code    string
	Message string
	// RetryAfter is how long the server asked to wait (429, 503).
	RetryAfter time.Duration
}

func (e *Error) Error() string {
	return fmt.Sprintf("dossier server: %d %s: %s", e.Status, e.Code, e.Message)
}

// ErrNotModified is returned by GetIfNoneMatch when the resource has not
// changed.
var ErrNotModified = errors.New("not modified")

// Code returns the envelope code of err, or "" when err is not an *Error.
func Code(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// do sends a request and returns the response when its status is 2xx or
// 304; any other status is read as the error envelope.
func (c *Client) do(ctx context.Context, method, path string, q url.Values, body any, hdr http.Header) (*http.Response, error) {
	u := c.base + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, fmt.Errorf("client: %s %s: %w", method, path, err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return nil, fmt.Errorf("client: %w", err)
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("client: %s %s: %w", method, path, err)
	}
	if resp.StatusCode/100 == 2 || resp.StatusCode == http.StatusNotModified {
		return resp, nil
	}
	defer resp.Body.Close()
	e := &Error{Status: resp.StatusCode}
	if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil {
		e.RetryAfter = time.Duration(s) * time.Second
	}
	var env ErrorBody
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if json.Unmarshal(b, &env) == nil && env.Error.Code != "" {
		e.Code, e.Message = env.Error.Code, env.Error.Message
	} else {
		e.Code, e.Message = "http_"+strconv.Itoa(resp.StatusCode), strings.TrimSpace(string(b))
	}
	return nil, e
}

// getJSON decodes the JSON answer of a GET into v.
func (c *Client) getJSON(ctx context.Context, path string, q url.Values, v any) error {
	resp, err := c.do(ctx, http.MethodGet, path, q, nil, nil)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return decode(resp, path, v)
}

func decode(resp *http.Response, path string, v any) error {
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		return fmt.Errorf("client: %s: decode: %w", path, err)
	}
	return nil
}

// Get sends a GET to path with an optional If-None-Match and returns the
// body and its ETag; ErrNotModified when the server answers 304.
func (c *Client) Get(ctx context.Context, path string, ifNoneMatch string) (body []byte, etag string, err error) {
	hdr := http.Header{}
	if ifNoneMatch != "" {
		hdr.Set("If-None-Match", ifNoneMatch)
	}
	resp, err := c.do(ctx, http.MethodGet, path, nil, nil, hdr)
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotModified {
		return nil, resp.Header.Get("ETag"), ErrNotModified
	}
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, "", fmt.Errorf("client: %s: %w", path, err)
	}
	return b, resp.Header.Get("ETag"), nil
}

// values builds a query from name/value pairs, leaving out empty values.
func values(kv ...string) url.Values {
	q := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			q.Set(kv[i], kv[i+1])
		}
	}
	return q
}

func itoa(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// Health asks whether the server is up.
func (c *Client) Health(ctx context.Context) (Health, error) {
	var h Health
	return h, c.getJSON(ctx, "/healthz", nil, &h)
}

// StoryFilter selects stories. From and To are dates (YYYY-MM-DD or
// RFC 3339) bounding the latest development.
type StoryFilter struct {
	Lang, Outlet, Entity string
	From, To             string
	Cursor               string
	Limit                int
}

// Stories lists stories, latest development first.
func (c *Client) Stories(ctx context.Context, f StoryFilter) (StoryList, error) {
	var out StoryList
	q := values("lang", f.Lang, "outlet", f.Outlet, "entity", f.Entity, "from", f.From, "to", f.To, "cursor", f.Cursor, "limit", itoa(f.Limit))
	return out, c.getJSON(ctx, "/v1/stories", q, &out)
}

// Story returns a story ("s12") with all its views.
func (c *Client) Story(ctx context.Context, id string) (Story, error) {
	var out Story
	return out, c.getJSON(ctx, "/v1/stories/"+url.PathEscape(id), nil, &out)
}

// StoryExport returns a story in the export's format: "json" or "markdown".
func (c *Client) StoryExport(ctx context.Context, id, format string) ([]byte, error) {
	name := "export.json"
	if format == "markdown" {
		name = "export.md"
	}
	b, _, err := c.Get(ctx, "/v1/stories/"+url.PathEscape(id)+"/"+name, "")
	return b, err
}

// StoryLedgerCSV returns a story's figure ledger as CSV.
func (c *Client) StoryLedgerCSV(ctx context.Context, id string) ([]byte, error) {
	b, _, err := c.Get(ctx, "/v1/stories/"+url.PathEscape(id)+"/ledger.csv", "")
	return b, err
}

// Article returns an article ("a34") with its sources and facts.
func (c *Client) Article(ctx context.Context, id string) (Article, error) {
	var out Article
	return out, c.getJSON(ctx, "/v1/articles/"+url.PathEscape(id), nil, &out)
}

// Entity returns an entity ("country:KP") with a page of its articles.
func (c *Client) Entity(ctx context.Context, id, cursor string, limit int) (Entity, error) {
	var out Entity
	return out, c.getJSON(ctx, "/v1/entities/"+url.PathEscape(id), values("cursor", cursor, "limit", itoa(limit)), &out)
}

// FigureFilter selects figures; Story is a story id ("s12").
type FigureFilter struct {
	Kind, Subject, Entity, Source, Story string
	Cursor                               string
	Limit                                int
}

// Figures lists figures, newest article first.
func (c *Client) Figures(ctx context.Context, f FigureFilter) (FigureList, error) {
	var out FigureList
	q := values("kind", f.Kind, "subject", f.Subject, "entity", f.Entity, "source", f.Source, "story", f.Story,
		"cursor", f.Cursor, "limit", itoa(f.Limit))
	return out, c.getJSON(ctx, "/v1/figures", q, &out)
}

// SearchRequest is a full-text search with filters.
type SearchRequest struct {
	Query                       string
	Lang, Outlet, Entity, Story string
	From, To                    string
	Cursor                      string
	Limit                       int
}

// Search finds articles.
func (c *Client) Search(ctx context.Context, r SearchRequest) (SearchResult, error) {
	var out SearchResult
	q := values("q", r.Query, "lang", r.Lang, "outlet", r.Outlet, "entity", r.Entity, "story", r.Story,
		"from", r.From, "to", r.To, "cursor", r.Cursor, "limit", itoa(r.Limit))
	return out, c.getJSON(ctx, "/v1/search", q, &out)
}

// Changes returns what was stored after cursor ("" for everything).
func (c *Client) Changes(ctx context.Context, cursor string, limit int) (Changes, error) {
	var out Changes
	return out, c.getJSON(ctx, "/v1/changes", values("cursor", cursor, "limit", itoa(limit)), &out)
}

// Ingest sends URLs and pages to the server, which stores them.
func (c *Client) Ingest(ctx context.Context, r IngestRequest) (IngestSummary, error) {
	var out IngestSummary
	resp, err := c.do(ctx, http.MethodPost, "/v1/ingest", nil, r, nil)
	if err != nil {
		return out, err
	}
	defer resp.Body.Close()
	return out, decode(resp, "/v1/ingest", &out)
}

// Export streams the whole archive's export ("json" or "markdown") to w.
func (c *Client) Export(ctx context.Context, format string, w io.Writer) error {
	resp, err := c.do(ctx, http.MethodGet, "/v1/export", values("format", format), nil, nil)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(w, resp.Body); err != nil {
		return fmt.Errorf("client: export: %w", err)
	}
	return nil
}

// OpenAPI returns the server's OpenAPI document.
func (c *Client) OpenAPI(ctx context.Context) ([]byte, error) {
	b, _, err := c.Get(ctx, "/v1/openapi.json", "")
	return b, err
}

// Metrics returns the server's metrics in the Prometheus text format.
func (c *Client) Metrics(ctx context.Context) (string, error) {
	b, _, err := c.Get(ctx, "/metrics", "")
	return string(b), err
}
