package main

import (
	"context"
	"errors"
	"fmt"

	"dossier/internal/store"
)

func cmdUnfollow(ctx context.Context, cfg *Config, args []string) error {
	fs := flags("unfollow", cfg)
	fs.Usage = func() {
		fmt.Fprintf(cfg.Stderr, "usage: dossier unfollow [flags] ID|URL...\n\nStop following sources ('dossier following' lists their ids). What was stored from them is kept.\n\n")
		fs.PrintDefaults()
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return &exitError{code: 2, msg: "unfollow: give the id or URL of a followed source"}
	}
	svc, err := openWriter(ctx, cfg, "unfollow")
	if err != nil {
		return err
	}
	defer svc.Close()
	for _, ref := range fs.Args() {
		sub, err := svc.Unfollow(ctx, ref)
		if errors.Is(err, store.ErrNotFound) {
			return &exitError{code: 1, msg: fmt.Sprintf("unfollow: %s is not followed ('dossier following' lists what is)", ref)}
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(cfg.Stdout, "%d\t%s\tno longer followed\n", sub.ID, sub.URL)
	}
	return nil
}
