package ingest

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"testing"
	"unicode/utf8"

	"dossier/internal/fetch"
)

// FuzzJSONLLine decodes arbitrary bytes as a JSON Lines corpus: no panic;
// every page has an id and a body, and a language that is empty or an
// ISO 639-1 code; no line longer than the limit comes through.
func FuzzJSONLLine(f *testing.F) {
	for _, s := range []string{
		`{"id": "a", "text": "Officials said.", "language": "en", "captured": "2025-02-14"}`,
		`{"id": 7, "html": "<p>x</p>", "language": "pt-BR", "published": "2025-02-14T10:00:00Z"}`,
		`{"id": "b", "text": "t", "language": "xx-nonsense"}`,
		`{"id": null, "text": "t"}`,
		"not json\n{\"id\":\"c\",\"text\":\"t\"}\n",
		`{"id": "d", "text": "t", "published": "yesterday"}`,
	} {
		f.Add([]byte(s))
	}
	const limit = 4096
	g := &Ingester{}
	f.Fuzz(func(t *testing.T, data []byte) {
		br := bufio.NewReaderSize(bytes.NewReader(data), 16)
		for n := 0; ; n++ {
			if n > len(data)+1 {
				t.Fatal("more lines than bytes")
			}
			line, err := readLine(br, limit)
			if err == io.EOF {
				return
			}
			if errors.Is(err, fetch.ErrTooLarge) {
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(line) > limit {
				t.Fatalf("line of %d bytes, limit %d", len(line), limit)
			}
			p, err := g.jsonlPage(line, "c.jsonl", "/abs/c.jsonl")
			if err != nil {
				if len(err.Error()) > 400 {
					t.Fatalf("error of %d bytes quotes the input", len(err.Error()))
				}
				continue
			}
			if p.ID == "" || len(p.Body) == 0 {
				t.Fatalf("page without id or body: %+v", p)
			}
			if l := p.Hint.Language; l != "" && (len(l) != 2 || !utf8.ValidString(l) || l[0] < 'a' || l[0] > 'z' || l[1] < 'a' || l[1] > 'z') {
				t.Fatalf("language %q", l)
			}
		}
	})
}
