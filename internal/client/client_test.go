package client

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// The client reads the error envelope, a Retry-After, an answer that is
// not the envelope (a proxy's page), and a 304.
func TestErrors(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if got := r.Header.Get("Authorization"); got != "Bearer tok" {
			t.Errorf("Authorization %q", got)
		}
		switch r.URL.Path {
		case "/v1/stories/s1":
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(404)
			w.Write([]byte(`{"error":{"code":"not_found","message":"no story s1"}}`))
		case "/v1/stories":
			w.Header().Set("Retry-After", "3")
			w.WriteHeader(429)
			w.Write([]byte(`{"error":{"code":"rate_limited","message":"slow down"}}`))
		case "/v1/articles/a1":
			w.WriteHeader(502)
			w.Write([]byte("Bad Gateway"))
		case "/v1/openapi.json":
			if r.Header.Get("If-None-Match") == `"x"` {
				w.WriteHeader(304)
				return
			}
			w.Header().Set("ETag", `"x"`)
			w.Write([]byte(`{}`))
		}
	}))
	defer srv.Close()
	c := New(srv.URL+"/", WithToken("tok"))
	ctx := context.Background()

	_, err := c.Story(ctx, "s1")
	var e *Error
	if !errors.As(err, &e) || e.Status != 404 || e.Code != "not_found" || e.Message != "no story s1" || Code(err) != "not_found" {
		t.Errorf("404: %#v", err)
	}
	_, err = c.Stories(ctx, StoryFilter{Lang: "ar"})
	if !errors.As(err, &e) || e.Code != "rate_limited" || e.RetryAfter != 3*time.Second {
		t.Errorf("429: %#v", err)
	}
	_, err = c.Article(ctx, "a1")
	if !errors.As(err, &e) || e.Code != "http_502" || e.Message != "Bad Gateway" {
		t.Errorf("502: %#v", err)
	}
	b, etag, err := c.Get(ctx, "/v1/openapi.json", "")
	if err != nil || etag != `"x"` || string(b) != "{}" {
		t.Errorf("get: %q %q %v", b, etag, err)
	}
	if _, _, err := c.Get(ctx, "/v1/openapi.json", etag); err != ErrNotModified {
		t.Errorf("conditional get: %v, want ErrNotModified", err)
	}
	if Code(errors.New("plain")) != "" {
		t.Error("Code of a plain error")
	}
}
