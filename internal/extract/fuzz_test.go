package extract

import (
	"testing"
	"time"
	"unicode/utf8"

	"dossier/internal/news"
)

// FuzzPage extracts arbitrary bytes as HTML, as plain text and sniffed:
// it must never panic, and the titles and texts it returns must be valid
// UTF-8.
func FuzzPage(f *testing.F) {
	for _, s := range []string{
		"<html><head><title>T</title></head><body><article><h1>Title</h1><p>First paragraph of the story, long enough to be kept as text.</p></article></body></html>",
		"Title\n\nBy A. Writer\n\nThe first paragraph of a plain-text scrape, with a date: 3 March 2025.\n\nSecond paragraph.",
		"<p>unclosed <b>tags <i>everywhere",
		"\xff\xfe\x00<\x00h\x00t\x00m\x00l\x00>",
		"<meta charset=windows-1256><p>\xc7\xe1\xd3\xe1\xc7\xe3</p>",
	} {
		f.Add([]byte(s), uint8(0))
		f.Add([]byte(s), uint8(1))
		f.Add([]byte(s), uint8(2))
	}
	captured := time.Date(2025, 3, 4, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, body []byte, mode uint8) {
		in := Input{Name: "fuzz", Captured: captured, CapturedDay: true}
		switch mode % 4 {
		case 0:
			in.Format = news.FormatHTML
		case 1:
			in.Format = news.FormatText
		case 2:
			in.Format, in.Clean = news.FormatText, true
		}
		arts, err := Page(body, in)
		if err != nil {
			return
		}
		for _, a := range arts {
			if !utf8.ValidString(a.Title) || !utf8.ValidString(a.Text) {
				t.Fatalf("invalid UTF-8 in an article of %q", body)
			}
		}
	})
}
