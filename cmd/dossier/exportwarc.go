package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"dossier/internal/store"
)

// exportWARC writes the archived captures of a story's articles as one
// WARC file.
func exportWARC(ctx context.Context, cfg *Config, story int64, out string) error {
	if story <= 0 {
		return &exitError{code: 2, msg: "export: -format warc needs -story ID"}
	}
	svc, err := openReader(ctx, cfg)
	if err != nil {
		return err
	}
	defer svc.Close()
	w := cfg.Stdout
	var f *os.File
	if out != "-" {
		if f, err = os.Create(out); err != nil {
			return fmt.Errorf("export: %w", err)
		}
		w = f
	}
	n, gone, err := svc.ExportStoryWARC(ctx, w, story)
	if f != nil {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if errors.Is(err, store.ErrNotFound) {
		if into, merr := svc.StoryMoved(ctx, story); merr == nil {
			return &exitError{code: 1, msg: fmt.Sprintf("export: story %d was merged into story %d: export -story %d", story, into, into)}
		}
		return &exitError{code: 1, msg: fmt.Sprintf("export: no story %d", story)}
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(cfg.Stderr, "export: %d archived response(s) of story %d", n, story)
	if gone > 0 {
		fmt.Fprintf(cfg.Stderr, " (%d deleted by the archive's retention)", gone)
	}
	fmt.Fprintln(cfg.Stderr)
	return nil
}
