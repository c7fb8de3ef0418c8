package main

import (
	"context"
	"fmt"
	"os"
)

func cmdExport(ctx context.Context, cfg *Config, args []string) error {
	fs := flags("export", cfg)
	format := fs.String("format", "json", "json or markdown")
	out := fs.String("o", "-", "output file (- for standard output)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *format == "md" {
		*format = "markdown"
	}
	if *format != "json" && *format != "markdown" {
		return &exitError{code: 2, msg: fmt.Sprintf("export: unknown format %q (want json or markdown)", *format)}
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
