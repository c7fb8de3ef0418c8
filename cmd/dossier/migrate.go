package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"dossier/internal/ingest"
	"dossier/internal/news"
	"dossier/internal/pipeline"
	"dossier/internal/store"
	"dossier/internal/store/postgres"
)

// cmdMigrateStore copies the SQLite store of a data directory into an empty
// PostgreSQL database. The data directory is locked meanwhile (no writer
// may change it), and so is the database.
func cmdMigrateStore(ctx context.Context, cfg *Config, args []string) error {
	fs := flags("migrate-store", cfg)
	to := fs.String("to", "", "the PostgreSQL database to copy the store into: postgres://USER:PASSWORD@HOST:PORT/DB (required; must hold no dossier data)")
	quiet := fs.Bool("q", false, "no progress on stderr")
	if err := parse(fs, args); err != nil {
		return err
	}
	if !postgres.IsDSN(*to) {
		return &exitError{code: 2, msg: "migrate-store: -to postgres://USER:PASSWORD@HOST:PORT/DB is required"}
	}
	pc := cfg.Pipeline
	pc.DB = "" // the source is the data directory's SQLite store
	if _, err := os.Stat(pipeline.DBPath(pc.DataDir)); err != nil {
		return &exitError{code: 1, msg: fmt.Sprintf("migrate-store: no store in %s (wrong -data?): %v", pc.DataDir, err)}
	}
	svc, err := pipeline.Open(ctx, pc, "migrate-store")
	if err != nil {
		return err
	}
	defer svc.Close()
	src, ok := svc.Store().(interface {
		store.Store
		store.Dumper
	})
	if !ok {
		return fmt.Errorf("migrate-store: the store of %s cannot be listed for a copy", pc.DataDir)
	}
	dst, err := postgres.Open(ctx, *to)
	if err != nil {
		return err
	}
	defer dst.Close()
	lock, err := dst.LockWriter(ctx, "migrate-store")
	if err != nil {
		return err
	}
	defer lock.Release()
	start := time.Now()
	progress := func(what string, n int) {
		if !*quiet {
			fmt.Fprintf(cfg.Stderr, "\rmigrate-store: %d %s", n, what)
		}
	}
	index := func(a news.Article) store.SearchDoc {
		d, _ := ingest.Index(a)
		return d
	}
	n, err := store.Copy(ctx, dst, src, index, progress)
	if !*quiet {
		fmt.Fprintln(cfg.Stderr)
	}
	if errors.Is(err, store.ErrNotEmpty) {
		return &exitError{code: 1, msg: fmt.Sprintf("migrate-store: %s already holds dossier data; copy into an empty database or schema "+
			"(after an interrupted copy: DROP SCHEMA and CREATE SCHEMA, or drop and create the database, then run this again)", dst.Name())}
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(cfg.Stdout, "copied %s into %s in %s: %d pages, %d articles, %d sources, %d cluster changes, %d story views, %d failures, %d feeds, %d followed sources\n",
		pc.DataDir, dst.Name(), time.Since(start).Round(time.Millisecond), n.Pages, n.Articles, n.Sources, n.Changes, n.Views, n.Failures, n.Feeds, n.Subscriptions)
	fmt.Fprintf(cfg.Stdout, "use it with -db %s (or DOSSIER_DB)\n", dst.Name())
	return nil
}
