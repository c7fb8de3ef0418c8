package main

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"dossier/internal/api"
	"dossier/internal/notify"
	"dossier/internal/web"
)

// tokenFile holds the generated API token in the data directory.
const tokenFile = "token"

func cmdServe(ctx context.Context, cfg *Config, args []string) error {
	ic := &cfg.Pipeline.Ingest
	fs := flags("serve", cfg)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on; beyond loopback, reads need the token too")
	token := fs.String("token", cfg.Getenv("DOSSIER_TOKEN"), "bearer token for writes (env DOSSIER_TOKEN; when empty, one is generated on first start and kept in DATA/token)")
	rate := fs.Float64("rate", 50, "requests per second each client may make on average (0: no limit)")
	burst := fs.Int("burst", 100, "requests each client may make at once")
	maxBody := fs.Int64("max-body", 32<<20, "largest request body accepted, in bytes")
	grace := fs.Duration("shutdown-timeout", 5*time.Minute, "how long a shutdown waits for requests and ingests in flight")
	quiet := fs.Bool("q", false, "log no requests")
	noWatch := fs.Bool("no-watch", false, "do not check the followed sources (dossier watch does it headless)")
	watchFlags(fs, cfg)
	queued := fs.Bool("queue", false, "enqueue ingests for `dossier worker` processes instead of writing the store here; any number of such servers may share one PostgreSQL store (needs -db postgres://...)")
	hookPrivate := fs.Bool("webhook-allow-private", false, "allow alert webhooks on loopback, private and link-local addresses")
	cacheMB := fs.Int("cache", 64, "MiB of encoded answers the API and the web UI each keep, under a stamp of the data they were built from (0: none)")
	pprofAddr := fs.String("pprof", "", "serve Go's profiler (net/http/pprof) on this loopback address, e.g. 127.0.0.1:6060 (empty: off)")
	fs.IntVar(&ic.Workers, "workers", 0, "pages processed in parallel by an ingest (default: number of CPUs)")
	fs.DurationVar(&ic.Fetch.Timeout, "timeout", ic.Fetch.Timeout, "timeout of one HTTP request the server makes, body included")
	fs.BoolVar(&ic.Fetch.AllowPrivate, "allow-private", false, "allow fetching loopback, private and link-local addresses")
	fs.Usage = func() {
		fmt.Fprintf(cfg.Stderr, "usage: dossier serve [flags]\n\nServe the JSON API (/v1/...) of the data directory; this process is its one writer.\n\n")
		fs.PrintDefaults()
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return &exitError{code: 2, msg: "serve: takes no arguments"}
	}

	svc, closeQueue, err := openServed(ctx, cfg, *queued)
	if err != nil {
		return err
	}
	defer closeQueue()
	closed := false
	defer func() {
		if !closed {
			svc.Close()
		}
	}()
	tok, generated, err := serverToken(cfg.Pipeline.DataDir, *token)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	url := "http://" + ln.Addr().String()
	if !*queued { // the assignment owner refreshes the views of a queued store
		if err := svc.Advertise("serve", url); err != nil {
			ln.Close()
			return err
		}
		if _, err := svc.RefreshViews(ctx); err != nil {
			ln.Close()
			return fmt.Errorf("serve: refresh story views: %w", err)
		}
	}

	var logger *slog.Logger
	if !*quiet {
		logger = slog.New(slog.NewTextHandler(cfg.Stderr, nil))
	}
	loopback := isLoopback(ln.Addr())
	cacheBytes := *cacheMB << 20
	if cacheBytes <= 0 {
		cacheBytes = -1 // no cache
	}
	h := api.New(svc, api.Options{Token: tok, ReadsNeedToken: !loopback, MaxBody: *maxBody, Rate: *rate, Burst: *burst, Logger: logger,
		CacheBytes: cacheBytes})
	// The JSON API answers /v1/, /healthz and /metrics; the web UI the rest.
	var ui http.Handler = web.New(svc, web.Options{Token: tok, Logger: logger, CacheBytes: cacheBytes})
	if !loopback {
		ui = tokenGate(ui, tok)
	}
	mux := http.NewServeMux()
	mux.Handle("/v1/", h)
	mux.Handle("/healthz", h)
	mux.Handle("/metrics", h)
	mux.Handle("/", ui)
	srv := &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		// Requests do not end with the signal: shutdown waits for them.
		BaseContext: func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	fmt.Fprintf(cfg.Stdout, "dossier serve: listening on %s (data %s)\n", url, cfg.Pipeline.DataDir)
	if generated {
		fmt.Fprintf(cfg.Stdout, "token (generated, shown once, kept in %s): %s\n", filepath.Join(cfg.Pipeline.DataDir, tokenFile), tok)
	}
	if !loopback {
		fmt.Fprintln(cfg.Stdout, "bound beyond loopback: reads need the token too")
	}

	waitWatch := func() error { return nil }
	// A queued server writes nothing itself; the followed sources are
	// checked by the process that owns the store (dossier watch).
	if !*noWatch && !*queued {
		wlog := logger
		if wlog == nil {
			wlog = slog.New(slog.NewTextHandler(cfg.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
		}
		if waitWatch, err = startWatcher(ctx, cfg, svc, wlog); err != nil {
			ln.Close()
			return err
		}
	}
	// The views that `add` and the watcher left for later are rebuilt
	// once due; a queued server leaves it to the store's owner.
	stopViews := func() {}
	if !*queued {
		vlog := logger
		if vlog == nil {
			vlog = slog.New(slog.NewTextHandler(cfg.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
		}
		stopViews = keepViews(ctx, svc, vlog)
	}
	// Alerts go to their rules' webhooks until the server stops; failed
	// deliveries are logged even with -q. A queued server leaves them to
	// the store's owner, as it leaves watching.
	stopNotify := func() {}
	if !*queued {
		nlog := logger
		if nlog == nil {
			nlog = slog.New(slog.NewTextHandler(cfg.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
		}
		nctx, cancelNotify := context.WithCancel(context.WithoutCancel(ctx))
		notified := make(chan struct{})
		go func() {
			defer close(notified)
			notify.New(svc, notify.Config{BaseURL: url, AllowPrivate: *hookPrivate, Log: nlog}).Run(nctx)
		}()
		stopNotify = sync.OnceFunc(func() { cancelNotify(); <-notified })
		defer stopNotify()
	}
	if *pprofAddr != "" {
		stop, err := servePprof(*pprofAddr)
		if err != nil {
			ln.Close()
			return err
		}
		defer stop()
	}

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	fmt.Fprintln(cfg.Stderr, "dossier serve: shutting down; waiting for requests in flight")
	h.Drain()
	sctx, cancel := context.WithTimeout(context.Background(), *grace)
	defer cancel()
	serr := srv.Shutdown(sctx)
	if werr := waitWatch(); werr != nil && serr == nil {
		serr = werr
	}
	stopViews()
	stopNotify()
	closed = true
	if err := svc.Close(); err != nil {
		return fmt.Errorf("serve: close: %w", err)
	}
	if serr != nil {
		return fmt.Errorf("serve: shutdown: %w", serr)
	}
	fmt.Fprintln(cfg.Stderr, "dossier serve: stopped")
	return nil
}

// servePprof serves Go's profiler on its own listener, which must be on
// loopback: profiles show what the server holds.
func servePprof(addr string) (stop func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("serve: pprof: %w", err)
	}
	if !isLoopback(ln.Addr()) {
		ln.Close()
		return nil, fmt.Errorf("serve: pprof: %s is not a loopback address", addr)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	return func() { srv.Close() }, nil
}

// tokenGate asks for the token before the web UI answers, for a server
// bound beyond loopback: HTTP Basic authentication with the token as the
// password (any user name), or the API's bearer token.
func tokenGate(next http.Handler, tok string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		given := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		if _, pass, ok := r.BasicAuth(); ok {
			given = pass
		}
		if subtle.ConstantTimeCompare([]byte(given), []byte(tok)) != 1 {
			w.Header().Set("WWW-Authenticate", `Basic realm="dossier (the password is the server's token)"`)
			http.Error(w, "this dossier server needs its token", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// serverToken returns the token to use: the one given, else the one kept
// in the data directory, else a new one, kept there (mode 0600).
func serverToken(dir, given string) (tok string, generated bool, err error) {
	if given != "" {
		return given, false, nil
	}
	if tok, err := readToken(dir); err == nil {
		return tok, false, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return "", false, err
	}
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", false, fmt.Errorf("serve: token: %w", err)
	}
	tok = hex.EncodeToString(b)
	path := filepath.Join(dir, tokenFile)
	if err := os.WriteFile(path, []byte(tok+"\n"), 0o600); err != nil {
		return "", false, fmt.Errorf("serve: token: %w", err)
	}
	return tok, true, nil
}

// readToken reads the token kept in a data directory.
func readToken(dir string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dir, tokenFile))
	if err != nil {
		return "", err
	}
	tok := strings.TrimSpace(string(b))
	if tok == "" {
		return "", fmt.Errorf("token file %s is empty", filepath.Join(dir, tokenFile))
	}
	return tok, nil
}

func isLoopback(a net.Addr) bool {
	ta, ok := a.(*net.TCPAddr)
	return ok && ta.IP.IsLoopback()
}
