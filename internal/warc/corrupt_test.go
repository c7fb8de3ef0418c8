package warc

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"
)

// archive writes n response records, each its own gzip member when gz is
// set, and returns the file and where each record starts in it.
func archive(t *testing.T, n int, gz bool) ([]byte, []int64) {
	t.Helper()
	date := time.Date(2025, 2, 14, 9, 0, 0, 0, time.UTC)
	var file bytes.Buffer
	var starts []int64
	for i := range n {
		starts = append(starts, int64(file.Len()))
		body := fmt.Sprintf("<p>page %d %s</p>", i, strings.Repeat("text ", 200))
		uri := fmt.Sprintf("https://example.org/%d", i)
		if err := WriteRecord(&file, "response", fmt.Sprintf("<urn:uuid:%d>", i), uri, date, "application/http; msgtype=response", httpBlock(body, false), gz); err != nil {
			t.Fatal(err)
		}
	}
	return file.Bytes(), starts
}

// readAll reads every record, returning the target URIs read and the
// corrupt records reported.
func readAll(t *testing.T, file []byte) (uris []string, bad []*CorruptError, final error) {
	t.Helper()
	r, err := NewReader(bytes.NewReader(file), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 1000; i++ {
		rec, err := r.Next()
		if err == io.EOF {
			return uris, bad, nil
		}
		var ce *CorruptError
		if errors.As(err, &ce) {
			bad = append(bad, ce)
			continue
		}
		if err != nil {
			return uris, bad, err
		}
		resp, err := rec.HTTP(1 << 20)
		if err != nil {
			t.Fatalf("%s: %v", rec.TargetURI, err)
		}
		if !bytes.Contains(resp.Body, []byte("page")) {
			t.Fatalf("%s: body %q", rec.TargetURI, resp.Body[:min(40, len(resp.Body))])
		}
		uris = append(uris, strings.TrimPrefix(rec.TargetURI, "https://example.org/"))
	}
	t.Fatal("no end after 1000 records")
	return
}

// TestCorruptMember damages one gzip member of an archive in different
// ways: the records after it are all read, and the bad one is reported
// with the offset of its member.
func TestCorruptMember(t *testing.T) {
	for _, tt := range []struct {
		name   string
		damage func(file []byte, start, end int64) []byte
	}{
		{"deflate data", func(f []byte, s, e int64) []byte { flip(f, s+20, s+40); return f }},
		{"checksum", func(f []byte, s, e int64) []byte { flip(f, e-8, e-4); return f }},
		{"length", func(f []byte, s, e int64) []byte { flip(f, e-2, e); return f }},
		{"header magic", func(f []byte, s, e int64) []byte { f[s] = 'X'; return f }},
		{"cut short", func(f []byte, s, e int64) []byte { return append(f[:s+(e-s)/2:s+(e-s)/2], f[e:]...) }},
		{"garbage between", func(f []byte, s, e int64) []byte {
			return append(append(f[:s:s], []byte("garbage\x00\x1f\x8b\x08 not a member")...), f[s:]...)
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			file, starts := archive(t, 6, true)
			file = tt.damage(file, starts[2], starts[3])
			uris, bad, err := readAll(t, file)
			if err != nil {
				t.Fatalf("reading stopped: %v", err)
			}
			want := "0 1 3 4 5"
			if tt.name == "garbage between" {
				want = "0 1 2 3 4 5"
			}
			if got := strings.Join(uris, " "); got != want {
				t.Errorf("records read: %q, want %q", got, want)
			}
			if len(bad) == 0 {
				t.Fatal("the bad record is not reported")
			}
			if bad[0].Offset != starts[2] {
				t.Errorf("bad record at byte %d, want %d (%v)", bad[0].Offset, starts[2], bad[0])
			}
			if !strings.Contains(bad[0].Error(), fmt.Sprintf("at byte %d", starts[2])) {
				t.Errorf("error %q does not give the offset", bad[0])
			}
		})
	}
}

// TestCorruptLast damages the last member: everything before it is read.
func TestCorruptLast(t *testing.T) {
	file, starts := archive(t, 4, true)
	flip(file, starts[3]+20, starts[3]+30)
	uris, bad, err := readAll(t, file)
	if err != nil || strings.Join(uris, " ") != "0 1 2" || len(bad) != 1 || bad[0].Offset != starts[3] {
		t.Errorf("read %q, bad %v, err %v", uris, bad, err)
	}
}

// TestCorruptPlain breaks records of an uncompressed archive: a bad
// Content-Length and a line that is no version line. The records after
// each are read.
func TestCorruptPlain(t *testing.T) {
	file, starts := archive(t, 5, false)
	s := string(file)
	s = s[:starts[1]] + strings.Replace(s[starts[1]:starts[2]], "Content-Length: ", "Content-Length: x", 1) + s[starts[2]:]
	delta := int64(1)
	s = s[:starts[3]+delta] + "garbage line\r\n" + s[starts[3]+delta:]
	uris, bad, err := readAll(t, []byte(s))
	if err != nil {
		t.Fatalf("reading stopped: %v", err)
	}
	if got := strings.Join(uris, " "); got != "0 2 3 4" {
		t.Errorf("records read: %q", got)
	}
	if len(bad) != 2 || bad[0].Offset != starts[1] || bad[1].Offset != starts[3]+delta {
		t.Errorf("bad records: %v (starts %v)", bad, starts)
	}
}

// TestRecordOffsets checks the offsets of good records, compressed and not.
func TestRecordOffsets(t *testing.T) {
	for _, gz := range []bool{false, true} {
		file, starts := archive(t, 5, gz)
		r, _ := NewReader(bytes.NewReader(file), 1<<20)
		for i := 0; ; i++ {
			rec, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			if rec.Offset != starts[i] {
				t.Errorf("gz=%v: record %d at %d, want %d", gz, i, rec.Offset, starts[i])
			}
		}
	}
}

// TestHugeLines feeds lines and headers far over the limits: memory stays
// bounded (the reader keeps no more than the limits) and reading ends.
func TestHugeLines(t *testing.T) {
	for _, in := range []string{
		strings.Repeat("x", 10<<20),
		"WARC/1.1\r\nWARC-Type: response\r\nX: " + strings.Repeat("y", 3<<20) + "\r\n\r\n",
	} {
		r, _ := NewReader(strings.NewReader(in), 1<<20)
		for i := 0; ; i++ {
			_, err := r.Next()
			if err == io.EOF || (err != nil && !errors.As(err, new(*CorruptError))) {
				break
			}
			if i > 10 {
				t.Fatal("no end")
			}
		}
	}
}

func flip(f []byte, from, to int64) {
	for i := from; i < to && i < int64(len(f)); i++ {
		f[i] ^= 0x5a
	}
}

// TestLongHeaderSkipped: a record whose header runs past the limit is
// skipped, and the record after it read.
func TestLongHeaderSkipped(t *testing.T) {
	file, _ := archive(t, 2, false)
	bad := "WARC/1.1\r\nWARC-Type: response\r\nX-Filler: " + strings.Repeat("y", maxHeader+10) + "\r\n\r\n"
	uris, bad2, err := readAll(t, append([]byte(bad), file...))
	if err != nil || strings.Join(uris, " ") != "0 1" || len(bad2) != 1 || bad2[0].Offset != 0 {
		t.Errorf("read %q, bad %v, err %v", uris, bad2, err)
	}
}
