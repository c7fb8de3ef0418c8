package warc

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"
)

func httpBlock(body string, gz bool) []byte {
	var b bytes.Buffer
	if gz {
		var z bytes.Buffer
		zw := gzip.NewWriter(&z)
		zw.Write([]byte(body))
		zw.Close()
		b.WriteString("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Encoding: gzip\r\n")
		b.WriteString("Content-Length: " + strconv.Itoa(z.Len()) + "\r\n\r\n")
		b.Write(z.Bytes())
		return b.Bytes()
	}
	b.WriteString("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n")
	b.WriteString(strconv.FormatInt(int64(len(body)), 16) + "\r\n" + body + "\r\n0\r\n\r\n")
	return b.Bytes()
}

func TestReadRecords(t *testing.T) {
	date := time.Date(2025, 2, 14, 9, 0, 0, 0, time.UTC)
	for _, gz := range []bool{false, true} {
		var file bytes.Buffer
		WriteRecord(&file, "warcinfo", "<urn:uuid:0>", "", date, "application/warc-fields", []byte("software: test\r\n"), gz)
		WriteRecord(&file, "request", "<urn:uuid:1>", "https://example.org/a", date, "application/http; msgtype=request", []byte("GET /a HTTP/1.1\r\n\r\n"), gz)
		WriteRecord(&file, "response", "<urn:uuid:2>", "https://example.org/a", date, "application/http; msgtype=response", httpBlock("<p>chunked page</p>", false), gz)
		WriteRecord(&file, "response", "<urn:uuid:3>", "https://example.org/b", date, "application/http; msgtype=response", httpBlock("<p>gzipped page</p>", true), gz)
		WriteRecord(&file, "response", "<urn:uuid:4>", "https://example.org/huge", date, "application/http; msgtype=response", make([]byte, 5000), gz)
		WriteRecord(&file, "response", "<urn:uuid:5>", "https://example.org/c", date, "application/http; msgtype=response", httpBlock("<p>after the huge one</p>", false), gz)

		r, err := NewReader(&file, 4096)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for {
			rec, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("gz=%v: %v", gz, err)
			}
			if rec.Type != "response" {
				continue
			}
			if rec.Err != nil {
				if !errors.Is(rec.Err, ErrTooLarge) {
					t.Errorf("record err = %v", rec.Err)
				}
				got = append(got, "skipped "+rec.TargetURI)
				continue
			}
			if !rec.Date.Equal(date) {
				t.Errorf("date = %v", rec.Date)
			}
			resp, err := rec.HTTP(1 << 20)
			if err != nil {
				t.Fatalf("HTTP: %v", err)
			}
			got = append(got, rec.TargetURI+" "+string(resp.Body))
		}
		want := "https://example.org/a <p>chunked page</p>|https://example.org/b <p>gzipped page</p>|skipped https://example.org/huge|https://example.org/c <p>after the huge one</p>"
		if strings.Join(got, "|") != want {
			t.Errorf("gz=%v: got %q", gz, strings.Join(got, "|"))
		}
	}
}

func TestMalformed(t *testing.T) {
	for _, in := range []string{"not a warc file\r\n", "WARC/1.0\r\nContent-Length: 99\r\n\r\nshort", "WARC/1.0\r\nContent-Length: x\r\n\r\n"} {
		r, err := NewReader(strings.NewReader(in), 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := r.Next(); err == nil || err == io.EOF {
			t.Errorf("Next(%q) err = %v, want an error", in, err)
		}
	}
}
