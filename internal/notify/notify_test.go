package notify

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"dossier/internal/pipeline"
	"dossier/internal/store"
)

// receiver is a webhook endpoint that fails its first failures requests.
type receiver struct {
	mu       sync.Mutex
	failures int
	secret   string
	now      func() time.Time
	got      []delivery
	arrived  chan struct{}
}

type delivery struct {
	alert, attempt string
	payload        Payload
	verified       error
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	d := delivery{alert: r.Header.Get(HeaderAlert), attempt: r.Header.Get(HeaderAttempt)}
	d.verified = Verify(rc.secret, r.Header.Get(HeaderTimestamp), r.Header.Get(HeaderSignature), body, rc.now(), 5*time.Minute)
	if err := json.Unmarshal(body, &d.payload); err != nil {
		d.verified = err
	}
	rc.got = append(rc.got, d)
	if rc.arrived != nil {
		select {
		case rc.arrived <- struct{}{}:
		default:
		}
	}
	if len(rc.got) <= rc.failures {
		http.Error(w, "not now", http.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (rc *receiver) deliveries() []delivery {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]delivery(nil), rc.got...)
}

// plant opens a data directory, adds a webhook rule and stores one alert
// of it as the pipeline does (with a story view).
func plant(t *testing.T, dir, hook string) (*pipeline.Service, store.AlertRule, store.Alert) {
	t.Helper()
	ctx := context.Background()
	svc, err := pipeline.Open(ctx, pipeline.Config{DataDir: dir}, "test")
	if err != nil {
		t.Fatal(err)
	}
	r, err := svc.AddAlertRule(ctx, pipeline.NewAlertRule{Figure: "North Korean soldiers killed", Webhook: hook})
	if err != nil {
		t.Fatal(err)
	}
	a := store.Alert{ID: "0123456789abcdef0123456789abcdef", Rule: r.ID, Story: 4, Kind: "changed_figure", Key: "k",
		Topic: "killed: North Korean soldiers", Text: "Changed figure: killed: North Korean soldiers went from 300 to 600",
		Before: "300", After: "600", Sentence: "600 North Korean soldiers were killed, the agency said.", Lang: "en",
		Site: "example.org", URL: "https://example.org/a", Archive: "https://example.org/a", Article: 9, StoryTitle: "Troops in Kursk",
		At: time.Date(2025, 4, 20, 0, 0, 0, 0, time.UTC), Created: time.Now()}
	if n, err := svc.Store().SaveStoryViewAlerts(ctx, store.StoryView{Story: 4, Title: "Troops in Kursk", Articles: 1, Data: []byte(`{}`)},
		[]store.Alert{a}, 0); err != nil || n != 1 {
		t.Fatalf("plant alert: %d, %v", n, err)
	}
	return svc, r, a
}

// TestRetriedUntilDelivered has a receiver fail three times, restarts the
// service in between, and checks that the delivery is retried on its
// backoff (not before), signed, with one stable id, until it succeeds, and
// never after.
func TestRetriedUntilDelivered(t *testing.T) {
	ctx := context.Background()
	// The clock starts after the alert is stored (on the real clock).
	clock := time.Now().Add(time.Minute).Truncate(time.Second)
	now := func() time.Time { return clock }
	rc := &receiver{failures: 3, now: now}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	dir := filepath.Join(t.TempDir(), "data")
	svc, rule, a := plant(t, dir, srv.URL+"/hook")
	rc.secret = rule.Secret
	backoff := func(n int) time.Duration { return time.Duration(1<<(n-1)) * time.Minute }
	cfg := Config{AllowPrivate: true, Now: now, Backoff: backoff, BaseURL: "https://dossier.example/"}

	attempt := func(wantOK int) {
		t.Helper()
		ok, err := New(svc, cfg).DeliverDue(ctx)
		if err != nil || ok != wantOK {
			t.Fatalf("DeliverDue at %v = %d, %v; want %d", clock, ok, err, wantOK)
		}
	}
	attempt(0) // 1: fails; due again in 1 minute
	clock = clock.Add(30 * time.Second)
	attempt(0) // not due: no request
	if n := len(rc.deliveries()); n != 1 {
		t.Fatalf("%d requests before the retry is due, want 1", n)
	}
	clock = clock.Add(31 * time.Second)
	attempt(0) // 2: fails; due again in 2 minutes

	// Restart: the delivery's state is in the store.
	if err := svc.Close(); err != nil {
		t.Fatal(err)
	}
	svc, err := pipeline.Open(ctx, pipeline.Config{DataDir: dir}, "test")
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	ds, err := svc.Deliveries(ctx, a.ID)
	if err != nil || len(ds) != 1 || ds[0].Attempts != 2 || !strings.Contains(ds[0].LastError, "503") || !ds[0].Due.Equal(clock.Add(2*time.Minute)) {
		t.Fatalf("after restart: %+v, %v", ds, err)
	}
	clock = clock.Add(2 * time.Minute)
	attempt(0) // 3: fails
	clock = clock.Add(4 * time.Minute)
	attempt(1) // 4: delivered
	clock = clock.Add(24 * time.Hour)
	attempt(0) // nothing left

	got := rc.deliveries()
	if len(got) != 4 {
		t.Fatalf("%d requests, want 4", len(got))
	}
	for i, d := range got {
		if d.verified != nil {
			t.Errorf("request %d: signature: %v", i+1, d.verified)
		}
		if d.alert != a.ID || d.payload.ID != a.ID || d.attempt != string(rune('1'+i)) {
			t.Errorf("request %d: alert %q, payload id %q, attempt %q; want the stable id %s, attempt %d", i+1, d.alert, d.payload.ID, d.attempt, a.ID, i+1)
		}
	}
	p := got[3].payload
	if p.Before != "300" || p.After != "600" || p.Sentence == nil || p.Sentence.Lang != "en" || p.Story.URL != "https://dossier.example/stories/4" ||
		p.Source.URL != a.URL || p.Source.Archive == "" || p.Kind != "changed_figure" {
		t.Errorf("payload %+v", p)
	}
	ds, _ = svc.Deliveries(ctx, a.ID)
	if len(ds) != 1 || ds[0].Delivered.IsZero() || ds[0].Attempts != 4 || ds[0].LastError != "" {
		t.Errorf("final state %+v", ds)
	}
}

// TestPrivateAddressRefused checks that a webhook on loopback is refused
// unless allowed, and the refusal recorded and retried later.
func TestPrivateAddressRefused(t *testing.T) {
	rc := &receiver{now: time.Now}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	svc, rule, a := plant(t, filepath.Join(t.TempDir(), "data"), srv.URL)
	defer svc.Close()
	rc.secret = rule.Secret
	ok, err := New(svc, Config{}).DeliverDue(context.Background())
	if err != nil || ok != 0 || len(rc.deliveries()) != 0 {
		t.Fatalf("delivered to loopback: %d, %v, %d requests", ok, err, len(rc.deliveries()))
	}
	ds, _ := svc.Deliveries(context.Background(), a.ID)
	if len(ds) != 1 || !strings.Contains(ds[0].LastError, "private") || ds[0].Due.Before(time.Now().Add(20*time.Second)) {
		t.Errorf("refusal not recorded with a retry: %+v", ds)
	}
}

func TestVerify(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	body := []byte(`{"id":"x"}`)
	ts := "1800000000"
	sig := Sign("secret", ts, body)
	if err := Verify("secret", ts, sig, body, now, time.Minute); err != nil {
		t.Errorf("good signature: %v", err)
	}
	for name, err := range map[string]error{
		"tampered body":  Verify("secret", ts, sig, []byte(`{"id":"y"}`), now, time.Minute),
		"other secret":   Verify("other", ts, sig, body, now, time.Minute),
		"other time":     Verify("secret", "1800000001", sig, body, now, time.Minute),
		"replayed later": Verify("secret", ts, sig, body, now.Add(time.Hour), time.Minute),
		"bad timestamp":  Verify("secret", "soon", sig, body, now, time.Minute),
	} {
		if err == nil {
			t.Errorf("%s: verified", name)
		}
	}
	if !errors.Is(Verify("secret", ts, sig, body, now.Add(time.Hour), time.Minute), ErrStale) {
		t.Errorf("a replay is not reported stale")
	}
}

func TestDefaultBackoff(t *testing.T) {
	prev := time.Duration(0)
	for n := 1; n <= 20; n++ {
		d := DefaultBackoff(n)
		if d < 24*time.Second || d > 6*time.Hour*12/10 {
			t.Errorf("attempt %d waits %v", n, d)
		}
		if n <= 5 && d < prev*5/4 {
			t.Errorf("attempt %d waits %v after %v: not growing", n, d, prev)
		}
		prev = d
	}
}

// TestRunDeliversPromptly runs the notifier as serve does and measures the
// time from an alert being stored to its delivery.
func TestRunDeliversPromptly(t *testing.T) {
	rc := &receiver{now: time.Now, arrived: make(chan struct{}, 1)}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	svc, rule, a := plant(t, filepath.Join(t.TempDir(), "data"), srv.URL)
	defer svc.Close()
	rc.secret = rule.Secret
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- New(svc, Config{AllowPrivate: true}).Run(ctx) }()
	select {
	case <-rc.arrived:
	case <-time.After(10 * time.Second):
		t.Fatal("no delivery within 10s")
	}
	took := time.Since(a.Created)
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	t.Logf("alert stored to webhook delivered: %v", took)
	if got := rc.deliveries(); len(got) != 1 || got[0].verified != nil {
		t.Errorf("deliveries %+v", got)
	}
}

// Two reports written for this test: a count, then its revision.
const (
	countReport    = `{"id":"n1","title":"Spy agency counts North Korean soldiers killed","text":"About 300 North Korean soldiers have been killed fighting for Russia in the Kursk region, South Korea's spy agency said on Monday.","published":"2025-01-14","language":"en","url":"https://news.example/n1"}` + "\n"
	revisionReport = `{"id":"n2","title":"North Korean soldiers killed now put at 600, spy agency says","text":"About 600 North Korean soldiers have been killed fighting for Russia in the Kursk region, South Korea's spy agency said on Thursday, revising its count.","published":"2025-02-20","language":"en","url":"https://news.example/n2"}` + "\n"
)

// TestIngestToWebhook runs the notifier as serve does (default poll) while
// reports are ingested, and measures the time from the start of an ingest
// to its alert being stored and to its webhook being delivered:
//
//	go test ./internal/notify -run TestIngestToWebhook -v
func TestIngestToWebhook(t *testing.T) {
	ctx := context.Background()
	rc := &receiver{now: time.Now, arrived: make(chan struct{}, 4)}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	dir := t.TempDir()
	svc, err := pipeline.Open(ctx, pipeline.Config{DataDir: filepath.Join(dir, "data")}, "test")
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	rule, err := svc.AddAlertRule(ctx, pipeline.NewAlertRule{Figure: "North Korean soldiers killed", Webhook: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	rc.secret = rule.Secret
	rctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go New(svc, Config{AllowPrivate: true}).Run(rctx)
	for i, step := range []struct{ input, kind string }{{countReport, "new_figure"}, {revisionReport, "changed_figure"}} {
		path := filepath.Join(dir, "in.jsonl")
		if err := os.WriteFile(path, []byte(step.input), 0o644); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		if _, err := svc.Ingest(ctx, []string{path}, pipeline.IngestOptions{}); err != nil {
			t.Fatal(err)
		}
		page, err := svc.Alerts(ctx, pipeline.AlertFilter{Rule: rule.ID})
		if err != nil || len(page.Alerts) != i+1 || page.Alerts[0].Kind != step.kind {
			t.Fatalf("after ingest %d: alerts %+v, %v; want %d, the latest a %s", i+1, page.Alerts, err, i+1, step.kind)
		}
		stored := page.Alerts[0].Created.Sub(start)
		select {
		case <-rc.arrived:
		case <-time.After(10 * time.Second):
			t.Fatalf("no delivery of the %s within 10s", step.kind)
		}
		delivered := time.Since(start)
		t.Logf("%s: ingest start → alert stored %v, → webhook delivered %v", step.kind, stored.Round(time.Millisecond), delivered.Round(time.Millisecond))
		if delivered > time.Second {
			t.Errorf("%s delivered %v after its ingest began; want it at once (the pipeline wakes the notifier), not at the next poll", step.kind, delivered)
		}
	}
	got := rc.deliveries()
	if len(got) != 2 || got[0].payload.Kind != "new_figure" || got[1].payload.Kind != "changed_figure" ||
		got[1].payload.Before != "about 300" || got[1].payload.After != "about 600" || got[1].payload.Source.URL != "https://news.example/n2" {
		t.Errorf("deliveries %+v", got)
	}
}
