package ingest

import (
	"context"
	"time"

	"dossier/internal/facts"
	"dossier/internal/news"
)

// AnalyzeContext is Analyze that stops within milliseconds when ctx is
// done, returning ctx's error.
func AnalyzeContext(ctx context.Context, a news.Article, captured time.Time) (news.Facts, error) {
	anchor, kind := anchorOf(a, captured)
	return facts.AnalyzeContext(ctx, a, anchor, kind, captured)
}

// anchorOf is what an article's relative dates are resolved against: its
// publication date when the page states one, else its capture time.
func anchorOf(a news.Article, captured time.Time) (time.Time, string) {
	switch {
	case !a.Published.Latest.IsZero():
		return a.Published.Latest, "published"
	case !captured.IsZero():
		return captured, "captured"
	}
	return time.Time{}, ""
}
