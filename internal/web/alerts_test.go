package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"dossier/internal/news"
	"dossier/internal/pipeline"
)

// Reports written for this test: a count, its revision, and an Arabic
// report of the revision.
var (
	webCount    = "Spy agency counts North Korean soldiers killed\nAbout 300 North Korean soldiers have been killed fighting for Russia in the Kursk region, South Korea's spy agency said on Monday.\n"
	webRevision = "North Korean soldiers killed now put at 600\nAbout 600 North Korean soldiers have been killed fighting for Russia in the Kursk region, South Korea's spy agency said on Thursday, revising its count.\n"
	webArabic   = "ارتفاع عدد قتلى الجنود الكوريين الشماليين في كورسك إلى 600\nقُتل نحو 600 جندي كوري شمالي أثناء القتال إلى جانب روسيا في منطقة كورسك، بحسب وكالة الاستخبارات الكورية الجنوبية.\n"
)

func alertsForm(t *testing.T, h http.Handler) (*http.Cookie, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/alerts", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /alerts: %d", rec.Code)
	}
	var c *http.Cookie
	for _, ck := range rec.Result().Cookies() {
		if ck.Name == alertsCSRFCookie {
			c = ck
		}
	}
	if c == nil || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != "/alerts" {
		t.Fatalf("no strict, HttpOnly CSRF cookie for /alerts: %+v", c)
	}
	return c, c.Value
}

func postTo(h http.Handler, path string, form url.Values, cookies []*http.Cookie, origin string) *httptest.ResponseRecorder {
	req := httptest.NewRequest("POST", path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	for _, c := range cookies {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func ingestText(t *testing.T, svc *pipeline.Service, key, text string, captured time.Time) {
	t.Helper()
	p := news.Page{Key: key, URL: key, Origin: "test", Captured: captured, Body: []byte(text), Format: news.FormatText}
	if sum, err := svc.IngestPages(context.Background(), []news.Page{p}, pipeline.IngestOptions{}); err != nil || sum.Articles != 1 {
		t.Fatalf("ingest %s: %+v, %v", key, sum, err)
	}
}

// TestNotificationsPage adds a rule through the page, ingests a revised
// figure and its Arabic report, and reads the alerts on the page: what
// changed, before and after, the quoted sentence in its language and
// direction, the source and the story; then deletes the rule.
func TestNotificationsPage(t *testing.T) {
	svc := emptyService(t)
	h := New(svc, Options{Token: "s3cret"})
	day := time.Date(2025, 1, 14, 0, 0, 0, 0, time.UTC)
	ingestText(t, svc, "https://news.example/count", webCount, day)

	c, tok := alertsForm(t, h)
	good := url.Values{"csrf": {tok}, "token": {"s3cret"}, "kind": {"figure"}, "value": {"North Korean soldiers killed"},
		"webhook": {"https://hooks.example/dossier"}}
	// Refused: no CSRF cookie, another site, a wrong token.
	if rec := postTo(h, "/alerts/rules", good, nil, ""); rec.Code != http.StatusForbidden {
		t.Errorf("without the CSRF cookie: %d", rec.Code)
	}
	if rec := postTo(h, "/alerts/rules", good, []*http.Cookie{c}, "https://evil.example"); rec.Code != http.StatusForbidden {
		t.Errorf("cross-origin: %d", rec.Code)
	}
	bad := url.Values{"csrf": {tok}, "token": {"wrong"}, "kind": {"figure"}, "value": {"x"}}
	if rec := postTo(h, "/alerts/rules", bad, []*http.Cookie{c}, ""); rec.Code != http.StatusUnauthorized {
		t.Errorf("wrong token: %d", rec.Code)
	}
	noStory := url.Values{"csrf": {tok}, "token": {"s3cret"}, "kind": {"story"}, "value": {"987"}}
	if rec := postTo(h, "/alerts/rules", noStory, []*http.Cookie{c}, ""); rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "no story 987") {
		t.Errorf("unknown story: %d %s", rec.Code, rec.Body.String())
	}
	if rules, _ := svc.AlertRules(context.Background()); len(rules) != 0 {
		t.Fatalf("refused forms stored rules: %+v", rules)
	}
	rec := postTo(h, "/alerts/rules", good, []*http.Cookie{c}, "")
	body := rec.Body.String()
	rules, _ := svc.AlertRules(context.Background())
	if rec.Code != http.StatusOK || len(rules) != 1 || !strings.Contains(body, rules[0].Secret) {
		t.Fatalf("add rule: %d, rules %+v; the page must show the new webhook's secret once", rec.Code, rules)
	}

	// Follow the story too, and have the browser remember the token.
	sp, err := svc.Stories(context.Background(), pipeline.StoryFilter{})
	if err != nil || len(sp.Stories) != 1 {
		t.Fatalf("stories: %+v, %v", sp, err)
	}
	follow := url.Values{"csrf": {tok}, "token": {"s3cret"}, "kind": {"story"}, "value": {strconv.FormatInt(sp.Stories[0].ID, 10)}, "remember": {"1"}}
	rec = postTo(h, "/alerts/rules", follow, []*http.Cookie{c}, "")
	if rec.Code != http.StatusOK {
		t.Fatalf("follow story: %d", rec.Code)
	}
	var auth *http.Cookie
	for _, ck := range rec.Result().Cookies() {
		if ck.Name == authCookie {
			auth = ck
		}
	}
	if auth == nil {
		t.Fatal("remember set no cookie")
	}

	ingestText(t, svc, "https://news.example/revision", webRevision, day.AddDate(0, 1, 0))
	ingestText(t, svc, "https://arabic.example/revision", webArabic, day.AddDate(0, 1, 1))
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/alerts", nil))
	body = rec.Body.String()
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /alerts: %d", rec.Code)
	}
	for _, want := range []string{"Changed figure", "Before: <bdi>about 300</bdi>", "After: <bdi>about 600</bdi>",
		`<blockquote lang="en" dir="ltr">About 600 North Korean soldiers`, `href="https://news.example/revision"`,
		"New language", `<blockquote lang="ar" dir="rtl">`, "New article",
		`href="/articles/`, `href="/stories/`, `href="/v1/alerts/rules/r1/atom"`, `aria-current="page">Notifications`} {
		if !strings.Contains(body, want) {
			t.Errorf("notifications page lacks %q", want)
		}
	}
	// The page is CSP-strict: no inline script or style.
	if regexp.MustCompile(`<script(?:\s[^>]*)?>[^<]|\sstyle=|<style`).MatchString(body) {
		t.Errorf("inline script or style on the page")
	}
	if csp := rec.Header().Get("Content-Security-Policy"); csp != CSP {
		t.Errorf("CSP %q", csp)
	}
	// The filter by rule.
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/alerts?rule=1", nil))
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Alerts of rule 1") || strings.Contains(rec.Body.String(), "New language") {
		t.Errorf("filtered page: %d, or shows another rule's alerts", rec.Code)
	}

	// Delete with the remembered token.
	rec = postTo(h, "/alerts/rules/1/delete", url.Values{"csrf": {tok}}, []*http.Cookie{c, auth}, "")
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("delete: %d %s", rec.Code, rec.Body.String())
	}
	if rules, _ := svc.AlertRules(context.Background()); len(rules) != 1 || rules[0].ID != 2 {
		t.Errorf("after delete: %+v", rules)
	}
	if rec := postTo(h, "/alerts/rules/2/delete", url.Values{"csrf": {"forged"}}, []*http.Cookie{c, auth}, ""); rec.Code != http.StatusForbidden {
		t.Errorf("forged delete: %d", rec.Code)
	}
}
