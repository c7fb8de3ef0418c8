// Package feed reads RSS, Atom and JSON Feed documents (through gofeed) into
// the list of items whose pages dossier should fetch.
package feed

import (
	"bytes"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
)

// Item is one entry of a feed.
type Item struct {
	Title string
	Link  string
	// GUID is the item's id (RSS guid, Atom id, JSON Feed id), or "".
	GUID      string
	Published time.Time
	Author    string
	// Content is the item's own content (content:encoded, atom:content),
	// used when its page cannot be fetched.
	Content string
}

// Feed is a parsed feed.
type Feed struct {
	Title string
	Items []Item
}

// Is reports whether body looks like a feed rather than a page.
func Is(body []byte) bool {
	head := bytes.TrimSpace(bytes.TrimPrefix(body[:min(len(body), 2048)], []byte("\xef\xbb\xbf")))
	low := bytes.ToLower(head)
	if bytes.HasPrefix(low, []byte("{")) {
		return bytes.Contains(low, []byte("jsonfeed.org/version"))
	}
	if bytes.HasPrefix(low, []byte("<?xml")) || bytes.HasPrefix(low, []byte("<!--")) {
		return bytes.Contains(low, []byte("<rss")) || bytes.Contains(low, []byte("<feed")) || bytes.Contains(low, []byte("<rdf:rdf"))
	}
	return bytes.HasPrefix(low, []byte("<rss")) || bytes.HasPrefix(low, []byte("<feed")) || bytes.HasPrefix(low, []byte("<rdf:rdf"))
}

// Parse reads a feed. Relative item links are resolved against base.
func Parse(body []byte, base string) (*Feed, error) {
	f, err := gofeed.NewParser().Parse(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("feed: %w", err)
	}
	bu, _ := url.Parse(base)
	out := &Feed{Title: strings.TrimSpace(f.Title)}
	for _, it := range f.Items {
		if it == nil {
			continue
		}
		item := Item{Title: strings.TrimSpace(it.Title), Link: strings.TrimSpace(it.Link), GUID: strings.TrimSpace(it.GUID), Content: it.Content}
		if item.Content == "" {
			item.Content = it.Description
		}
		if it.PublishedParsed != nil {
			item.Published = it.PublishedParsed.UTC()
		} else if it.UpdatedParsed != nil {
			item.Published = it.UpdatedParsed.UTC()
		}
		if len(it.Authors) > 0 && it.Authors[0] != nil {
			item.Author = it.Authors[0].Name
		}
		if item.Link != "" && bu != nil {
			item.Link = resolveLink(bu, item.Link)
		}
		if item.Link == "" && absoluteHTTP(item.GUID) {
			item.Link = item.GUID // a permalink guid stands for a missing or unreadable link
		}
		out.Items = append(out.Items, item)
	}
	return out, nil
}

// absoluteHTTP reports whether s is an absolute http or https address.
func absoluteHTTP(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// resolveLink resolves an item's link against the feed's address. A stray
// "%" (not followed by two hex digits, which Go's parser refuses and
// browsers keep as it is) is escaped; a link that still cannot be read is
// dropped rather than passed on relative.
func resolveLink(bu *url.URL, link string) string {
	// Tabs and line breaks inside a link are dropped, as browsers drop them.
	link = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(link)
	lu, err := bu.Parse(link)
	if err != nil {
		lu, err = bu.Parse(escapeStrayPercent(link))
	}
	if err != nil {
		return ""
	}
	return lu.String()
}

func escapeStrayPercent(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && !(i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2])) {
			b.WriteString("%25")
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
