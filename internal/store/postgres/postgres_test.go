package postgres

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"sync"
	"testing"

	"dossier/internal/store"
	"dossier/internal/store/postgres/pgtest"
	"dossier/internal/store/storetest"
)

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		s, err := Open(context.Background(), pgtest.DSN(t))
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

func TestReopenKeepsDataAndSchema(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	s, err := Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SavePage(ctx, store.Page{Key: "k", BodyHash: "h"}, []store.NewArticle{{Hash: "x"}}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(ctx, dsn) // migrations must not run twice
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if st, err := s.Stats(ctx); err != nil || st.Articles != 1 {
		t.Fatalf("after reopen: %+v, %v", st, err)
	}
}

// Several processes starting at once on an empty database: the advisory
// lock lets exactly one of them migrate, and all of them open.
func TestConcurrentOpenMigratesOnce(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	var wg sync.WaitGroup
	errs := make([]error, 6)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := Open(ctx, dsn)
			if err == nil {
				s.Close()
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("open %d: %v", i, err)
		}
	}
	s, err := OpenReadOnly(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var n int
	names, _ := fs.Glob(migrations, "migrations/*.sql")
	if err := s.pool.QueryRow(ctx, `SELECT COUNT(*) FROM schema_migrations`).Scan(&n); err != nil || n != len(names) {
		t.Errorf("schema_migrations has %d rows (%v), want one per migration, %d", n, err, len(names))
	}
}

func TestReadOnly(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	if _, err := OpenReadOnly(ctx, dsn); !errors.Is(err, store.ErrNoStore) {
		t.Fatalf("OpenReadOnly on an empty schema: %v, want ErrNoStore", err)
	}
	w, err := Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	r, err := OpenReadOnly(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if err := r.RecordFailure(ctx, store.Failure{Input: "x", Err: "y"}); err == nil {
		t.Error("a read-only store wrote")
	}
	if _, err := r.Stats(ctx); err != nil {
		t.Error(err)
	}
}

func TestOneWriter(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	a, err := Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	l, err := a.LockWriter(ctx, "serve")
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Advertise(ctx, "serve", "127.0.0.1:8080"); err != nil {
		t.Fatal(err)
	}
	b, err := Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	_, err = b.LockWriter(ctx, "add")
	var le *LockedError
	if !errors.As(err, &le) || !errors.Is(err, ErrLocked) {
		t.Fatalf("second writer: %v, want a *LockedError", err)
	}
	if le.Holder.Command != "serve" || le.Holder.Addr != "127.0.0.1:8080" || le.Holder.PID != os.Getpid() {
		t.Errorf("holder = %+v", le.Holder)
	}
	// Another store in the same database has its own lock.
	c, err := Open(ctx, pgtest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if l2, err := c.LockWriter(ctx, "add"); err != nil {
		t.Errorf("writer of another schema refused: %v", err)
	} else {
		l2.Release()
	}
	if err := l.Release(); err != nil {
		t.Fatal(err)
	}
	l3, err := b.LockWriter(ctx, "add")
	if err != nil {
		t.Fatalf("lock not free after release: %v", err)
	}
	l3.Release()
}
