// Package embed asks an OpenAI-compatible embeddings service (POST
// /v1/embeddings) for text vectors. dossier never downloads a model: this
// is an optional extra signal for clustering, off unless a URL is given.
package embed

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"strings"
	"time"
)

// Config names the service.
type Config struct {
	// URL is the service's base URL ("http://localhost:8080"); the client
	// posts to URL + "/v1/embeddings".
	URL    string
	Model  string
	APIKey string
	// Timeout bounds one request.
	Timeout time.Duration
}

// Client calls the service. It is safe for concurrent use.
type Client struct {
	cfg Config
	hc  *http.Client
}

// New returns a client, or nil when no URL is configured.
func New(cfg Config) *Client {
	if cfg.URL == "" {
		return nil
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 30 * time.Second
	}
	return &Client{cfg: cfg, hc: &http.Client{Timeout: cfg.Timeout}}
}

type request struct {
	Model string   `json:"model,omitempty"`
	Input []string `json:"input"`
}

type response struct {
	Data []struct {
		Index     int       `json:"index"`
		Embedding []float32 `json:"embedding"`
	} `json:"data"`
	Error *struct {
		Message string `json:"message"`
	} `json:"error"`
}

// Embed returns one L2-normalised vector per text, in order.
func (c *Client) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	vs, err := c.embed(ctx, texts)
	if err != nil {
		return nil, fmt.Errorf("embed: %s: %w", c.cfg.URL, err)
	}
	return vs, nil
}

func (c *Client) embed(ctx context.Context, texts []string) ([][]float32, error) {
	body, err := json.Marshal(request{Model: c.cfg.Model, Input: texts})
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(c.cfg.URL, "/")+"/v1/embeddings", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if c.cfg.APIKey != "" {
		req.Header.Set("Authorization", "Bearer "+c.cfg.APIKey)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, err
	}
	var r response
	if err := json.Unmarshal(raw, &r); err != nil {
		return nil, fmt.Errorf("status %s, unreadable answer: %w", resp.Status, err)
	}
	if resp.StatusCode != http.StatusOK {
		msg := resp.Status
		if r.Error != nil {
			msg += ": " + r.Error.Message
		}
		return nil, errors.New(msg)
	}
	if len(r.Data) != len(texts) {
		return nil, fmt.Errorf("asked for %d embeddings, got %d", len(texts), len(r.Data))
	}
	out := make([][]float32, len(texts))
	for _, d := range r.Data {
		if d.Index < 0 || d.Index >= len(texts) || len(d.Embedding) == 0 {
			return nil, fmt.Errorf("bad embedding at index %d", d.Index)
		}
		out[d.Index] = Normalize(d.Embedding)
	}
	return out, nil
}

// Normalize scales v to unit length (in place) and returns it.
func Normalize(v []float32) []float32 {
	var n float64
	for _, x := range v {
		n += float64(x) * float64(x)
	}
	if n == 0 {
		return v
	}
	r := float32(1 / math.Sqrt(n))
	for i := range v {
		v[i] *= r
	}
	return v
}

// Cos is the dot product of two unit vectors (0 when sizes differ).
func Cos(a, b []float32) float64 {
	if len(a) != len(b) {
		return 0
	}
	var s float64
	for i := range a {
		s += float64(a[i]) * float64(b[i])
	}
	return s
}
