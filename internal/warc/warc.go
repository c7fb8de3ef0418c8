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

// CorruptError reports a record that could not be read: a gzip member that
// does not decompress, a header that is not a WARC header, a bad
// Content-Length. The reader skips to the next record (the next gzip member
// of a compressed file, the next WARC version line of a plain one), so
// reading can go on after it.
type CorruptError struct {
	// Record is the number of the record (1 for the first).
	Record int
	// Offset is where the bad record starts in the file: the byte offset
	// of its gzip member in a compressed file, of its version line in a
	// plain one.
	Offset int64
	Err    error
}

func (e *CorruptError) Error() string {
	return fmt.Sprintf("warc: record %d at byte %d: %v (skipped)", e.Record, e.Offset, e.Err)
}

func (e *CorruptError) Unwrap() error { return e.Err }

// Record is one WARC record.
type Record struct {
	Header    textproto.MIMEHeader
	Type      string // warcinfo, response, request, resource, metadata, …
	ID        string
	TargetURI string
	Date      time.Time
	Block     []byte
	// Offset is where the record starts in the file (see CorruptError).
	Offset int64
	// Err is set when the record was read but its block was not (too large).
	Err error
}

// Reader reads records one at a time.
type Reader struct {
	br  *bufio.Reader // the decompressed stream
	src *source       // the file, counted
	gz  *members      // nil for a plain file
	max int64
	n   int  // records read, for error messages
	bad bool // after a corrupt record: look for the next version line
}

// Limits of one record's header: a version line, then header lines.
const (
	maxVersionLine = 64
	maxHeader      = 1 << 20
)

// NewReader returns a reader of r, which may be gzipped (one member per
// record, or one for the whole file). Blocks larger than max bytes are
// skipped with ErrTooLarge.
func NewReader(r io.Reader, max int64) (*Reader, error) {
	cnt := &counter{r: r}
	src := &source{br: bufio.NewReaderSize(cnt, 64<<10), cnt: cnt}
	if sk, ok := r.(io.Seeker); ok {
		if base, err := sk.Seek(0, io.SeekCurrent); err == nil {
			src.seek, src.base = sk, base
		}
	}
	rd := &Reader{src: src, max: max}
	magic, _ := src.br.Peek(2)
	if len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		rd.gz = &members{src: src}
		rd.br = bufio.NewReaderSize(rd.gz, 64<<10)
	} else {
		rd.br = src.br
	}
	return rd, nil
}

// offset is where the next unread byte of the decompressed stream comes
// from: the start of the current gzip member, or the position in a plain file.
func (r *Reader) offset() int64 {
	if r.gz != nil {
		return r.gz.memberAt(r.gz.out - int64(r.br.Buffered()))
	}
	return r.src.pos()
}

// Next returns the next record, or io.EOF after the last one. An error
// that is a *CorruptError reports a record skipped: call Next again for
// the ones after it. Other errors end the file (it is truncated or cannot
// be read).
func (r *Reader) Next() (*Record, error) {
	rec, err := r.next()
	var ce *CorruptError
	if errors.As(err, &ce) {
		// Skip to the next record: in a compressed file, the next gzip
		// member (and the version line it starts with); in a plain one, the
		// next version line.
		r.bad = true
		if r.gz != nil && r.gz.err != nil {
			r.gz.resync()
			r.br.Reset(r.gz)
		}
	}
	return rec, err
}

func (r *Reader) next() (*Record, error) {
	var at int64
	for {
		at = r.offset()
		line, err := r.line(maxVersionLine)
		if err == io.EOF && strings.TrimSpace(line) == "" {
			return nil, io.EOF
		}
		if err != nil && err != io.EOF {
			return nil, r.fail(r.n+1, at, err)
		}
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "WARC/") {
			break
		}
		if t != "" && !r.bad {
			r.n++
			return nil, &CorruptError{Record: r.n, Offset: at, Err: fmt.Errorf("expected a WARC version line, got %.40q", t)}
		}
		if err == io.EOF {
			return nil, io.EOF
		}
	}
	r.bad = false
	r.n++
	head, err := r.header()
	if errors.Is(err, errLongHeader) {
		return nil, &CorruptError{Record: r.n, Offset: at, Err: err}
	}
	if err != nil {
		return nil, r.fail(r.n, at, err)
	}
	h, err := textproto.NewReader(bufio.NewReader(bytes.NewReader(head))).ReadMIMEHeader()
	if err != nil {
		return nil, &CorruptError{Record: r.n, Offset: at, Err: fmt.Errorf("header: %w", err)}
	}
	rec := &Record{
		Header:    h,
		Type:      h.Get("WARC-Type"),
		ID:        h.Get("WARC-Record-ID"),
		TargetURI: strings.Trim(h.Get("WARC-Target-URI"), "<>"),
		Offset:    at,
	}
	if d := h.Get("WARC-Date"); d != "" {
		rec.Date, _ = time.Parse(time.RFC3339Nano, d)
	}
	n, err := strconv.ParseInt(h.Get("Content-Length"), 10, 64)
	if err != nil || n < 0 {
		return nil, &CorruptError{Record: r.n, Offset: at, Err: fmt.Errorf("bad Content-Length %.40q", h.Get("Content-Length"))}
	}
	if n > r.max {
		if _, err := io.CopyN(io.Discard, r.br, n); err != nil {
			return nil, r.fail(r.n, at, err)
		}
		rec.Err = fmt.Errorf("%w: %d bytes", ErrTooLarge, n)
		return rec, nil
	}
	rec.Block = make([]byte, n)
	if _, err := io.ReadFull(r.br, rec.Block); err != nil {
		return nil, r.fail(r.n, at, fmt.Errorf("block truncated: %w", err))
	}
	if r.gz != nil {
		// Read on to the end of the record's gzip member, whose checksum
		// says whether the block came out right.
		if _, err := r.br.Peek(len("\r\n\r\n") + 1); err != nil {
			var mc *memberCorrupt
			if errors.As(err, &mc) && mc.start == at {
				return nil, r.fail(r.n, at, err)
			}
		}
	}
	return rec, nil
}

// fail turns a read error into the error Next returns: a corrupt gzip
// member is a record skipped; anything else ends the file.
func (r *Reader) fail(record int, at int64, err error) error {
	var mc *memberCorrupt
	if errors.As(err, &mc) {
		return &CorruptError{Record: record, Offset: mc.start, Err: mc.err}
	}
	return fmt.Errorf("warc: record %d at byte %d: %w", record, at, err)
}

// line reads one line and returns at most its first n bytes: a line longer
// than that is read to its end without being kept.
func (r *Reader) line(n int) (string, error) {
	var b []byte
	for {
		chunk, err := r.br.ReadSlice('\n')
		if len(b) < n {
			b = append(b, chunk[:min(len(chunk), n-len(b))]...)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		return string(b), err
	}
}

var errLongHeader = fmt.Errorf("header longer than %d bytes", maxHeader)

// header reads header lines up to the blank line that ends them, at most
// maxHeader bytes.
func (r *Reader) header() ([]byte, error) {
	var b []byte
	for {
		chunk, err := r.br.ReadSlice('\n')
		b = append(b, chunk...)
		if len(b) > maxHeader {
			return nil, errLongHeader
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return nil, fmt.Errorf("header: %w", err)
		}
		if l := len(chunk); l <= 2 && strings.TrimRight(string(chunk), "\r\n") == "" && (len(b) == l || b[len(b)-l-1] == '\n') {
			return b, nil
		}
	}
}

// counter counts the bytes read from the file.
type counter struct {
	r io.Reader
	n int64
}

func (c *counter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// source is the file being read. It knows the offset of the next byte and
// can take back a few, so that a gzip member found by its magic bytes is
// read from its start. It is an io.ByteReader, so gzip reads exactly one
// member from it and no further.
type source struct {
	br   *bufio.Reader
	cnt  *counter
	back []byte
	// seek, when the file can seek, goes back to a corrupt member's start
	// to look for the next one; base is where the archive starts in it.
	seek io.Seeker
	base int64
}

// rewind makes off the offset of the next byte read, if the file can seek.
func (s *source) rewind(off int64) {
	if s.seek == nil || off >= s.pos() {
		return
	}
	if _, err := s.seek.Seek(s.base+off, io.SeekStart); err != nil {
		return
	}
	s.cnt.n, s.back = off, nil
	s.br.Reset(s.cnt)
}

func (s *source) Read(p []byte) (int, error) {
	if len(s.back) > 0 {
		n := copy(p, s.back)
		s.back = s.back[n:]
		return n, nil
	}
	return s.br.Read(p)
}

func (s *source) ReadByte() (byte, error) {
	if len(s.back) > 0 {
		b := s.back[0]
		s.back = s.back[1:]
		return b, nil
	}
	return s.br.ReadByte()
}

// pos is the offset in the file of the next byte read.
func (s *source) pos() int64 { return s.cnt.n - int64(s.br.Buffered()) - int64(len(s.back)) }

// members reads the gzip members of a file one after another as one
// stream. A member that does not decompress is reported as a
// *memberCorrupt error with its offset; resync then finds the next member.
type members struct {
	src   *source
	zr    *gzip.Reader
	start int64 // offset of the current member
	done  bool
	err   error // the current member's error, until resync
	out   int64 // bytes decompressed so far
	// bounds are where the latest members start, in the decompressed
	// stream and in the file.
	bounds []boundary
}

type boundary struct{ out, at int64 }

// memberAt returns the file offset of the member that byte pos of the
// decompressed stream came from, forgetting the members before it.
func (m *members) memberAt(pos int64) int64 {
	if pos == m.out && m.zr == nil && m.err == nil {
		return m.src.pos() // all read: the next byte comes from the next member
	}
	k := 0
	for k+1 < len(m.bounds) && m.bounds[k+1].out <= pos {
		k++
	}
	m.bounds = m.bounds[k:]
	if len(m.bounds) == 0 {
		return m.start
	}
	return m.bounds[0].at
}

type memberCorrupt struct {
	start int64
	err   error
}

func (e *memberCorrupt) Error() string {
	return fmt.Sprintf("gzip member at byte %d: %v", e.start, e.err)
}

func (e *memberCorrupt) Unwrap() error { return e.err }

func (m *members) Read(p []byte) (int, error) {
	for {
		if m.err != nil {
			return 0, m.err
		}
		if m.done {
			return 0, io.EOF
		}
		if m.zr == nil {
			if !m.open() {
				continue
			}
		}
		n, err := m.zr.Read(p)
		m.out += int64(n)
		switch {
		case err == io.EOF:
			m.zr.Close()
			m.zr = nil // the next member, if any, at the next call
			if n > 0 {
				return n, nil
			}
		case err != nil:
			m.err = &memberCorrupt{start: m.start, err: err}
			return n, m.err
		default:
			return n, nil
		}
	}
}

// open starts the member at the current position; it reports false when
// there is none (done) or it is corrupt (err).
func (m *members) open() bool {
	m.start = m.src.pos()
	var err error
	m.zr, err = gzip.NewReader(m.src)
	if err == io.EOF {
		m.done = true
		return false
	}
	if err != nil {
		m.zr = nil
		m.err = &memberCorrupt{start: m.start, err: err}
		return false
	}
	m.zr.Multistream(false)
	m.bounds = append(m.bounds, boundary{out: m.out, at: m.start})
	return true
}

// resync skips to the next gzip member after a corrupt one: the next
// place in the file where the gzip magic bytes and the deflate method
// stand.
func (m *members) resync() {
	// A member cut short reads on into the next one: look from just
	// after the bad member's start, not from where reading stopped.
	m.src.rewind(m.start + 1)
	m.err, m.zr = nil, nil
	var last [2]byte
	seen := 0
	for {
		b, err := m.src.ReadByte()
		if err != nil {
			m.done = true
			return
		}
		if seen >= 2 && last[0] == 0x1f && last[1] == 0x8b && b == 8 {
			m.src.back = append(m.src.back[:0], 0x1f, 0x8b, 8)
			return
		}
		last[0], last[1] = last[1], b
		seen++
	}
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
