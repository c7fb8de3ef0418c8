package fetch

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"
)

func testConfig() Config {
	c := DefaultConfig()
	c.AllowPrivate = true // the test server is on loopback
	c.Timeout = 2 * time.Second
	c.MaxBytes = 1 << 20
	return c
}

func TestGet(t *testing.T) {
	bomb := func() []byte { // 512 MiB of zeros, about 500 KB compressed
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		zero := make([]byte, 1<<20)
		for i := 0; i < 512; i++ {
			zw.Write(zero)
		}
		zw.Close()
		return buf.Bytes()
	}()
	mux := http.NewServeMux()
	mux.HandleFunc("/page", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("User-Agent") == "" || !strings.HasPrefix(r.Header.Get("User-Agent"), "dossier/") {
			http.Error(w, "no UA", 400)
			return
		}
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte("<html><body><p>hello</p></body></html>"))
	})
	mux.HandleFunc("/gzip", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		zw.Write([]byte("compressed page"))
		zw.Close()
	})
	mux.HandleFunc("/bomb", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(bomb)
	})
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		w.Write(make([]byte, 2<<20))
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop", http.StatusFound)
	})
	mux.HandleFunc("/hang", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(200)
		w.Write([]byte("<rss>"))
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	})
	mux.HandleFunc("/missing", http.NotFound)
	srv := httptest.NewServer(mux)
	defer srv.Close()

	c := New(testConfig())
	ctx := context.Background()
	tests := []struct {
		path    string
		etag    string
		want    string
		wantErr error
		notMod  bool
	}{
		{path: "/page", want: "<html><body><p>hello</p></body></html>"},
		{path: "/page", etag: `"v1"`, notMod: true},
		{path: "/gzip", want: "compressed page"},
		{path: "/bomb", wantErr: ErrTooLarge},
		{path: "/big", wantErr: ErrTooLarge},
		{path: "/loop", wantErr: ErrTooManyRedirect},
		{path: "/missing", wantErr: ErrStatus},
		{path: "/hang", wantErr: context.DeadlineExceeded},
	}
	for _, tt := range tests {
		start := time.Now()
		resp, err := c.Get(ctx, Request{URL: srv.URL + tt.path, ETag: tt.etag})
		if tt.wantErr != nil {
			if err == nil {
				t.Errorf("%s: no error, want %v", tt.path, tt.wantErr)
			} else if !errors.Is(err, tt.wantErr) && !(tt.path == "/hang" && strings.Contains(err.Error(), "Timeout")) {
				t.Errorf("%s: err = %v, want %v", tt.path, err, tt.wantErr)
			} else if !strings.Contains(err.Error(), srv.URL+tt.path) {
				t.Errorf("%s: error %q does not name the URL", tt.path, err)
			}
			if time.Since(start) > 5*time.Second {
				t.Errorf("%s: took %v", tt.path, time.Since(start))
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tt.path, err)
			continue
		}
		if resp.NotModified != tt.notMod || string(resp.Body) != tt.want {
			t.Errorf("%s: got notModified=%v body=%q", tt.path, resp.NotModified, resp.Body)
		}
	}
}

func TestRefusesPrivateAddresses(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("secret")) }))
	defer srv.Close()
	cfg := testConfig()
	cfg.AllowPrivate = false
	c := New(cfg)
	for _, u := range []string{
		srv.URL, // 127.0.0.1, a literal
		"http://169.254.169.254/latest/meta-data/", // cloud metadata
		"http://[::1]:9/",
		"http://10.1.2.3/",
		"http://localhost:" + srv.URL[strings.LastIndex(srv.URL, ":")+1:] + "/", // a name resolving to loopback
	} {
		_, err := c.Get(context.Background(), Request{URL: u})
		if !errors.Is(err, ErrPrivateAddress) {
			t.Errorf("Get(%s): err = %v, want ErrPrivateAddress", u, err)
		}
	}
	if _, err := c.Get(context.Background(), Request{URL: "file:///etc/passwd"}); !errors.Is(err, ErrScheme) {
		t.Errorf("file URL: err = %v, want ErrScheme", err)
	}
}

func TestBlocked(t *testing.T) {
	for _, tt := range []struct {
		ip   string
		want bool
	}{
		{"127.0.0.1", true}, {"10.0.0.1", true}, {"172.16.5.4", true}, {"192.168.1.1", true},
		{"169.254.169.254", true}, {"100.64.0.1", true}, {"0.0.0.0", true}, {"::1", true},
		{"fe80::1", true}, {"fc00::1", true}, {"::ffff:127.0.0.1", true},
		{"93.184.216.34", false}, {"2606:2800:220:1::1", false},
	} {
		if got := blocked(netip.MustParseAddr(tt.ip)); got != tt.want {
			t.Errorf("blocked(%s) = %v, want %v", tt.ip, got, tt.want)
		}
	}
}
