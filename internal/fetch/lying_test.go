package fetch

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode"
)

// raw is what the lying server sends in place of a page: easy to spot in
// an error message or a log.
var raw = strings.Repeat("RAWPAGEBYTES\x00\x01\xff", 400)

// lyingServer answers with responses whose headers do not match their
// bodies, written straight to the connection.
func lyingServer(t *testing.T) *httptest.Server {
	mux := http.NewServeMux()
	hijack := func(w http.ResponseWriter, write func(*bufio.ReadWriter)) {
		conn, rw, err := w.(http.Hijacker).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		defer conn.Close()
		write(rw)
		rw.Flush()
	}
	// A body shorter than its Content-Length: the server stops early.
	mux.HandleFunc("/short", func(w http.ResponseWriter, r *http.Request) {
		hijack(w, func(rw *bufio.ReadWriter) {
			fmt.Fprintf(rw, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n%s", 10*len(raw), raw)
		})
	})
	// The same, gzipped.
	mux.HandleFunc("/short-gzip", func(w http.ResponseWriter, r *http.Request) {
		z := gz([]byte(raw))
		hijack(w, func(rw *bufio.ReadWriter) {
			fmt.Fprintf(rw, "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: %d\r\n\r\n", 2*len(z))
			rw.Write(z)
		})
	})
	// A body longer than its Content-Length: the rest would be read as the
	// next response on a reused connection.
	mux.HandleFunc("/long", func(w http.ResponseWriter, r *http.Request) {
		hijack(w, func(rw *bufio.ReadWriter) {
			fmt.Fprintf(rw, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 12\r\n\r\n<p>page</p>\n%s", raw)
		})
	})
	// Not HTTP at all after the status line.
	mux.HandleFunc("/garbage", func(w http.ResponseWriter, r *http.Request) {
		hijack(w, func(rw *bufio.ReadWriter) { fmt.Fprintf(rw, "HTTP/1.1 200 OK\r\n%s\r\n\r\n", raw) })
	})
	mux.HandleFunc("/garbage-status", func(w http.ResponseWriter, r *http.Request) {
		hijack(w, func(rw *bufio.ReadWriter) { fmt.Fprintf(rw, "%s\r\n\r\n", raw) })
	})
	mux.HandleFunc("/ok", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("<p>fine</p>")) })
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func gz(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

// TestLyingContentLength: a short body is an error naming the URL and is
// never returned; no error and no log line carries the page's bytes.
func TestLyingContentLength(t *testing.T) {
	srv := lyingServer(t)
	var logged bytes.Buffer
	log.SetOutput(&logged)
	defer log.SetOutput(log.Writer())
	c := New(testConfig())
	ctx := context.Background()
	for _, path := range []string{"/short", "/short-gzip", "/garbage", "/garbage-status"} {
		u := srv.URL + path
		resp, err := c.Get(ctx, Request{URL: u})
		if err == nil {
			t.Errorf("%s: no error, body %d bytes", path, len(resp.Body))
			continue
		}
		msg := err.Error()
		t.Logf("%s: %s", path, msg)
		if !strings.Contains(msg, u) {
			t.Errorf("%s: error does not name the URL: %s", path, msg)
		}
		if strings.HasPrefix(path, "/short") && !errors.Is(err, ErrShortBody) {
			t.Errorf("%s: error is not ErrShortBody: %v", path, err)
		}
		if strings.Count(msg, "RAWPAGEBYTES") > 1 || len(msg) > len(u)+maxErrorText+100 || strings.IndexFunc(msg, unicode.IsControl) >= 0 {
			t.Errorf("%s: error carries the page's bytes (%d bytes): %.200q", path, len(msg), msg)
		}
	}
	// A body longer than its Content-Length, then more requests to the
	// same server: the rest is never read as a response nor logged.
	for i := 0; i < 3; i++ {
		if _, err := c.Get(ctx, Request{URL: srv.URL + "/long"}); err != nil {
			t.Errorf("/long: %v", err)
		}
		if resp, err := c.Get(ctx, Request{URL: srv.URL + "/ok"}); err != nil || string(resp.Body) != "<p>fine</p>" {
			t.Errorf("/ok after /long: %v", err)
		}
	}
	if strings.Contains(logged.String(), "RAWPAGEBYTES") {
		t.Errorf("the page's bytes were logged: %.200q", logged.String())
	}
}

func TestPrintable(t *testing.T) {
	for _, tt := range []struct {
		in   string
		n    int
		want string
	}{
		{"plain text", 100, "plain text"},
		{"a\x00b\nc\xffd", 100, "a?b?c?d"},
		{"ümlaut \uFFFD kept", 100, "ümlaut \uFFFD kept"},
		{strings.Repeat("x", 20), 10, strings.Repeat("x", 10) + "…"},
	} {
		if got := printable(tt.in, tt.n); got != tt.want {
			t.Errorf("printable(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
