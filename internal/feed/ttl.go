package feed

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"
)

// TTL returns the <ttl> of an RSS channel: how long the feed may be cached
// before it is fetched again (0 when it states none).
func TTL(body []byte) time.Duration {
	if !bytes.Contains(body, []byte("<ttl")) {
		return 0
	}
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = false
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	var path []string
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) || err != nil {
			return 0
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := strings.ToLower(t.Name.Local)
			if name == "item" {
				return 0 // the channel's elements come before its items
			}
			path = append(path, name)
		case xml.EndElement:
			if len(path) > 0 {
				path = path[:len(path)-1]
			}
		case xml.CharData:
			if len(path) == 3 && path[0] == "rss" && path[1] == "channel" && path[2] == "ttl" {
				n, err := strconv.Atoi(strings.TrimSpace(string(t)))
				if err != nil || n <= 0 || n > 7*24*60 {
					return 0
				}
				return time.Duration(n) * time.Minute
			}
		}
	}
}
