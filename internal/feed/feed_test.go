package feed

import (
	"net/url"
	"slices"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name, body string
		link       string
		title      string
		published  time.Time
	}{
		{"rss with arabic and +0300", `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>أخبار</title>
<item><title>انسحاب القوات من كورسك</title><link>/news/1</link><dc:creator>مراسل</dc:creator>
<pubDate>Fri, 14 Feb 2025 10:30:00 +0300</pubDate></item></channel></rss>`,
			"https://example.org/news/1", "انسحاب القوات من كورسك", time.Date(2025, 2, 14, 7, 30, 0, 0, time.UTC)},
		{"atom", `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Wire</title>
<entry><title>Troops withdraw</title><link href="https://example.org/a"/><updated>2025-04-15T08:00:00Z</updated></entry></feed>`,
			"https://example.org/a", "Troops withdraw", time.Date(2025, 4, 15, 8, 0, 0, 0, time.UTC)},
		{"json feed", `{"version":"https://jsonfeed.org/version/1.1","title":"J","items":[{"id":"1","url":"https://example.org/j","title":"Item","date_published":"2025-07-07T21:04:00Z"}]}`,
			"https://example.org/j", "Item", time.Date(2025, 7, 7, 21, 4, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		if !Is([]byte(tt.body)) {
			t.Errorf("%s: Is = false", tt.name)
		}
		f, err := Parse([]byte(tt.body), "https://example.org/feed.xml")
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if len(f.Items) != 1 {
			t.Errorf("%s: %d items", tt.name, len(f.Items))
			continue
		}
		it := f.Items[0]
		if it.Link != tt.link || it.Title != tt.title || !it.Published.Equal(tt.published) {
			t.Errorf("%s: item = %+v", tt.name, it)
		}
	}
}

func TestIsNotFeed(t *testing.T) {
	for _, s := range []string{"<html><body>x</body></html>", "plain text", `{"id": 1}`} {
		if Is([]byte(s)) {
			t.Errorf("Is(%q) = true", s)
		}
	}
	if _, err := Parse([]byte("<rss><channel><item>"), ""); err == nil {
		t.Log("gofeed accepted a truncated feed") // tolerated: it is lenient by design
	}
}

func TestResolveLink(t *testing.T) {
	bu, _ := url.Parse("https://example.org/news/feed.xml")
	for link, want := range map[string]string{
		"/a":                  "https://example.org/a",
		"b":                   "https://example.org/news/b",
		"/a%20b":              "https://example.org/a%20b",
		"/%X0":                "https://example.org/%25X0", // a stray % is kept, escaped
		"/100%":               "https://example.org/100%25",
		"https://other.org/x": "https://other.org/x",
		"/a\x7fb":             "", // a control character: no link
	} {
		if got := resolveLink(bu, link); got != want {
			t.Errorf("resolveLink(%q) = %q, want %q", link, got, want)
		}
	}
}

// An item whose link is missing or unreadable takes its guid when that is
// an address.
func TestItemLinkFromGUID(t *testing.T) {
	body := `<rss version="2.0"><channel><title>T</title>
<item><title>A</title><link>http://exa mple.org/a</link><guid>https://example.org/a</guid></item>
<item><title>B</title><guid>https://example.org/b</guid></item>
<item><title>C</title><guid isPermaLink="false">tag:example.org,2025:c</guid></item>
</channel></rss>`
	fd, err := Parse([]byte(body), "https://example.org/feed.xml")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range fd.Items {
		got = append(got, it.Link)
	}
	if want := []string{"https://example.org/a", "https://example.org/b", ""}; !slices.Equal(got, want) {
		t.Errorf("links %q, want %q", got, want)
	}
}
