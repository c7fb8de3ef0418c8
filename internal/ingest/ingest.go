// Package ingest reads dossier's inputs (files, directories, JSON Lines
// corpora, WARC archives, feeds and URLs), extracts their articles, folds
// duplicates and stores the result. One bad input never stops a batch: its
// failure is recorded and the rest goes on. Each page is stored in its own
// transaction, so an interrupted run keeps every page it finished, and
// re-ingesting a page already stored changes nothing.
package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"dossier/internal/cluster"
	"dossier/internal/dedup"
	"dossier/internal/embed"
	"dossier/internal/extract"
	"dossier/internal/facts"
	"dossier/internal/fetch"
	"dossier/internal/lang"
	"dossier/internal/news"
	"dossier/internal/store"
	"dossier/internal/tokenize"
)

// Config tunes an ingest run.
type Config struct {
	// Workers is the number of pages extracted in parallel (default: CPUs).
	Workers int
	// MaxBytes caps the size of one page, file or record.
	MaxBytes int64
	// Captured is the capture time of pages that carry none of their own.
	Captured time.Time
	// CapturedDay says that only the day of Captured is known.
	CapturedDay bool
	Fetch       fetch.Config
	// Cluster tunes incremental story and event assignment.
	Cluster cluster.Config
	// Embed, when set, is an external embeddings service whose vectors are
	// an extra clustering signal.
	Embed *embed.Client
	// Capture, when set, keeps each response fetched (a page by its key, a
	// feed with key ""): the evidence archive. A page whose response
	// cannot be kept is not stored, and fails naming its URL.
	Capture func(ctx context.Context, resp *fetch.Response, key string) error
}

// Progress is reported after every page.
type Progress struct {
	Pages, Unchanged, Articles, Duplicates, Failed int
	Last                                           string
}

// Failure is an input that could not be ingested.
type Failure struct {
	Input string
	Err   error
}

// Summary says what a run did.
type Summary struct {
	Pages      int // pages read
	Unchanged  int // pages already stored, skipped
	Articles   int // new articles stored
	Duplicates int // articles folded into an article already stored
	Languages  map[string]int
	Failures   []Failure
	Elapsed    time.Duration
	// EmbedErrors counts pages whose embeddings could not be had; they are
	// stored and clustered without.
	EmbedErrors int
}

// Ingester runs ingests into one store.
type Ingester struct {
	st    store.Store
	det   *lang.Detector
	fc    *fetch.Client
	cfg   Config
	onPro func(Progress)
	model *cluster.Model
	// failedAt is the sequence number of the last input that failed in
	// this run (-1: none), so that a feed whose items failed keeps its
	// old validators.
	failedAt int
	// failed holds the inputs with a recorded failure.
	failed     map[string]bool
	checkpoint func(context.Context) error
	relearn    func(context.Context) (*cluster.Model, error)
	// batch is the open transaction of the pages stored since the last
	// commit (group commit: see flush); batched counts them. stale is set
	// when a page or a batch failed after its articles were assigned: the
	// model then holds articles the store does not, and is not saved.
	batch   store.PageBatch
	batched int
	opened  time.Time // when batch was opened
	stale   bool
	// modelSaved is when the model was last saved (or loaded). dirty says
	// the run assigned articles since it last saved the model (or since
	// it began), savedInRun that it saved the model at least once.
	// deferSave leaves the save at the end of a run to the model's owner
	// (DeferModelSave).
	modelSaved time.Time
	dirty      bool
	savedInRun bool
	deferSave  bool
}

// A batch of pages (one transaction) holds at most maxBatch pages and is
// committed when it is maxBatchAge old or no page has come for batchIdle.
// Larger batches write each index page they touch once for more pages: on
// 10,000 text articles, 256 pages and 2 s took 32.2-39.3 s (system time
// 4.6-5.3 s) against 35.0-39.9 s (5.9-6.5 s) for 64 pages and 0.5 s,
// alternating. A page waits at most maxBatchAge for its commit while pages
// keep coming, batchIdle when they stop.
const (
	maxBatch    = 256
	maxBatchAge = 2 * time.Second
	batchIdle   = 50 * time.Millisecond
)

// pages returns the open batch, opening one if needed.
func (g *Ingester) pages(ctx context.Context) (store.PageWriter, error) {
	if g.batch == nil {
		b, err := g.st.BeginPages(ctx)
		if err != nil {
			return nil, err
		}
		g.batch, g.batched, g.opened = b, 0, time.Now()
	}
	return g.batch, nil
}

// flush commits the open batch. Every write other than a page's flushes
// first; the run flushes a full, old or idle batch (maxBatch).
func (g *Ingester) flush() error {
	if g.batch == nil {
		return nil
	}
	b := g.batch
	g.batch, g.batched = nil, 0
	if err := b.Commit(); err != nil {
		g.stale = true
		return fmt.Errorf("ingest: %w", err)
	}
	return nil
}

// New returns an Ingester. onProgress, if not nil, is called from one
// goroutine after each page. An Ingester is the single writer of its
// store: runs must not overlap.
func New(st store.Store, det *lang.Detector, cfg Config, onProgress func(Progress)) *Ingester {
	if cfg.Workers <= 0 {
		cfg.Workers = runtime.GOMAXPROCS(0)
	}
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = fetch.DefaultConfig().MaxBytes
	}
	if cfg.Fetch.MaxBytes <= 0 || cfg.Fetch.MaxBytes > cfg.MaxBytes {
		cfg.Fetch.MaxBytes = cfg.MaxBytes
	}
	if cfg.Cluster.EventThreshold == 0 {
		cfg.Cluster = cluster.DefaultConfig()
	}
	return &Ingester{st: st, det: det, fc: fetch.New(cfg.Fetch), cfg: cfg, onPro: onProgress}
}

// OnCheckpoint sets a function the writer calls every 1,000 pages, after
// committing them and saving the model if it is a minute old (the service
// refreshes its story views there, so that a long run shows its stories as
// it goes).
func (g *Ingester) OnCheckpoint(fn func(context.Context) error) { g.checkpoint = fn }

// OnRelearn sets the function that rebuilds the model by a recluster of
// the store when it is due (cluster.Model.RelearnDue) and returns the
// model to go on with; the writer calls it with every page committed,
// before it assigns the next page's articles, and at the end of a run.
// Without it the model is never relearned.
func (g *Ingester) OnRelearn(fn func(context.Context) (*cluster.Model, error)) { g.relearn = fn }

// relearnIfDue rebuilds the model when it is due, after committing the
// pages stored: a recluster reads them from the store.
func (g *Ingester) relearnIfDue(ctx context.Context) error {
	if g.relearn == nil || g.model == nil || !g.model.RelearnDue() {
		return nil
	}
	if err := g.flush(); err != nil {
		return err
	}
	m, err := g.relearn(ctx)
	if err != nil {
		// The model this ingester holds is no longer its owner's: the
		// owner reads it again (ModelStale).
		g.stale = true
		return fmt.Errorf("ingest: relearn the clustering model: %w", err)
	}
	// The recluster saved the model it built.
	g.model, g.dirty, g.savedInRun, g.modelSaved = m, false, true, time.Now()
	return nil
}

// UseModel makes the ingester assign stories with m, which the caller owns
// and keeps between runs (a server). Without it, each run loads the saved
// model. The model is saved at the end of each run either way.
func (g *Ingester) UseModel(m *cluster.Model) { g.model = m }

// ModelStale reports that a batch of pages was rolled back after its
// articles were assigned: the model holds articles the store does not,
// and must be loaded again from the store (LoadModel) before more use.
func (g *Ingester) ModelStale() bool { return g.stale }

// ModelSaved reports that the run saved the model and assigned nothing
// after: the stored model holds every article the run assigned.
func (g *Ingester) ModelSaved() bool { return g.savedInRun && !g.dirty }

// ModelDirty reports that the model holds articles the run assigned after
// its last save of it (or, without one, at all).
func (g *Ingester) ModelDirty() bool { return g.dirty }

// DeferModelSave leaves the save of the model at the end of a run to the
// caller, who owns the model across runs: a server or a watcher ingesting
// one page at a time would otherwise write the whole model (tens of MB)
// for each page. Checkpoints within a run still save it when it is
// ModelAge old. Articles stored after the last save are not lost if the
// process dies: LoadModel assigns them again.
func (g *Ingester) DeferModelSave() { g.deferSave = true }

// job is one unit of work: a page read, a URL to fetch, or an input that
// already failed.
type job struct {
	seq  int
	page *news.Page
	url  string
	hint news.Hint
	in   string // the input, for errors
	err  error
	// feed, on the job that follows a feed's items, holds the feed's
	// validators: the writer saves them once every item before it is
	// stored, and only if none failed, so an interrupted or failed run
	// fetches the feed again.
	feed      *store.FeedState
	feedItems int
}

type prepared struct {
	art   news.Article
	print dedup.Print
	doc   cluster.Doc
}

type result struct {
	feed      *store.FeedState
	feedItems int
	embedErr  bool
	seq       int
	in        string
	page      *news.Page
	bodyHash  string
	arts      []prepared
	unchanged bool
	err       error
}

// window bounds the pages in flight between reading and storing, and so
// the memory a run holds whatever the size of its inputs.
const window = 64

// Run ingests args. The error is non-nil only when the run could not go on
// (the store failed, ctx was cancelled); failed inputs are in the Summary.
func (g *Ingester) Run(ctx context.Context, args []string) (*Summary, error) {
	return g.run(ctx, func(ctx context.Context, emit func(job) bool) { g.expand(ctx, args, emit) })
}

// RunPages ingests pages given whole (a page body posted to the API).
func (g *Ingester) RunPages(ctx context.Context, pages []news.Page) (*Summary, error) {
	return g.run(ctx, func(ctx context.Context, emit func(job) bool) {
		for i := range pages {
			p := pages[i]
			if p.Origin == "" {
				p.Origin = p.Key
			}
			if !emit(job{in: p.Origin, page: &p}) {
				return
			}
		}
	})
}

func (g *Ingester) run(ctx context.Context, produce func(context.Context, func(job) bool)) (*Summary, error) {
	start := time.Now()
	g.dirty, g.savedInRun = false, false
	if g.model == nil {
		model, replayed, err := LoadModel(ctx, g.st, g.cfg.Cluster)
		if err != nil {
			return &Summary{Languages: map[string]int{}}, err
		}
		g.model, g.dirty = model, replayed > 0
	}
	g.modelSaved = time.Now() // as loaded: nothing to save yet
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	jobs := make(chan job)
	results := make(chan result, g.cfg.Workers)
	slots := make(chan struct{}, window)

	go func() {
		defer close(jobs)
		seq := 0
		emit := func(j job) bool {
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				return false
			}
			j.seq = seq
			seq++
			select {
			case jobs <- j:
				return true
			case <-ctx.Done():
				return false
			}
		}
		produce(ctx, emit)
	}()

	done := make(chan struct{})
	for w := 0; w < g.cfg.Workers; w++ {
		go func() {
			defer func() { done <- struct{}{} }()
			for j := range jobs {
				results <- g.work(ctx, j)
			}
		}()
	}
	go func() {
		for w := 0; w < g.cfg.Workers; w++ {
			<-done
		}
		close(results)
	}()

	sum := &Summary{Languages: map[string]int{}}
	g.failedAt = -1
	// Inputs that failed before: a success clears their record. Loaded
	// once, so a run does not write to the failures table for every page.
	fails, err := g.st.Failures(ctx)
	if err != nil {
		return sum, err
	}
	g.failed = map[string]bool{}
	for _, f := range fails {
		g.failed[f.Input] = true
	}
	var runErr error
	pending := map[int]result{}
	next := 0
	// The batch is committed when it holds maxBatch pages, when it is
	// maxBatchAge old, or when no result has come for batchIdle: a page
	// waits at most about that long for its commit.
	idle := time.NewTimer(batchIdle)
	defer idle.Stop()
	flush := func() {
		if err := g.flush(); err != nil && runErr == nil {
			runErr = err
			cancel()
		}
	}
	for {
		var r result
		var ok bool
		if g.batch == nil {
			r, ok = <-results
		} else {
			idle.Reset(batchIdle)
			select {
			case r, ok = <-results:
			case <-idle.C:
				flush()
				continue
			}
		}
		if !ok {
			break
		}
		pending[r.seq] = r
		for {
			r, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			if runErr == nil {
				if err := g.store(ctx, r, sum); err != nil {
					runErr = err
					cancel()
				}
			}
			<-slots
		}
		if g.batch != nil && (g.batched >= maxBatch || time.Since(g.opened) >= maxBatchAge) {
			flush()
		}
	}
	// What was stored is committed, after an error or a cancellation too:
	// a page that failed was rolled back alone (a savepoint).
	if err := g.flush(); err != nil && runErr == nil {
		runErr = err
	}
	// A relearn the last page made due is not left to the next run.
	if runErr == nil && ctx.Err() == nil && !g.stale {
		runErr = g.relearnIfDue(ctx)
	}
	// The model is saved even after an error: what was stored is in it.
	// Not when it holds articles the store lost (stale): the owner of the
	// model loads it again (ModelStale).
	if !g.stale && !g.deferSave {
		if err := g.saveModel(context.WithoutCancel(ctx)); err != nil && runErr == nil {
			runErr = err
		}
	}
	sum.Elapsed = time.Since(start)
	if runErr == nil && ctx.Err() != nil {
		runErr = ctx.Err()
	}
	return sum, runErr
}

// modelEvery is how many pages pass between checkpoints, and ModelAge
// how old the saved clustering model must be for a checkpoint to save it
// again. The model's size is bounded (cluster.Config.MaxActive) but not
// small (tens of MB): saving it every 1,000 pages cost more per article as
// it grew. A crash loses no article: the next run assigns the articles
// stored after the saved model again (LoadModel), at the clusterer's speed
// (over 1,000 articles a second), so a minute of ingest replays in seconds.
const (
	modelEvery = 1000
	ModelAge   = time.Minute
)

func (g *Ingester) saveModel(ctx context.Context) error {
	data, err := g.model.MarshalBinary()
	if err != nil {
		return err
	}
	if err := g.st.SaveModel(ctx, data, g.model.LastArticle); err != nil {
		return err
	}
	g.dirty, g.savedInRun = false, true
	return nil
}

// LoadModel returns the saved clustering model, brought up to date with
// the articles stored after it was saved (a run that stopped before saving
// it), and how many such articles it took in; articles never clustered are
// assigned now.
func LoadModel(ctx context.Context, st store.Store, cfg cluster.Config) (*cluster.Model, int, error) {
	m := cluster.New(cfg)
	data, last, err := st.LoadModel(ctx)
	saved := err == nil
	switch {
	case err == nil:
		loaded, lerr := cluster.Load(cfg, data)
		switch {
		case lerr == nil:
			m = loaded
		case errors.Is(lerr, cluster.ErrDamaged):
			// The model is derived from the store: a damaged one is
			// rebuilt from every stored article, as if none had been
			// saved (the next save replaces it).
			saved, last = false, 0
		default:
			return nil, 0, lerr
		}
	case !errors.Is(err, store.ErrNotFound):
		return nil, 0, err
	}
	// The merges that assigning the articles after the save made: Observe
	// puts each article where the store now has it, and each merge is
	// applied after the article it was logged with. A model built from
	// nothing holds no cluster that went: there is nothing to replay.
	var logged []news.ClusterChange
	if saved {
		if logged, err = st.ClusterChangesAfter(ctx, last); err != nil {
			return nil, 0, err
		}
	} else {
		// Ids are never reused: those that went in merges are named in
		// the log only.
		all, err := st.ClusterChanges(ctx)
		if err != nil {
			return nil, 0, err
		}
		for _, c := range all {
			m.Reserve(max(c.From, c.Into))
		}
	}
	replay := func(upTo int64) {
		for len(logged) > 0 && logged[0].Article <= upTo {
			c := logged[0]
			m.Replay(cluster.Change{Kind: c.Kind, Level: c.Level, From: c.From, Into: c.Into, Article: c.Article, Score: c.Score})
			logged = logged[1:]
		}
	}
	replayed := 0
	assign := map[int64][2]int64{}
	var changes []news.ClusterChange
	err = st.ArticlesAfter(ctx, last, func(a news.Stored) error {
		var captured time.Time
		if len(a.Sources) > 0 {
			captured = a.Sources[0].Captured
		}
		d := cfg.NewDoc(a.ID, a.Article, Day(a.Article, captured))
		replayed++
		if a.Story != 0 {
			m.Observe(d, a.Story, a.Event)
			replay(a.ID)
			return nil
		}
		replay(a.ID - 1) // merges logged with articles since deleted
		as := m.Assign(d)
		assign[a.ID] = [2]int64{as.Story, as.Event}
		for _, c := range as.Changes {
			changes = append(changes, news.ClusterChange{Kind: c.Kind, Level: c.Level, From: c.From, Into: c.Into, Article: a.ID, Score: c.Score})
		}
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	replay(math.MaxInt64) // logged with articles no longer stored
	if len(assign) > 0 {
		// The merges relabel what was assigned before (SetClusters
		// would only log them, leaving a merged-away story its articles).
		if err := st.AssignClusters(ctx, assign, changes); err != nil {
			return nil, 0, err
		}
	}
	return m, replayed, nil
}

// Language is the language an extracted article is labelled with: the
// input's hint, else what det identifies (a language, or und where it is
// unsure); the extractor's own label only for a blank text, which det
// leaves unanswered.
func Language(det *lang.Detector, a news.Article, hint string) string {
	if hint != "" {
		return hint
	}
	if l := det.Detect(a.Title, a.Text); l != "" || a.Language == "" {
		return l
	}
	return a.Language
}

// Day is the day an article is dated to for clustering: its stated
// publication date, else its capture day; 0 when neither is known.
func Day(a news.Article, captured time.Time) int {
	t := a.Published.Latest
	if t.IsZero() {
		t = captured
	}
	if t.IsZero() {
		return 0
	}
	return int(t.Unix() / 86400)
}

// work turns a job into a result: fetch, check, extract, identify, print.
func (g *Ingester) work(ctx context.Context, j job) result {
	r := result{seq: j.seq, in: j.in, err: j.err, feed: j.feed, feedItems: j.feedItems}
	if r.err != nil || r.feed != nil {
		return r
	}
	p := j.page
	if p == nil {
		resp, err := g.fc.Get(ctx, fetch.Request{URL: j.url})
		if err != nil {
			r.err = err
			return r
		}
		if g.cfg.Capture != nil {
			if err := g.cfg.Capture(ctx, resp, j.url); err != nil {
				r.err = fmt.Errorf("archive %s: %w", resp.URL, err)
				return r
			}
		}
		p = &news.Page{Key: j.url, Origin: j.in, URL: resp.URL, Captured: resp.Fetched, Body: resp.Body, Hint: j.hint}
		p.Format = formatOf(resp.ContentType)
	}
	r.page = p
	sum := sha256.Sum256(p.Body)
	r.bodyHash = hex.EncodeToString(sum[:])
	seen, err := g.st.HasPage(ctx, p.Key, r.bodyHash)
	if err != nil {
		r.err = err
		return r
	}
	if seen {
		r.unchanged = true
		return r
	}
	if p.Captured.IsZero() {
		p.Captured = g.cfg.Captured // the -captured flag: recorded with the page
	}
	in := extract.Input{Name: j.in, URL: p.URL, Format: p.Format, Captured: p.Captured, Hint: p.Hint, Clean: p.Clean}
	if p.Captured.Equal(g.cfg.Captured) {
		in.CapturedDay = g.cfg.CapturedDay
	} else {
		in.CapturedDay = isMidnight(p.Captured)
	}
	arts, err := extract.Page(p.Body, in)
	if err != nil {
		r.err = err
		return r
	}
	for _, a := range arts {
		a.Language = Language(g.det, a, p.Hint.Language)
		if a.Facts, err = AnalyzeContext(ctx, a, in.Captured); err != nil {
			return result{seq: j.seq, in: j.in, err: err}
		}
		r.arts = append(r.arts, prepared{art: a, print: dedup.Fingerprint(a.Text), doc: g.cfg.Cluster.NewDoc(0, a, Day(a, in.Captured))})
	}
	if g.cfg.Embed != nil && len(r.arts) > 0 {
		texts := make([]string, len(r.arts))
		for i, pa := range r.arts {
			texts[i] = pa.art.Title + "\n" + head(pa.art.Text, 2000)
		}
		if vs, err := g.cfg.Embed.Embed(ctx, texts); err == nil {
			for i := range r.arts {
				r.arts[i].doc.Emb, r.arts[i].art.Embedding = vs[i], vs[i]
			}
		} else {
			r.embedErr = true
		}
	}
	p.Body = nil // not kept: the window holds results, not pages
	return r
}

// store folds duplicates and saves one page. Its error stops the run.
func (g *Ingester) store(ctx context.Context, r result, sum *Summary) error {
	if r.feed != nil {
		// Every item of the feed is behind us: stored, or failed.
		if g.failedAt >= r.seq-r.feedItems {
			return nil
		}
		if err := g.flush(); err != nil {
			return err
		}
		return g.st.SetFeedState(ctx, *r.feed)
	}
	defer g.progress(sum, r.in)
	if r.err != nil {
		if errors.Is(r.err, context.Canceled) {
			return r.err
		}
		if err := g.flush(); err != nil {
			return err
		}
		g.failedAt = r.seq
		g.failed[r.in] = true
		sum.Failures = append(sum.Failures, Failure{Input: r.in, Err: r.err})
		if err := g.st.RecordFailure(ctx, store.Failure{Input: r.in, Err: r.err.Error()}); err != nil {
			return err
		}
		return nil
	}
	sum.Pages++
	if r.embedErr {
		sum.EmbedErrors++
	}
	if r.unchanged {
		sum.Unchanged++
		return nil
	}
	p := r.page
	w, err := g.pages(ctx)
	if err != nil {
		return fmt.Errorf("ingest: %s: %w", r.in, err)
	}
	var arts []store.NewArticle
	var docs []cluster.Doc
	var kept []dedup.Print
	for _, pa := range r.arts {
		if samePage(kept, pa.print) {
			continue // the page repeats one of its own articles
		}
		kept = append(kept, pa.print)
		na := store.NewArticle{Article: pa.art, Hash: pa.print.Hash, Bands: pa.print.Bands}
		na.Search, na.SourceEntities = Index(pa.art)
		dup, err := findDuplicate(ctx, w, pa)
		if err != nil {
			return err
		}
		na.DuplicateOf = dup
		arts = append(arts, na)
		docs = append(docs, pa.doc)
	}
	// A relearn due since the last page (or a run that stopped before
	// it) regroups the articles stored so far before any of this page's
	// is assigned.
	if g.model.RelearnDue() && slices.ContainsFunc(arts, func(a store.NewArticle) bool { return a.DuplicateOf == 0 }) {
		if err := g.relearnIfDue(ctx); err != nil {
			return err
		}
		if w, err = g.pages(ctx); err != nil {
			return fmt.Errorf("ingest: %s: %w", r.in, err)
		}
	}
	var changes []news.ClusterChange
	for i := range arts {
		if arts[i].DuplicateOf != 0 {
			continue
		}
		as := g.model.Assign(docs[i])
		g.dirty = true
		arts[i].Story, arts[i].Event = as.Story, as.Event
		for _, c := range as.Changes {
			changes = append(changes, news.ClusterChange{Kind: c.Kind, Level: c.Level, From: c.From, Into: c.Into, Score: c.Score})
		}
	}
	saved, err := w.SavePage(ctx, store.Page{
		Key: p.Key, BodyHash: r.bodyHash, Origin: p.Origin, File: p.File, ID: p.ID,
		URL: p.URL, Captured: p.Captured, Format: p.Format, Changes: changes,
	}, arts)
	if err != nil {
		g.stale = true // the model holds the page's articles, the store does not
		return fmt.Errorf("ingest: %s: %w", r.in, err)
	}
	g.batched++
	for _, id := range saved.IDs {
		if id > g.model.LastArticle {
			g.model.LastArticle = id
		}
	}
	if sum.Pages%modelEvery == 0 {
		if err := g.flush(); err != nil {
			return err
		}
		if time.Since(g.modelSaved) >= ModelAge {
			if err := g.saveModel(ctx); err != nil {
				return err
			}
			g.modelSaved = time.Now()
		}
		if g.checkpoint != nil {
			if err := g.checkpoint(ctx); err != nil {
				return err
			}
		}
	}
	if g.failed[r.in] {
		if err := g.flush(); err != nil {
			return err
		}
		if err := g.st.ClearFailure(ctx, r.in); err != nil {
			return err
		}
		delete(g.failed, r.in)
	}
	if saved.Existed {
		sum.Unchanged++
		return nil
	}
	sum.Articles += saved.New
	sum.Duplicates += saved.Dup
	for _, a := range arts {
		if a.DuplicateOf == 0 {
			sum.Languages[a.Language]++
		}
	}
	return nil
}

func samePage(kept []dedup.Print, p dedup.Print) bool {
	for _, k := range kept {
		if dedup.Same(k, p) {
			return true
		}
	}
	return false
}

// findDuplicate returns the id of a stored article that pa duplicates, or 0.
func findDuplicate(ctx context.Context, w store.PageWriter, pa prepared) (int64, error) {
	cands, err := w.Candidates(ctx, pa.print.Hash, pa.print.Bands)
	if err != nil {
		return 0, err
	}
	for _, c := range cands {
		if c.Hash == pa.print.Hash {
			return c.ID, nil
		}
		if c.Language != pa.art.Language {
			continue
		}
		if dedup.Jaccard(dedup.Fingerprint(c.Text).Shingles, pa.print.Shingles) >= dedup.Threshold {
			return c.ID, nil
		}
	}
	return 0, nil
}

func (g *Ingester) progress(sum *Summary, last string) {
	if g.onPro == nil {
		return
	}
	g.onPro(Progress{Pages: sum.Pages, Unchanged: sum.Unchanged, Articles: sum.Articles,
		Duplicates: sum.Duplicates, Failed: len(sum.Failures), Last: last})
}

// Analyze finds an article's facts, resolving its relative dates against
// its publication date when the page states one, else its capture time.
func Analyze(a news.Article, captured time.Time) news.Facts {
	anchor, kind := anchorOf(a, captured)
	return facts.Analyze(a, anchor, kind, captured)
}

// Index returns what the search index holds of an article (its title and
// text as terms of internal/tokenize) and, for each of its figures, the
// entity the figure's source names ("" when none).
func Index(a news.Article) (store.SearchDoc, []string) {
	d := store.SearchDoc{
		Title: strings.Join(tokenize.Terms(a.Title, a.Language), " "),
		Body:  strings.Join(tokenize.Terms(a.Text, a.Language), " "),
	}
	var ents []string
	gz := facts.DefaultGazetteer()
	for i, f := range a.Facts.Figures {
		if f.AttributedTo == "" {
			continue
		}
		if ms := gz.Mentions(f.AttributedTo); len(ms) > 0 {
			if ents == nil {
				ents = make([]string, len(a.Facts.Figures))
			}
			ents[i] = ms[0].Entity
		}
	}
	return d, ents
}

// head returns about the first n bytes of s, cut at a rune boundary.
func head(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func isMidnight(t time.Time) bool {
	return t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0
}
