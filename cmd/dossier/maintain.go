package main

import (
	"context"
	"fmt"

	"dossier/internal/cluster"
)

func cmdReanalyze(ctx context.Context, cfg *Config, args []string) error {
	fs := flags("reanalyze", cfg)
	if err := parse(fs, args); err != nil {
		return err
	}
	svc, err := openWriter(ctx, cfg, "reanalyze")
	if err != nil {
		return err
	}
	defer svc.Close()
	r, err := svc.Reanalyze(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(cfg.Stdout, "reanalyzed %d article(s): %d figure(s); %d story view(s) rebuilt\n", r.Articles, r.Figures, r.Views)
	return nil
}

func cmdRecluster(ctx context.Context, cfg *Config, args []string) error {
	bc := cluster.DefaultBatchConfig()
	fs := flags("recluster", cfg)
	fs.Float64Var(&bc.EventThreshold, "event-threshold", bc.EventThreshold, "average similarity at which articles form one event")
	fs.Float64Var(&bc.StoryThreshold, "story-threshold", bc.StoryThreshold, "average similarity at which events form one story")
	if err := parse(fs, args); err != nil {
		return err
	}
	svc, err := openWriter(ctx, cfg, "recluster")
	if err != nil {
		return err
	}
	defer svc.Close()
	r, err := svc.Recluster(ctx, bc)
	if err != nil {
		return err
	}
	fmt.Fprintf(cfg.Stdout, "reclustered %d article(s) into %d stories and %d events: %d merge(s), %d split(s) recorded\n",
		r.Articles, r.Stories, r.Events, r.Merges, r.Splits)
	return nil
}
