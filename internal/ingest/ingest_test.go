package ingest

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"dossier/internal/cluster"
	"dossier/internal/embed"
	"dossier/internal/extract"
	"dossier/internal/fetch"
	"dossier/internal/lang"
	"dossier/internal/news"
	"dossier/internal/store"
	"dossier/internal/store/sqlite"
	"dossier/internal/warc"
)

var det = lang.New()

func newStore(t *testing.T) store.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "d.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func testConfig() Config {
	fc := fetch.DefaultConfig()
	fc.AllowPrivate = true // test servers listen on loopback
	fc.Timeout = time.Second
	return Config{Workers: 2, MaxBytes: 8 << 20, Fetch: fc}
}

func write(t *testing.T, path string, body []byte) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, body, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func gz(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

// article builds a plain-text page about topic with some chrome around it.
func article(topic string) string {
	return fmt.Sprintf(`- 10:05Unrelated headline in the ticker
Follow us on Facebook
%s: officials describe the situation
Officials said on Tuesday that the situation around %s had changed considerably over the past week, with several agencies reporting new developments.
The report, released by the ministry, described how %s was affected and what steps would follow in the coming days according to the statement.
Comments (0)`, "News of "+topic, topic, topic)
}

func stored(t *testing.T, s store.Store) []news.Stored {
	t.Helper()
	var out []news.Stored
	if err := s.Articles(context.Background(), func(a news.Stored) error { out = append(out, a); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestBadInputsDoNotStopTheBatch(t *testing.T) {
	dir := t.TempDir()
	good := write(t, filepath.Join(dir, "good.txt"), []byte(article("the harbour")))
	binary := write(t, filepath.Join(dir, "image.png"), append([]byte("\x89PNG\r\n\x1a\n\x00\x00"), make([]byte, 100)...))
	latin1 := write(t, filepath.Join(dir, "latin1.txt"), bytes.Repeat([]byte("caf\xe9 cr\xe8me br\xfbl\xe9e "), 50))
	empty := write(t, filepath.Join(dir, "empty.txt"), nil)
	huge := filepath.Join(dir, "huge.txt")
	f, err := os.Create(huge)
	if err != nil {
		t.Fatal(err)
	}
	f.Truncate(200 << 20) // 200 MB, sparse
	f.Close()
	bomb := write(t, filepath.Join(dir, "bomb.txt.gz"), gz(bytes.Repeat([]byte("a"), 64<<20)))
	unclosed := write(t, filepath.Join(dir, "unclosed.html"), []byte("<html><body>"+strings.Repeat("<div><p>Never closed. ", 20000)+
		"<p>The council voted on Tuesday to approve the new harbour budget after a long debate about costs and the schedule of the works."))
	jsonl := write(t, filepath.Join(dir, "corpus.jsonl"), []byte(
		`{"id": "ok1", "text": "`+strings.ReplaceAll(article("the railway"), "\n", `\n`)+`", "captured": "2025-02-14"}`+"\n"+
			"this line is not JSON\n"+
			`{"text": "no id here"}`+"\n"+
			`{"id": 7, "title": "Bridge reopens", "text": "`+strings.ReplaceAll(article("the bridge"), "\n", `\n`)+`"}`+"\n"))

	mux := http.NewServeMux()
	mux.HandleFunc("/hang", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.WriteHeader(200)
		w.Write([]byte(`<?xml version="1.0"?><rss version="2.0"><channel>`))
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop", http.StatusFound) })
	srv := httptest.NewServer(mux)
	defer srv.Close()

	s := newStore(t)
	cfg := testConfig()
	private := cfg
	private.Fetch.AllowPrivate = false
	inputs := []string{good, binary, latin1, empty, huge, bomb, unclosed, jsonl, srv.URL + "/hang", srv.URL + "/loop",
		filepath.Join(dir, "missing.txt")}
	start := time.Now()
	sum, err := New(s, det, cfg, nil).Run(context.Background(), inputs)
	if err != nil {
		t.Fatal(err)
	}
	if el := time.Since(start); el > 20*time.Second {
		t.Errorf("batch took %v", el)
	}
	wantFail := map[string]error{
		binary:                            extract.ErrBinary,
		latin1:                            extract.ErrNotUTF8,
		empty:                             extract.ErrEmpty,
		huge:                              fetch.ErrTooLarge,
		bomb:                              fetch.ErrTooLarge,
		jsonl + ":2":                      nil,
		jsonl + ":3":                      nil,
		srv.URL + "/hang":                 nil,
		srv.URL + "/loop":                 fetch.ErrTooManyRedirect,
		filepath.Join(dir, "missing.txt"): os.ErrNotExist,
	}
	got := map[string]error{}
	for _, f := range sum.Failures {
		got[f.Input] = f.Err
		if !strings.Contains(f.Err.Error(), f.Input) && !strings.Contains(f.Input, ".jsonl:") {
			t.Errorf("error for %s does not name it: %v", f.Input, f.Err)
		}
	}
	for in, want := range wantFail {
		err, ok := got[in]
		if !ok {
			t.Errorf("%s: no failure reported", in)
			continue
		}
		if want != nil && !errors.Is(err, want) {
			t.Errorf("%s: err = %v, want %v", in, err, want)
		}
		delete(got, in)
	}
	for in, err := range got {
		t.Errorf("unexpected failure %s: %v", in, err)
	}
	arts := stored(t, s)
	if len(arts) != 4 || sum.Articles != 4 {
		t.Fatalf("stored %d articles (summary %d), want 4: good.txt, unclosed.html, two JSONL records", len(arts), sum.Articles)
	}
	byFile := map[string]news.Stored{}
	for _, a := range arts {
		byFile[a.Sources[0].File+"#"+a.Sources[0].ID] = a
	}
	if a := byFile["corpus.jsonl#7"]; a.Title != "Bridge reopens" || strings.Contains(a.Text, "Follow us") {
		t.Errorf("JSONL record 7: title %q, text %q", a.Title, a.Text)
	}
	if a := byFile["corpus.jsonl#ok1"]; !a.Sources[0].Captured.Equal(time.Date(2025, 2, 14, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("JSONL captured = %v", a.Sources[0].Captured)
	}
	fails, _ := s.Failures(context.Background())
	if len(fails) != len(wantFail) {
		t.Errorf("store recorded %d failures, want %d", len(fails), len(wantFail))
	}

	// The private-address guard, with the real default.
	sum, err = New(s, det, private, nil).Run(context.Background(), []string{srv.URL + "/loop", "http://169.254.169.254/latest/meta-data/"})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range sum.Failures {
		if !errors.Is(f.Err, fetch.ErrPrivateAddress) {
			t.Errorf("%s: err = %v, want ErrPrivateAddress", f.Input, f.Err)
		}
	}
	if len(sum.Failures) != 2 {
		t.Errorf("private addresses: %d failures, want 2", len(sum.Failures))
	}

	// Re-ingesting the same inputs changes nothing.
	before, _ := s.Stats(context.Background())
	sum, err = New(s, det, cfg, nil).Run(context.Background(), []string{good, unclosed, jsonl})
	if err != nil {
		t.Fatal(err)
	}
	after, _ := s.Stats(context.Background())
	if sum.Articles != 0 || sum.Unchanged != 4 || after.Articles != before.Articles || after.Sources != before.Sources || after.Pages != before.Pages {
		t.Errorf("re-ingest: summary %+v; stats before %+v after %+v", sum, before, after)
	}
}

func TestDuplicatesAreFolded(t *testing.T) {
	dir := t.TempDir()
	wire := "Ukraine asked the global chemical weapons watchdog on Tuesday to investigate the alleged use of banned toxic munitions against its forces, officials said.\n" +
		"A request to establish an investigation was submitted to the governing body of the organisation, which meets this week in The Hague.\n" +
		"It followed intelligence agencies saying on Friday they had evidence of widespread use of illegal weapons along the frontline.\n"
	a := write(t, filepath.Join(dir, "outlet-a.txt"), []byte("Ukraine urges chemical weapons probe\n"+wire+"Comments (3)"))
	b := write(t, filepath.Join(dir, "outlet-b.txt"), []byte("Follow us on Telegram\nKyiv asks watchdog to investigate\n"+wire+"Associated Press"))
	c := write(t, filepath.Join(dir, "outlet-c.txt"), []byte("Kyiv seeks inquiry\n"+strings.Replace(wire, "on Tuesday", "on Tuesday, according to a statement,", 1)+
		"The watchdog had no immediate comment on the request.\n"))
	other := write(t, filepath.Join(dir, "other.txt"), []byte(article("the harbour")))
	s := newStore(t)
	sum, err := New(s, det, testConfig(), nil).Run(context.Background(), []string{a, b, c, other})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Articles != 2 || sum.Duplicates != 2 {
		t.Errorf("summary: %d new, %d duplicates; want 2 and 2", sum.Articles, sum.Duplicates)
	}
	arts := stored(t, s)
	if len(arts) != 2 || len(arts[0].Sources) != 3 {
		t.Fatalf("want the wire story with 3 sources and one other article, got %d articles", len(arts))
	}
	var titles []string
	for _, src := range arts[0].Sources {
		titles = append(titles, src.Title)
	}
	if got := strings.Join(titles, "|"); got != "Ukraine urges chemical weapons probe|Kyiv asks watchdog to investigate|Kyiv seeks inquiry" {
		t.Errorf("source titles = %q", got)
	}
}

func TestFeedOverHTTP(t *testing.T) {
	var feedHits, pageHits atomic.Int32
	mux := http.NewServeMux()
	var srvURL string
	mux.HandleFunc("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		feedHits.Add(1)
		if r.Header.Get("If-None-Match") == `"f1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"f1"`)
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Test</title>
<item><title>Harbour works begin</title><link>%[1]s/a</link><pubDate>Fri, 14 Feb 2025 10:30:00 +0300</pubDate></item>
<item><title>انسحاب القوات</title><link>%[1]s/b</link></item>
<item><title>Gone</title><link>%[1]s/missing</link></item></channel></rss>`, srvURL)
	})
	page := func(title, body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			pageHits.Add(1)
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, "<html><head><title>%s</title></head><body><nav>Home | World | Sport</nav><article><h1>%s</h1><p>%s</p><p>%s</p></article><footer>© Example</footer></body></html>",
				title, title, body, body)
		}
	}
	mux.HandleFunc("/a", page("Harbour works begin", "Work on the new harbour began on Monday after years of delays, the city council said in a statement, adding that the first phase would take eighteen months to complete."))
	mux.HandleFunc("/b", page("انسحاب القوات", "أكدت وكالة الاستخبارات في تقريرها الأخير أن القوات قد انسحبت من المنطقة بعد أن تكبدت خسائر كبيرة في صفوفها خلال الأسابيع الماضية بحسب مسؤولين."))
	var fixed atomic.Bool
	mux.HandleFunc("/missing", func(w http.ResponseWriter, r *http.Request) {
		if !fixed.Load() {
			http.NotFound(w, r)
			return
		}
		page("Back online", "The page that failed before is served now, and the item is stored on the next run of the feed, because the feed's validators were not saved while one of its items had failed.")(w, r)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	srvURL = srv.URL

	s := newStore(t)
	sum, err := New(s, det, testConfig(), nil).Run(context.Background(), []string{srv.URL + "/feed.xml"})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Articles != 2 || len(sum.Failures) != 1 || sum.Failures[0].Input != srv.URL+"/missing" {
		t.Fatalf("summary %+v", sum)
	}
	arts := stored(t, s)
	langs := map[string]bool{}
	for _, a := range arts {
		langs[a.Language] = true
		if a.Sources[0].Captured.IsZero() {
			t.Errorf("%s: no capture time", a.Title)
		}
	}
	if !langs["en"] || !langs["ar"] {
		t.Errorf("languages = %v, want en and ar", langs)
	}
	if a := arts[0]; a.Published.Earliest != time.Date(2025, 2, 14, 7, 30, 0, 0, time.UTC) {
		t.Errorf("feed item date not kept: %+v", a.Published)
	}
	// Second run: an item failed, so the feed's validators were not saved
	// and the feed is read again; the failed item is retried and stored.
	fixed.Store(true)
	sum, err = New(s, det, testConfig(), nil).Run(context.Background(), []string{srv.URL + "/feed.xml"})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Articles != 1 || len(sum.Failures) != 0 {
		t.Fatalf("second run: the failed item was not retried: %+v", sum)
	}
	if fs, err := s.Failures(context.Background()); err != nil || len(fs) != 0 {
		t.Errorf("the failure of an input that later succeeded is still listed: %+v, %v", fs, err)
	}
	// Third run: every item is stored, the validators were saved after
	// them, and the feed answers 304 to the stored ETag: nothing is fetched.
	pages := pageHits.Load()
	sum, err = New(s, det, testConfig(), nil).Run(context.Background(), []string{srv.URL + "/feed.xml"})
	if err != nil {
		t.Fatal(err)
	}
	if feedHits.Load() != 3 || pageHits.Load() != pages || sum.Pages != 0 {
		t.Errorf("conditional request not used: feed hits %d, page hits %d→%d, summary %+v", feedHits.Load(), pages, pageHits.Load(), sum)
	}
}

func TestWARC(t *testing.T) {
	var buf bytes.Buffer
	date := time.Date(2025, 2, 14, 9, 30, 0, 0, time.UTC)
	resp := func(body string) []byte {
		return []byte("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: " + fmt.Sprint(len(body)) + "\r\n\r\n" + body)
	}
	warc.WriteRecord(&buf, "warcinfo", "<urn:uuid:0>", "", date, "application/warc-fields", []byte("software: test\r\n"), true)
	warc.WriteRecord(&buf, "response", "<urn:uuid:1>", "https://example.org/a", date, "application/http; msgtype=response",
		resp("<html><body><article><h1>Harbour works begin</h1><p>Work on the new harbour began on Monday after years of delays, the city council said in a statement on its website.</p></article></body></html>"), true)
	warc.WriteRecord(&buf, "response", "<urn:uuid:2>", "https://example.org/style.css", date, "application/http; msgtype=response",
		[]byte("HTTP/1.1 200 OK\r\nContent-Type: text/css\r\nContent-Length: 4\r\n\r\nbody"), true)
	warc.WriteRecord(&buf, "response", "<urn:uuid:3>", "https://example.org/b", date, "application/http; msgtype=response",
		resp("<html><body><article><h1>Bridge reopens</h1><p>The old bridge reopened to traffic on Friday after a two-year renovation that cost more than the council had planned, officials said.</p></article></body></html>"), true)
	path := write(t, filepath.Join(t.TempDir(), "crawl.warc.gz"), buf.Bytes())
	s := newStore(t)
	sum, err := New(s, det, testConfig(), nil).Run(context.Background(), []string{path})
	if err != nil || sum.Articles != 2 || len(sum.Failures) != 0 {
		t.Fatalf("summary %+v, err %v", sum, err)
	}
	for _, a := range stored(t, s) {
		src := a.Sources[0]
		if !src.Captured.Equal(date) || !strings.HasPrefix(src.URL, "https://example.org/") || src.File != "crawl.warc.gz" {
			t.Errorf("source = %+v", src)
		}
	}
}

// TestInterruptedRunKeepsFinishedPages cancels a run part-way and checks that
// what was stored stays, and that a rerun completes without duplicates.
func TestInterruptedRunKeepsFinishedPages(t *testing.T) {
	dir := t.TempDir()
	topics := []string{"harbour", "railway", "bridge", "airport", "hospital", "school", "library", "stadium", "museum", "market",
		"tunnel", "canal", "dam", "power plant", "port", "ferry", "highway", "university", "prison", "courthouse"}
	for i, tp := range topics {
		write(t, filepath.Join(dir, fmt.Sprintf("p%02d.txt", i)), []byte(article("the "+tp)))
	}
	s := newStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	sum, err := New(s, det, testConfig(), func(p Progress) {
		if p.Pages == 5 {
			cancel()
		}
	}).Run(ctx, []string{dir})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	st, _ := s.Stats(context.Background())
	if st.Articles < 5 || st.Articles != sum.Articles || st.Articles == len(topics) {
		t.Fatalf("after interruption: stored %d, summary %d", st.Articles, sum.Articles)
	}
	sum, err = New(s, det, testConfig(), nil).Run(context.Background(), []string{dir})
	if err != nil {
		t.Fatal(err)
	}
	st, _ = s.Stats(context.Background())
	if st.Articles != len(topics) || sum.Duplicates != 0 {
		t.Errorf("after rerun: %d articles, %d duplicates; want %d and 0", st.Articles, sum.Duplicates, len(topics))
	}
}

// TestModelReplay stores pages, loses the saved clustering model (as a run
// killed before saving it would), and checks that the next run brings the
// model up to date from the stored articles: earlier articles keep their
// clusters and a related new article joins them.
func TestModelReplay(t *testing.T) {
	dir := t.TempDir()
	// The harbour article comes second: a model that lost track of the
	// stored clusters would hand out id 1 (the election) again.
	write(t, filepath.Join(dir, "a", "p0.txt"), []byte(`Mayor wins second term in close election
Voters returned the mayor to office on Sunday after a close election count that ran late into the night, electoral officials said.
Turnout was lower than at the previous election, and the opposition candidate conceded on Monday morning.`))
	write(t, filepath.Join(dir, "a", "p1.txt"), []byte(`Harbour strike halts ferry traffic
Dock workers at the harbour walked out on Tuesday, halting ferry traffic and leaving cargo ships waiting offshore, the port authority said.
The harbour union said the strike would continue until the ministry answered its demands on pay and safety at the docks.`))
	s := newStore(t)
	if _, err := New(s, det, testConfig(), nil).Run(context.Background(), []string{filepath.Join(dir, "a")}); err != nil {
		t.Fatal(err)
	}
	before := map[int64][2]int64{}
	for _, a := range stored(t, s) {
		if a.Story == 0 || a.Event == 0 {
			t.Fatalf("article %d has no cluster", a.ID)
		}
		before[a.ID] = [2]int64{a.Story, a.Event}
	}
	// Lose the model: an empty snapshot at article 0 is what a run killed
	// before its first save leaves behind.
	if err := s.SaveModel(context.Background(), mustModel(t), 0); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, "b", "again.txt"), []byte(`Harbour dispute deepens
The situation around the harbour worsened on Wednesday as the ministry confirmed new developments and officials disagreed over the report.
Dock workers at the harbour said the agencies had not explained what steps would follow, and the ministry statement gave no timetable for the harbour.`))
	if _, err := New(s, det, testConfig(), nil).Run(context.Background(), []string{filepath.Join(dir, "b")}); err != nil {
		t.Fatal(err)
	}
	var harbour [2]int64
	for _, a := range stored(t, s) {
		if b, ok := before[a.ID]; ok {
			if b != [2]int64{a.Story, a.Event} {
				t.Errorf("article %d moved from %v to %d/%d", a.ID, b, a.Story, a.Event)
			}
			if strings.Contains(a.Text, "harbour") {
				harbour = b
			}
			continue
		}
		if a.Story != harbour[0] {
			t.Errorf("the new harbour article went to story %d, the stored harbour article is in %d", a.Story, harbour[0])
		}
	}
}

func mustModel(t *testing.T) []byte {
	t.Helper()
	b, err := cluster.New(cluster.DefaultConfig()).MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestEmbeddingSignal runs ingest against a local embeddings service that
// gives every text the same vector: two articles in different languages that
// share no word, name or number then meet, where without the service they
// stay apart. A failing service loses nothing but the signal.
func TestEmbeddingSignal(t *testing.T) {
	var calls atomic.Int32
	same := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		var req struct {
			Input []string `json:"input"`
		}
		json.NewDecoder(r.Body).Decode(&req)
		var out struct {
			Data []map[string]any `json:"data"`
		}
		for i := range req.Input {
			out.Data = append(out.Data, map[string]any{"index": i, "embedding": []float32{1, 0, 0, 0}})
		}
		json.NewEncoder(w).Encode(out)
	}))
	defer same.Close()
	broken := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, `{"error":{"message":"overloaded"}}`, http.StatusServiceUnavailable)
	}))
	defer broken.Close()

	dir := t.TempDir()
	write(t, filepath.Join(dir, "en.txt"), []byte("Council approves budget after long debate\nThe council approved the budget on Tuesday after a debate that lasted well into the evening, officials said.\nOpposition members asked for an independent review before any contracts are signed."))
	write(t, filepath.Join(dir, "fr.txt"), []byte("Le conseil adopte le budget après un long débat\nLe conseil municipal a adopté le budget mardi soir au terme d'un débat qui a duré jusque tard dans la soirée.\nL'opposition a demandé un examen indépendant avant toute signature de contrat."))

	run := func(url string) (*Summary, []news.Stored) {
		s := newStore(t)
		cfg := testConfig()
		cfg.Embed = embed.New(embed.Config{URL: url})
		sum, err := New(s, det, cfg, nil).Run(context.Background(), []string{dir})
		if err != nil {
			t.Fatal(err)
		}
		return sum, stored(t, s)
	}
	_, plain := run("")
	if len(plain) != 2 || plain[0].Story == plain[1].Story {
		t.Fatalf("without embeddings the two articles should be two stories: %+v", plain)
	}
	_, withEmb := run(same.URL)
	if calls.Load() == 0 || withEmb[0].Event != withEmb[1].Event {
		t.Errorf("with embeddings (%d calls) the articles are in events %d and %d, want one", calls.Load(), withEmb[0].Event, withEmb[1].Event)
	}
	sum, failed := run(broken.URL)
	if len(failed) != 2 || sum.EmbedErrors != 2 || len(sum.Failures) != 0 {
		t.Errorf("with a failing service: %d articles, %d embedding errors, %d failures", len(failed), sum.EmbedErrors, len(sum.Failures))
	}
}
