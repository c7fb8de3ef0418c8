package main

import (
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"dossier/internal/client"
	"dossier/internal/ingest"
)

// Batches sent to a server stay well below its request size limit.
const (
	batchBytes = 8 << 20
	batchPages = 200
)

// addToServer sends inputs to a running server (POST /v1/ingest): URLs as
// urls, which the server fetches, and local files read here and sent as
// pages. It prints the summary as a local run does.
func addToServer(ctx context.Context, cfg *Config, server, token, captured string, inputs []string) error {
	if token == "" {
		// On the server's machine the token is in the data directory.
		if t, err := readToken(cfg.Pipeline.DataDir); err == nil {
			token = t
		}
	}
	c := client.New(server, client.WithToken(token))
	start := time.Now()
	total := &ingest.Summary{Languages: map[string]int{}}
	req := client.IngestRequest{Captured: captured}
	size := 0
	send := func() error {
		if len(req.URLs) == 0 && len(req.Pages) == 0 {
			return nil
		}
		sum, err := ingestRetrying(ctx, c, req)
		if err != nil {
			return err
		}
		addServerSummary(total, sum)
		req.URLs, req.Pages, size = nil, nil, 0
		return nil
	}
	fail := func(input string, err error) {
		total.Failures = append(total.Failures, ingest.Failure{Input: input, Err: err})
	}
	for _, in := range inputs {
		if strings.HasPrefix(in, "http://") || strings.HasPrefix(in, "https://") {
			req.URLs = append(req.URLs, in)
			continue
		}
		err := filepath.WalkDir(in, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				fail(path, err)
				return nil
			}
			if d.IsDir() || !d.Type().IsRegular() {
				return nil
			}
			p, err := readPage(path, cfg.Pipeline.Ingest.MaxBytes)
			if err != nil {
				fail(path, err)
				return nil
			}
			if size+len(p.Body) > batchBytes || len(req.Pages) >= batchPages {
				if err := send(); err != nil {
					return err
				}
			}
			req.Pages = append(req.Pages, p)
			size += len(p.Body)
			return nil
		})
		if err != nil {
			return serverError(server, err)
		}
	}
	if err := send(); err != nil {
		return serverError(server, err)
	}
	total.Elapsed = time.Since(start)
	printSummary(cfg.Stdout, total)
	if len(total.Failures) > 0 {
		return &exitError{code: 1, msg: fmt.Sprintf("%d input(s) failed", len(total.Failures))}
	}
	return nil
}

// readPage reads a local file as a page to send. Corpora and archives
// (JSON Lines, WARC) are read by a local run only.
func readPage(path string, max int64) (client.Page, error) {
	name := filepath.Base(path)
	ext := strings.ToLower(strings.TrimSuffix(strings.ToLower(name), ".gz"))
	switch filepath.Ext(ext) {
	case ".jsonl", ".ndjson", ".warc":
		return client.Page{}, fmt.Errorf("corpora and archives cannot be sent with -server: stop the server and run dossier add, or post their pages")
	}
	f, err := os.Open(path)
	if err != nil {
		return client.Page{}, err
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(strings.ToLower(name), ".gz") {
		zr, err := gzip.NewReader(f)
		if err != nil {
			return client.Page{}, err
		}
		r = zr
	}
	if max <= 0 {
		max = 32 << 20
	}
	b, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return client.Page{}, err
	}
	if int64(len(b)) > max {
		return client.Page{}, fmt.Errorf("larger than %d bytes", max)
	}
	if !utf8.Valid(b) {
		return client.Page{}, errors.New("not UTF-8 text; pages sent to a server must be")
	}
	p := client.Page{Name: strings.TrimSuffix(name, ".gz"), Body: string(b)}
	switch filepath.Ext(ext) {
	case ".html", ".htm", ".xhtml":
		p.Format = "html"
	case ".txt", ".text":
		p.Format = "text"
	}
	return p, nil
}

// ingestRetrying sends one request, waiting and retrying when the server
// says it is rate-limited.
func ingestRetrying(ctx context.Context, c *client.Client, req client.IngestRequest) (client.IngestSummary, error) {
	for try := 0; ; try++ {
		sum, err := c.Ingest(ctx, req)
		var e *client.Error
		if try < 5 && errors.As(err, &e) && e.Code == "rate_limited" {
			select {
			case <-time.After(max(e.RetryAfter, time.Second)):
				continue
			case <-ctx.Done():
				return sum, ctx.Err()
			}
		}
		return sum, err
	}
}

func addServerSummary(t *ingest.Summary, s client.IngestSummary) {
	t.Pages += s.Pages
	t.Unchanged += s.Unchanged
	t.Articles += s.Articles
	t.Duplicates += s.Duplicates
	t.EmbedErrors += s.EmbedErrors
	for l, n := range s.Languages {
		t.Languages[l] += n
	}
	for _, f := range s.Failures {
		t.Failures = append(t.Failures, ingest.Failure{Input: f.Input, Err: errors.New(f.Error)})
	}
}

// serverError explains a failed request to a server.
func serverError(server string, err error) error {
	switch client.Code(err) {
	case "unauthorized":
		return &exitError{code: 1, msg: fmt.Sprintf("add: %s refused the token: give -token or set DOSSIER_TOKEN (the server prints its token on first start and keeps it in its data directory)", server)}
	case "":
		return fmt.Errorf("add: %s: %w", server, err)
	}
	return &exitError{code: 1, msg: "add: " + err.Error()}
}
