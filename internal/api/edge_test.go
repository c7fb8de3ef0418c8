package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"dossier/internal/client"
)

// Small articles, written for these tests, in the languages search must
// handle.
var searchPages = []client.Page{
	{Name: "troop.txt", Format: "text", Body: "Scout troop wins regional award\n\n" +
		"The scout troop from the river valley won the regional award for community service on Saturday, the organisers said. " +
		"Its members planted four hundred trees along the river banks over the summer and cleaned two parks. " +
		"Their leader said the children had worked every weekend since May.\n"},
	{Name: "troops.txt", Format: "text", Body: "Government sends troops to flooded province\n\n" +
		"The government sent troops to the flooded northern province on Monday after heavy rain destroyed roads and bridges. " +
		"Officials said soldiers were helping to evacuate villages cut off by the water. " +
		"Aid agencies warned that clean drinking water was running short in the region.\n"},
	{Name: "ar-blast.txt", Format: "text", Body: "انفجار في سوق شعبي بالعاصمة\n\n" +
		"قُتِلَ ثلاثة أشخاص وأصيب عشرة آخرون في انفجار وقع صباح اليوم في سوق شعبي وسط العاصمة، حسبما أفادت الشرطة. " +
		"وقالت السلطات إن فرق الإنقاذ نقلت الجرحى إلى المستشفيات القريبة، وإن التحقيق جار لمعرفة أسباب الانفجار.\n"},
	{Name: "zh-typhoon.txt", Format: "text", Body: "强台风袭击南部沿海城市\n\n" +
		"强台风周一晚间在南部沿海登陆，带来狂风暴雨。当地政府已疏散数万名居民，学校和工厂停工停课。" +
		"气象部门表示，这场台风将继续向西北方向移动，强度逐渐减弱。\n"},
	{Name: "de-soldaten.txt", Format: "text", Body: "Soldaten verlassen die Stadt im Norden\n\n" +
		"Die letzten Soldaten haben am Montag die Stadt im Norden verlassen, teilte das Verteidigungsministerium mit. " +
		"Die Bewohner kehrten danach in ihre Häuser zurück. Die Regierung kündigte Hilfe für den Wiederaufbau der Brücken an.\n"},
	{Name: "ar-zelensky.txt", Format: "text", Body: "الرئيس الأوكراني يطلب مزيدا من الدفاعات الجوية\n\n" +
		"قال الرئيس الأوكراني فولوديمير زيلينسكي يوم الثلاثاء إن بلاده بحاجة إلى مزيد من أنظمة الدفاع الجوي لحماية المدن من الهجمات. " +
		"وأضاف زيلينسكي في خطاب مسائي أن الحكومة تعمل مع الشركاء لتأمين الإمدادات قبل حلول الشتاء.\n"},
}

func ingestSearchPages(t *testing.T, s *testServer) map[string]string {
	t.Helper()
	sum, err := s.c.Ingest(context.Background(), client.IngestRequest{Pages: searchPages, Captured: "2025-03-10"})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Pages != len(searchPages) || len(sum.Failures) > 0 || sum.Articles != len(searchPages) {
		t.Fatalf("ingest: %+v", sum)
	}
	// Which article each page became.
	byFile := map[string]string{}
	for i := 1; i <= len(searchPages)+2; i++ {
		a, err := s.c.Article(context.Background(), fmt.Sprintf("a%d", i))
		if err != nil {
			continue
		}
		for _, src := range a.Sources {
			if src.File != nil {
				byFile[*src.File] = a.ID
			}
		}
	}
	return byFile
}

func TestSearch(t *testing.T) {
	s := newTestServer(t, Options{})
	ctx := context.Background()
	art := ingestSearchPages(t, s)
	tests := []struct {
		name, q, want string
		viaEntity     bool
		highlight     string
	}{
		{"arabic without diacritics finds the vocalised word", "قتل", "ar-blast.txt", false, "قُتِلَ"},
		{"arabic with diacritics", "قُتِلَ", "ar-blast.txt", false, "قُتِلَ"},
		{"chinese two-character word", "台风", "zh-typhoon.txt", false, "台风"},
		{"plural finds singular", "troops", "troop.txt", false, "troop"},
		{"singular finds plural", "troop", "troops.txt", false, "troops"},
		{"german inflection", "Soldat", "de-soldaten.txt", false, "Soldaten"},
		{"entity across scripts", "Zelenskyy", "ar-zelensky.txt", true, "زيلينسكي"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := s.c.Search(ctx, client.SearchRequest{Query: tt.q})
			if err != nil {
				t.Fatal(err)
			}
			var hit *client.SearchHit
			for i := range res.Hits {
				if res.Hits[i].Article == art[tt.want] {
					hit = &res.Hits[i]
				}
			}
			if hit == nil {
				t.Fatalf("%q does not find %s (%s): %+v", tt.q, tt.want, art[tt.want], res.Hits)
			}
			if hit.ViaEntity != tt.viaEntity {
				t.Errorf("%q: via_entity = %v, want %v", tt.q, hit.ViaEntity, tt.viaEntity)
			}
			var marked []string
			for _, h := range hit.Snippet.Highlights {
				marked = append(marked, hit.Snippet.Text[h[0]:h[1]])
			}
			if !strings.Contains(strings.Join(marked, "|"), tt.highlight) {
				t.Errorf("%q: highlights %q in %q, want %q", tt.q, marked, hit.Snippet.Text, tt.highlight)
			}
			if tt.viaEntity {
				found := false
				for _, e := range res.Entities {
					found = found || e.ID == "person:volodymyr-zelenskyy"
				}
				if !found {
					t.Errorf("%q: entities %+v lack person:volodymyr-zelenskyy", tt.q, res.Entities)
				}
			}
		})
	}
	// Words in no article find nothing, and no entity.
	res, err := s.c.Search(ctx, client.SearchRequest{Query: "submarine"})
	if err != nil || len(res.Hits) != 0 || len(res.Entities) != 0 {
		t.Errorf("submarine: %+v %v", res, err)
	}
	// Filters.
	res, err = s.c.Search(ctx, client.SearchRequest{Query: "troop", Lang: "ar"})
	if err != nil || len(res.Hits) != 0 {
		t.Errorf("troop in ar: %+v %v", res.Hits, err)
	}
	res, err = s.c.Search(ctx, client.SearchRequest{Query: "troop", To: "2000-01-01"})
	if err != nil || len(res.Hits) != 0 {
		t.Errorf("troop before 2000: %+v %v", res.Hits, err)
	}
	// Paging: two pages of one hit each are the two hits.
	both, err := s.c.Search(ctx, client.SearchRequest{Query: "troop"})
	if err != nil || len(both.Hits) != 2 {
		t.Fatalf("troop: %+v %v", both.Hits, err)
	}
	p1, err := s.c.Search(ctx, client.SearchRequest{Query: "troop", Limit: 1})
	if err != nil || len(p1.Hits) != 1 || p1.Next == nil {
		t.Fatalf("page 1: %+v %v", p1, err)
	}
	p2, err := s.c.Search(ctx, client.SearchRequest{Query: "troop", Limit: 1, Cursor: *p1.Next})
	if err != nil || len(p2.Hits) != 1 || p2.Hits[0].Article != both.Hits[1].Article {
		t.Errorf("page 2: %+v %v; both %+v; p1 %+v", p2, err, both.Hits, p1.Hits)
	}
	_, err = s.c.Search(ctx, client.SearchRequest{})
	wantCode(t, "empty query", err, 400, "bad_request")
	_, err = s.c.Search(ctx, client.SearchRequest{Query: "troop", Cursor: "AAAA"})
	wantCode(t, "bad cursor", err, 400, "bad_cursor")

	// The entity knows the name it goes by in Arabic.
	e, err := s.c.Entity(ctx, "person:volodymyr-zelenskyy", "", 0)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, a := range e.Aliases {
		found = found || (strings.Contains(a.Name, "زيلينسكي") && a.Count > 0)
	}
	if !found || len(e.Articles) != 1 || e.Articles[0] != art["ar-zelensky.txt"] {
		t.Errorf("entity: %+v", e)
	}
	_, err = s.c.Entity(ctx, "person:volodymyr-zelenskyy", "xyz", 0)
	wantCode(t, "entity bad cursor", err, 400, "bad_cursor")
}

func TestAuth(t *testing.T) {
	s := newTestServer(t, Options{})
	ctx := context.Background()
	req := client.IngestRequest{Pages: searchPages[:1]}
	_, err := s.anon.Ingest(ctx, req)
	wantCode(t, "write without token", err, 401, "unauthorized")
	_, err = client.New(s.URL, client.WithToken("wrong")).Ingest(ctx, req)
	wantCode(t, "write with a wrong token", err, 401, "unauthorized")
	if _, err := s.c.Ingest(ctx, req); err != nil {
		t.Errorf("write with the token: %v", err)
	}
	// Reads are open on loopback.
	if _, err := s.anon.Stories(ctx, client.StoryFilter{}); err != nil {
		t.Errorf("read without token on loopback: %v", err)
	}

	// Bound beyond loopback, reads need the token too; /healthz does not.
	closed := newTestServer(t, Options{ReadsNeedToken: true})
	_, err = closed.anon.Stories(ctx, client.StoryFilter{})
	wantCode(t, "read without token", err, 401, "unauthorized")
	_, err = closed.anon.Metrics(ctx)
	wantCode(t, "metrics without token", err, 401, "unauthorized")
	if _, err := closed.c.Stories(ctx, client.StoryFilter{}); err != nil {
		t.Errorf("read with token: %v", err)
	}
	if h, err := closed.anon.Health(ctx); err != nil || h.Status != "ok" {
		t.Errorf("healthz: %+v %v", h, err)
	}
	code, hdr, _ := closed.do(t, "GET", "/v1/stories", nil, nil)
	if code != 401 || !strings.HasPrefix(hdr.Get("WWW-Authenticate"), "Bearer") {
		t.Errorf("401 without WWW-Authenticate: %d %v", code, hdr)
	}
	// A server with no token refuses every write.
	s.h.opts.Token = ""
	_, err = s.c.Ingest(ctx, req)
	wantCode(t, "write to a server without token", err, 401, "unauthorized")
}

func TestETag(t *testing.T) {
	s := newTestServer(t, Options{})
	ctx := context.Background()
	ingestSearchPages(t, s)
	for _, path := range []string{"/v1/stories", "/v1/stories/s1", "/v1/articles/a1", "/v1/entities/person:volodymyr-zelenskyy", "/v1/openapi.json"} {
		body, etag, err := s.c.Get(ctx, path, "")
		if err != nil || etag == "" || len(body) == 0 {
			t.Errorf("%s: etag %q, %v", path, etag, err)
			continue
		}
		if _, _, err := s.c.Get(ctx, path, etag); err != client.ErrNotModified {
			t.Errorf("%s with If-None-Match %s: %v, want 304", path, etag, err)
		}
		if _, _, err := s.c.Get(ctx, path, `W/`+etag+`, "other"`); err != client.ErrNotModified {
			t.Errorf("%s with a weak list: %v, want 304", path, err)
		}
		b2, _, err := s.c.Get(ctx, path, `"stale"`)
		if err != nil || string(b2) != string(body) {
			t.Errorf("%s with a stale ETag: %v", path, err)
		}
	}
	// A change to the story changes its ETag.
	_, before, _ := s.c.Get(ctx, "/v1/stories", "")
	if _, err := s.c.Ingest(ctx, client.IngestRequest{Pages: []client.Page{{Name: "more.txt", Format: "text", Captured: "2025-03-11",
		Body: "Harbour works begin in the old port\n\nWork on the new harbour began on Monday after years of delays, the city council said in a statement on Tuesday. The project will take three years.\n"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.c.Stories(ctx, client.StoryFilter{}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.c.Get(ctx, "/v1/stories", before); err != nil {
		t.Errorf("after a change, the old ETag: %v, want 200", err)
	}
}

func TestErrors(t *testing.T) {
	s := newTestServer(t, Options{MaxBody: 4096})
	tests := []struct {
		method, path string
		body         string
		hdr          map[string]string
		status       int
		code         string
	}{
		{"GET", "/v1/nowhere", "", nil, 404, "not_found"},
		{"GET", "/v1/stories/s404", "", nil, 404, "not_found"},
		{"GET", "/v1/stories/banana", "", nil, 404, "not_found"},
		{"GET", "/v1/articles/0", "", nil, 404, "not_found"},
		{"DELETE", "/v1/stories", "", nil, 405, "method_not_allowed"},
		{"POST", "/v1/stories", "", nil, 405, "method_not_allowed"},
		{"GET", "/v1/ingest", "", nil, 405, "method_not_allowed"},
		{"GET", "/v1/stories?limit=ten", "", nil, 400, "bad_request"},
		{"GET", "/v1/stories?limit=-1", "", nil, 400, "bad_request"},
		{"GET", "/v1/stories?cursor=%25%25", "", nil, 400, "bad_cursor"},
		{"GET", "/v1/stories?cursor=bm90IGEgY3Vyc29y", "", nil, 400, "bad_cursor"},
		{"GET", "/v1/figures?cursor=xyz", "", nil, 400, "bad_cursor"},
		{"GET", "/v1/search?q=x&from=soon", "", nil, 400, "bad_request"},
		{"GET", "/v1/export?format=pdf", "", nil, 400, "bad_request"},
		{"POST", "/v1/ingest", `{"urls":`, auth(), 400, "bad_request"},
		{"POST", "/v1/ingest", `{}`, auth(), 400, "bad_request"},
		{"POST", "/v1/ingest", `{"urls":["file:///etc/passwd"]}`, auth(), 400, "bad_request"},
		{"POST", "/v1/ingest", `{"urls":["/etc/passwd"]}`, auth(), 400, "bad_request"},
		{"POST", "/v1/ingest", `{"pages":[{"name":"../x.txt","body":"x"}]}`, auth(), 400, "bad_request"},
		{"POST", "/v1/ingest", `{"pages":[{"name":"x.txt","body":""}]}`, auth(), 400, "bad_request"},
		{"POST", "/v1/ingest", `{"pages":[{"name":"x.txt","body":"x","format":"pdf"}]}`, auth(), 400, "bad_request"},
		{"POST", "/v1/ingest", `{"pages":[{"name":"x.txt","body":"x","captured":"tuesday"}]}`, auth(), 400, "bad_request"},
		{"POST", "/v1/ingest", `{"pages":[],"extra":1}`, auth(), 400, "bad_request"},
		{"POST", "/v1/ingest", `{"urls":["http://x"]} {}`, auth(), 400, "bad_request"},
		{"POST", "/v1/ingest", `{"pages":[{"name":"big.txt","body":"` + strings.Repeat("word ", 2000) + `"}]}`, auth(), 413, "too_large"},
		{"POST", "/v1/ingest", `x`, map[string]string{"Authorization": "Bearer " + testToken, "Content-Type": "text/plain"}, 415, "unsupported_media_type"},
		{"POST", "/v1/ingest", `{}`, nil, 401, "unauthorized"},
	}
	for _, tt := range tests {
		code, hdr, body := s.do(t, tt.method, tt.path, []byte(tt.body), tt.hdr)
		var env client.ErrorBody
		if err := json.Unmarshal(body, &env); err != nil {
			t.Errorf("%s %s: body %q is not the envelope", tt.method, tt.path, body)
			continue
		}
		if code != tt.status || env.Error.Code != tt.code || env.Error.Message == "" {
			t.Errorf("%s %s: %d %+v, want %d %s", tt.method, tt.path, code, env.Error, tt.status, tt.code)
		}
		if ct := hdr.Get("Content-Type"); ct != "application/json" {
			t.Errorf("%s %s: Content-Type %q", tt.method, tt.path, ct)
		}
		if tt.status == 405 && hdr.Get("Allow") == "" {
			t.Errorf("%s %s: 405 without Allow", tt.method, tt.path)
		}
	}
	// A URL the server may not fetch (loopback) is a failure in the
	// summary, not an error.
	sum, err := s.c.Ingest(context.Background(), client.IngestRequest{URLs: []string{s.URL + "/page.html"}})
	if err != nil || len(sum.Failures) != 1 || sum.Articles != 0 {
		t.Errorf("loopback URL: %+v %v", sum, err)
	}
}

func auth() map[string]string {
	return map[string]string{"Authorization": "Bearer " + testToken, "Content-Type": "application/json"}
}

func TestRateLimit(t *testing.T) {
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	s := newTestServer(t, Options{Rate: 0.5, Burst: 3, Now: clock})
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		if _, err := s.c.Stories(ctx, client.StoryFilter{}); err != nil {
			t.Fatalf("request %d within the burst: %v", i+1, err)
		}
	}
	_, err := s.c.Stories(ctx, client.StoryFilter{})
	wantCode(t, "over the burst", err, 429, "rate_limited")
	var e *client.Error
	if errors.As(err, &e) && e.RetryAfter != 2*time.Second {
		t.Errorf("Retry-After %v, want 2s (one token at 0.5/s)", e.RetryAfter)
	}
	// /healthz is never limited.
	if _, err := s.c.Health(ctx); err != nil {
		t.Errorf("healthz limited: %v", err)
	}
	// Two seconds later one token is back.
	mu.Lock()
	now = now.Add(2 * time.Second)
	mu.Unlock()
	if _, err := s.c.Stories(ctx, client.StoryFilter{}); err != nil {
		t.Errorf("after Retry-After: %v", err)
	}
	_, err = s.c.Stories(ctx, client.StoryFilter{})
	wantCode(t, "again over", err, 429, "rate_limited")
}

func TestMetrics(t *testing.T) {
	s := newTestServer(t, Options{})
	ctx := context.Background()
	ingestSearchPages(t, s)
	s.c.Stories(ctx, client.StoryFilter{})
	s.c.Story(ctx, "s999999")
	m, err := s.c.Metrics(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"# TYPE dossier_http_requests_total counter",
		`dossier_http_requests_total{route="GET /v1/stories",method="GET",status="200"} 1`,
		`dossier_http_requests_total{route="GET /v1/stories/{id}",method="GET",status="404"} 1`,
		`dossier_http_requests_total{route="POST /v1/ingest",method="POST",status="200"} 1`,
		"# TYPE dossier_http_request_duration_seconds histogram",
		`dossier_http_request_duration_seconds_bucket{route="GET /v1/stories",le="+Inf"} 1`,
		`dossier_http_request_duration_seconds_count{route="POST /v1/ingest"} 1`,
		"dossier_ingest_requests_total 1",
		fmt.Sprintf("dossier_ingest_articles_total %d", len(searchPages)),
		fmt.Sprintf("dossier_ingest_pages_total %d", len(searchPages)),
	} {
		if !strings.Contains(m, want) {
			t.Errorf("metrics lack %q:\n%s", want, m)
		}
	}
	// Every sample line is NAME{labels} VALUE or NAME VALUE.
	for _, line := range strings.Split(strings.TrimSpace(m), "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		if f := strings.Fields(line); len(f) < 2 || !strings.HasPrefix(f[0], "dossier_") {
			t.Errorf("bad sample line %q", line)
		}
	}
}

// TestGracefulShutdown shuts the server down while an ingest is in flight:
// the ingest finishes and answers, and everything it stored is there when
// the data directory is opened again.
func TestGracefulShutdown(t *testing.T) {
	s := newTestServer(t, Options{})
	started := make(chan struct{})
	var once sync.Once
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1/ingest" {
			once.Do(func() { close(started) })
		}
		s.h.ServeHTTP(w, r)
	})}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	c := client.New("http://"+ln.Addr().String(), client.WithToken(testToken))
	var pages []client.Page
	for i := 0; i < 40; i++ {
		pages = append(pages, client.Page{Name: fmt.Sprintf("p%02d.txt", i), Format: "text", Captured: "2025-02-01",
			Body: fmt.Sprintf("Council report %d on the harbour district\n\nThe council published report number %d on the harbour district on Monday, "+
				"describing %d new houses, %d repaired streets and a plan for the old market hall. Residents have until March to comment.\n", i, i, i*7+3, i*3+1)})
	}
	type result struct {
		sum client.IngestSummary
		err error
	}
	done := make(chan result, 1)
	go func() {
		sum, err := c.Ingest(context.Background(), client.IngestRequest{Pages: pages})
		done <- result{sum, err}
	}()
	<-started
	s.h.Drain()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	r := <-done
	if r.err != nil || r.sum.Pages != len(pages) || len(r.sum.Failures) != 0 {
		t.Fatalf("ingest in flight: %+v %v", r.sum, r.err)
	}
	// Draining: healthz says so, new ingests are refused.
	_, err = s.c.Health(context.Background())
	wantCode(t, "healthz while draining", err, 503, "unavailable")
	_, err = s.c.Ingest(context.Background(), client.IngestRequest{Pages: pages[:1]})
	wantCode(t, "ingest while draining", err, 503, "unavailable")
	st, err := s.svc.Stats(context.Background())
	if err != nil || st.Pages != len(pages) {
		t.Errorf("stored pages %d (%v), want %d", st.Pages, err, len(pages))
	}
}
