package storetest

import (
	"context"
	"testing"
	"time"

	"dossier/internal/news"
	"dossier/internal/store"
)

// SaveMergeChain saves four articles in stories 3, 5, 7 and 9, with story 3
// merged into 5 and then 5 into 7: the store that tests of what readers of
// a merged story see start from.
func SaveMergeChain(t testing.TB, s store.Store) {
	t.Helper()
	ctx := context.Background()
	day := time.Date(2025, 3, 4, 0, 0, 0, 0, time.UTC)
	save := func(key, text string, story, event int64, changes ...news.ClusterChange) {
		t.Helper()
		p := store.Page{Key: key, BodyHash: "h-" + key, Origin: key, File: key + ".txt", Captured: day, Format: news.FormatText, Changes: changes}
		a := store.NewArticle{Article: news.Article{Title: text, Text: text + " reported on Tuesday.", Language: "en", Site: "example.org"},
			Hash: "hash-" + key, Story: story, Event: event, Search: store.SearchDoc{Title: text, Body: text + " reported on Tuesday."}}
		if _, err := s.SavePage(ctx, p, []store.NewArticle{a}); err != nil {
			t.Fatal(err)
		}
	}
	save("a", "Flooding closes the port", 3, 30)
	save("b", "Port reopens after flooding", 5, 50, news.ClusterChange{Kind: "merge", Level: "story", From: 3, Into: 5})
	save("c", "Port authority counts the losses", 7, 70, news.ClusterChange{Kind: "merge", Level: "story", From: 5, Into: 7})
	save("d", "Unrelated election news", 9, 90)
}
