package main

import (
	"context"
	"fmt"
	"time"
)

func cmdStats(ctx context.Context, cfg *Config, args []string) error {
	fs := flags("stats", cfg)
	if err := parse(fs, args); err != nil {
		return err
	}
	svc, err := openReader(ctx, cfg)
	if err != nil {
		return err
	}
	defer svc.Close()
	s, err := svc.Stats(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(cfg.Stdout, "data: %s\npages: %d\narticles: %d\nsources: %d\nfailed inputs: %d\nlanguages: %s\ndatabase: %.1f MB\n",
		cfg.Pipeline.DataDir, s.Pages, s.Articles, s.Sources, s.Failures, counts(s.Languages), float64(s.Bytes)/1e6)
	return nil
}

func cmdErrors(ctx context.Context, cfg *Config, args []string) error {
	fs := flags("errors", cfg)
	if err := parse(fs, args); err != nil {
		return err
	}
	svc, err := openReader(ctx, cfg)
	if err != nil {
		return err
	}
	defer svc.Close()
	defer listDeadLetters(ctx, cfg, svc)()
	fails, err := svc.Failures(ctx)
	if err != nil {
		return err
	}
	for _, f := range fails {
		fmt.Fprintf(cfg.Stdout, "%s\t%s\t%s\n", f.At.Format(time.RFC3339), f.Input, f.Err)
	}
	return nil
}
