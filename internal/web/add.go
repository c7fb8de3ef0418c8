package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"dossier/internal/ingest"
	"dossier/internal/news"
	"dossier/internal/pipeline"
)

// Writes through the UI need the write token and a CSRF token.
//
// CSRF: the Add form carries a random token that must equal the one in a
// SameSite=Strict, HttpOnly cookie (double submit), and a cross-origin
// Origin header is refused. The write token is typed into the form; with
// "remember" the browser keeps an HttpOnly, SameSite=Strict cookie holding
// an HMAC of it (never the token itself), accepted in its place.

const (
	csrfCookie = "dossier_csrf"
	authCookie = "dossier_auth"
	// maxAddBody bounds what the Add form may post (a pasted page).
	maxAddBody = 4 << 20
	maxURLs    = 100
)

type addData struct {
	CSRF                string
	Writable            bool
	Remembered          bool
	URLs, PageURL, Page string
	Error               string
	Summary             *ingest.Summary
}

// csrfToken returns the form token kept in the cookie name, scoped to the
// form's page path, making one when there is none.
func (h *Handler) csrfToken(w http.ResponseWriter, r *http.Request, name, path string) string {
	if c, err := r.Cookie(name); err == nil && len(c.Value) == 43 {
		return c.Value
	}
	var b [32]byte
	rand.Read(b[:])
	tok := base64.RawURLEncoding.EncodeToString(b[:])
	http.SetCookie(w, &http.Cookie{Name: name, Value: tok, Path: path, HttpOnly: true, Secure: h.opts.SecureCookies,
		SameSite: http.SameSiteStrictMode})
	return tok
}

// authorizeWrite checks a posted form's write token, or the remembered
// one, and remembers the token when the form asks. It returns 0 when the
// write may go on, else the status and what to tell the user.
func (h *Handler) authorizeWrite(w http.ResponseWriter, r *http.Request) (int, string) {
	token := r.PostFormValue("token")
	switch {
	case h.opts.Token == "":
		return http.StatusForbidden, "Writes are disabled: the server has no write token."
	case token != "" && subtle.ConstantTimeCompare([]byte(token), []byte(h.opts.Token)) == 1:
		if r.PostFormValue("remember") != "" {
			http.SetCookie(w, &http.Cookie{Name: authCookie, Value: h.authValue(), Path: "/", HttpOnly: true, Secure: h.opts.SecureCookies,
				SameSite: http.SameSiteStrictMode, MaxAge: 30 * 24 * 3600})
		}
		return 0, ""
	case token == "" && h.remembered(r):
		return 0, ""
	}
	return http.StatusUnauthorized, "The write token is wrong."
}

// csrfValid reports whether a posted form carries the token of the cookie
// name and comes from this site, and returns the token.
func csrfValid(r *http.Request, name string) (string, bool) {
	c, err := r.Cookie(name)
	if err != nil || !sameOrigin(r) || subtle.ConstantTimeCompare([]byte(c.Value), []byte(r.PostFormValue("csrf"))) != 1 {
		return "", false
	}
	return c.Value, true
}

// authValue is what the remember-me cookie holds: an HMAC keyed by the token.
func (h *Handler) authValue() string {
	m := hmac.New(sha256.New, []byte(h.opts.Token))
	m.Write([]byte("dossier web session v1"))
	return hex.EncodeToString(m.Sum(nil))
}

func (h *Handler) remembered(r *http.Request) bool {
	if h.opts.Token == "" {
		return false
	}
	c, err := r.Cookie(authCookie)
	return err == nil && hmac.Equal([]byte(c.Value), []byte(h.authValue()))
}

func (h *Handler) addForm(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	d := addData{CSRF: h.csrfToken(w, r, csrfCookie, "/add"), Writable: h.opts.Token != "", Remembered: h.remembered(r)}
	h.render(w, r, http.StatusOK, "add", page{Title: "Add", Nav: "add", Data: d})
}

// sameOrigin reports whether a request's Origin (when sent) is this host.
func sameOrigin(r *http.Request) bool {
	o := r.Header.Get("Origin")
	if o == "" {
		return r.Header.Get("Sec-Fetch-Site") != "cross-site"
	}
	u, err := url.Parse(o)
	return err == nil && u.Host == r.Host
}

func (h *Handler) addPost(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	r.Body = http.MaxBytesReader(w, r.Body, maxAddBody)
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, http.StatusRequestEntityTooLarge, "That is too much to add at once.")
		return
	}
	tok, ok := csrfValid(r, csrfCookie)
	if !ok {
		h.fail(w, r, http.StatusForbidden, "This form has expired or came from another site. Open the Add page again.")
		return
	}
	d := addData{CSRF: tok, Writable: h.opts.Token != "", URLs: r.PostFormValue("urls"), PageURL: strings.TrimSpace(r.PostFormValue("page_url")),
		Page: r.PostFormValue("page")}
	status := http.StatusOK
	defer func() { h.render(w, r, status, "add", page{Title: "Add", Nav: "add", Data: d}) }()
	if st, msg := h.authorizeWrite(w, r); st != 0 {
		status, d.Error = st, msg
		return
	}
	d.Remembered = h.remembered(r) || r.PostFormValue("remember") != ""
	urls, err := parseURLs(d.URLs)
	if err != nil {
		status, d.Error = http.StatusBadRequest, err.Error()
		return
	}
	var pages []news.Page
	if strings.TrimSpace(d.Page) != "" {
		p, err := pastedPage(d.Page, d.PageURL, h.opts.Now())
		if err != nil {
			status, d.Error = http.StatusBadRequest, err.Error()
			return
		}
		pages = append(pages, p)
	}
	if len(urls) == 0 && len(pages) == 0 {
		status, d.Error = http.StatusBadRequest, "Nothing to add: paste addresses of pages or feeds, or a page."
		return
	}
	total := &ingest.Summary{Languages: map[string]int{}}
	if len(urls) > 0 {
		sum, err := h.svc.Ingest(r.Context(), urls, pipeline.IngestOptions{})
		addSummary(total, sum)
		if err != nil {
			status, d.Error = http.StatusInternalServerError, "The ingest stopped: "+err.Error()
		}
	}
	if len(pages) > 0 && d.Error == "" {
		sum, err := h.svc.IngestPages(r.Context(), pages, pipeline.IngestOptions{})
		addSummary(total, sum)
		if err != nil {
			status, d.Error = http.StatusInternalServerError, "The ingest stopped: "+err.Error()
		}
	}
	d.Summary = total
	if d.Error == "" {
		d.URLs, d.Page, d.PageURL = "", "", ""
	}
}

func addSummary(into, s *ingest.Summary) {
	if s == nil {
		return
	}
	into.Pages += s.Pages
	into.Unchanged += s.Unchanged
	into.Articles += s.Articles
	into.Duplicates += s.Duplicates
	into.Failures = append(into.Failures, s.Failures...)
	for l, n := range s.Languages {
		into.Languages[l] += n
	}
}

// parseURLs reads one address per line. Only http and https addresses are
// taken: the form must not reach the server's files.
func parseURLs(s string) ([]string, error) {
	var out []string
	for _, line := range strings.Fields(s) {
		u, err := url.Parse(line)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, errors.New("not a web address (http or https): " + line)
		}
		out = append(out, u.String())
		if len(out) > maxURLs {
			return nil, errors.New("at most 100 addresses at once")
		}
	}
	return out, nil
}
