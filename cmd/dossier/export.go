package main

import (
	"context"
	"fmt"
	"os"
)

func cmdExport(ctx context.Context, cfg *Config, args []string) error {
	fs := flags("export", cfg)
	format := fs.String("format", "json", "json, markdown, or warc (the archived pages of -story)")
	out := fs.String("o", "-", "output file (- for standard output)")
	storyID := fs.Int64("story", 0, "with -format warc: the story whose archive to write")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *format == "warc" {
		return exportWARC(ctx, cfg, *storyID, *out)
	}
	if *format == "md" {
		*format = "markdown"
	}
	if *format != "json" && *format != "markdown" {
		return &exitError{code: 2, msg: fmt.Sprintf("export: unknown format %q (want json, markdown or warc)", *format)}
	}
	svc, err := openReader(ctx, cfg)
	if err != nil {
		return err
	}
	defer svc.Close()
	w := cfg.Stdout
	var f *os.File
	if *out != "-" {
		if f, err = os.Create(*out); err != nil {
			return fmt.Errorf("export: %w", err)
		}
		w = f
	}
	err = svc.Export(ctx, w, *format)
	if f != nil {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	return err
}
