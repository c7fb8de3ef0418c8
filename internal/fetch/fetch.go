// Package fetch gets pages and feeds over HTTP politely and safely: a
// timeout on the whole exchange, a cap on the body (after decompression, so
// a gzip bomb stops at the cap), a redirect limit, a User-Agent, conditional
// requests, and refusal of loopback, private and link-local addresses unless
// allowed. The address check runs on the resolved address at dial time, so a
// name that resolves to a private address is refused too.
package fetch

import (
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"
	"unicode"
	"unicode/utf8"
)

// Errors a fetch can fail with; each is wrapped with the URL.
var (
	ErrPrivateAddress  = errors.New("address is loopback, private or link-local (refused; allow with -allow-private)")
	ErrTooLarge        = errors.New("body exceeds the size limit")
	ErrTooManyRedirect = errors.New("too many redirects")
	ErrScheme          = errors.New("only http and https URLs can be fetched")
	ErrStatus          = errors.New("unexpected HTTP status")
	// ErrShortBody is a body that ended before the length its
	// Content-Length announced: a truncated page, never stored.
	ErrShortBody = errors.New("body shorter than its Content-Length")
)

// Config tunes a Client.
type Config struct {
	// Timeout bounds a whole request, body included.
	Timeout time.Duration
	// MaxBytes caps a body after decompression.
	MaxBytes     int64
	MaxRedirects int
	UserAgent    string
	// AllowPrivate permits loopback, private and link-local addresses.
	AllowPrivate bool
}

// DefaultConfig returns the settings dossier uses unless told otherwise.
func DefaultConfig() Config {
	return Config{
		Timeout:      30 * time.Second,
		MaxBytes:     32 << 20,
		MaxRedirects: 5,
		UserAgent:    "dossier/0.1 (+https://github.com/dossier; news story tracker)",
	}
}

// Client fetches URLs. It is safe for concurrent use.
type Client struct {
	cfg Config
	hc  *http.Client
}

// New builds a Client.
func New(cfg Config) *Client {
	d := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	if !cfg.AllowPrivate {
		d.Control = func(network, address string, _ syscall.RawConn) error {
			host, _, err := net.SplitHostPort(address)
			if err != nil {
				return err
			}
			if ip, err := netip.ParseAddr(host); err == nil && blocked(ip) {
				return fmt.Errorf("%s: %w", host, ErrPrivateAddress)
			}
			return nil
		}
	}
	tr := &http.Transport{
		Proxy:                 nil,
		DialContext:           d.DialContext,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: cfg.Timeout,
		DisableCompression:    true, // decompressed here, under the size cap
		// One connection per request: a server whose body runs past its
		// Content-Length would otherwise have the rest read as the next
		// response on a reused connection, and Go's transport logs such
		// bytes raw ("Unsolicited response received on idle HTTP channel").
		DisableKeepAlives: true,
	}
	hc := &http.Client{
		Transport: tr,
		Timeout:   cfg.Timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > cfg.MaxRedirects {
				return fmt.Errorf("%w (more than %d)", ErrTooManyRedirect, cfg.MaxRedirects)
			}
			if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
				return ErrScheme
			}
			return nil
		},
	}
	return &Client{cfg: cfg, hc: hc}
}

// Blocked reports whether ip is loopback, private, link-local or otherwise
// reserved: an address dossier does not send requests to unless allowed
// (fetches, and the webhooks of package notify).
func Blocked(ip netip.Addr) bool { return blocked(ip) }

// blocked reports whether ip may not be fetched from.
func blocked(ip netip.Addr) bool {
	ip = ip.Unmap()
	if ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() || ip.IsUnspecified() {
		return true
	}
	for _, p := range reserved {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

var reserved = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"), // carrier-grade NAT
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("240.0.0.0/4"),
	netip.MustParsePrefix("64:ff9b::/96"), // NAT64 can reach IPv4 private space
}

// Request is a URL to get, with the validators of an earlier response.
type Request struct {
	URL          string
	ETag         string
	LastModified string
	// Accept overrides the Accept header.
	Accept string
}

// Response is a fetched body.
type Response struct {
	// URL is the final URL, after redirects.
	URL          string
	Status       int
	ContentType  string
	Body         []byte
	ETag         string
	LastModified string
	// NotModified is set on 304: Body is empty.
	NotModified bool
	Fetched     time.Time
	// Header is the response's header and RequestHeader the request's
	// (for an archive of the exchange, and for Cache-Control and Expires).
	Header, RequestHeader http.Header
	// Proto is the response's protocol ("HTTP/1.1") and StatusText its
	// status line ("200 OK").
	Proto, StatusText string
}

// StatusError is a response with an unexpected status. It wraps ErrStatus
// and keeps the response's header (Retry-After).
type StatusError struct {
	Code   int
	Status string
	Header http.Header
}

func (e *StatusError) Error() string { return fmt.Sprintf("%v %s", ErrStatus, e.Status) }
func (e *StatusError) Unwrap() error { return ErrStatus }

// Get fetches req.URL.
func (c *Client) Get(ctx context.Context, req Request) (*Response, error) {
	resp, err := c.get(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", printable(req.URL, 2000), clean(err))
	}
	return resp, nil
}

// maxErrorText is the longest error text passed on from the HTTP stack.
const maxErrorText = 300

// cleanError is an error whose text is cut short and stripped of control
// characters, keeping what it wraps for errors.Is and errors.As.
type cleanError struct {
	msg string
	err error
}

func (e *cleanError) Error() string { return e.msg }
func (e *cleanError) Unwrap() error { return e.err }

// clean returns err with a text of at most maxErrorText printable
// characters and without what it quotes: errors of the HTTP stack quote
// what the server sent ("malformed HTTP response \"…\""), and a page's
// bytes have no place in an error message.
func clean(err error) error {
	msg := err.Error()
	p := msg
	if k := strings.IndexAny(p, "\"`"); k >= 0 {
		p = strings.TrimRight(p[:k], " :") + " (what the server sent is not shown)"
	}
	p = printable(p, maxErrorText)
	if p == msg {
		return err
	}
	return &cleanError{msg: p, err: err}
}

// printable returns s with control characters and invalid UTF-8 replaced
// by "?" and cut to at most n bytes, marked with "…".
func printable(s string, n int) string {
	var b strings.Builder
	for i, r := range s {
		if b.Len() >= n {
			b.WriteString("…")
			break
		}
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD"):
			b.WriteByte('?')
		case unicode.IsControl(r):
			b.WriteByte('?')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func (c *Client) get(ctx context.Context, req Request) (*Response, error) {
	u, err := url.Parse(req.URL)
	if err != nil {
		return nil, err
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, ErrScheme
	}
	if ip, err := netip.ParseAddr(strings.Trim(u.Hostname(), "[]")); err == nil && !c.cfg.AllowPrivate && blocked(ip) {
		return nil, ErrPrivateAddress
	}
	hr, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	hr.Header.Set("User-Agent", c.cfg.UserAgent)
	hr.Header.Set("Accept-Encoding", "gzip")
	accept := req.Accept
	if accept == "" {
		accept = "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/feed+json,application/json;q=0.9,text/plain;q=0.8,*/*;q=0.5"
	}
	hr.Header.Set("Accept", accept)
	if req.ETag != "" {
		hr.Header.Set("If-None-Match", req.ETag)
	}
	if req.LastModified != "" {
		hr.Header.Set("If-Modified-Since", req.LastModified)
	}
	resp, err := c.hc.Do(hr)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // the URL is added by the caller
		}
		return nil, err
	}
	defer resp.Body.Close()
	out := &Response{
		URL:          resp.Request.URL.String(),
		Status:       resp.StatusCode,
		ContentType:  resp.Header.Get("Content-Type"),
		ETag:         resp.Header.Get("ETag"),
		LastModified: resp.Header.Get("Last-Modified"),
		Fetched:      time.Now().UTC(),
		Header:       resp.Header,
		// The request as sent last (after redirects).
		RequestHeader: resp.Request.Header,
		Proto:         resp.Proto,
		StatusText:    resp.Status,
	}
	if resp.StatusCode == http.StatusNotModified {
		out.NotModified = true
		return out, nil
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, &StatusError{Code: resp.StatusCode, Status: resp.Status, Header: resp.Header}
	}
	if resp.ContentLength > c.cfg.MaxBytes {
		return nil, fmt.Errorf("%w: Content-Length %d > %d", ErrTooLarge, resp.ContentLength, c.cfg.MaxBytes)
	}
	var body io.Reader = resp.Body
	if strings.EqualFold(resp.Header.Get("Content-Encoding"), "gzip") {
		zr, err := gzip.NewReader(resp.Body)
		if err != nil {
			return nil, fmt.Errorf("gzip: %w", err)
		}
		defer zr.Close()
		body = zr
	}
	out.Body, err = ReadAtMost(body, c.cfg.MaxBytes)
	if errors.Is(err, io.ErrUnexpectedEOF) && resp.ContentLength > 0 {
		return nil, fmt.Errorf("%w: the connection closed before the %d bytes announced", ErrShortBody, resp.ContentLength)
	}
	if err != nil {
		return nil, err
	}
	if resp.ContentLength >= 0 && body == resp.Body && int64(len(out.Body)) != resp.ContentLength {
		return nil, fmt.Errorf("%w: %d of %d bytes", ErrShortBody, len(out.Body), resp.ContentLength)
	}
	return out, nil
}

// ReadAtMost reads r to its end, failing with ErrTooLarge past max bytes.
func ReadAtMost(r io.Reader, max int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("%w of %d bytes", ErrTooLarge, max)
	}
	return b, nil
}
