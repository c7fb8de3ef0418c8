package web

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/url"
	"strings"
	"time"

	"dossier/internal/news"
)

// pastedPage makes a page of a pasted body: HTML when it looks like
// markup, text otherwise. Its key is the address given, else the hash of
// the body, so pasting it twice stores it once.
func pastedPage(body, addr string, now time.Time) (news.Page, error) {
	p := news.Page{Origin: "web form", Captured: now.UTC(), Body: []byte(body), Format: news.FormatText}
	if addr != "" {
		u, err := url.Parse(addr)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return p, errors.New("the page's address is not a web address (http or https)")
		}
		p.URL = u.String()
		p.Key = p.URL
	} else {
		sum := sha256.Sum256([]byte(body))
		p.Key = "paste:" + hex.EncodeToString(sum[:])
	}
	t := strings.ToLower(strings.TrimSpace(body))
	if strings.HasPrefix(t, "<!doctype html") || strings.HasPrefix(t, "<html") || strings.Contains(t, "<body") || strings.Contains(t, "<p>") {
		p.Format = news.FormatHTML
	}
	return p, nil
}
