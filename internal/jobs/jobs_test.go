package jobs

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"dossier/internal/fetch"
	"dossier/internal/ingest"
	"dossier/internal/news"
	"dossier/internal/pipeline"
	"dossier/internal/store/postgres/pgtest"
)

func TestBackoff(t *testing.T) {
	for _, tt := range []struct {
		attempt int
		want    time.Duration
	}{{1, time.Second}, {2, 2 * time.Second}, {4, 8 * time.Second}, {20, 5 * time.Minute}} {
		if got := Backoff(tt.attempt); got != tt.want {
			t.Errorf("Backoff(%d) = %s, want %s", tt.attempt, got, tt.want)
		}
	}
}

// TestQueue runs a worker and an owner in this process: pages enqueued
// are stored and assigned in order; a URL whose server keeps failing is
// retried with backoff and ends as a dead letter listed with the
// service's failures; a page that has no article fails at once, as an
// in-process ingest records it.
func TestQueue(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Error(w, "busy", http.StatusServiceUnavailable)
	}))
	defer srv.Close()

	cfg := pipeline.Config{DataDir: t.TempDir(), DB: pgtest.DSN(t)}
	cfg.Ingest.Fetch = fetch.DefaultConfig()
	cfg.Ingest.Fetch.AllowPrivate = true
	svc, err := pipeline.OpenWorker(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	q, err := Open(ctx, Config{DSN: cfg.DB, Workers: 2, MaxAttempts: 3}, svc)
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	svc.UseQueue(q)
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	octx, ostop := context.WithCancel(ctx)
	owned := make(chan error, 1)
	go func() {
		owned <- q.Own(octx, OwnerConfig{Open: func(ctx context.Context) (*pipeline.Service, error) {
			return pipeline.Open(ctx, cfg, "test")
		}, OrderWait: time.Second})
	}()

	texts := []string{
		"The city council of Springfield approved the new budget for schools on Monday after a long debate about teachers' pay.",
		"Heavy rain flooded the main road into the valley on Tuesday, and the authorities closed two bridges until the water falls.",
		"The city council of Springfield approved the new budget for schools on Monday after a long debate about teachers' pay.",
	}
	var pages []news.Page
	for i, s := range texts {
		pages = append(pages, news.Page{Key: "page-" + string(rune('a'+i)), Body: []byte(s), Format: news.FormatText})
	}
	pages = append(pages, news.Page{Key: "empty", Body: []byte("   "), Format: news.FormatText})
	sum, err := svc.IngestPages(ctx, pages, pipeline.IngestOptions{})
	if err != nil || sum.Pages != len(pages) {
		t.Fatalf("enqueue: %+v, %v", sum, err)
	}
	if _, err := q.Enqueue(ctx, []ingest.Item{{Input: srv.URL + "/down", URL: srv.URL + "/down"}}); err != nil {
		t.Fatal(err)
	}
	if err := q.Wait(ctx, svc, 100*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	ostop()
	<-owned

	st, err := svc.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Pages != 3 || st.Articles != 2 {
		t.Errorf("stored %d pages, %d articles; want 3 pages, 2 articles (one duplicate folded)", st.Pages, st.Articles)
	}
	if n := hits.Load(); n != 3 {
		t.Errorf("the failing URL was fetched %d times, want 3 (the attempts)", n)
	}
	dead, err := q.DeadLetters(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(dead) != 1 || dead[0].Input != srv.URL+"/down" || !strings.Contains(dead[0].Err, "after 3 attempt(s)") {
		t.Fatalf("dead letters: %+v", dead)
	}
	fails, err := svc.Failures(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var sawEmpty, sawDead bool
	for _, f := range fails {
		sawEmpty = sawEmpty || f.Input == "empty"
		sawDead = sawDead || f.Input == srv.URL+"/down"
	}
	if !sawEmpty || !sawDead {
		t.Errorf("failures: %+v; want the empty page and the dead letter", fails)
	}
}
