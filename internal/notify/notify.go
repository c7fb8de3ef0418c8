// Package notify delivers alerts to the webhooks of the rules that fired
// them: a JSON POST signed with HMAC-SHA256, retried with exponential
// backoff until the receiver answers 2xx. The state of every delivery is
// in the store (through the pipeline), so a restart neither loses nor
// forgets one: delivery is at least once, and each carries the alert's
// stable id so that a receiver can drop repeats.
//
// Signature: the Dossier-Signature header is "sha256=" and the hex HMAC-
// SHA256, keyed by the rule's secret, of the Dossier-Timestamp header (Unix
// seconds), a ".", and the raw body. A receiver recomputes it, compares in
// constant time, and refuses a timestamp too far from its clock (Verify).
package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"syscall"
	"time"

	"dossier/internal/fetch"
	"dossier/internal/store"
)

// Headers of a delivery.
const (
	HeaderSignature = "Dossier-Signature"
	HeaderTimestamp = "Dossier-Timestamp"
	HeaderAlert     = "Dossier-Alert-Id"
	HeaderAttempt   = "Dossier-Delivery-Attempt"
)

// Pipeline is what the notifier needs of the service (a *pipeline.Service).
type Pipeline interface {
	DueDeliveries(ctx context.Context, now time.Time, n int) ([]store.Delivery, error)
	NextDelivery(ctx context.Context) (time.Time, error)
	UpdateDelivery(ctx context.Context, d store.Delivery) error
	AlertRule(ctx context.Context, id int64) (store.AlertRule, error)
}

// Config adjusts a notifier. Zero values take the defaults.
type Config struct {
	// BaseURL is where this dossier serves its web UI, for the story links
	// of payloads ("" leaves them relative).
	BaseURL string
	// AllowPrivate permits webhooks on loopback, private and link-local
	// addresses (refused by default, as fetches are).
	AllowPrivate bool
	// Timeout bounds one attempt (default 10s).
	Timeout time.Duration
	// Backoff is the wait after a failed attempt (attempt counts from 1);
	// default: 30s doubling to at most 6h, with ±20% jitter.
	Backoff func(attempt int) time.Duration
	// Poll is how often the notifier looks for due deliveries when no new
	// alert wakes it (default 5s).
	Poll time.Duration
	// Now and After are the clock (time.Now and time.After by default).
	Now   func() time.Time
	After func(time.Duration) <-chan time.Time
	// Client sends the requests (default: one that refuses private
	// addresses unless AllowPrivate).
	Client *http.Client
	Log    *slog.Logger
}

// Notifier delivers due webhook deliveries.
type Notifier struct {
	p   Pipeline
	cfg Config
	// stored signals new alerts (nil: poll only).
	stored <-chan struct{}
}

// New builds a notifier.
func New(p Pipeline, cfg Config) *Notifier {
	if cfg.Timeout == 0 {
		cfg.Timeout = 10 * time.Second
	}
	if cfg.Backoff == nil {
		cfg.Backoff = DefaultBackoff
	}
	if cfg.Poll == 0 {
		cfg.Poll = 5 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.After == nil {
		cfg.After = time.After
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Client == nil {
		cfg.Client = client(cfg.AllowPrivate, cfg.Timeout)
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	n := &Notifier{p: p, cfg: cfg}
	if s, ok := p.(interface{ AlertsStored() <-chan struct{} }); ok {
		n.stored = s.AlertsStored()
	}
	return n
}

// DefaultBackoff waits 30s after the first failure, doubling each time up
// to 6h, with ±20% jitter so that receivers that failed together are not
// retried together.
func DefaultBackoff(attempt int) time.Duration {
	d := 30 * time.Second
	for i := 1; i < attempt && d < 6*time.Hour; i++ {
		d *= 2
	}
	d = min(d, 6*time.Hour)
	return time.Duration(float64(d) * (0.8 + 0.4*rand.Float64()))
}

// ErrPrivateAddress is returned for a webhook on a private address.
var ErrPrivateAddress = fetch.ErrPrivateAddress

// client is an HTTP client that, unless allowPrivate, refuses to connect
// to the addresses fetch refuses, checked on the address dialled (after
// name resolution), and follows no redirects.
func client(allowPrivate bool, timeout time.Duration) *http.Client {
	d := &net.Dialer{Timeout: timeout}
	if !allowPrivate {
		d.Control = func(network, address string, _ syscall.RawConn) error {
			host, _, err := net.SplitHostPort(address)
			if err != nil {
				return err
			}
			if ip, err := netip.ParseAddr(host); err == nil && fetch.Blocked(ip) {
				return fmt.Errorf("%s: %w", host, ErrPrivateAddress)
			}
			return nil
		}
	}
	return &http.Client{
		Transport: &http.Transport{Proxy: nil, DialContext: d.DialContext, TLSHandshakeTimeout: timeout, ResponseHeaderTimeout: timeout},
		Timeout:   timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// Run delivers due deliveries until ctx ends, waking when the pipeline
// stores new alerts, when the earliest pending one is due, and every Poll.
func (n *Notifier) Run(ctx context.Context) error {
	for {
		if _, err := n.DeliverDue(ctx); err != nil && ctx.Err() == nil {
			n.cfg.Log.Error("webhook deliveries", "err", err)
		}
		wait := n.cfg.Poll
		if next, err := n.p.NextDelivery(ctx); err == nil && !next.IsZero() {
			wait = min(wait, max(next.Sub(n.cfg.Now()), 0))
		}
		select {
		case <-ctx.Done():
			return nil
		case <-n.cfg.After(wait):
		case <-n.stored:
		}
	}
}

// DeliverDue makes one attempt at each delivery due now and records its
// outcome; it returns how many succeeded.
func (n *Notifier) DeliverDue(ctx context.Context) (int, error) {
	ok := 0
	rules := map[int64]store.AlertRule{}
	for {
		due, err := n.p.DueDeliveries(ctx, n.cfg.Now(), 64)
		if err != nil {
			return ok, err
		}
		if len(due) == 0 {
			return ok, nil
		}
		for _, d := range due {
			r, seen := rules[d.Rule]
			if !seen {
				if r, err = n.p.AlertRule(ctx, d.Rule); err != nil {
					return ok, err
				}
				rules[d.Rule] = r
			}
			d.Attempts++
			start := n.cfg.Now()
			// An attempt under way when the notifier is stopped is let
			// finish (within the attempt's timeout) and its outcome
			// recorded, so that a receiver that got it does not get it
			// again after a restart.
			err := n.send(context.WithoutCancel(ctx), r, d)
			if err == nil {
				ok++
				d.Delivered, d.LastError = n.cfg.Now(), ""
				n.cfg.Log.Info("webhook delivered", "alert", d.Alert, "rule", d.Rule, "attempt", d.Attempts,
					"since_alert", d.Delivered.Sub(d.Payload.Created))
			} else {
				d.LastError = err.Error()
				d.Due = start.Add(n.cfg.Backoff(d.Attempts))
				n.cfg.Log.Warn("webhook failed", "alert", d.Alert, "rule", d.Rule, "attempt", d.Attempts, "retry", d.Due, "err", err)
			}
			// The outcome is recorded even when the notifier is being
			// stopped: a delivery that succeeded is not sent again.
			if err := n.p.UpdateDelivery(context.WithoutCancel(ctx), d); err != nil {
				return ok, err
			}
			if ctx.Err() != nil {
				return ok, ctx.Err()
			}
		}
	}
}

// send makes one attempt.
func (n *Notifier) send(ctx context.Context, r store.AlertRule, d store.Delivery) error {
	body, err := json.Marshal(NewPayload(d.Payload, n.cfg.BaseURL))
	if err != nil {
		return err
	}
	ts := strconv.FormatInt(n.cfg.Now().Unix(), 10)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.URL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "dossier-webhook/1")
	req.Header.Set(HeaderTimestamp, ts)
	req.Header.Set(HeaderSignature, Sign(r.Secret, ts, body))
	req.Header.Set(HeaderAlert, d.Alert)
	req.Header.Set(HeaderAttempt, strconv.Itoa(d.Attempts))
	resp, err := n.cfg.Client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("webhook %s answered %s", d.URL, resp.Status)
	}
	return nil
}

// Sign returns the Dossier-Signature of a body sent at timestamp ts (Unix
// seconds, as sent in Dossier-Timestamp).
func Sign(secret, ts string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(ts))
	m.Write([]byte{'.'})
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Errors of Verify.
var (
	ErrBadSignature = errors.New("notify: bad signature")
	ErrStale        = errors.New("notify: timestamp too far from now")
)

// Verify checks a delivery as a receiver would: the signature must be the
// body's, and the timestamp within tolerance of now (a replayed delivery
// is refused once it is older than that).
func Verify(secret, ts, signature string, body []byte, now time.Time, tolerance time.Duration) error {
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return fmt.Errorf("%w: timestamp %q", ErrBadSignature, ts)
	}
	if d := now.Sub(time.Unix(sec, 0)); d > tolerance || d < -tolerance {
		return ErrStale
	}
	if !hmac.Equal([]byte(Sign(secret, ts, body)), []byte(signature)) {
		return ErrBadSignature
	}
	return nil
}

// Payload is the JSON body of a delivery.
type Payload struct {
	// ID is the alert's id: the same on every attempt, so receivers drop
	// repeats.
	ID   string `json:"id"`
	Rule int64  `json:"rule"`
	// Kind is what changed: new_article, new_figure, changed_figure,
	// new_disagreement, status_change, new_language, new_outlet, merge.
	Kind     string    `json:"kind"`
	Text     string    `json:"text"`
	Topic    string    `json:"topic,omitempty"`
	Before   string    `json:"before,omitempty"`
	After    string    `json:"after,omitempty"`
	Sentence *Sentence `json:"sentence,omitempty"`
	Story    Link      `json:"story"`
	Source   Source    `json:"source"`
	// ReportedAt is when the source reported the change; FiredAt when the
	// alert was stored.
	ReportedAt string `json:"reported_at,omitempty"`
	FiredAt    string `json:"fired_at"`
}

// Sentence is the sentence that reports a change, in its language.
type Sentence struct {
	Text string `json:"text"`
	Lang string `json:"lang,omitempty"`
}

// Link is a story and where to read it.
type Link struct {
	ID    int64  `json:"id"`
	Title string `json:"title,omitempty"`
	URL   string `json:"url"`
}

// Source is where a change was reported.
type Source struct {
	Article int64  `json:"article,omitempty"`
	Site    string `json:"site,omitempty"`
	URL     string `json:"url,omitempty"`
	// Archive is the archived copy of the page, as captured.
	Archive string `json:"archive,omitempty"`
}

// NewPayload builds the body of an alert's delivery; base is the web UI's
// address.
func NewPayload(a store.Alert, base string) Payload {
	p := Payload{ID: a.ID, Rule: a.Rule, Kind: a.Kind, Text: a.Text, Topic: a.Topic, Before: a.Before, After: a.After,
		Story:  Link{ID: a.Story, Title: a.StoryTitle, URL: base + "/stories/" + strconv.FormatInt(a.Story, 10)},
		Source: Source{Article: a.Article, Site: a.Site, URL: a.URL, Archive: a.Archive}, FiredAt: a.Created.UTC().Format(time.RFC3339)}
	if strings.HasPrefix(p.Source.Archive, "/") {
		p.Source.Archive = base + p.Source.Archive // a path on this server
	}
	if a.Sentence != "" {
		p.Sentence = &Sentence{Text: a.Sentence, Lang: a.Lang}
	}
	if !a.At.IsZero() {
		p.ReportedAt = a.At.UTC().Format(time.RFC3339)
	}
	return p
}
