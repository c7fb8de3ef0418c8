package api

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"

	"dossier/internal/client"
	"dossier/internal/feed"
	"dossier/internal/sharedtest"
)

// ingestSeed posts one seed page.
func ingestSeed(t *testing.T, c *client.Client, file, captured string) {
	t.Helper()
	body, err := os.ReadFile(sharedtest.Path(t, "seeds", file))
	if err != nil {
		t.Fatal(err)
	}
	sum, err := c.Ingest(context.Background(), client.IngestRequest{Pages: []client.Page{{Name: file, Body: string(body), Format: "text", Captured: captured}}})
	if err != nil || sum.Articles == 0 {
		t.Fatalf("ingest %s: %+v, %v", file, sum, err)
	}
}

// TestAlertsThroughAPI follows the seeds' story after its first report,
// ingests the others, and reads the alerts as JSON and as Atom; every
// answer is checked against openapi.json.
func TestAlertsThroughAPI(t *testing.T) {
	s := newTestServer(t, Options{})
	ctx := context.Background()
	var gold seedGold
	b, err := os.ReadFile(sharedtest.Path(t, "gold", "seeds.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &gold); err != nil {
		t.Fatal(err)
	}
	// The earliest report first.
	docs := gold.Documents
	first := 0
	for i, d := range docs {
		if d.Captured < docs[first].Captured {
			first = i
		}
	}
	ingestSeed(t, s.c, docs[first].File, docs[first].Captured)
	stories, err := s.c.Stories(ctx, client.StoryFilter{})
	if err != nil || len(stories.Stories) != 1 {
		t.Fatalf("stories: %+v, %v", stories, err)
	}
	sid := stories.Stories[0].ID

	rule, err := s.c.AddAlertRule(ctx, client.NewAlertRule{Story: sid, Webhook: "https://hooks.example/dossier"})
	if err != nil {
		t.Fatal(err)
	}
	if rule.Secret == nil || len(*rule.Secret) != 64 || rule.Story == nil || *rule.Story != sid || rule.Kind != "story" {
		t.Fatalf("created rule %+v", rule)
	}
	figure, err := s.c.AddAlertRule(ctx, client.NewAlertRule{Figure: "North Korean soldiers killed"})
	if err != nil || figure.Secret != nil {
		t.Fatalf("figure rule %+v, %v", figure, err)
	}
	// Bad rules, and writes without the token.
	for _, bad := range []client.NewAlertRule{{}, {Story: sid, Query: "troops"}, {Story: "s99999"}, {Story: "twelve"},
		{Figure: "x", Webhook: "file:///etc/passwd"}, {Entity: "Qwxz Unknownland"}} {
		_, err := s.c.AddAlertRule(ctx, bad)
		wantCode(t, "rule "+bad.Story+bad.Entity+bad.Webhook, err, http.StatusBadRequest, "bad_request")
	}
	_, err = s.anon.AddAlertRule(ctx, client.NewAlertRule{Query: "troops"})
	wantCode(t, "rule without the token", err, http.StatusUnauthorized, "unauthorized")
	if code, _, _ := s.do(t, "POST", "/v1/alerts/rules", []byte(`{"query":"x","colour":"red"}`), map[string]string{"Authorization": "Bearer " + testToken}); code != http.StatusBadRequest {
		t.Errorf("unknown field: %d, want 400", code)
	}
	rules, err := s.c.AlertRules(ctx)
	if err != nil || len(rules.Rules) != 2 || rules.Rules[0].Secret != nil {
		t.Fatalf("rules %+v, %v; want two, no secrets", rules, err)
	}

	for i, d := range docs {
		if i != first {
			ingestSeed(t, s.c, d.File, d.Captured)
		}
	}
	list, err := s.c.Alerts(ctx, client.AlertFilter{Rule: rule.ID})
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, a := range list.Alerts {
		kinds[a.Kind]++
		if a.Story != sid || a.Rule != rule.ID || a.Text == "" || a.FiredAt == "" {
			t.Errorf("alert %+v", a)
		}
		if a.Kind == "new_article" && (a.Source.Article == nil || a.Source.Archive == nil || !strings.HasSuffix(*a.Source.Archive, "/articles/"+strings.TrimPrefix(*a.Source.Article, "a"))) {
			t.Errorf("new article alert without its source: %+v", a)
		}
	}
	t.Logf("story rule fired %v", kinds)
	if kinds["new_article"] < len(docs)-1 || kinds["new_language"] != 1 {
		t.Errorf("alerts %v; want a new article for each later seed and the story reaching Arabic once", kinds)
	}
	// Paging covers the same alerts.
	var paged []client.Alert
	cursor := ""
	for {
		p, err := s.c.Alerts(ctx, client.AlertFilter{Rule: rule.ID, Limit: 2, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		paged = append(paged, p.Alerts...)
		if p.Next == nil {
			break
		}
		cursor = *p.Next
	}
	if len(paged) != len(list.Alerts) {
		t.Errorf("paged %d alerts, listed %d", len(paged), len(list.Alerts))
	}
	if _, err := s.c.Alerts(ctx, client.AlertFilter{Cursor: "garbage!"}); client.Code(err) != "bad_cursor" {
		t.Errorf("bad cursor: %v", err)
	}

	// The Atom feed parses with dossier's own feed reader, one entry per
	// alert, each with the alert's id and the story's link.
	atom, err := s.c.AlertAtom(ctx, rule.ID)
	if err != nil {
		t.Fatal(err)
	}
	f, err := feed.Parse(atom, s.URL+"/v1/alerts/rules/"+rule.ID+"/atom")
	if err != nil {
		t.Fatalf("atom: %v\n%s", err, atom)
	}
	if len(f.Items) != len(list.Alerts) || !strings.Contains(f.Title, "story") {
		t.Fatalf("atom has %d items (%q), want %d", len(f.Items), f.Title, len(list.Alerts))
	}
	for i, it := range f.Items {
		if it.GUID != "urn:dossier:alert:"+list.Alerts[i].ID || !strings.HasSuffix(it.Link, "/stories/"+strings.TrimPrefix(sid, "s")) ||
			it.Title == "" || it.Published.IsZero() {
			t.Errorf("atom item %d: %+v", i, it)
		}
	}
	if _, err := s.c.AlertAtom(ctx, "r999"); client.Code(err) != "not_found" {
		t.Errorf("atom of no rule: %v", err)
	}

	got, _, err := s.c.Get(ctx, "/v1/alerts/rules/"+rule.ID, "")
	if err != nil || !strings.Contains(string(got), `"kind":"story"`) || strings.Contains(string(got), "secret") {
		t.Errorf("GET rule: %s, %v", got, err)
	}
	if err := s.c.DeleteAlertRule(ctx, rule.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.c.DeleteAlertRule(ctx, rule.ID); client.Code(err) != "not_found" {
		t.Errorf("second delete: %v", err)
	}
	if left, err := s.c.Alerts(ctx, client.AlertFilter{Rule: rule.ID}); err != nil || len(left.Alerts) != 0 {
		t.Errorf("alerts of a deleted rule: %+v, %v", left, err)
	}
}
