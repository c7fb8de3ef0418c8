package main

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"
)

func cmdFollowing(ctx context.Context, cfg *Config, args []string) error {
	fs := flags("following", cfg)
	opml := fs.Bool("opml", false, "write the followed sources as an OPML subscription list")
	fs.Usage = func() {
		fmt.Fprintf(cfg.Stderr, "usage: dossier following [flags]\n\nList the followed sources with their state: last check, last new item,\nnext check, errors in a row and the last error, items seen.\n\n")
		fs.PrintDefaults()
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	svc, err := openReader(ctx, cfg)
	if err != nil {
		return err
	}
	defer svc.Close()
	if *opml {
		return svc.ExportOPML(ctx, cfg.Stdout)
	}
	subs, err := svc.Following(ctx)
	if err != nil {
		return err
	}
	if len(subs) == 0 {
		fmt.Fprintln(cfg.Stdout, "no sources followed ('dossier follow URL' adds one)")
		return nil
	}
	when := func(t time.Time) string {
		if t.IsZero() {
			return "-"
		}
		return t.UTC().Format("2006-01-02 15:04Z")
	}
	tw := tabwriter.NewWriter(cfg.Stdout, 2, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tKIND\tURL\tLAST CHECK\tLAST NEW\tNEXT CHECK\tERRORS\tITEMS")
	for _, s := range subs {
		kind := s.Kind
		if kind == "" {
			kind = "?"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%d\t%d\n", s.ID, kind, s.URL, when(s.LastCheck), when(s.LastNew), when(s.NextCheck), s.Errors, s.ItemsSeen)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, s := range subs {
		if s.LastError != "" {
			fmt.Fprintf(cfg.Stdout, "%d: %s\n", s.ID, s.LastError)
		}
	}
	return nil
}
