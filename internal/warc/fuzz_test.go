package warc

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"time"
)

// FuzzReader reads arbitrary bytes as a WARC file: the reader must not
// panic, must end, and must keep every block within its limit.
func FuzzReader(f *testing.F) {
	date := time.Date(2025, 2, 14, 9, 0, 0, 0, time.UTC)
	for _, gz := range []bool{false, true} {
		var b bytes.Buffer
		WriteRecord(&b, "warcinfo", "<urn:uuid:0>", "", date, "application/warc-fields", []byte("software: test\r\n"), gz)
		WriteRecord(&b, "response", "<urn:uuid:1>", "https://example.org/a", date, "application/http; msgtype=response", httpBlock("<p>page</p>", false), gz)
		WriteRecord(&b, "resource", "<urn:uuid:2>", "https://example.org/b", date, "text/plain", []byte("text"), gz)
		f.Add(b.Bytes())
		c := bytes.Clone(b.Bytes())
		c[len(c)/2] ^= 0xff
		f.Add(c)
	}
	f.Add([]byte("WARC/1.0\r\nContent-Length: 99\r\n\r\nshort"))
	f.Add([]byte("\x1f\x8b\x08garbage\x1f\x8b\x08"))
	const limit = 1 << 16
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := NewReader(bytes.NewReader(data), limit)
		if err != nil {
			return
		}
		// Each call reads at least a byte or ends: the records and errors
		// of a file cannot outnumber its bytes (plus the decompressed ones,
		// which the gzip format bounds at about a thousand times).
		for i := 0; ; i++ {
			if i > 1030*len(data)+10 {
				t.Fatalf("no end after %d calls on %d bytes", i, len(data))
			}
			rec, err := r.Next()
			if err == io.EOF {
				return
			}
			var ce *CorruptError
			if errors.As(err, &ce) {
				if ce.Offset < 0 || ce.Offset > int64(len(data)) {
					t.Fatalf("corrupt record at offset %d of %d bytes", ce.Offset, len(data))
				}
				continue
			}
			if err != nil {
				return
			}
			if len(rec.Block) > limit {
				t.Fatalf("block of %d bytes, limit %d", len(rec.Block), limit)
			}
			if resp, err := rec.HTTP(limit); err == nil && len(resp.Body) > limit {
				t.Fatalf("HTTP body of %d bytes, limit %d", len(resp.Body), limit)
			}
		}
	})
}
