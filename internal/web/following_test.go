package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"dossier/internal/archive"
	"dossier/internal/news"
	"dossier/internal/store"
)

func followForm(t *testing.T, h http.Handler) *http.Cookie {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/following", nil))
	for _, c := range rec.Result().Cookies() {
		if c.Name == followCSRF && c.HttpOnly && c.SameSite == http.SameSiteStrictMode {
			if !strings.Contains(rec.Body.String(), `name="csrf" value="`+c.Value+`"`) {
				t.Fatal("the Following forms do not carry the CSRF token")
			}
			return c
		}
	}
	t.Fatal("the Following page sets no strict, HttpOnly CSRF cookie")
	return nil
}

func postFollowing(h http.Handler, form url.Values, c *http.Cookie) *httptest.ResponseRecorder {
	req := httptest.NewRequest("POST", "/following", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if c != nil {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestFollowingPage(t *testing.T) {
	svc := emptyService(t)
	h := New(svc, Options{Token: "s3cret"})
	if code, body, _ := get(t, h, "/following"); code != 200 || !strings.Contains(body, "No sources followed yet") {
		t.Fatalf("empty page: %d", code)
	}
	c := followForm(t, h)
	follow := url.Values{"csrf": {c.Value}, "token": {"s3cret"}, "action": {"follow"}, "url": {"https://wire.example/rss"}, "kind": {"feed"}}
	for _, tt := range []struct {
		name string
		form url.Values
		c    *http.Cookie
		code int
	}{
		{"no CSRF cookie", follow, nil, 403},
		{"wrong token", url.Values{"csrf": {c.Value}, "token": {"guess"}, "action": {"follow"}, "url": {"https://wire.example/rss"}}, c, 401},
		{"not a web address", url.Values{"csrf": {c.Value}, "token": {"s3cret"}, "action": {"follow"}, "url": {"file:///etc/passwd"}}, c, 400},
		{"nothing ticked", url.Values{"csrf": {c.Value}, "token": {"s3cret"}, "action": {"unfollow"}}, c, 400},
	} {
		if rec := postFollowing(h, tt.form, tt.c); rec.Code != tt.code {
			t.Errorf("%s: %d, want %d", tt.name, rec.Code, tt.code)
		}
	}
	rec := postFollowing(h, follow, c)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "Following https://wire.example/rss") || !strings.Contains(rec.Body.String(), `value="1" id="unf-1"`) {
		t.Fatalf("follow: %d\n%s", rec.Code, rec.Body.String())
	}
	// OPML: download, and import from a file upload.
	code, body, _ := get(t, h, "/following.opml")
	if code != 200 || !strings.Contains(body, `xmlUrl="https://wire.example/rss"`) {
		t.Errorf("OPML download: %d %s", code, body)
	}
	var mb bytes.Buffer
	mw := multipart.NewWriter(&mb)
	mw.WriteField("csrf", c.Value)
	mw.WriteField("token", "s3cret")
	mw.WriteField("action", "import")
	fw, _ := mw.CreateFormFile("opml", "subs.opml")
	fw.Write([]byte(`<opml version="2.0"><body><outline text="Gov" type="link" url="https://gov.example/news"/></body></opml>`))
	mw.Close()
	req := httptest.NewRequest("POST", "/following", &mb)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.AddCookie(c)
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "1 new source(s)") {
		t.Fatalf("import: %d\n%s", rec.Code, rec.Body.String())
	}
	rec = postFollowing(h, url.Values{"csrf": {c.Value}, "token": {"s3cret"}, "action": {"unfollow"}, "id": {"1", "2"}}, c)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "No longer following https://wire.example/rss, https://gov.example/news") {
		t.Fatalf("unfollow: %d\n%s", rec.Code, rec.Body.String())
	}
	if subs, _ := svc.Following(context.Background()); len(subs) != 0 {
		t.Errorf("still following %+v", subs)
	}
}

func TestArticlePageShowsVersionsAndCaptures(t *testing.T) {
	svc := emptyService(t)
	h := New(svc, Options{})
	ctx := context.Background()
	arch, err := archive.Open(archive.Config{Dir: svc.ArchiveDir()})
	if err != nil {
		t.Fatal(err)
	}
	const u = "https://news.example/floods"
	at := time.Date(2025, 7, 8, 9, 0, 0, 0, time.UTC)
	for i, n := range []string{"300", "600"} {
		body := "<html><body><article><h1>Floods in the north</h1><p>Officials said " + n + " people were killed in the floods in the northern province on Monday, as rescue teams reached the villages.</p><p>Aid agencies appealed for clean water and shelter.</p><script>alert(1)</script></article></body></html>"
		when := at.Add(time.Duration(i) * 5 * time.Hour)
		loc, err := arch.Write(archive.Exchange{URL: u, Captured: when, ResponseHeader: http.Header{"Content-Type": {"text/html"}}, Body: []byte(body)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.IngestWatched(ctx, news.Page{Key: u, Origin: u, URL: u, Captured: when, Format: news.FormatHTML, Body: []byte(body)}); err != nil {
			t.Fatal(err)
		}
		if err := svc.SaveCapture(ctx, store.Capture{URL: u, PageKey: u, BodyHash: sha(body), File: loc.File, Offset: loc.Offset, Length: loc.Length, Captured: when, Status: 200}); err != nil {
			t.Fatal(err)
		}
	}
	code, body, _ := get(t, h, "/articles/1")
	if code != 200 || !strings.Contains(body, "killed people: 300 people → 600 people") || !strings.Contains(body, `href="/articles/1/capture?n=0"`) {
		t.Fatalf("article page: %d\n%s", code, body)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/articles/1/capture?n=0", nil))
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "300 people") || !strings.HasPrefix(rec.Header().Get("Content-Security-Policy"), "sandbox") {
		t.Errorf("capture: %d %v", rec.Code, rec.Header())
	}
	if code, _, _ := get(t, h, "/articles/1/capture?n=9"); code != 404 {
		t.Errorf("a capture that does not exist: %d", code)
	}
}

func sha(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}
