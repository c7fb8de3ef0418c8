// Package warc reads WARC 1.0/1.1 files (ISO 28500), plain or gzipped with
// one gzip member per record (or one for the whole file), and decodes the
// HTTP responses they hold. The Go module proxy here refuses every published
// WARC module, and the part dossier needs is small.
package warc

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/textproto"
	"strconv"
	"strings"
	"time"
)

// ErrTooLarge marks a record whose block exceeds the reader's limit; the
// record is skipped and reading goes on.
var ErrTooLarge = errors.New("warc: record exceeds the size limit")

// Record is one WARC record.
type Record struct {
	Header    textproto.MIMEHeader
	Type      string // warcinfo, response, request, resource, metadata, …
	ID        string
	TargetURI string
	Date      time.Time
	Block     []byte
	// Err is set when the record was read but its block was not (too large).
	Err error
}

// Reader reads records one at a time.
type Reader struct {
	br  *bufio.Reader
	max int64
	n   int // records read, for error messages
}

// NewReader returns a reader of r, which may be gzipped. Blocks larger than
// max bytes are skipped with ErrTooLarge.
func NewReader(r io.Reader, max int64) (*Reader, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	magic, _ := br.Peek(2)
	if len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br) // multistream: reads member after member
		if err != nil {
			return nil, fmt.Errorf("warc: %w", err)
		}
		br = bufio.NewReaderSize(zr, 64<<10)
	}
	return &Reader{br: br, max: max}, nil
}

// Next returns the next record, or io.EOF after the last one. Other errors
// mean the file is malformed from here on.
func (r *Reader) Next() (*Record, error) {
	// Skip blank lines between records.
	var version string
	for {
		line, err := r.br.ReadString('\n')
		if err == io.EOF && strings.TrimSpace(line) == "" {
			return nil, io.EOF
		}
		if err != nil && err != io.EOF {
			return nil, fmt.Errorf("warc: record %d: %w", r.n+1, err)
		}
		if t := strings.TrimSpace(line); t != "" {
			version = t
			break
		}
		if err == io.EOF {
			return nil, io.EOF
		}
	}
	r.n++
	if !strings.HasPrefix(version, "WARC/") {
		return nil, fmt.Errorf("warc: record %d: expected a WARC version line, got %.40q", r.n, version)
	}
	h, err := textproto.NewReader(r.br).ReadMIMEHeader()
	if err != nil {
		return nil, fmt.Errorf("warc: record %d: header: %w", r.n, err)
	}
	rec := &Record{
		Header:    h,
		Type:      h.Get("WARC-Type"),
		ID:        h.Get("WARC-Record-ID"),
		TargetURI: strings.Trim(h.Get("WARC-Target-URI"), "<>"),
	}
	if d := h.Get("WARC-Date"); d != "" {
		rec.Date, _ = time.Parse(time.RFC3339Nano, d)
	}
	n, err := strconv.ParseInt(h.Get("Content-Length"), 10, 64)
	if err != nil || n < 0 {
		return nil, fmt.Errorf("warc: record %d: bad Content-Length %q", r.n, h.Get("Content-Length"))
	}
	if n > r.max {
		if _, err := io.CopyN(io.Discard, r.br, n); err != nil {
			return nil, fmt.Errorf("warc: record %d: %w", r.n, err)
		}
		rec.Err = fmt.Errorf("%w: %d bytes", ErrTooLarge, n)
		return rec, nil
	}
	rec.Block = make([]byte, n)
	if _, err := io.ReadFull(r.br, rec.Block); err != nil {
		return nil, fmt.Errorf("warc: record %d: block truncated: %w", r.n, err)
	}
	return rec, nil
}

// Response is the HTTP response held by a response record.
type Response struct {
	Status      int
	ContentType string
	Body        []byte
}

// HTTP decodes the record's block as an HTTP response: chunked transfer
// coding and gzip content coding are undone, the body capped at max bytes.
func (rec *Record) HTTP(max int64) (*Response, error) {
	resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(rec.Block)), nil)
	if err != nil {
		return nil, fmt.Errorf("warc: %s: http: %w", rec.TargetURI, err)
	}
	defer resp.Body.Close()
	var body io.Reader = resp.Body
	if strings.EqualFold(resp.Header.Get("Content-Encoding"), "gzip") {
		zr, err := gzip.NewReader(resp.Body)
		if err != nil {
			return nil, fmt.Errorf("warc: %s: gzip: %w", rec.TargetURI, err)
		}
		body = zr
	}
	b, err := io.ReadAll(io.LimitReader(body, max+1))
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, fmt.Errorf("warc: %s: body: %w", rec.TargetURI, err)
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("warc: %s: %w", rec.TargetURI, ErrTooLarge)
	}
	return &Response{Status: resp.StatusCode, ContentType: resp.Header.Get("Content-Type"), Body: b}, nil
}

// WriteRecord appends one record to w, as its own gzip member when gz is set.
// dossier uses it to build test archives; it writes what Next reads.
func WriteRecord(w io.Writer, typ, id, uri string, date time.Time, contentType string, block []byte, gz bool) error {
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "WARC/1.1\r\nWARC-Type: %s\r\nWARC-Record-ID: %s\r\n", typ, id)
	if uri != "" {
		fmt.Fprintf(&buf, "WARC-Target-URI: %s\r\n", uri)
	}
	fmt.Fprintf(&buf, "WARC-Date: %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n", date.UTC().Format(time.RFC3339), contentType, len(block))
	buf.Write(block)
	buf.WriteString("\r\n\r\n")
	if !gz {
		_, err := w.Write(buf.Bytes())
		return err
	}
	zw := gzip.NewWriter(w)
	if _, err := zw.Write(buf.Bytes()); err != nil {
		return err
	}
	return zw.Close()
}
