package watch

import (
	"time"

	"dossier/internal/news"
)

func newsPage(u, body string, at time.Time) news.Page {
	return news.Page{Key: u, Origin: u, URL: u, Captured: at, Format: news.FormatHTML, Body: []byte(body)}
}
