package feed

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// Outline is a followed source in an OPML subscription list.
type Outline struct {
	Title string
	// URL is the source's address: the feed (xmlUrl), or the page of an
	// outline of type "link" (url).
	URL string
	// Kind is dossier's kind of source ("feed", "sitemap", "page"), kept
	// in a dossier:kind attribute; "" in lists from other readers.
	Kind string
}

// ParseOPML reads the sources of an OPML document, nested outlines
// (folders) included, in document order.
func ParseOPML(body []byte) ([]Outline, error) {
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = false
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	var out []Outline
	root := false
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("opml: %w", err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		name := strings.ToLower(se.Name.Local)
		if !root {
			if name != "opml" {
				return nil, fmt.Errorf("opml: root element is <%s>, not <opml>", se.Name.Local)
			}
			root = true
			continue
		}
		if name != "outline" {
			continue
		}
		var o Outline
		var text, typ, link string
		for _, a := range se.Attr {
			switch strings.ToLower(a.Name.Local) {
			case "xmlurl":
				o.URL = strings.TrimSpace(a.Value)
			case "url":
				link = strings.TrimSpace(a.Value)
			case "title":
				o.Title = strings.TrimSpace(a.Value)
			case "text":
				text = strings.TrimSpace(a.Value)
			case "type":
				typ = strings.ToLower(strings.TrimSpace(a.Value))
			case "kind":
				if a.Name.Space != "" {
					o.Kind = strings.TrimSpace(a.Value)
				}
			}
		}
		if o.URL == "" && typ == "link" {
			o.URL = link
		}
		if o.URL == "" {
			continue // a folder
		}
		if o.Title == "" {
			o.Title = text
		}
		out = append(out, o)
	}
	if !root {
		return nil, errors.New("opml: no <opml> element")
	}
	return out, nil
}

// opmlNS is the namespace of dossier's own attributes in OPML.
const opmlNS = "https://dossier.example/opml"

// WriteOPML writes outlines as an OPML 2.0 document: feeds and sitemaps as
// outlines of type "rss" with an xmlUrl, pages as type "link" with a url.
func WriteOPML(w io.Writer, title string, created time.Time, outs []Outline) error {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString(`<opml version="2.0" xmlns:dossier="` + opmlNS + `">` + "\n<head>\n  <title>")
	xml.EscapeText(&b, []byte(title))
	b.WriteString("</title>\n  <dateCreated>" + created.UTC().Format(time.RFC1123Z) + "</dateCreated>\n</head>\n<body>\n")
	for _, o := range outs {
		typ, attr := "rss", "xmlUrl"
		if o.Kind == "page" {
			typ, attr = "link", "url"
		}
		b.WriteString(`  <outline type="` + typ + `" text="`)
		xml.EscapeText(&b, []byte(o.Title))
		b.WriteString(`" title="`)
		xml.EscapeText(&b, []byte(o.Title))
		b.WriteString(`" ` + attr + `="`)
		xml.EscapeText(&b, []byte(o.URL))
		b.WriteString(`"`)
		if o.Kind != "" {
			b.WriteString(` dossier:kind="`)
			xml.EscapeText(&b, []byte(o.Kind))
			b.WriteString(`"`)
		}
		b.WriteString("/>\n")
	}
	b.WriteString("</body>\n</opml>\n")
	_, err := w.Write(b.Bytes())
	return err
}
