package extract

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"github.com/gogs/chardet"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
)

// decodeHTML returns body as UTF-8, following the HTML standard's encoding
// sniffing: a byte order mark, then the HTTP Content-Type, then the <meta>
// prescan of the first 1,024 bytes, then (since those are only tentative)
// the first <meta> charset the parser meets anywhere in the page, which
// changes the encoding as it does in a browser. A page that declares
// nothing is identified statistically. Bytes that are valid UTF-8 are taken
// as UTF-8 whatever the page declares: mislabelled UTF-8 is far more common
// than Latin-1 that happens to be valid UTF-8.
func decodeHTML(body []byte, contentType string) []byte {
	if utf8.Valid(body) {
		return body
	}
	enc, name, certain := charset.DetermineEncoding(body, contentType)
	if !certain {
		if e, n := metaCharset(body); e != nil {
			enc, name = e, n
		} else {
			if e, n := sniffCharset(body); e != nil {
				enc, name = e, n
			}
		}
	}
	if name != "utf-8" && enc != nil {
		if dec, err := enc.NewDecoder().Bytes(body); err == nil {
			body = dec
		}
	}
	if !utf8.Valid(body) {
		body = bytes.ToValidUTF8(body, []byte("\uFFFD"))
	}
	return body
}

// metaCharset returns the encoding of the first <meta charset> or <meta
// http-equiv="Content-Type" content="…; charset=…"> in the page, outside
// scripts and comments, as the tree builder would meet it.
func metaCharset(body []byte) (encoding.Encoding, string) {
	// Only pages that mention a charset at all are tokenized.
	if !bytes.Contains(bytes.ToLower(body), []byte("charset")) {
		return nil, ""
	}
	z := html.NewTokenizer(bytes.NewReader(body))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return nil, ""
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			if atom.Lookup(name) != atom.Meta || !hasAttr {
				continue
			}
			var cs, equiv, content string
			for more := true; more; {
				var k, v []byte
				k, v, more = z.TagAttr()
				switch string(k) {
				case "charset":
					cs = string(v)
				case "http-equiv":
					equiv = strings.ToLower(string(v))
				case "content":
					content = string(v)
				}
			}
			if cs == "" && equiv == "content-type" {
				if i := strings.Index(strings.ToLower(content), "charset="); i >= 0 {
					cs = strings.Trim(strings.TrimSpace(content[i+len("charset="):]), `"';`)
					if j := strings.IndexAny(cs, " ;"); j >= 0 {
						cs = cs[:j]
					}
				}
			}
			if cs == "" {
				continue
			}
			e, n := charset.Lookup(cs)
			if e == nil {
				continue
			}
			// A page that declares UTF-16 in a meta is ASCII-compatible
			// bytes by then: the standard reads it as UTF-8.
			if strings.HasPrefix(n, "utf-16") {
				e, n = encoding.Nop, "utf-8"
			}
			return e, n
		}
	}
}

// sniffCharset guesses the encoding of a page that declares none.
func sniffCharset(body []byte) (encoding.Encoding, string) {
	r, err := chardet.NewHtmlDetector().DetectBest(body[:min(len(body), 64<<10)])
	if err != nil || r == nil || r.Confidence < 30 {
		return nil, ""
	}
	return charset.Lookup(r.Charset)
}
