package feed

import (
	"strings"
	"testing"
)

// FuzzParse reads arbitrary bytes as a feed: no panic, and every item link
// that comes out is absolute when the base is.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>T</title><item><title>A</title><link>/a</link><guid>g1</guid><pubDate>Fri, 14 Feb 2025 10:30:00 +0300</pubDate></item></channel></rss>`,
		`<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>W</title><entry><title>B</title><id>tag:x,2025:1</id><link href="https://example.org/b"/><updated>2025-04-15T08:00:00Z</updated></entry></feed>`,
		`{"version":"https://jsonfeed.org/version/1.1","title":"J","items":[{"id":"1","url":"https://example.org/j","title":"Item"}]}`,
		`<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><item><title>R</title><link>r</link></item></rdf:RDF>`,
		`<rss><channel><item><link>` + strings.Repeat("<a>", 50) + `</link></item></channel></rss>`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		Is(body)
		fd, err := Parse(body, "https://example.org/feed.xml")
		if err != nil {
			return
		}
		for _, it := range fd.Items {
			if it.Link != "" && strings.HasPrefix(it.Link, "/") && !strings.HasPrefix(it.Link, "//") {
				t.Errorf("link %q not resolved against the base", it.Link)
			}
		}
	})
}
