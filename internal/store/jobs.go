package store

import "context"

// Analysed is a page that a worker of the job queue fetched, extracted and
// analysed, waiting for the assignment owner to fold its duplicates,
// assign it to stories and store it. Seq orders assignment: the queue's
// job id, so that pages are assigned in the order they were enqueued.
type Analysed struct {
	Seq   int64
	Input string
	// Data is the analysed page as ingest encodes it; the store keeps it
	// as it is.
	Data []byte
}

// Handoff keeps analysed pages between the workers that analyse them and
// the one process that assigns them. Both stores implement it.
type Handoff interface {
	// AddAnalysed keeps an analysed page. Adding a Seq already kept
	// changes nothing: a job run again after its worker died adds its
	// page once.
	AddAnalysed(ctx context.Context, a Analysed) error
	// Analysed returns up to limit kept pages, lowest Seq first.
	Analysed(ctx context.Context, limit int) ([]Analysed, error)
	// DropAnalysed forgets the kept page seq, once it is stored.
	DropAnalysed(ctx context.Context, seq int64) error
}
