package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"dossier/internal/pipeline"
)

func emptyService(t *testing.T) *pipeline.Service {
	t.Helper()
	svc, err := pipeline.Open(context.Background(), pipeline.Config{DataDir: filepath.Join(t.TempDir(), "data")}, "test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Close() })
	return svc
}

const pastedText = "Harbour works begin in Tema\nWork on the new container harbour in Tema began on Monday after years of delays, the port authority said in a statement on Tuesday. About 1,200 workers will be employed on the site, officials said.\n"

// addForm fetches the Add page and returns its CSRF cookie and token.
func addForm(t *testing.T, h http.Handler) (*http.Cookie, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/add", nil))
	var c *http.Cookie
	for _, ck := range rec.Result().Cookies() {
		if ck.Name == csrfCookie {
			c = ck
		}
	}
	if c == nil || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode {
		t.Fatalf("Add page sets no strict, HttpOnly CSRF cookie: %+v", c)
	}
	if !strings.Contains(rec.Body.String(), `name="csrf" value="`+c.Value+`"`) {
		t.Fatal("Add form does not carry the CSRF token")
	}
	return c, c.Value
}

func post(h http.Handler, form url.Values, cookies []*http.Cookie, origin string) *httptest.ResponseRecorder {
	req := httptest.NewRequest("POST", "/add", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	for _, c := range cookies {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// otherFirst returns tok with its first character changed (a random token
// may already start with any given letter).
func otherFirst(tok string) string {
	if tok[0] == 'x' {
		return "y" + tok[1:]
	}
	return "x" + tok[1:]
}

func TestAdd(t *testing.T) {
	svc := emptyService(t)
	h := New(svc, Options{Token: "s3cret", Now: func() time.Time { return time.Date(2025, 3, 4, 0, 0, 0, 0, time.UTC) }})
	c, tok := addForm(t, h)
	good := url.Values{"csrf": {tok}, "token": {"s3cret"}, "page": {pastedText}, "remember": {"1"}}
	with := func(k, v string) url.Values {
		f := url.Values{}
		for kk, vv := range good {
			f[kk] = vv
		}
		f.Set(k, v)
		return f
	}
	for _, tt := range []struct {
		name    string
		form    url.Values
		cookies []*http.Cookie
		origin  string
		code    int
	}{
		{"no CSRF cookie", good, nil, "", http.StatusForbidden},
		{"CSRF mismatch", with("csrf", otherFirst(tok)), []*http.Cookie{c}, "", http.StatusForbidden},
		{"cross-site origin", good, []*http.Cookie{c}, "https://evil.example", http.StatusForbidden},
		{"wrong token", with("token", "guess"), []*http.Cookie{c}, "", http.StatusUnauthorized},
		{"no token", with("token", ""), []*http.Cookie{c}, "", http.StatusUnauthorized},
		{"a file, not a web address", with("urls", "/etc/passwd"), []*http.Cookie{c}, "http://example.com", http.StatusBadRequest},
	} {
		if rec := post(h, tt.form, tt.cookies, tt.origin); rec.Code != tt.code {
			t.Errorf("%s: %d, want %d\n%s", tt.name, rec.Code, tt.code, rec.Body.String())
		}
	}
	if st, _ := svc.Stats(context.Background()); st.Articles != 0 {
		t.Fatalf("refused posts stored %d articles", st.Articles)
	}
	rec := post(h, good, []*http.Cookie{c}, "http://example.com")
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "1 new article") {
		t.Fatalf("add: %d\n%s", rec.Code, rec.Body.String())
	}
	var auth *http.Cookie
	for _, ck := range rec.Result().Cookies() {
		if ck.Name == authCookie {
			auth = ck
		}
	}
	if auth == nil || strings.Contains(auth.Value, "s3cret") || !auth.HttpOnly || auth.SameSite != http.SameSiteStrictMode {
		t.Fatalf("remember cookie: %+v", auth)
	}
	// Remembered: no token typed; the same page again is a page already stored.
	rec = post(h, with("token", ""), []*http.Cookie{c, auth}, "")
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "0 new articles") {
		t.Fatalf("add with the remembered token: %d\n%s", rec.Code, rec.Body.String())
	}
	if st, _ := svc.Stats(context.Background()); st.Articles != 1 {
		t.Fatalf("stored %d articles, want 1", st.Articles)
	}
	// The new article's story is on the list.
	if code, body, _ := get(t, h, "/"); code != 200 || !strings.Contains(body, "Harbour works begin") {
		t.Errorf("the added article's story is not listed: %d", code)
	}
	// A server without a token takes no writes.
	h2 := New(svc, Options{})
	c2, tok2 := addForm(t, h2)
	if rec := post(h2, url.Values{"csrf": {tok2}, "token": {""}, "page": {pastedText}}, []*http.Cookie{c2}, ""); rec.Code != http.StatusForbidden {
		t.Errorf("tokenless server: %d, want 403", rec.Code)
	}
}

func TestCSPReport(t *testing.T) {
	h := New(emptyService(t), Options{})
	body := `{"csp-report":{"document-uri":"http://x/","violated-directive":"script-src-elem","blocked-uri":"inline"}}`
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("POST", "/csp-report", strings.NewReader(body)))
	if rec.Code != http.StatusNoContent {
		t.Fatalf("report: %d", rec.Code)
	}
	if r := h.CSPReports(); len(r) != 1 || r[0].ViolatedDirective != "script-src-elem" {
		t.Errorf("reports = %+v", r)
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("POST", "/csp-report", strings.NewReader("not json")))
	if rec.Code != http.StatusBadRequest || len(h.CSPReports()) != 1 {
		t.Errorf("bad report: %d, %d reports", rec.Code, len(h.CSPReports()))
	}
}
