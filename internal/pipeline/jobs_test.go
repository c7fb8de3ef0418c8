package pipeline

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"dossier/internal/ingest"
	"dossier/internal/news"
	"dossier/internal/store"
	"dossier/internal/store/sqlite"
)

// listQueue is a Queue that keeps what is enqueued, for the test to run.
type listQueue struct{ items []ingest.Item }

func (q *listQueue) Enqueue(_ context.Context, items []ingest.Item) (int, error) {
	q.items = append(q.items, items...)
	return len(items), nil
}

func (q *listQueue) DeadLetters(context.Context) ([]store.Failure, error) {
	return []store.Failure{{Input: "dead", Err: "discarded"}}, nil
}

// queueServices opens an assignment owner and a worker on one new data
// directory, and writes the corpus beside it.
func queueServices(t *testing.T) (owner, worker *Service, path string) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	path = filepath.Join(dir, "corpus.jsonl")
	if err := os.WriteFile(path, []byte(corpus), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := Config{DataDir: filepath.Join(dir, "data"), Now: func() time.Time { return time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC) }}
	owner, err := Open(ctx, cfg, "test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { owner.Close() })
	if worker, err = OpenWorker(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { worker.Close() })
	return owner, worker, path
}

// clusterRow is where a stored article is: its title, story and event.
type clusterRow struct {
	Title        string
	Story, Event int64
}

func clusterRows(t *testing.T, s *Service) []clusterRow {
	t.Helper()
	var out []clusterRow
	if err := s.Store().Articles(context.Background(), func(a news.Stored) error {
		out = append(out, clusterRow{a.Title, a.Story, a.Event})
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestQueuedIngestEqualsInProcess runs the corpus through the queue's split
// (enqueue, AnalyseItem by a worker's service, AssignAnalysed by the owner,
// with the items analysed out of order and one analysed twice) and checks
// that the store holds what an in-process ingest stores: the same
// articles, in the same stories and events.
func TestQueuedIngestEqualsInProcess(t *testing.T) {
	ctx := context.Background()
	direct, _ := newService(t)
	owner, worker, path := queueServices(t)
	if _, err := worker.Ingest(ctx, []string{path}, IngestOptions{}); err != ErrNoQueue {
		t.Errorf("a worker's ingest without a queue: %v, want ErrNoQueue", err)
	}
	q := &listQueue{}
	worker.UseQueue(q)
	sum, err := worker.Ingest(ctx, []string{path}, IngestOptions{})
	if err != nil || sum.Pages != 5 || len(q.items) != 5 {
		t.Fatalf("enqueue: %+v, %v, %d items", sum, err, len(q.items))
	}
	for _, i := range []int{3, 0, 4, 1, 2, 0} {
		if err := worker.AnalyseItem(ctx, int64(i+1), q.items[i]); err != nil {
			t.Fatalf("analyse %d: %v", i, err)
		}
	}
	// Only what comes before job 3 (whose result is kept) is assigned.
	if n, _, err := owner.AssignAnalysed(ctx, 3, 100); err != nil || n != 2 {
		t.Fatalf("assign before 3: %d, %v", n, err)
	}
	if n, _, err := owner.AssignAnalysed(ctx, 0, 100); err != nil || n != 3 {
		t.Fatalf("assign the rest: %d, %v", n, err)
	}
	if waiting, err := worker.Waiting(ctx); err != nil || waiting {
		t.Fatalf("waiting after assignment: %v, %v", waiting, err)
	}
	if a, b := clusterRows(t, direct), clusterRows(t, owner); len(a) != 5 || !reflect.DeepEqual(a, b) {
		t.Errorf("queued ingest:\n%v\nin-process:\n%v", b, a)
	}
	fails, err := worker.Failures(ctx)
	if err != nil || len(fails) != 1 || fails[0].Input != "dead" {
		t.Errorf("failures with the queue's dead letters: %+v, %v", fails, err)
	}
}

// refusingStore commits no batch of pages while refuse is set: the batch
// is rolled back and Commit fails, as a full disk or a lost database would.
type refusingStore struct {
	*sqlite.DB
	refuse bool
}

func (r *refusingStore) BeginPages(ctx context.Context) (store.PageBatch, error) {
	b, err := r.DB.BeginPages(ctx)
	if err != nil || !r.refuse {
		return b, err
	}
	return refusedBatch{b}, nil
}

type refusedBatch struct{ store.PageBatch }

func (b refusedBatch) Commit() error {
	b.PageBatch.Rollback()
	return errors.New("commit refused")
}

// TestAssignAnalysedRollback: when the store refuses a page the owner has
// assigned, the owner's model, which holds the page's articles, is read
// again from the store; kept (and saved at Close), it would hold them
// twice once the page is assigned again. Assigned again, the queue's pages
// give what an in-process ingest gives.
func TestAssignAnalysedRollback(t *testing.T) {
	ctx := context.Background()
	direct, _ := newService(t)
	owner, worker, path := queueServices(t)
	q := &listQueue{}
	worker.UseQueue(q)
	if _, err := worker.Ingest(ctx, []string{path}, IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	for i, item := range q.items {
		if err := worker.AnalyseItem(ctx, int64(i+1), item); err != nil {
			t.Fatal(err)
		}
	}
	refusing := &refusingStore{DB: owner.st.(*sqlite.DB), refuse: true}
	owner.st = refusing
	if _, _, err := owner.AssignAnalysed(ctx, 0, 100); err == nil {
		t.Fatal("a refused commit went unreported")
	}
	if owner.model == nil {
		t.Fatal("no model after the refused commit")
	}
	if events, _ := owner.model.Active(); events != 0 {
		t.Errorf("the model holds %d events of pages the store refused", events)
	}
	refusing.refuse = false
	if n, _, err := owner.AssignAnalysed(ctx, 0, 100); err != nil || n != 5 {
		t.Fatalf("assigned again: %d, %v", n, err)
	}
	if a, b := clusterRows(t, direct), clusterRows(t, owner); len(a) != 5 || !reflect.DeepEqual(a, b) {
		t.Errorf("queued ingest after a refused commit:\n%v\nin-process:\n%v", b, a)
	}
}
