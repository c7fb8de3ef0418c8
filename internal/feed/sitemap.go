package feed

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"
)

// Sitemap is a parsed sitemap (urlset) or sitemap index.
type Sitemap struct {
	// Index says the entries are sitemaps, not pages.
	Index   bool
	Entries []SitemapEntry
}

// SitemapEntry is one <url> of a sitemap or one <sitemap> of an index.
type SitemapEntry struct {
	Loc     string
	LastMod time.Time
	// Title, Published and Language are a news sitemap's <news:news>.
	Title     string
	Published time.Time
	Language  string
}

// MaxSitemapEntries is the most entries read from one sitemap (the
// protocol's own limit).
const MaxSitemapEntries = 50000

// IsSitemap reports whether body looks like a sitemap or sitemap index.
func IsSitemap(body []byte) bool {
	head := bytes.ToLower(body[:min(len(body), 4096)])
	return bytes.Contains(head, []byte("<urlset")) || bytes.Contains(head, []byte("<sitemapindex"))
}

// ParseSitemap reads a sitemap or a sitemap index, with the <news:news>
// fields of a news sitemap. Relative locations are resolved against base;
// entries without a location, or not http(s), are left out.
func ParseSitemap(body []byte, base string) (*Sitemap, error) {
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = false
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	bu, _ := url.Parse(base)
	out := &Sitemap{}
	root := ""
	var cur *SitemapEntry
	var path []string
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if root == "" {
				return nil, fmt.Errorf("sitemap: %w", err)
			}
			break // keep what was read before the damage
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := strings.ToLower(t.Name.Local)
			if root == "" {
				if name != "urlset" && name != "sitemapindex" {
					return nil, fmt.Errorf("sitemap: root element is <%s>, not <urlset> or <sitemapindex>", t.Name.Local)
				}
				root = name
				out.Index = name == "sitemapindex"
				continue
			}
			path = append(path, name)
			if len(path) == 1 && (name == "url" || name == "sitemap") {
				cur = &SitemapEntry{}
			}
		case xml.EndElement:
			if len(path) == 0 {
				continue
			}
			if len(path) == 1 && cur != nil {
				if loc := resolve(bu, cur.Loc); loc != "" && len(out.Entries) < MaxSitemapEntries {
					cur.Loc = loc
					out.Entries = append(out.Entries, *cur)
				}
				cur = nil
			}
			path = path[:len(path)-1]
		case xml.CharData:
			if cur == nil || len(path) < 2 {
				continue
			}
			text := strings.TrimSpace(string(t))
			if text == "" {
				continue
			}
			switch leaf := path[len(path)-1]; {
			case len(path) == 2 && leaf == "loc":
				cur.Loc += text
			case len(path) == 2 && leaf == "lastmod":
				cur.LastMod = parseW3C(text)
			case leaf == "publication_date" && path[1] == "news":
				cur.Published = parseW3C(text)
			case leaf == "title" && path[1] == "news":
				cur.Title += text
			case leaf == "language" && path[1] == "news":
				cur.Language = text
			}
		}
	}
	if root == "" {
		return nil, errors.New("sitemap: no <urlset> or <sitemapindex>")
	}
	return out, nil
}

func resolve(bu *url.URL, loc string) string {
	loc = strings.TrimSpace(loc)
	if loc == "" {
		return ""
	}
	u, err := url.Parse(loc)
	if err != nil {
		return ""
	}
	if bu != nil {
		u = bu.ResolveReference(u)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return u.String()
}

// parseW3C reads a W3C datetime (the sitemap protocol's dates); zero when
// it cannot.
func parseW3C(s string) time.Time {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04Z07:00", "2006-01-02T15:04:05", "2006-01-02", "2006-01", "2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}
