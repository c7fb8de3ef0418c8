package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"dossier/internal/news"
	"dossier/internal/store"
)

// watchTests are the cases of store.Watch, run by Run.
var watchTests = []struct {
	name string
	fn   func(*testing.T, store.Store)
}{
	{"FollowAndUnfollow", testFollowAndUnfollow},
	{"ScheduleAndItems", testScheduleAndItems},
	{"SaveCheckOfUnfollowed", testSaveCheckOfUnfollowed},
	{"Captures", testCaptures},
	{"ArticleVersions", testArticleVersions},
}

func testFollowAndUnfollow(t *testing.T, s store.Store) {
	ctx := context.Background()
	a, existed, err := s.Follow(ctx, store.Subscription{URL: "https://a.example/feed", Added: day})
	if err != nil || existed {
		t.Fatalf("Follow: %+v, %v, %v", a, existed, err)
	}
	if a.ID == 0 || !a.NextCheck.Equal(day) || !a.Added.Equal(day) {
		t.Errorf("a new subscription is due at once: %+v", a)
	}
	again, existed, err := s.Follow(ctx, store.Subscription{URL: "https://a.example/feed", Kind: store.KindPage})
	if err != nil || !existed || again.ID != a.ID || again.Kind != "" {
		t.Errorf("following again: %+v, %v, %v", again, existed, err)
	}
	b, _, err := s.Follow(ctx, store.Subscription{URL: "https://b.example/page", Kind: store.KindPage, Added: day})
	if err != nil {
		t.Fatal(err)
	}
	subs, err := s.Subscriptions(ctx)
	if err != nil || len(subs) != 2 || subs[0].ID != a.ID || subs[1].Kind != store.KindPage {
		t.Fatalf("Subscriptions: %+v, %v", subs, err)
	}
	if err := s.Unfollow(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.Unfollow(ctx, a.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unfollowing twice: %v, want ErrNotFound", err)
	}
	if _, err := s.Subscription(ctx, a.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Subscription of an unfollowed source: %v", err)
	}
	if got, err := s.Subscription(ctx, b.ID); err != nil || got.URL != b.URL {
		t.Errorf("Subscription: %+v, %v", got, err)
	}
}

func testScheduleAndItems(t *testing.T, s store.Store) {
	ctx := context.Background()
	var subs []store.Subscription
	for i, u := range []string{"https://a.example/feed", "https://b.example/feed", "https://c.example/feed"} {
		sub, _, err := s.Follow(ctx, store.Subscription{URL: u, Added: day, NextCheck: day.Add(time.Duration(i) * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		subs = append(subs, sub)
	}
	due, err := s.DueSubscriptions(ctx, day.Add(90*time.Minute), 10)
	if err != nil || len(due) != 2 || due[0].ID != subs[0].ID || due[1].ID != subs[1].ID {
		t.Fatalf("DueSubscriptions at 01:30: %+v, %v", due, err)
	}
	if due, _ := s.DueSubscriptions(ctx, day.Add(3*time.Hour), 1); len(due) != 1 || due[0].ID != subs[0].ID {
		t.Errorf("DueSubscriptions with limit 1: %+v", due)
	}

	// A check that lists two items.
	check := subs[0]
	check.Kind, check.Title, check.ETag, check.LastModified = store.KindFeed, "A feed", `"v1"`, "Tue, 08 Jul 2025 00:00:00 GMT"
	check.LastCheck, check.NextCheck, check.Interval = day, day.Add(30*time.Minute), 30*time.Minute
	items := []store.WatchItem{
		{URL: "https://a.example/1", GUID: "g1", Title: "One", Published: day.Add(-time.Hour), Fingerprint: "f1", Seen: day},
		{URL: "https://a.example/2", GUID: "g2", Title: "Two", Fingerprint: "f2", Seen: day},
	}
	n, err := s.SaveCheck(ctx, check, items)
	if err != nil || n != 2 {
		t.Fatalf("SaveCheck: %d, %v", n, err)
	}
	got, err := s.Subscription(ctx, check.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Kind != store.KindFeed || got.Title != "A feed" || got.ETag != `"v1"` || got.ItemsSeen != 2 ||
		!got.LastNew.Equal(day) || !got.LastCheck.Equal(day) || !got.NextCheck.Equal(day.Add(30*time.Minute)) || got.Interval != 30*time.Minute {
		t.Errorf("state after a check: %+v", got)
	}
	// The same items again: nothing new; one changed: due again as a recheck.
	check.LastCheck = day.Add(30 * time.Minute)
	items[1].Fingerprint = "f2-edited"
	items[1].NextTry = day.Add(30 * time.Minute)
	if n, err := s.SaveCheck(ctx, check, items); err != nil || n != 0 {
		t.Fatalf("SaveCheck again: %d, %v", n, err)
	}
	if got, _ := s.Subscription(ctx, check.ID); got.ItemsSeen != 2 {
		t.Errorf("items seen counted twice: %+v", got)
	}
	pending, first, err := s.PendingItems(ctx)
	if err != nil || pending != 2 || !first.Equal(day) {
		t.Errorf("PendingItems: %d, %v, %v", pending, first, err)
	}
	due2, err := s.DueItems(ctx, day, 10)
	if err != nil || len(due2) != 2 {
		t.Fatalf("DueItems: %+v, %v", due2, err)
	}
	it := due2[0]
	if it.URL != "https://a.example/1" || it.GUID != "g1" || it.Title != "One" || !it.Published.Equal(day.Add(-time.Hour)) ||
		it.State != store.ItemPending || it.Sub != check.ID || !it.Seen.Equal(day) {
		t.Errorf("item: %+v", it)
	}
	// A failure is retried later; a success is done.
	it.Attempts, it.LastError, it.NextTry = 1, "503 Service Unavailable", day.Add(10*time.Minute)
	if err := s.SetItem(ctx, it); err != nil {
		t.Fatal(err)
	}
	if due, _ := s.DueItems(ctx, day.Add(5*time.Minute), 10); len(due) != 1 || due[0].URL != "https://a.example/2" {
		t.Errorf("a retried item is due before its time: %+v", due)
	}
	due3, _ := s.DueItems(ctx, day.Add(10*time.Minute), 10)
	if len(due3) != 2 || due3[1].Attempts != 1 || due3[1].LastError == "" {
		t.Fatalf("the retried item: %+v", due3)
	}
	for _, it := range due3 {
		it.State, it.Fetched, it.LastError = store.ItemDone, day.Add(10*time.Minute), ""
		if err := s.SetItem(ctx, it); err != nil {
			t.Fatal(err)
		}
	}
	if due, _ := s.DueItems(ctx, day.Add(48*time.Hour), 10); len(due) != 0 {
		t.Errorf("done items are due: %+v", due)
	}
	// An entry that changes after its page was fetched is a recheck.
	items[0].Fingerprint = "f1-edited"
	items[0].NextTry = day.Add(time.Hour)
	if _, err := s.SaveCheck(ctx, check, items); err != nil {
		t.Fatal(err)
	}
	due4, _ := s.DueItems(ctx, day.Add(time.Hour), 10)
	if len(due4) != 1 || !due4[0].Recheck || due4[0].URL != "https://a.example/1" || due4[0].Fingerprint != "f1-edited" {
		t.Errorf("a changed entry: %+v", due4)
	}
	if got, _ := s.Subscription(ctx, check.ID); !got.LastNew.Equal(day.Add(30 * time.Minute)) {
		t.Errorf("a changed entry is news: last new %v", got.LastNew)
	}
	listed, err := s.SubscriptionItems(ctx, check.ID, 10)
	if err != nil || len(listed) != 2 || listed[0].URL != "https://a.example/2" || listed[0].State != store.ItemDone || listed[0].Fetched.IsZero() {
		t.Errorf("SubscriptionItems: %+v, %v", listed, err)
	}
	// An error is kept with the subscription.
	check.Errors, check.LastError, check.NextCheck = 3, "fetch: 500 Internal Server Error", day.Add(4*time.Hour)
	if _, err := s.SaveCheck(ctx, check, nil); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Subscription(ctx, check.ID); got.Errors != 3 || got.LastError == "" || !got.NextCheck.Equal(day.Add(4*time.Hour)) {
		t.Errorf("error state: %+v", got)
	}
	// Unfollowing drops the subscription's items.
	if err := s.Unfollow(ctx, check.ID); err != nil {
		t.Fatal(err)
	}
	if n, _, _ := s.PendingItems(ctx); n != 0 {
		t.Errorf("%d items left after unfollowing", n)
	}
}

func testSaveCheckOfUnfollowed(t *testing.T, s store.Store) {
	ctx := context.Background()
	sub, _, err := s.Follow(ctx, store.Subscription{URL: "https://a.example/feed", Added: day})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Unfollow(ctx, sub.ID); err != nil {
		t.Fatal(err)
	}
	sub.NextCheck = day.Add(time.Hour)
	if _, err := s.SaveCheck(ctx, sub, []store.WatchItem{{URL: "https://a.example/1"}}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("SaveCheck of an unfollowed source: %v, want ErrNotFound", err)
	}
	if n, _, _ := s.PendingItems(ctx); n != 0 {
		t.Errorf("an unfollowed source left %d items", n)
	}
}

func testCaptures(t *testing.T, s store.Store) {
	ctx := context.Background()
	p := page("p1")
	saved, err := s.SavePage(ctx, p, []store.NewArticle{article("captured words", 0)})
	if err != nil {
		t.Fatal(err)
	}
	c := store.Capture{URL: p.URL, PageKey: p.Key, BodyHash: p.BodyHash, File: "dossier-1.warc.gz", Offset: 1234, Length: 567, Captured: day, Status: 200}
	if err := s.SaveCapture(ctx, c); err != nil {
		t.Fatal(err)
	}
	// A capture of another page, and one of no page (a feed), are not the article's.
	if err := s.SaveCapture(ctx, store.Capture{URL: "https://example.org/feed", PageKey: "feed", File: "dossier-1.warc.gz", Offset: 9, Length: 9, Captured: day, Status: 200}); err != nil {
		t.Fatal(err)
	}
	got, err := s.ArticleCaptures(ctx, saved.IDs[0])
	if err != nil || len(got) != 1 || got[0] != c {
		t.Errorf("ArticleCaptures: %+v, %v, want [%+v]", got, err, c)
	}
}

func testArticleVersions(t *testing.T, s store.Store) {
	ctx := context.Background()
	p := page("p1")
	orig := article("Three hundred were killed.", 0)
	orig.Story, orig.Event = 7, 70
	orig.Facts.Figures = []news.Figure{{Value: 300, Kind: "killed", Sentence: "Three hundred were killed."}}
	saved, err := s.SavePage(ctx, p, []store.NewArticle{orig})
	if err != nil {
		t.Fatal(err)
	}
	id := saved.IDs[0]
	if got, err := s.PageArticle(ctx, p.Key); err != nil || got != id {
		t.Fatalf("PageArticle: %d, %v", got, err)
	}
	if _, err := s.PageArticle(ctx, "no such page"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("PageArticle of no page: %v", err)
	}
	if vs, err := s.ArticleVersions(ctx, id); err != nil || len(vs) != 0 {
		t.Errorf("versions of an unchanged article: %+v, %v", vs, err)
	}
	// The page changes: the death toll is revised.
	p2 := p
	p2.BodyHash, p2.Captured = "h-p1-v2", day.Add(14*time.Hour)
	a2 := article("Six hundred were killed.", 0)
	a2.Title = "Toll revised"
	a2.Facts.Figures = []news.Figure{{Value: 600, Kind: "killed", Sentence: "Six hundred were killed."}}
	a2.Search = store.SearchDoc{Title: "toll revis", Body: "six hundr kill"}
	change := store.FigureChange{Quantity: "killed", Old: "300", New: "600", OldValue: 300, NewValue: 600, Sentence: "Six hundred were killed.", At: p2.Captured}
	v, err := s.SaveVersion(ctx, store.ArticleVersion{Article: id, Changes: []store.FigureChange{change}}, p2, a2)
	if err != nil {
		t.Fatal(err)
	}
	if v.Version != 2 || v.PageKey != p.Key || v.BodyHash != "h-p1-v2" || !v.Captured.Equal(p2.Captured) {
		t.Errorf("SaveVersion: %+v", v)
	}
	if ok, _ := s.HasPage(ctx, p.Key, "h-p1-v2"); !ok {
		t.Error("the new version's page is not recorded")
	}
	got, err := s.Article(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != "Toll revised" || got.Text != "Six hundred were killed." || len(got.Facts.Figures) != 1 || got.Facts.Figures[0].Value != 600 {
		t.Errorf("the article is not its new version: %+v", got)
	}
	if len(all(t, s)) != 1 {
		t.Error("a new version became a new article")
	}
	dirty, err := s.DirtyStories(ctx, 0, 10)
	if err != nil || len(dirty) != 1 || dirty[0] != 7 {
		t.Errorf("the story of a changed article is not marked: %v, %v", dirty, err)
	}
	p3 := p
	p3.BodyHash, p3.Captured = "h-p1-v3", day.Add(20*time.Hour)
	if v3, err := s.SaveVersion(ctx, store.ArticleVersion{Article: id}, p3, a2); err != nil || v3.Version != 3 {
		t.Fatalf("third version: %+v, %v", v3, err)
	}
	vs, err := s.ArticleVersions(ctx, id)
	if err != nil || len(vs) != 2 {
		t.Fatalf("ArticleVersions: %+v, %v", vs, err)
	}
	if vs[0].Version != 2 || vs[0].Title != "Toll revised" || len(vs[0].Changes) != 1 || vs[0].Changes[0] != change || len(vs[1].Changes) != 0 {
		t.Errorf("ArticleVersions: %+v", vs)
	}
	// A capture of a version belongs to the article.
	c := store.Capture{URL: p.URL, PageKey: p.Key, BodyHash: "h-p1-v2", File: "w.warc.gz", Offset: 1, Length: 2, Captured: p2.Captured, Status: 200}
	if err := s.SaveCapture(ctx, c); err != nil {
		t.Fatal(err)
	}
	if cs, err := s.ArticleCaptures(ctx, id); err != nil || len(cs) != 1 || cs[0] != c {
		t.Errorf("captures of a version: %+v, %v", cs, err)
	}
}
