package ingest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"dossier/internal/dedup"
	"dossier/internal/extract"
	"dossier/internal/fetch"
	"dossier/internal/news"
	"dossier/internal/store"
)

// The split of a run for a job queue: Expand turns inputs into Items (one
// per page or URL), any number of workers Analyse them (fetch, extract,
// language, facts, embeddings) and keep the result, and the one assignment
// owner stores them in order with StoreAnalysed (duplicates, stories and
// events depend on every article stored before).

// Item is one page to ingest through a queue: a page given whole, or a URL
// to fetch. It travels as JSON in the queue's job arguments.
type Item struct {
	// Input is what the item came from, for errors.
	Input string     `json:"input"`
	URL   string     `json:"url,omitempty"`
	Hint  news.Hint  `json:"hint,omitzero"`
	Page  *news.Page `json:"page,omitempty"`
	// Err is a failure of the input met while expanding it (a file that
	// cannot be read); the item is recorded as failed.
	Err string `json:"err,omitempty"`
}

// Expand reads args (files, directories, JSON Lines, WARC, feeds, URLs) as
// Run does and emits one Item per page or URL, without analysing them.
// emit returning false stops it. A feed's validators are not kept: the
// next run fetches the feed again (its items already stored are skipped).
func (g *Ingester) Expand(ctx context.Context, args []string, emit func(Item) bool) {
	g.expand(ctx, args, func(j job) bool {
		switch {
		case j.feed != nil:
			return true
		case j.err != nil:
			return emit(Item{Input: j.in, Err: j.err.Error()})
		}
		if j.page != nil && j.page.Captured.IsZero() {
			j.page.Captured = g.cfg.Captured // this run's -captured travels with the page
		}
		return emit(Item{Input: j.in, URL: j.url, Hint: j.hint, Page: j.page})
	})
}

// PageItems returns the Items of pages given whole (a page body posted to
// the API); captured is the capture time of pages that carry none.
func PageItems(pages []news.Page, captured time.Time) []Item {
	out := make([]Item, len(pages))
	for i := range pages {
		p := pages[i]
		if p.Origin == "" {
			p.Origin = p.Key
		}
		if p.Captured.IsZero() {
			p.Captured = captured
		}
		out[i] = Item{Input: p.Origin, Page: &p}
	}
	return out
}

// Analysed is an Item after analysis: what the assignment owner needs to
// fold its duplicates, assign it and store it. Unchanged says the page is
// stored already with the same body.
type Analysed struct {
	Input     string         `json:"input"`
	Page      news.Page      `json:"page"` // without its body
	BodyHash  string         `json:"body_hash"`
	Articles  []news.Article `json:"articles"`
	Unchanged bool           `json:"unchanged,omitempty"`
	EmbedErr  bool           `json:"embed_err,omitempty"`
}

// InputError is the failure of an input itself (a page with no article, a
// URL refused): running it again gives the same answer. Other errors of
// Analyse (a store or a network that failed) may pass.
type InputError struct{ Err error }

func (e *InputError) Error() string { return e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

// permanent lists the errors that retrying an input does not change.
var permanent = []error{
	extract.ErrEmpty, extract.ErrBinary, extract.ErrNotUTF8, extract.ErrNoArticle,
	fetch.ErrPrivateAddress, fetch.ErrTooLarge, fetch.ErrTooManyRedirect, fetch.ErrScheme,
}

// Analyse fetches (for a URL), extracts and analyses one Item. An
// *InputError is the input's own failure; any other error may pass when
// tried again.
func (g *Ingester) Analyse(ctx context.Context, it Item) (*Analysed, error) {
	if it.Err != "" {
		return nil, &InputError{errors.New(it.Err)}
	}
	if it.Page == nil && it.URL == "" {
		return nil, &InputError{fmt.Errorf("ingest: %s: neither a page nor a URL", it.Input)}
	}
	r := g.work(ctx, job{in: it.Input, url: it.URL, hint: it.Hint, page: it.Page})
	if r.err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		for _, p := range permanent {
			if errors.Is(r.err, p) {
				return nil, &InputError{r.err}
			}
		}
		return nil, r.err
	}
	a := &Analysed{Input: r.in, Page: *r.page, BodyHash: r.bodyHash, Unchanged: r.unchanged, EmbedErr: r.embedErr}
	a.Page.Body = nil
	for _, pa := range r.arts {
		a.Articles = append(a.Articles, pa.art)
	}
	return a, nil
}

// Encode returns the analysed page as the store keeps it.
func (a *Analysed) Encode() ([]byte, error) {
	b, err := json.Marshal(a)
	if err != nil {
		return nil, fmt.Errorf("ingest: encode %s: %w", a.Input, err)
	}
	return b, nil
}

// DecodeAnalysed reads what Encode wrote.
func DecodeAnalysed(b []byte) (*Analysed, error) {
	var a Analysed
	if err := json.Unmarshal(b, &a); err != nil {
		return nil, fmt.Errorf("ingest: decode analysed page: %w", err)
	}
	return &a, nil
}

// StoreAnalysed folds the duplicates of an analysed page, assigns its
// articles to stories with the ingester's model (UseModel) and stores it,
// counting it in sum. Only the store's one writer calls it, in order.
func (g *Ingester) StoreAnalysed(ctx context.Context, a *Analysed, sum *Summary) error {
	if g.model == nil {
		return errors.New("ingest: StoreAnalysed without a model")
	}
	if sum.Languages == nil {
		sum.Languages = map[string]int{}
	}
	if g.failed == nil {
		g.failed = map[string]bool{}
		fails, err := g.st.Failures(ctx)
		if err != nil {
			return err
		}
		for _, f := range fails {
			g.failed[f.Input] = true
		}
	}
	p := a.Page
	r := result{seq: -1, in: a.Input, page: &p, bodyHash: a.BodyHash, unchanged: a.Unchanged, embedErr: a.EmbedErr}
	for _, art := range a.Articles {
		r.arts = append(r.arts, prepared{art: art, print: dedup.Fingerprint(art.Text), doc: g.cfg.Cluster.NewDoc(0, art, Day(art, p.Captured))})
	}
	err := g.store(ctx, r, sum)
	// Each job's page is committed before the job is done.
	if ferr := g.flush(); err == nil {
		err = ferr
	}
	return err
}

// RecordFailed records the failure of an input analysed through a queue.
func RecordFailed(ctx context.Context, st store.Store, input string, err error) error {
	return st.RecordFailure(ctx, store.Failure{Input: input, Err: err.Error()})
}
