package ingest

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/text/language"

	"dossier/internal/feed"
	"dossier/internal/fetch"
	"dossier/internal/news"
	"dossier/internal/store"
	"dossier/internal/warc"
)

// dirExts are the file kinds picked up when walking a directory; a file
// named on the command line is read whatever its name.
var dirExts = map[string]bool{
	".html": true, ".htm": true, ".xhtml": true, ".txt": true, ".text": true,
	".jsonl": true, ".ndjson": true, ".warc": true, ".xml": true, ".rss": true, ".atom": true,
}

// expand turns the command-line inputs into jobs, in order.
func (g *Ingester) expand(ctx context.Context, args []string, emit func(job) bool) {
	for _, arg := range args {
		if ctx.Err() != nil {
			return
		}
		if strings.HasPrefix(arg, "http://") || strings.HasPrefix(arg, "https://") {
			if !g.expandURL(ctx, arg, emit) {
				return
			}
			continue
		}
		fi, err := os.Stat(arg)
		if err != nil {
			if !emit(job{in: arg, err: fmt.Errorf("ingest: %w", err)}) {
				return
			}
			continue
		}
		if !fi.IsDir() {
			if !g.expandFile(ctx, arg, emit) {
				return
			}
			continue
		}
		err = filepath.WalkDir(arg, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				if !emit(job{in: path, err: fmt.Errorf("ingest: %w", err)}) {
					return fs.SkipAll
				}
				return nil
			}
			if strings.HasPrefix(d.Name(), ".") && path != arg {
				if d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if d.IsDir() || !d.Type().IsRegular() || !dirExts[ext(path)] {
				return nil
			}
			if !g.expandFile(ctx, path, emit) {
				return fs.SkipAll
			}
			return nil
		})
		if err != nil {
			emit(job{in: arg, err: fmt.Errorf("ingest: %w", err)})
		}
	}
}

// ext returns a file's extension without a trailing .gz, in lower case.
func ext(path string) string {
	p := strings.ToLower(path)
	p = strings.TrimSuffix(p, ".gz")
	return filepath.Ext(p)
}

func formatOfExt(e string) news.Format {
	switch e {
	case ".html", ".htm", ".xhtml":
		return news.FormatHTML
	case ".txt", ".text":
		return news.FormatText
	}
	return ""
}

func formatOf(contentType string) news.Format {
	mt, _, _ := mime.ParseMediaType(contentType)
	switch {
	case mt == "text/html" || mt == "application/xhtml+xml":
		return news.FormatHTML
	case mt == "text/plain":
		return news.FormatText
	}
	return ""
}

// open opens a file, undoing gzip if its first bytes say so.
func open(path string) (io.ReadCloser, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	br := bufio.NewReader(f)
	magic, _ := br.Peek(2)
	if len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("gzip: %w", err)
		}
		return struct {
			io.Reader
			io.Closer
		}{zr, f}, nil
	}
	return struct {
		io.Reader
		io.Closer
	}{br, f}, nil
}

// readFile reads a whole (possibly gzipped) file, refusing more than max
// bytes after decompression.
func readFile(path string, max int64) ([]byte, error) {
	if fi, err := os.Stat(path); err == nil && fi.Size() > max {
		return nil, fmt.Errorf("%w: file is %d bytes, the limit is %d (-max-bytes)", fetch.ErrTooLarge, fi.Size(), max)
	}
	rc, err := open(path)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	b, err := fetch.ReadAtMost(rc, max)
	if err != nil {
		return nil, err
	}
	return b, nil
}

func (g *Ingester) expandFile(ctx context.Context, path string, emit func(job) bool) bool {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	switch ext(path) {
	case ".jsonl", ".ndjson":
		return g.expandJSONL(ctx, path, abs, emit)
	case ".warc":
		return g.expandWARC(ctx, path, abs, emit)
	}
	body, err := readFile(path, g.cfg.MaxBytes)
	if err != nil {
		return emit(job{in: path, err: fmt.Errorf("ingest: %s: %w", path, err)})
	}
	if feed.Is(body) {
		return g.expandFeed(ctx, path, body, "", emit)
	}
	return emit(job{in: path, page: &news.Page{
		Key: abs, Origin: path, File: filepath.Base(path), Format: formatOfExt(ext(path)), Body: body,
	}})
}

// record is one line of a JSON Lines corpus.
type record struct {
	ID        json.RawMessage `json:"id"`
	HTML      string          `json:"html"`
	Text      string          `json:"text"`
	Title     string          `json:"title"`
	URL       string          `json:"url"`
	Published string          `json:"published"`
	Captured  string          `json:"captured"`
	Language  string          `json:"language"`
}

func (g *Ingester) expandJSONL(ctx context.Context, path, abs string, emit func(job) bool) bool {
	rc, err := open(path)
	if err != nil {
		return emit(job{in: path, err: fmt.Errorf("ingest: %s: %w", path, err)})
	}
	defer rc.Close()
	br := bufio.NewReaderSize(rc, 1<<20)
	for n := 1; ctx.Err() == nil; n++ {
		line, err := readLine(br, g.cfg.MaxBytes)
		in := fmt.Sprintf("%s:%d", path, n)
		if err == io.EOF {
			return true
		}
		if err != nil {
			if !emit(job{in: in, err: fmt.Errorf("ingest: %s: %w", in, err)}) {
				return false
			}
			if errors.Is(err, fetch.ErrTooLarge) {
				continue
			}
			return true
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		p, err := g.jsonlPage(line, path, abs)
		if err != nil {
			if !emit(job{in: in, err: fmt.Errorf("ingest: %s: %w", in, err)}) {
				return false
			}
			continue
		}
		if !emit(job{in: in, page: p}) {
			return false
		}
	}
	return false
}

func (g *Ingester) jsonlPage(line []byte, path, abs string) (*news.Page, error) {
	var r record
	if err := json.Unmarshal(line, &r); err != nil {
		return nil, fmt.Errorf("not a JSON object: %w", err)
	}
	id := strings.Trim(string(r.ID), `"`)
	if id == "" || id == "null" {
		return nil, errors.New(`no "id"`)
	}
	lang, err := isoLanguage(r.Language)
	if err != nil {
		return nil, err
	}
	p := &news.Page{Key: abs + "#" + id, Origin: path, File: filepath.Base(path), ID: id, URL: r.URL,
		Hint: news.Hint{Title: strings.TrimSpace(r.Title), Language: lang}}
	switch {
	case r.HTML != "":
		p.Format, p.Body = news.FormatHTML, []byte(r.HTML)
	case r.Text != "":
		p.Format, p.Body, p.Clean = news.FormatText, []byte(r.Text), true
	default:
		return nil, errors.New(`no "html" or "text"`)
	}
	if r.Published != "" {
		if p.Hint.Published, err = parseWhen(r.Published); err != nil {
			return nil, fmt.Errorf("published: %w", err)
		}
	}
	if r.Captured != "" {
		if p.Captured, err = parseWhen(r.Captured); err != nil {
			return nil, fmt.Errorf("captured: %w", err)
		}
	}
	return p, nil
}

// isoLanguage reads the language field of a JSON Lines record: a
// language tag whose language has an ISO 639-1 code ("en", "pt-BR",
// "ara"), returned as that code ("en", "pt", "ar"); "" when the field is
// empty. Anything else is refused.
func isoLanguage(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	tag, err := language.Parse(s)
	base, conf := tag.Base()
	if err != nil || conf != language.Exact || len(base.String()) != 2 {
		return "", fmt.Errorf("language %.40q is not an ISO 639-1 language code (like \"en\" or \"ar\")", s)
	}
	return base.String(), nil
}

// readLine reads one line of at most max bytes; a longer line is consumed
// to its end and reported as too large.
func readLine(br *bufio.Reader, max int64) ([]byte, error) {
	var line []byte
	tooLong := false
	for {
		chunk, err := br.ReadSlice('\n')
		if !tooLong {
			if int64(len(line)+len(chunk)) > max {
				tooLong, line = true, nil
			} else {
				line = append(line, chunk...)
			}
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil && err != io.EOF {
			return nil, err
		}
		if tooLong {
			return nil, fmt.Errorf("%w: line longer than %d bytes", fetch.ErrTooLarge, max)
		}
		if err == io.EOF && len(line) == 0 {
			return nil, io.EOF
		}
		return line, nil
	}
}

// parseWhen reads a date or instant: 2006-01-02 or RFC 3339.
func parseWhen(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("cannot read %.40q as a date (want YYYY-MM-DD or RFC 3339)", s)
}

// ParseCaptured reads a -captured flag value; day reports a date without time.
func ParseCaptured(s string) (t time.Time, day bool, err error) {
	t, err = parseWhen(s)
	return t, err == nil && len(strings.TrimSpace(s)) == 10, err
}

func (g *Ingester) expandWARC(ctx context.Context, path, abs string, emit func(job) bool) bool {
	f, err := os.Open(path)
	if err != nil {
		return emit(job{in: path, err: fmt.Errorf("ingest: %s: %w", path, err)})
	}
	defer f.Close()
	r, err := warc.NewReader(f, g.cfg.MaxBytes)
	if err != nil {
		return emit(job{in: path, err: fmt.Errorf("ingest: %s: %w", path, err)})
	}
	for ctx.Err() == nil {
		rec, err := r.Next()
		if err == io.EOF {
			return true
		}
		if ce := (*warc.CorruptError)(nil); errors.As(err, &ce) {
			// One bad record: report it, read on from the next one.
			if !emit(job{in: fmt.Sprintf("%s (byte %d)", path, ce.Offset), err: fmt.Errorf("ingest: %s: %w", path, err)}) {
				return false
			}
			continue
		}
		if err != nil {
			return emit(job{in: path, err: fmt.Errorf("ingest: %s: %w", path, err)})
		}
		if rec.Type != "response" && rec.Type != "resource" {
			continue
		}
		in := path + " " + rec.TargetURI
		if rec.Err != nil {
			if !emit(job{in: in, err: rec.Err}) {
				return false
			}
			continue
		}
		p := &news.Page{Key: abs + "#" + rec.ID, Origin: path, File: filepath.Base(path), URL: rec.TargetURI, Captured: rec.Date}
		if rec.Type == "resource" {
			p.Body, p.Format = rec.Block, formatOf(rec.Header.Get("Content-Type"))
		} else {
			resp, err := rec.HTTP(g.cfg.MaxBytes)
			if err != nil {
				if !emit(job{in: in, err: err}) {
					return false
				}
				continue
			}
			if resp.Status < 200 || resp.Status > 299 {
				continue // redirects and errors are not pages
			}
			mt, _, _ := mime.ParseMediaType(resp.ContentType)
			if mt != "" && mt != "text/html" && mt != "application/xhtml+xml" && mt != "text/plain" {
				continue // images, scripts, styles
			}
			p.Body, p.Format = resp.Body, formatOf(resp.ContentType)
		}
		if !emit(job{in: in, page: p}) {
			return false
		}
	}
	return false
}

// expandURL fetches a URL given on the command line: a feed becomes its
// items, a page becomes a job.
func (g *Ingester) expandURL(ctx context.Context, u string, emit func(job) bool) bool {
	req := fetch.Request{URL: u}
	st, err := g.st.FeedState(ctx, u)
	if err == nil {
		req.ETag, req.LastModified = st.ETag, st.LastModified
	} else if !errors.Is(err, store.ErrNotFound) {
		return emit(job{in: u, err: err})
	}
	resp, err := g.fc.Get(ctx, req)
	if err != nil {
		return emit(job{in: u, err: err})
	}
	if resp.NotModified {
		return true // a feed that has not changed since the last run
	}
	isFeed := feed.Is(resp.Body)
	if g.cfg.Capture != nil {
		key := u // the page's key; a feed document belongs to no article
		if isFeed {
			key = ""
		}
		if err := g.cfg.Capture(ctx, resp, key); err != nil {
			return emit(job{in: u, err: fmt.Errorf("archive %s: %w", resp.URL, err)})
		}
	}
	if isFeed {
		items := 0
		counted := func(j job) bool {
			items++
			return emit(j)
		}
		if !g.expandFeed(ctx, u, resp.Body, resp.URL, counted) {
			return false
		}
		// The validators travel behind the items: the writer saves them
		// once every item is stored (see job.feed).
		fs := &store.FeedState{URL: u, ETag: resp.ETag, LastModified: resp.LastModified}
		return emit(job{in: u, feed: fs, feedItems: items})
	}
	return emit(job{in: u, page: &news.Page{Key: u, Origin: u, URL: resp.URL, Captured: resp.Fetched,
		Format: formatOf(resp.ContentType), Body: resp.Body}})
}

func (g *Ingester) expandFeed(ctx context.Context, in string, body []byte, base string, emit func(job) bool) bool {
	f, err := feed.Parse(body, base)
	if err != nil {
		return emit(job{in: in, err: fmt.Errorf("ingest: %s: %w", in, err)})
	}
	// Items whose page is stored already (by the item's link, or by its
	// GUID when that is the page's address) are not fetched again.
	var refs []string
	for _, it := range f.Items {
		if it.Link != "" {
			refs = append(refs, it.Link)
		}
		if it.GUID != "" {
			refs = append(refs, it.GUID)
		}
	}
	known, err := g.st.KnownPages(ctx, refs)
	if err != nil {
		return emit(job{in: in, err: fmt.Errorf("ingest: %s: %w", in, err)})
	}
	for _, it := range f.Items {
		if ctx.Err() != nil {
			return false
		}
		if known[it.Link] || (it.GUID != "" && known[it.GUID]) {
			continue
		}
		if it.Link == "" {
			if !emit(job{in: in, err: fmt.Errorf("ingest: %s: item %.80q has no link", in, it.Title)}) {
				return false
			}
			continue
		}
		if !emit(job{in: it.Link, url: it.Link, hint: news.Hint{Title: it.Title, Published: it.Published, Byline: it.Author}}) {
			return false
		}
	}
	return true
}
