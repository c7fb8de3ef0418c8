// Package archive keeps the evidence: every response the watcher fetches
// is appended to a WARC 1.1 file (ISO 28500) in the archive directory, as a
// request record and a response record, each its own gzip member, so that
// any record can be read alone from its offset. Files rotate at a size;
// a file is never rewritten, and nothing is deleted unless Prune is asked.
//
// The response record holds the body as dossier read it: a gzip content
// coding is undone (and the Content-Encoding header dropped, its value kept
// in X-Dossier-Content-Encoding) so that the record's payload is the page
// whose hash the store keeps. Package warc reads what this writes.
package archive

import (
	"bytes"
	"compress/gzip"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"dossier/internal/warc"
)

// Config tunes a Writer.
type Config struct {
	// Dir holds the WARC files (DATA/warc).
	Dir string
	// MaxFileSize is the size at which a file is closed and the next begun
	// (default 1 GiB).
	MaxFileSize int64
	// Software names the writer in each file's warcinfo record.
	Software string
}

// Exchange is one HTTP request and the response it got.
type Exchange struct {
	URL            string
	Method         string
	RequestHeader  http.Header
	Proto          string // "HTTP/1.1"
	Status         string // "200 OK"
	ResponseHeader http.Header
	Body           []byte
	// Captured is when the response was received: the records' WARC-Date.
	Captured time.Time
}

// Location is where a response record is: a file of the archive directory
// and the record's byte range in it.
type Location struct {
	File           string
	Offset, Length int64
	// Digest is the WARC-Payload-Digest of the record.
	Digest string
}

// Writer appends exchanges to the archive. It is safe for concurrent use.
type Writer struct {
	cfg  Config
	mu   sync.Mutex
	f    *os.File
	name string
	size int64
	seq  int
}

// Open returns a Writer of dir, creating it. Each process writes files of
// its own (a file a crashed process left is never appended to).
func Open(cfg Config) (*Writer, error) {
	if cfg.MaxFileSize <= 0 {
		cfg.MaxFileSize = 1 << 30
	}
	if cfg.Software == "" {
		cfg.Software = "dossier"
	}
	if err := os.MkdirAll(cfg.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("archive: %w", err)
	}
	return &Writer{cfg: cfg}, nil
}

// Close closes the current file.
func (w *Writer) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.closeFile()
}

func (w *Writer) closeFile() error {
	if w.f == nil {
		return nil
	}
	err := w.f.Sync()
	if cerr := w.f.Close(); err == nil {
		err = cerr
	}
	w.f = nil
	return err
}

// Write appends an exchange: a request record and the response record,
// whose Location it returns.
func (w *Writer) Write(ex Exchange) (Location, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f == nil || w.size >= w.cfg.MaxFileSize {
		if err := w.rotate(ex.Captured); err != nil {
			return Location{}, err
		}
	}
	respID, reqID := newID(), newID()
	respBlock := responseBlock(ex)
	digest := "sha256:" + b32(ex.Body)
	respHead := []string{
		"WARC-Type: response",
		"WARC-Record-ID: " + respID,
		"WARC-Date: " + warcDate(ex.Captured),
		"WARC-Target-URI: " + ex.URL,
		"WARC-Block-Digest: sha256:" + b32(respBlock),
		"WARC-Payload-Digest: " + digest,
		"Content-Type: application/http;msgtype=response",
	}
	reqBlock := requestBlock(ex)
	reqHead := []string{
		"WARC-Type: request",
		"WARC-Record-ID: " + reqID,
		"WARC-Date: " + warcDate(ex.Captured),
		"WARC-Target-URI: " + ex.URL,
		"WARC-Concurrent-To: " + respID,
		"WARC-Block-Digest: sha256:" + b32(reqBlock),
		"Content-Type: application/http;msgtype=request",
	}
	loc := Location{File: w.name, Offset: w.size, Digest: digest}
	n, err := w.append(respHead, respBlock)
	if err != nil {
		return Location{}, err
	}
	loc.Length = n
	if _, err := w.append(reqHead, reqBlock); err != nil {
		return Location{}, err
	}
	return loc, nil
}

func (w *Writer) rotate(at time.Time) error {
	if err := w.closeFile(); err != nil {
		return fmt.Errorf("archive: %w", err)
	}
	w.seq++
	var suffix [3]byte
	rand.Read(suffix[:])
	name := fmt.Sprintf("dossier-%s-%05d-%s.warc.gz", at.UTC().Format("20060102T150405Z"), w.seq, hex.EncodeToString(suffix[:]))
	f, err := os.OpenFile(filepath.Join(w.cfg.Dir, name), os.O_CREATE|os.O_EXCL|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return fmt.Errorf("archive: %w", err)
	}
	w.f, w.name, w.size = f, name, 0
	info := []byte("software: " + w.cfg.Software + "\r\nformat: WARC File Format 1.1\r\nconformsTo: http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n")
	_, err = w.append([]string{
		"WARC-Type: warcinfo",
		"WARC-Record-ID: " + newID(),
		"WARC-Date: " + warcDate(at),
		"WARC-Filename: " + name,
		"Content-Type: application/warc-fields",
	}, info)
	return err
}

// append writes one record as a gzip member and returns its length.
func (w *Writer) append(head []string, block []byte) (int64, error) {
	var rec bytes.Buffer
	rec.WriteString("WARC/1.1\r\n")
	for _, h := range head {
		rec.WriteString(h + "\r\n")
	}
	fmt.Fprintf(&rec, "Content-Length: %d\r\n\r\n", len(block))
	rec.Write(block)
	rec.WriteString("\r\n\r\n")
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(rec.Bytes())
	if err := zw.Close(); err != nil {
		return 0, fmt.Errorf("archive: %w", err)
	}
	n, err := w.f.Write(gz.Bytes())
	w.size += int64(n)
	if err != nil {
		return 0, fmt.Errorf("archive: %s: %w", w.name, err)
	}
	return int64(n), nil
}

// hopHeaders are not kept in a response record: the body is stored
// decoded and whole.
var hopHeaders = []string{"Content-Encoding", "Content-Length", "Transfer-Encoding", "Connection"}

func responseBlock(ex Exchange) []byte {
	var b bytes.Buffer
	proto := ex.Proto
	if proto == "" {
		proto = "HTTP/1.1"
	}
	status := ex.Status
	if status == "" {
		status = "200 OK"
	}
	b.WriteString(proto + " " + status + "\r\n")
	h := ex.ResponseHeader.Clone()
	if h == nil {
		h = http.Header{}
	}
	if ce := h.Get("Content-Encoding"); ce != "" {
		h.Set("X-Dossier-Content-Encoding", ce)
	}
	for _, k := range hopHeaders {
		h.Del(k)
	}
	h.Set("Content-Length", fmt.Sprint(len(ex.Body)))
	h.Write(&b)
	b.WriteString("\r\n")
	b.Write(ex.Body)
	return b.Bytes()
}

func requestBlock(ex Exchange) []byte {
	var b bytes.Buffer
	method := ex.Method
	if method == "" {
		method = http.MethodGet
	}
	target, host := ex.URL, ""
	if u, err := url.Parse(ex.URL); err == nil {
		target, host = u.RequestURI(), u.Host
	}
	b.WriteString(method + " " + target + " HTTP/1.1\r\nHost: " + host + "\r\n")
	ex.RequestHeader.Write(&b)
	b.WriteString("\r\n")
	return b.Bytes()
}

func warcDate(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000Z") }

func b32(b []byte) string {
	sum := sha256.Sum256(b)
	return base32.StdEncoding.EncodeToString(sum[:])
}

func newID() string {
	var u [16]byte
	rand.Read(u[:])
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	h := hex.EncodeToString(u[:])
	return "<urn:uuid:" + h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:] + ">"
}

// ErrGone is returned for a record whose file is no longer in the archive.
var ErrGone = errors.New("archive: the file holding this capture was deleted")

// Read returns the record at loc in dir.
func Read(dir string, loc Location, max int64) (*warc.Record, error) {
	name := filepath.Base(loc.File)
	if name != loc.File || !strings.HasSuffix(name, ".warc.gz") {
		return nil, fmt.Errorf("archive: bad file name %.100q", loc.File)
	}
	f, err := os.Open(filepath.Join(dir, name))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("archive: %s: %w", name, ErrGone)
	}
	if err != nil {
		return nil, fmt.Errorf("archive: %w", err)
	}
	defer f.Close()
	r, err := warc.NewReader(io.NewSectionReader(f, loc.Offset, loc.Length), max)
	if err != nil {
		return nil, fmt.Errorf("archive: %s@%d: %w", name, loc.Offset, err)
	}
	rec, err := r.Next()
	if err != nil {
		return nil, fmt.Errorf("archive: %s@%d: %w", name, loc.Offset, err)
	}
	return rec, nil
}

// CopyRecord copies the compressed record at loc, as stored, to out (a
// story's archive is the concatenation of its records).
func CopyRecord(out io.Writer, dir string, loc Location) error {
	name := filepath.Base(loc.File)
	if name != loc.File || !strings.HasSuffix(name, ".warc.gz") {
		return fmt.Errorf("archive: bad file name %.100q", loc.File)
	}
	f, err := os.Open(filepath.Join(dir, name))
	if errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("archive: %s: %w", name, ErrGone)
	}
	if err != nil {
		return fmt.Errorf("archive: %w", err)
	}
	defer f.Close()
	if _, err := io.Copy(out, io.NewSectionReader(f, loc.Offset, loc.Length)); err != nil {
		return fmt.Errorf("archive: %s: %w", name, err)
	}
	return nil
}

// Prune deletes the archive's files last written before cutoff, except the
// one being written; it returns the names deleted. Nothing calls it unless
// a retention is configured.
func (w *Writer) Prune(cutoff time.Time) ([]string, error) {
	w.mu.Lock()
	current := w.name
	w.mu.Unlock()
	ents, err := os.ReadDir(w.cfg.Dir)
	if err != nil {
		return nil, fmt.Errorf("archive: prune: %w", err)
	}
	var gone []string
	for _, e := range ents {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".warc.gz") || e.Name() == current {
			continue
		}
		fi, err := e.Info()
		if err != nil || !fi.ModTime().Before(cutoff) {
			continue
		}
		if err := os.Remove(filepath.Join(w.cfg.Dir, e.Name())); err != nil {
			return gone, fmt.Errorf("archive: prune: %w", err)
		}
		gone = append(gone, e.Name())
	}
	sort.Strings(gone)
	return gone, nil
}
