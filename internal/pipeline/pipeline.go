// Package pipeline is dossier's service layer: it owns the store, the
// analysers and the clustering model of one data directory. Ingest,
// reanalysis, reclustering, the stored story views, the export and every
// read go through it; the CLI, the API, the web UI and the watcher call it
// and nothing below it.
//
// A writer (Open) holds the data directory's lock: exactly one process
// writes a data directory at a time. Readers (OpenReader) take no lock and
// read consistent snapshots while a writer runs. With the store on
// PostgreSQL (Config.DB), a writer also holds the database's writer lock:
// one writer per database, whatever its data directory.
package pipeline

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"dossier/internal/cluster"
	"dossier/internal/dict"
	"dossier/internal/ingest"
	"dossier/internal/lang"
	"dossier/internal/store"
	"dossier/internal/store/postgres"
	"dossier/internal/store/sqlite"
	"dossier/internal/story"
)

// Config is what a service needs, built once by the caller.
type Config struct {
	// DataDir holds the store (dossier.db) and the lock.
	DataDir string
	// DB, when set, is the PostgreSQL database (a postgres:// URL) that
	// holds the store instead of DataDir.
	DB     string
	Ingest ingest.Config
	// ArchiveMaxFile is the size at which a WARC file of the archive is
	// closed and the next begun (default 1 GiB).
	ArchiveMaxFile int64
	// DictDir holds bilingual dictionaries in the dictd format (Debian's
	// FreeDict packages, /usr/share/dictd), read at run time to meet
	// coverage across languages; empty: none.
	DictDir string
	// CacheDir keeps what is derived from files outside the store and
	// costly to derive again: the prepared dictionaries (DictDir's,
	// normalised for the clustering). Empty: nothing kept.
	CacheDir string
	// Now is the clock (time.Now when nil).
	Now func() time.Time
}

// Service is one data directory's pipeline. Its methods are safe for
// concurrent use; writes are serialised.
type Service struct {
	cfg  Config
	st   store.Store
	det  *lang.Detector
	lock *lock
	// pgLock is the writer lock of a PostgreSQL store.
	pgLock *postgres.WriterLock
	model  *cluster.Model
	// modelSaved: the stored model is the one in memory (Close need not
	// save it again); modelSavedAt: when it was saved or loaded. An ingest
	// saves the model when it is ingest.ModelAge old, not after every run.
	modelSaved   bool
	modelSavedAt time.Time
	// mu serialises writes: ingests, view refreshes, reanalysis and
	// reclustering. Reads take no lock.
	mu       sync.Mutex
	readOnly bool
	// A queue's ingests and workers (jobs.go).
	queue     Queue
	worker    bool
	assigner  *ingest.Ingester
	assignSum *ingest.Summary
	alerted   alertSignal
	arch      evidence
	// viewMemo keeps what story views derive from each article, so that
	// rebuilding a growing story's view analyses only its new articles.
	viewMemo *story.Memo
	// viewsBuilt, viewsRead and viewsRestored count the views built, the
	// articles they read and the derivations restored (ViewWork).
	viewsBuilt, viewsRead, viewsRestored atomic.Int64
}

// viewMemoArticles bounds the articles a Service's viewMemo holds.
const viewMemoArticles = 50000

// DBPath is the SQLite database of a data directory.
func DBPath(dataDir string) string { return filepath.Join(dataDir, "dossier.db") }

func (c Config) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// Open opens a data directory for writing on behalf of command ("add",
// "serve", …): it takes the directory's lock (a *LockError says who holds
// it), opens and migrates the store (after a writer crashed, SQLite's quick
// check runs first) and loads the clustering model, bringing it up to date
// with articles stored after it was last saved.
func Open(ctx context.Context, cfg Config, command string) (*Service, error) {
	l, err := acquire(cfg.DataDir, command)
	if err != nil {
		return nil, err
	}
	var st store.Store
	var pgLock *postgres.WriterLock
	if cfg.DB != "" {
		pg, err := postgres.Open(ctx, cfg.DB)
		if err != nil {
			l.release()
			return nil, err
		}
		if pgLock, err = pg.LockWriter(ctx, command); err != nil {
			pg.Close()
			l.release()
			var le *postgres.LockedError
			if errors.As(err, &le) {
				return nil, &LockError{Dir: le.Store, PID: le.Holder.PID, Command: le.Holder.Command, Addr: le.Holder.Addr}
			}
			return nil, err
		}
		st = pg
	} else {
		db, err := sqlite.Open(ctx, DBPath(cfg.DataDir))
		if err != nil {
			l.release()
			return nil, err
		}
		// After a crash, check the file before writing to it; a clean
		// close needs no check (it costs seconds on a large store).
		if l.unclean {
			if err := db.QuickCheck(ctx); err != nil {
				db.Close()
				l.release()
				return nil, err
			}
		}
		st = db
	}
	if cfg.Ingest.Cluster.EventThreshold == 0 {
		cfg.Ingest.Cluster = cluster.DefaultConfig()
	}
	if err := useDictionaries(&cfg); err != nil {
		pgLock.Release()
		st.Close()
		l.release()
		return nil, err
	}
	model, replayed, err := ingest.LoadModel(ctx, st, cfg.Ingest.Cluster)
	if err != nil {
		pgLock.Release()
		st.Close()
		l.release()
		return nil, fmt.Errorf("pipeline: load clustering model: %w", err)
	}
	return &Service{cfg: cfg, st: st, det: lang.New(), lock: l, pgLock: pgLock, model: model, viewMemo: story.NewStoredMemo(viewMemoArticles, executableSum),
		modelSaved: replayed == 0, modelSavedAt: time.Now()}, nil
}

// OpenReader opens a data directory for reading only. It takes no lock,
// creates and migrates nothing, and fails clearly when there is no store.
func OpenReader(ctx context.Context, cfg Config) (*Service, error) {
	var st store.Store
	var err error
	if cfg.DB != "" {
		st, err = postgres.OpenReadOnly(ctx, cfg.DB)
	} else {
		st, err = sqlite.OpenReadOnly(ctx, DBPath(cfg.DataDir))
	}
	if err != nil {
		return nil, err
	}
	return &Service{cfg: cfg, st: st, readOnly: true}, nil
}

// ErrReadOnly is returned by writes on a service opened with OpenReader.
var ErrReadOnly = errors.New("pipeline: opened read-only")

// Advertise records addr, the address of this process's API, in the lock
// file, so that a second writer is told where to send its inputs.
func (s *Service) Advertise(command, addr string) error {
	if s.lock == nil {
		return ErrReadOnly
	}
	if s.pgLock != nil {
		if err := s.pgLock.Advertise(context.Background(), command, addr); err != nil {
			return err
		}
	}
	return s.lock.write(command, addr)
}

// Store returns the service's store, for tests and tools below the
// service layer's own callers. cmd, api and web use the service's methods.
func (s *Service) Store() store.Store { return s.st }

// Close saves the clustering model, closes the store and releases the lock.
func (s *Service) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var err error
	if !s.readOnly && s.model != nil && !s.modelSaved {
		err = s.saveModel(context.Background())
	}
	if aerr := s.closeArchive(); err == nil {
		err = aerr
	}
	if perr := s.pgLock.Release(); err == nil {
		err = perr
	}
	if cerr := s.st.Close(); err == nil {
		err = cerr
	}
	if rerr := s.lock.release(); err == nil {
		err = rerr
	}
	return err
}

// useDictionaries gives the clustering the bilingual dictionaries of
// cfg.DictDir: every process that builds documents (a writer, a queue's
// workers and its assignment owner) must build them alike.
func useDictionaries(cfg *Config) error {
	if cfg.DictDir == "" || cfg.Ingest.Cluster.Dict != nil {
		return nil
	}
	files, err := dict.Find(cfg.DictDir)
	if err != nil {
		return fmt.Errorf("pipeline: dictionaries: %w", err)
	}
	if len(files) > 0 {
		cfg.Ingest.Cluster.Dict = cluster.NewCachedDict(files.Languages(), files.Words, newDictCache(cfg.CacheDir, files))
	}
	return nil
}

func (s *Service) saveModel(ctx context.Context) error {
	data, err := s.model.MarshalBinary()
	if err != nil {
		return fmt.Errorf("pipeline: save model: %w", err)
	}
	if err := s.st.SaveModel(ctx, data, s.model.LastArticle); err != nil {
		return err
	}
	s.modelSaved, s.modelSavedAt = true, time.Now()
	return nil
}

// SyncModel saves the clustering model if it holds articles its stored
// form does not: a command that ends after an ingest calls it to report a
// failed save (Close saves too, but its caller may not look).
func (s *Service) SyncModel(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.modelUnsaved() {
		return nil
	}
	return s.saveModel(ctx)
}

// modelUnsaved reports that this writer holds a clustering model with
// articles its stored form does not.
func (s *Service) modelUnsaved() bool {
	return !s.readOnly && !s.worker && s.model != nil && !s.modelSaved
}

// saveModelIfDue saves the model when it holds unsaved articles and was
// last saved ingest.ModelAge ago: a server or a watcher ingesting a page at
// a time saves it about once a minute, not once a page. What it has not
// saved when the process dies is assigned again from the store at the
// next start (ingest.LoadModel).
func (s *Service) saveModelIfDue(ctx context.Context) error {
	if !s.modelUnsaved() || time.Since(s.modelSavedAt) < ingest.ModelAge {
		return nil
	}
	return s.saveModel(ctx)
}

// reloadModel reads the clustering model again from the store, after work
// that changed it in memory was lost; on an error the service has none
// (the next ingest loads it).
func (s *Service) reloadModel(ctx context.Context) error {
	m, replayed, err := ingest.LoadModel(context.WithoutCancel(ctx), s.st, s.cfg.Ingest.Cluster)
	if err != nil {
		s.model, s.modelSaved = nil, false
		return fmt.Errorf("pipeline: reload clustering model: %w", err)
	}
	s.model, s.modelSaved, s.modelSavedAt = m, replayed == 0, time.Now()
	return nil
}

// Stats counts what the store holds.
func (s *Service) Stats(ctx context.Context) (store.Stats, error) { return s.st.Stats(ctx) }

// Failures lists the inputs that failed, newest first, then the queue's
// dead letters (jobs that failed every attempt) when a queue is attached.
func (s *Service) Failures(ctx context.Context) ([]store.Failure, error) {
	fails, err := s.st.Failures(ctx)
	if err != nil || s.queue == nil {
		return fails, err
	}
	dead, err := s.queue.DeadLetters(ctx)
	return append(fails, dead...), err
}

// ErrUnsupported is returned when the store cannot do what is asked.
var ErrUnsupported = errors.New("pipeline: not supported by this store")

// Check verifies the store: integrity, counts and orphaned records.
func (s *Service) Check(ctx context.Context) (store.CheckReport, error) {
	c, ok := s.st.(store.Checker)
	if !ok {
		return store.CheckReport{}, ErrUnsupported
	}
	return c.Check(ctx)
}

// Backup writes a consistent copy of the live store to dest, a new file.
func (s *Service) Backup(ctx context.Context, dest string) error {
	b, ok := s.st.(store.BackerUp)
	if !ok {
		return ErrUnsupported
	}
	return b.Backup(ctx, dest)
}
