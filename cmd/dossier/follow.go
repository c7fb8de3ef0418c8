package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"dossier/internal/client"
	"dossier/internal/fetch"
	"dossier/internal/pipeline"
)

func cmdFollow(ctx context.Context, cfg *Config, args []string) error {
	fs := flags("follow", cfg)
	kind := fs.String("kind", "", "feed, sitemap or page (default: found out at the first check)")
	title := fs.String("title", "", "a name for the source (default: the feed's title)")
	opml := fs.String("opml", "", "follow every source of this OPML file (- for standard input)")
	fs.Usage = func() {
		fmt.Fprintf(cfg.Stderr, "usage: dossier follow [flags] URL...\n       dossier follow -opml FILE\n\nFollow feeds (RSS, Atom, JSON Feed), news sitemaps and pages: 'dossier watch' or\n'dossier serve' checks them on a schedule and stores what is new.\n\n")
		fs.PrintDefaults()
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 && *opml == "" {
		fs.Usage()
		return &exitError{code: 2, msg: "follow: give a URL or -opml FILE"}
	}
	var body []byte
	if *opml != "" {
		var err error
		if *opml == "-" {
			body, err = fetch.ReadAtMost(os.Stdin, 16<<20)
		} else {
			var f *os.File
			if f, err = os.Open(*opml); err == nil {
				body, err = fetch.ReadAtMost(f, 16<<20)
				f.Close()
			}
		}
		if err != nil {
			return fmt.Errorf("follow: %w", err)
		}
	}
	svc, err := pipeline.Open(ctx, cfg.Pipeline, "follow")
	var le *pipeline.LockError
	if errors.As(err, &le) && le.Addr != "" && body == nil {
		// A server holds the data directory: it follows for us.
		return followOnServer(ctx, cfg, le.Addr, *kind, *title, fs.Args())
	}
	if errors.As(err, &le) {
		return &exitError{code: 1, msg: le.Error()}
	}
	if err != nil {
		return err
	}
	defer svc.Close()
	if body != nil {
		added, existed, err := svc.ImportOPML(ctx, body)
		if err != nil {
			return err
		}
		fmt.Fprintf(cfg.Stdout, "following %d new source(s) from %s (%d followed already)\n", added, *opml, existed)
	}
	for _, u := range fs.Args() {
		sub, existed, err := svc.Follow(ctx, u, *kind, *title)
		if err != nil {
			return &exitError{code: 1, msg: err.Error()}
		}
		if existed {
			fmt.Fprintf(cfg.Stdout, "%d\t%s\t(followed already)\n", sub.ID, sub.URL)
			continue
		}
		fmt.Fprintf(cfg.Stdout, "%d\t%s\tfollowing\n", sub.ID, sub.URL)
	}
	return nil
}

// followOnServer follows through the API of the server that holds the
// data directory, with the token kept there.
func followOnServer(ctx context.Context, cfg *Config, addr, kind, title string, urls []string) error {
	tok, err := readToken(cfg.Pipeline.DataDir)
	if err != nil {
		return &exitError{code: 1, msg: fmt.Sprintf("follow: dossier serve at %s holds the data directory, and its token could not be read: %v", addr, err)}
	}
	c := client.New(addr, client.WithToken(tok))
	for _, u := range urls {
		f, err := c.Follow(ctx, client.FollowRequest{URL: u, Kind: kind, Title: title})
		if err != nil {
			return &exitError{code: 1, msg: fmt.Sprintf("follow %s (through dossier serve at %s): %v", u, addr, err)}
		}
		fmt.Fprintf(cfg.Stdout, "%s\t%s\tfollowing (through dossier serve at %s)\n", f.ID[len("src"):], f.URL, addr)
	}
	return nil
}
