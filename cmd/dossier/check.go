package main

import (
	"context"
	"fmt"
)

// cmdCheck verifies a store and says what it found; exit status 1 when
// something is wrong.
func cmdCheck(ctx context.Context, cfg *Config, args []string) error {
	fs := flags("check", cfg)
	if err := parse(fs, args); err != nil {
		return err
	}
	svc, err := openReader(ctx, cfg)
	if err != nil {
		return err
	}
	defer svc.Close()
	r, err := svc.Check(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(cfg.Stdout, "data: %s\npages: %d\narticles: %d\nsources: %d\nstories: %d\nfailed inputs: %d\n",
		cfg.Pipeline.DataDir, r.Stats.Pages, r.Stats.Articles, r.Stats.Sources, r.Stats.Stories, r.Stats.Failures)
	if len(r.Problems) == 0 {
		fmt.Fprintln(cfg.Stdout, "check: ok")
		return nil
	}
	for _, p := range r.Problems {
		fmt.Fprintln(cfg.Stdout, "problem:", p)
	}
	return &exitError{code: 1, msg: fmt.Sprintf("check: %d problem(s) found", len(r.Problems))}
}

// cmdBackup writes a consistent copy of the store, in use or not, to a
// new file; restore by putting the copy in place as DIR/dossier.db.
func cmdBackup(ctx context.Context, cfg *Config, args []string) error {
	fs := flags("backup", cfg)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return &exitError{code: 2, msg: "usage: dossier backup [-data DIR] DEST.db"}
	}
	svc, err := openReader(ctx, cfg)
	if err != nil {
		return err
	}
	defer svc.Close()
	if err := svc.Backup(ctx, fs.Arg(0)); err != nil {
		return err
	}
	fmt.Fprintf(cfg.Stdout, "backed up %s to %s\n", cfg.Pipeline.DataDir, fs.Arg(0))
	return nil
}
