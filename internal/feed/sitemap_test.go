package feed

import (
	"bytes"
	"net/url"
	"reflect"
	"testing"
	"time"
)

func TestParseSitemap(t *testing.T) {
	tests := []struct {
		name  string
		body  string
		index bool
		want  []SitemapEntry
	}{
		{
			name: "news sitemap",
			body: `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
 <url><loc>https://news.example/2025/a</loc><lastmod>2025-07-08T10:00:00+02:00</lastmod>
  <news:news><news:publication><news:name>Example</news:name><news:language>en</news:language></news:publication>
   <news:publication_date>2025-07-08T09:30:00Z</news:publication_date><news:title>Toll rises &amp; talks stall</news:title></news:news></url>
 <url><loc>/relative</loc></url>
 <url><loc>javascript:alert(1)</loc></url>
 <url><lastmod>2025-07-08</lastmod></url>
</urlset>`,
			want: []SitemapEntry{
				{Loc: "https://news.example/2025/a", LastMod: time.Date(2025, 7, 8, 8, 0, 0, 0, time.UTC), Title: "Toll rises & talks stall",
					Published: time.Date(2025, 7, 8, 9, 30, 0, 0, time.UTC), Language: "en"},
				{Loc: "https://news.example/relative"},
			},
		},
		{
			name:  "index",
			body:  `<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>https://news.example/s1.xml</loc><lastmod>2025-07-08</lastmod></sitemap><sitemap><loc>s2.xml</loc></sitemap></sitemapindex>`,
			index: true,
			want: []SitemapEntry{
				{Loc: "https://news.example/s1.xml", LastMod: time.Date(2025, 7, 8, 0, 0, 0, 0, time.UTC)},
				{Loc: "https://news.example/s2.xml"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !IsSitemap([]byte(tt.body)) || Is([]byte(tt.body)) {
				t.Errorf("IsSitemap %v, Is %v", IsSitemap([]byte(tt.body)), Is([]byte(tt.body)))
			}
			sm, err := ParseSitemap([]byte(tt.body), "https://news.example/sitemap.xml")
			if err != nil {
				t.Fatal(err)
			}
			if sm.Index != tt.index || !reflect.DeepEqual(sm.Entries, tt.want) {
				t.Errorf("got index=%v %+v\nwant index=%v %+v", sm.Index, sm.Entries, tt.index, tt.want)
			}
		})
	}
	for _, bad := range []string{``, `<rss><channel/></rss>`, `not xml at all`} {
		if _, err := ParseSitemap([]byte(bad), ""); err == nil {
			t.Errorf("ParseSitemap(%q) = nil error", bad)
		}
	}
}

func TestOPMLRoundTrip(t *testing.T) {
	outs := []Outline{
		{Title: "Wire <world>", URL: "https://wire.example/rss?a=1&b=2", Kind: "feed"},
		{Title: "Ministry", URL: "https://gov.example/news", Kind: "page"},
		{Title: "Sitemap", URL: "https://news.example/news-sitemap.xml", Kind: "sitemap"},
	}
	var b bytes.Buffer
	if err := WriteOPML(&b, "dossier & co", time.Date(2025, 7, 8, 0, 0, 0, 0, time.UTC), outs); err != nil {
		t.Fatal(err)
	}
	got, err := ParseOPML(b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, outs) {
		t.Errorf("round trip:\n got %+v\nwant %+v\n%s", got, outs, b.String())
	}
}

func TestParseOPMLFromAReader(t *testing.T) {
	body := `<?xml version="1.0"?><opml version="1.0"><head><title>x</title></head><body>
<outline text="News"><outline text="A" type="rss" xmlUrl="https://a.example/feed"/><outline text="B" title="Bee" xmlUrl=" https://b.example/rss "/></outline>
<outline text="folder only"/></body></opml>`
	got, err := ParseOPML([]byte(body))
	want := []Outline{{Title: "A", URL: "https://a.example/feed"}, {Title: "Bee", URL: "https://b.example/rss"}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("ParseOPML: %+v, %v", got, err)
	}
	if _, err := ParseOPML([]byte(`<rss/>`)); err == nil {
		t.Error("a non-OPML document was read")
	}
}

func TestTTL(t *testing.T) {
	for body, want := range map[string]time.Duration{
		`<rss><channel><title>x</title><ttl>60</ttl><item><ttl>5</ttl></item></channel></rss>`: time.Hour,
		`<rss><channel><item><title>no ttl</title></item><ttl>5</ttl></channel></rss>`:         0,
		`<rss><channel><ttl>-3</ttl></channel></rss>`:                                          0,
		`<feed><ttl>10</ttl></feed>`:                                                           0,
	} {
		if got := TTL([]byte(body)); got != want {
			t.Errorf("TTL(%s) = %v, want %v", body, got, want)
		}
	}
}

// FuzzParseSitemap reads arbitrary bytes as a sitemap: no panic, every
// location absolute http(s), never more than the protocol's limit.
func FuzzParseSitemap(f *testing.F) {
	f.Add([]byte(`<urlset><url><loc>/a</loc><news:news><news:title>t</news:title></news:news></url></urlset>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		IsSitemap(body)
		TTL(body)
		sm, err := ParseSitemap(body, "https://news.example/sitemap.xml")
		if err != nil {
			return
		}
		if len(sm.Entries) > MaxSitemapEntries {
			t.Fatalf("%d entries", len(sm.Entries))
		}
		for _, e := range sm.Entries {
			if u, err := url.Parse(e.Loc); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				t.Errorf("location %q is not absolute http(s)", e.Loc)
			}
		}
	})
}

// FuzzParseOPML reads arbitrary bytes as OPML: no panic, and what it
// reads writes back and reads the same.
func FuzzParseOPML(f *testing.F) {
	f.Add([]byte(`<opml><body><outline text="a" xmlUrl="https://a.example/f"/></body></opml>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		outs, err := ParseOPML(body)
		if err != nil {
			return
		}
		var b bytes.Buffer
		if err := WriteOPML(&b, "t", time.Time{}, outs); err != nil {
			t.Fatal(err)
		}
		again, err := ParseOPML(b.Bytes())
		if err != nil {
			t.Fatalf("reading what was written: %v\n%s", err, b.String())
		}
		if len(again) != len(outs) {
			t.Fatalf("%d outlines written, %d read back", len(outs), len(again))
		}
	})
}
