package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"dossier/internal/news"
	"dossier/internal/store"
)

// testAlerts covers rules, alerts stored with a view (once per id) and
// webhook deliveries.
func testAlerts(t *testing.T, s store.Store) {
	ctx := context.Background()
	quiet, err := s.AddAlertRule(ctx, store.AlertRule{Kind: "story", Story: 7, Created: day})
	if err != nil {
		t.Fatal(err)
	}
	hooked, err := s.AddAlertRule(ctx, store.AlertRule{Kind: "figure", Value: "soldiers killed", Webhook: "http://127.0.0.1:9/hook", Secret: "k"})
	if err != nil {
		t.Fatal(err)
	}
	if quiet.ID == 0 || hooked.ID == quiet.ID || hooked.Created.IsZero() {
		t.Fatalf("rules = %+v, %+v", quiet, hooked)
	}
	rules, err := s.AlertRules(ctx)
	if err != nil || len(rules) != 2 || rules[0].ID != quiet.ID || rules[1].Webhook != hooked.Webhook || rules[1].Secret != "k" ||
		!rules[0].Created.Equal(day) {
		t.Fatalf("AlertRules = %+v, %v", rules, err)
	}
	if r, err := s.AlertRule(ctx, hooked.ID); err != nil || r.Value != "soldiers killed" {
		t.Errorf("AlertRule = %+v, %v", r, err)
	}
	if _, err := s.AlertRule(ctx, 999); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("AlertRule(999): %v, want ErrNotFound", err)
	}

	id := clustered(t, s, "p1", "one", 7, 70, "")
	v := store.StoryView{Story: 7, Title: "Story seven", Articles: 1, Updated: day, Data: []byte(`{}`)}
	at := day.Add(3 * time.Hour)
	alerts := []store.Alert{
		{ID: "a1", Rule: quiet.ID, Story: 7, Kind: "new_article", Key: "1", Text: "new article", Article: id, Site: "Example",
			URL: "https://example.org/p1", Archive: "https://example.org/p1", StoryTitle: "Story seven", At: at, Lang: "en"},
		{ID: "a2", Rule: hooked.ID, Story: 7, Kind: "changed_figure", Key: "killed", Topic: "killed: soldiers", Before: "300", After: "600",
			Sentence: "600 soldiers were killed.", Article: id, At: at},
	}
	n, err := s.SaveStoryViewAlerts(ctx, v, alerts, 0)
	if err != nil || n != 2 {
		t.Fatalf("SaveStoryViewAlerts = %d, %v", n, err)
	}
	if got, err := s.StoryView(ctx, 7); err != nil || got.Title != "Story seven" {
		t.Errorf("view saved with alerts = %+v, %v", got, err)
	}
	if dirty, err := s.DirtyStories(ctx, 0, 10); err != nil || len(dirty) != 0 {
		t.Errorf("dirty after save = %v, %v", dirty, err)
	}
	// The same changes found again by a later refresh are not stored again.
	if n, err := s.SaveStoryViewAlerts(ctx, v, alerts, 0); err != nil || n != 0 {
		t.Errorf("second save = %d new, %v; want 0", n, err)
	}
	got, err := s.Alerts(ctx, store.AlertQuery{})
	if err != nil || len(got) != 2 {
		t.Fatalf("Alerts = %+v, %v", got, err)
	}
	if got[0].ID != "a2" || got[1].ID != "a1" || got[0].Seq <= got[1].Seq {
		t.Errorf("order: %s (%d), %s (%d); want newest first", got[0].ID, got[0].Seq, got[1].ID, got[1].Seq)
	}
	a2 := got[0]
	if a2.Before != "300" || a2.After != "600" || a2.Sentence != "600 soldiers were killed." || !a2.At.Equal(at) || a2.Created.IsZero() ||
		a2.Topic != "killed: soldiers" || a2.Article != id {
		t.Errorf("alert read back = %+v", a2)
	}
	if a1 := got[1]; a1.Site != "Example" || a1.Archive != "https://example.org/p1" || a1.StoryTitle != "Story seven" || a1.Lang != "en" {
		t.Errorf("alert read back = %+v", a1)
	}
	if page, err := s.Alerts(ctx, store.AlertQuery{Before: got[0].Seq, Limit: 5}); err != nil || len(page) != 1 || page[0].ID != "a1" {
		t.Errorf("page after cursor = %+v, %v", page, err)
	}
	if byRule, err := s.Alerts(ctx, store.AlertQuery{Rule: quiet.ID}); err != nil || len(byRule) != 1 || byRule[0].ID != "a1" {
		t.Errorf("by rule = %+v, %v", byRule, err)
	}
	if byStory, err := s.Alerts(ctx, store.AlertQuery{Story: 8}); err != nil || len(byStory) != 0 {
		t.Errorf("story 8 = %+v, %v", byStory, err)
	}

	// Only the rule with a webhook has a delivery, due at once.
	now := time.Now()
	due, err := s.DueDeliveries(ctx, now.Add(time.Second), 10)
	if err != nil || len(due) != 1 || due[0].Alert != "a2" || due[0].URL != hooked.Webhook || due[0].Rule != hooked.ID ||
		due[0].Payload.After != "600" || due[0].Attempts != 0 {
		t.Fatalf("DueDeliveries = %+v, %v", due, err)
	}
	d := due[0]
	d.Attempts, d.Due, d.LastError = 1, now.Add(time.Hour), "503 Service Unavailable"
	if err := s.UpdateDelivery(ctx, d); err != nil {
		t.Fatal(err)
	}
	if due, err := s.DueDeliveries(ctx, now.Add(time.Minute), 10); err != nil || len(due) != 0 {
		t.Errorf("due before its retry = %+v, %v", due, err)
	}
	if next, err := s.NextDelivery(ctx); err != nil || !next.Equal(d.Due.UTC().Truncate(time.Microsecond)) && !next.Equal(d.Due.UTC()) {
		t.Errorf("NextDelivery = %v, %v; want %v", next, err, d.Due)
	}
	d.Attempts, d.Delivered, d.LastError = 2, now.Add(time.Hour), ""
	if err := s.UpdateDelivery(ctx, d); err != nil {
		t.Fatal(err)
	}
	if due, err := s.DueDeliveries(ctx, now.Add(48*time.Hour), 10); err != nil || len(due) != 0 {
		t.Errorf("due after delivery = %+v, %v", due, err)
	}
	if next, err := s.NextDelivery(ctx); err != nil || !next.IsZero() {
		t.Errorf("NextDelivery with none pending = %v, %v", next, err)
	}
	if ds, err := s.Deliveries(ctx, "a2"); err != nil || len(ds) != 1 || ds[0].Attempts != 2 || ds[0].Delivered.IsZero() {
		t.Errorf("Deliveries = %+v, %v", ds, err)
	}
	if err := s.UpdateDelivery(ctx, store.Delivery{Alert: "nope", Due: now}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("UpdateDelivery of no delivery: %v", err)
	}

	// A story merge is found from either side, from the time asked.
	before := time.Now().Add(-time.Second)
	c := article("merging", 0)
	c.Story, c.Event = 7, 70
	p := page("p2")
	p.Changes = []news.ClusterChange{{Kind: "merge", Level: "story", From: 9, Into: 7, Score: 0.5},
		{Kind: "merge", Level: "event", From: 90, Into: 70, Score: 0.5}}
	if _, err := s.SavePage(ctx, p, []store.NewArticle{c}); err != nil {
		t.Fatal(err)
	}
	for _, st := range []int64{7, 9} {
		ms, err := s.StoryMerges(ctx, st, before)
		if err != nil || len(ms) != 1 || ms[0].From != 9 || ms[0].Into != 7 || ms[0].Level != "story" {
			t.Errorf("StoryMerges(%d) = %+v, %v", st, ms, err)
		}
	}
	if ms, err := s.StoryMerges(ctx, 7, time.Now().Add(time.Hour)); err != nil || len(ms) != 0 {
		t.Errorf("merges after the future = %+v, %v", ms, err)
	}

	// Deleting a rule deletes its alerts and their deliveries.
	if err := s.DeleteAlertRule(ctx, hooked.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteAlertRule(ctx, hooked.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("second delete: %v", err)
	}
	if left, err := s.Alerts(ctx, store.AlertQuery{}); err != nil || len(left) != 1 || left[0].ID != "a1" {
		t.Errorf("after delete = %+v, %v", left, err)
	}
	if ds, err := s.Deliveries(ctx, "a2"); err != nil || len(ds) != 0 {
		t.Errorf("deliveries after delete = %+v, %v", ds, err)
	}
	// A view with no articles (merged away) deletes the view and still
	// stores its alerts; the story rules that followed it follow the
	// story it merged into.
	gone := []store.Alert{{ID: "a3", Rule: quiet.ID, Story: 7, Kind: "merge", Key: "7>12"}}
	if n, err := s.SaveStoryViewAlerts(ctx, store.StoryView{Story: 7}, gone, 12); err != nil || n != 1 {
		t.Errorf("save of an emptied view = %d, %v", n, err)
	}
	if r, err := s.AlertRule(ctx, quiet.ID); err != nil || r.Story != 12 {
		t.Errorf("story rule after its story merged into 12: %+v, %v", r, err)
	}
	if _, err := s.StoryView(ctx, 7); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("emptied view still there: %v", err)
	}
}
