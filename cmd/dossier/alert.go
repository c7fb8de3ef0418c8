package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"dossier/internal/client"
	"dossier/internal/pipeline"
	"dossier/internal/store"
)

const alertUsage = `usage:
  dossier alert add -story ID | -entity NAME | -query Q | -figure QUANTITY [-webhook URL] [-server URL]
  dossier alert list                 list the rules
  dossier alert rm [-server URL] ID  delete a rule and its alerts
  dossier alerts [-rule ID] [-n N]   show fired alerts, newest first
`

// cmdAlert manages alert rules: what the user follows.
func cmdAlert(ctx context.Context, cfg *Config, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(cfg.Stderr, alertUsage)
		return &exitError{code: 2}
	}
	switch args[0] {
	case "add":
		return alertAdd(ctx, cfg, args[1:])
	case "list", "ls":
		return alertList(ctx, cfg, args[1:])
	case "rm", "remove", "delete":
		return alertRemove(ctx, cfg, args[1:])
	case "help", "-h", "-help", "--help":
		fmt.Fprint(cfg.Stdout, alertUsage)
		return nil
	}
	fmt.Fprint(cfg.Stderr, alertUsage)
	return &exitError{code: 2, msg: fmt.Sprintf("alert: unknown subcommand %q", args[0])}
}

// serverClient is the client of a running server, with the token given or
// the one kept in the data directory.
func serverClient(cfg *Config, server, token string) *client.Client {
	if token == "" {
		if t, err := readToken(cfg.Pipeline.DataDir); err == nil {
			token = t
		}
	}
	return client.New(server, client.WithToken(token))
}

func alertAdd(ctx context.Context, cfg *Config, args []string) error {
	fs := flags("alert add", cfg)
	storyID := fs.Int64("story", 0, "follow the story with this `ID` (the 12 of /stories/12)")
	entity := fs.String("entity", "", "follow the stories that name this entity (a `NAME` or an entity id)")
	query := fs.String("query", "", "follow the stories with articles matching this search `QUERY`")
	figure := fs.String("figure", "", "follow a figure's `QUANTITY` in every story (\"North Korean soldiers killed\")")
	webhook := fs.String("webhook", "", "POST each alert, signed, to this `URL`")
	server := fs.String("server", "", "add the rule through the dossier server at `URL` (while `dossier serve` holds the data directory)")
	token := fs.String("token", cfg.Getenv("DOSSIER_TOKEN"), "the server's token, with -server (env DOSSIER_TOKEN; default: the one kept in the data directory)")
	fs.Usage = func() { fmt.Fprint(cfg.Stderr, alertUsage+"\n"); fs.PrintDefaults() }
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return &exitError{code: 2, msg: "alert add: unexpected arguments " + strings.Join(fs.Args(), " ")}
	}
	var r store.AlertRule
	if *server != "" {
		req := client.NewAlertRule{Entity: *entity, Query: *query, Figure: *figure, Webhook: *webhook}
		if *storyID != 0 {
			req.Story = strconv.FormatInt(*storyID, 10)
		}
		got, err := serverClient(cfg, *server, *token).AddAlertRule(ctx, req)
		if err != nil {
			return fmt.Errorf("alert add: %w", err)
		}
		id, _ := strconv.ParseInt(strings.TrimPrefix(got.ID, "r"), 10, 64)
		r = store.AlertRule{ID: id, Kind: got.Kind, Story: *storyID, Value: deref(got.Value), Webhook: deref(got.Webhook), Secret: deref(got.Secret)}
	} else {
		svc, err := openWriter(ctx, cfg, "alert")
		if err != nil {
			return err
		}
		defer svc.Close()
		r, err = svc.AddAlertRule(ctx, pipeline.NewAlertRule{Story: *storyID, Entity: *entity, Query: *query, Figure: *figure, Webhook: *webhook})
		if errors.Is(err, pipeline.ErrBadRule) || errors.Is(err, store.ErrNotFound) {
			return &exitError{code: 2, msg: err.Error()}
		}
		if err != nil {
			return err
		}
	}
	fmt.Fprintf(cfg.Stdout, "rule %d: %s\n", r.ID, ruleLine(r))
	if r.Secret != "" {
		fmt.Fprintf(cfg.Stdout, "webhook secret (shown once; deliveries are signed with it, see the README): %s\n", r.Secret)
	}
	return nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// ruleLine says what a rule follows.
func ruleLine(r store.AlertRule) string {
	var s string
	switch r.Kind {
	case "story":
		s = "story " + strconv.FormatInt(r.Story, 10)
	case "entity":
		s = "entity " + r.Value
		if r.Entity != "" && r.Entity != r.Value {
			s += " (" + r.Entity + ")"
		}
	default:
		s = r.Kind + " " + strconv.Quote(r.Value)
	}
	if r.Webhook != "" {
		s += " → " + r.Webhook
	}
	return s
}

func alertList(ctx context.Context, cfg *Config, args []string) error {
	fs := flags("alert list", cfg)
	if err := parse(fs, args); err != nil {
		return err
	}
	svc, err := openReader(ctx, cfg)
	if err != nil {
		return err
	}
	defer svc.Close()
	rules, err := svc.AlertRules(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(cfg.Stdout, 0, 4, 2, ' ', 0)
	for _, r := range rules {
		fmt.Fprintf(tw, "%d\t%s\tsince %s\n", r.ID, ruleLine(r), r.Created.UTC().Format("2006-01-02 15:04"))
	}
	return tw.Flush()
}

func alertRemove(ctx context.Context, cfg *Config, args []string) error {
	fs := flags("alert rm", cfg)
	server := fs.String("server", "", "delete the rule through the dossier server at `URL`")
	token := fs.String("token", cfg.Getenv("DOSSIER_TOKEN"), "the server's token, with -server")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fmt.Fprint(cfg.Stderr, alertUsage)
		return &exitError{code: 2, msg: "alert rm: give one rule id"}
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(fs.Arg(0), "r"), 10, 64)
	if err != nil || id <= 0 {
		return &exitError{code: 2, msg: fmt.Sprintf("alert rm: %q is not a rule id", fs.Arg(0))}
	}
	if *server != "" {
		if err := serverClient(cfg, *server, *token).DeleteAlertRule(ctx, "r"+strconv.FormatInt(id, 10)); err != nil {
			return fmt.Errorf("alert rm: %w", err)
		}
	} else {
		svc, err := openWriter(ctx, cfg, "alert")
		if err != nil {
			return err
		}
		defer svc.Close()
		if err := svc.DeleteAlertRule(ctx, id); errors.Is(err, store.ErrNotFound) {
			return &exitError{code: 1, msg: fmt.Sprintf("alert rm: no rule %d", id)}
		} else if err != nil {
			return err
		}
	}
	fmt.Fprintf(cfg.Stdout, "rule %d deleted\n", id)
	return nil
}

// cmdAlerts shows the alerts fired, newest first.
func cmdAlerts(ctx context.Context, cfg *Config, args []string) error {
	fs := flags("alerts", cfg)
	rule := fs.Int64("rule", 0, "only this rule's alerts")
	n := fs.Int("n", 20, "how many")
	if err := parse(fs, args); err != nil {
		return err
	}
	svc, err := openReader(ctx, cfg)
	if err != nil {
		return err
	}
	defer svc.Close()
	p, err := svc.Alerts(ctx, pipeline.AlertFilter{Rule: *rule, Limit: *n})
	if err != nil {
		return err
	}
	for _, a := range p.Alerts {
		fmt.Fprintf(cfg.Stdout, "%s  rule %d  story %d  %s\n  %s\n", a.Created.UTC().Format(time.RFC3339), a.Rule, a.Story, a.Kind, a.Text)
		if a.Before != "" || a.After != "" {
			fmt.Fprintf(cfg.Stdout, "  before: %s  after: %s\n", orDash(a.Before), orDash(a.After))
		}
		if a.Sentence != "" {
			fmt.Fprintf(cfg.Stdout, "  “%s”\n", a.Sentence)
		}
		if src := strings.TrimSpace(a.Site + " " + a.URL); src != "" {
			fmt.Fprintf(cfg.Stdout, "  source: %s\n", src)
		}
		fmt.Fprintf(cfg.Stdout, "  id %s\n", a.ID)
	}
	return nil
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
