package pipeline

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"dossier/internal/alert"
	"dossier/internal/facts"
	"dossier/internal/news"
	"dossier/internal/store"
	"dossier/internal/story"
	"dossier/internal/tokenize"
)

// ErrBadRule is returned for an alert rule that cannot be followed.
var ErrBadRule = errors.New("bad alert rule")

// NewAlertRule is a rule to add: exactly one of Story, Entity, Query and
// Figure, and an optional webhook.
type NewAlertRule struct {
	Story   int64
	Entity  string
	Query   string
	Figure  string
	Webhook string
}

// AddAlertRule stores a rule. An entity is resolved to its id as the
// analysers resolve names; a webhook rule gets a new signing secret,
// returned with the rule.
func (s *Service) AddAlertRule(ctx context.Context, n NewAlertRule) (store.AlertRule, error) {
	if s.readOnly {
		return store.AlertRule{}, ErrReadOnly
	}
	var r store.AlertRule
	set := 0
	if n.Story != 0 {
		set++
		r.Kind, r.Story = alert.FollowStory, n.Story
		if _, err := s.st.StoryView(ctx, n.Story); err != nil {
			return r, fmt.Errorf("pipeline: alert rule: story %d: %w", n.Story, err)
		}
	}
	if v := strings.TrimSpace(n.Entity); v != "" {
		set++
		r.Kind, r.Value = alert.FollowEntity, v
		if _, err := s.st.Entity(ctx, v); err == nil {
			r.Entity = v
		} else if m, ok := facts.DefaultGazetteer().Resolve(v); ok {
			r.Entity = m.Entity
		} else if m, ok := facts.DefaultGazetteer().Resolve(titleCase(v)); ok {
			r.Entity = m.Entity
		} else {
			return r, fmt.Errorf("pipeline: alert rule: %w: no known entity is named %q", ErrBadRule, v)
		}
	}
	if v := strings.TrimSpace(n.Query); v != "" {
		set++
		r.Kind, r.Value = alert.FollowQuery, v
		if len(tokenize.QueryTerms(v)) == 0 && len(queryEntities(v)) == 0 {
			return r, fmt.Errorf("pipeline: alert rule: %w: query %q has no searchable word", ErrBadRule, v)
		}
	}
	if v := strings.TrimSpace(n.Figure); v != "" {
		set++
		r.Kind, r.Value = alert.FollowFigure, v
	}
	if set != 1 {
		return r, fmt.Errorf("pipeline: alert rule: %w: give exactly one of a story, an entity, a query or a figure", ErrBadRule)
	}
	if n.Webhook != "" {
		u, err := url.Parse(n.Webhook)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return r, fmt.Errorf("pipeline: alert rule: %w: webhook %q is not an http or https URL", ErrBadRule, n.Webhook)
		}
		key := make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return r, fmt.Errorf("pipeline: alert rule: secret: %w", err)
		}
		r.Webhook, r.Secret = n.Webhook, hex.EncodeToString(key)
	}
	r.Created = s.cfg.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.AddAlertRule(ctx, r)
}

// AlertRule returns one rule.
func (s *Service) AlertRule(ctx context.Context, id int64) (store.AlertRule, error) {
	return s.st.AlertRule(ctx, id)
}

// AlertRules lists the rules, oldest first.
func (s *Service) AlertRules(ctx context.Context) ([]store.AlertRule, error) {
	return s.st.AlertRules(ctx)
}

// DeleteAlertRule deletes a rule with its alerts.
func (s *Service) DeleteAlertRule(ctx context.Context, id int64) error {
	if s.readOnly {
		return ErrReadOnly
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.DeleteAlertRule(ctx, id)
}

// AlertFilter selects alerts.
type AlertFilter struct {
	Rule, Story int64
	Cursor      string
	Limit       int
}

// AlertPage is one page of alerts, newest first, and the next page's
// cursor ("" at the end).
type AlertPage struct {
	Alerts []store.Alert
	Next   string
}

// Alerts lists fired alerts, newest first.
func (s *Service) Alerts(ctx context.Context, f AlertFilter) (AlertPage, error) {
	q := store.AlertQuery{Rule: f.Rule, Story: f.Story, Limit: limit(f.Limit, 50, 500)}
	c, err := decodeCursor(f.Cursor, 1)
	if err != nil {
		return AlertPage{}, err
	}
	if c != nil {
		if q.Before, err = cursorInt(c[0]); err != nil {
			return AlertPage{}, err
		}
	}
	as, err := s.st.Alerts(ctx, q)
	if err != nil {
		return AlertPage{}, err
	}
	p := AlertPage{Alerts: as}
	if p.Alerts == nil {
		p.Alerts = []store.Alert{}
	}
	if len(as) == q.Limit {
		p.Next = encodeCursor(strconv.FormatInt(as[len(as)-1].Seq, 10))
	}
	return p, nil
}

// DueDeliveries lists webhook deliveries due at now, for the notifier.
func (s *Service) DueDeliveries(ctx context.Context, now time.Time, n int) ([]store.Delivery, error) {
	return s.st.DueDeliveries(ctx, now, n)
}

// NextDelivery says when the earliest pending delivery is due (zero: none).
func (s *Service) NextDelivery(ctx context.Context) (time.Time, error) { return s.st.NextDelivery(ctx) }

// UpdateDelivery records a delivery attempt.
func (s *Service) UpdateDelivery(ctx context.Context, d store.Delivery) error {
	if s.readOnly {
		return ErrReadOnly
	}
	return s.st.UpdateDelivery(ctx, d)
}

// Deliveries lists the webhook deliveries of one alert.
func (s *Service) Deliveries(ctx context.Context, alertID string) ([]store.Delivery, error) {
	return s.st.Deliveries(ctx, alertID)
}

// maxFresh bounds how many of a refreshed story's new articles are read to
// match entity and query rules: a story that gained more at once (a
// recluster) is matched on the latest.
const maxFresh = 200

// alertsWatch reports whether any of rules can fire on a change of story:
// story rules on other stories have nothing to compare there.
func alertsWatch(rules []store.AlertRule, story int64) bool {
	for _, r := range rules {
		if r.Kind != alert.FollowStory || r.Story == story {
			return true
		}
	}
	return false
}

// saveViewAlerts stores a refreshed story's view together with the alerts
// its changes fire under rules, in one transaction: an alert is stored
// exactly when the view that shows its change is.
func (s *Service) saveViewAlerts(ctx context.Context, sv store.StoryView, rules []store.AlertRule) error {
	in, fresh, err := s.alertInput(ctx, sv)
	if err != nil {
		return err
	}
	var out []store.Alert
	now := s.cfg.now()
	for _, r := range rules {
		in := in
		in.Rule = alert.Rule{ID: r.ID, Kind: r.Kind, Story: r.Story, Value: r.Value}
		switch r.Kind {
		case alert.FollowEntity:
			in.Follows, in.Matches = s.entityMatches(sv, fresh, r.Entity)
		case alert.FollowQuery:
			if in.Follows, in.Matches, err = s.queryMatches(ctx, sv.Story, fresh, r.Value); err != nil {
				return err
			}
		}
		for _, c := range alert.Changes(in) {
			a := store.Alert{ID: alert.ID(r.ID, sv.Story, c.Kind, c.Key), Rule: r.ID, Story: sv.Story, Kind: c.Kind, Key: c.Key,
				Topic: c.Topic, Text: c.Text, Before: c.Before, After: c.After, Sentence: c.Sentence, Lang: c.Lang,
				Site: c.Site, URL: c.URL, Archive: archiveLink(c.Article), Article: c.Article, At: c.At, StoryTitle: sv.Title, Created: now}
			if a.StoryTitle == "" && in.Prev != nil {
				a.StoryTitle = in.Prev.Title
			}
			out = append(out, a)
		}
	}
	// A story merged away: its story rules follow the story it went into.
	var into int64
	if sv.Articles == 0 {
		for _, m := range in.Merges {
			if m.From == sv.Story {
				into = m.Into
			}
		}
	}
	n, err := s.st.SaveStoryViewAlerts(ctx, sv, out, into)
	if n > 0 {
		s.alerted.notify()
	}
	return err
}

// archiveLink is where an alert's source page is kept: the stored
// article's page in the web UI (a path), which lists the archived copies
// of the pages it was read from (each served at /articles/ID/capture?n=N).
func archiveLink(article int64) string {
	if article == 0 {
		return ""
	}
	return "/articles/" + strconv.FormatInt(article, 10)
}

// alertSignal tells the notifier that alerts were stored. Its zero value
// is ready to use.
type alertSignal struct {
	mu sync.Mutex
	ch chan struct{}
}

func (a *alertSignal) get() chan struct{} {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.ch == nil {
		a.ch = make(chan struct{}, 1)
	}
	return a.ch
}

func (a *alertSignal) notify() {
	select {
	case a.get() <- struct{}{}:
	default: // a signal is pending already
	}
}

// AlertsStored receives a value after new alerts were stored, so that the
// notifier delivers them at once rather than at its next poll.
func (s *Service) AlertsStored() <-chan struct{} { return s.alerted.get() }

// alertInput gathers what every rule's diff needs: the story's previous
// and new views, the merges since the previous one, and the articles new
// to the story (read, up to maxFresh).
func (s *Service) alertInput(ctx context.Context, sv store.StoryView) (alert.Input, []news.Stored, error) {
	in := alert.Input{Story: sv.Story}
	var since time.Time
	old, err := s.st.StoryView(ctx, sv.Story)
	switch {
	case errors.Is(err, store.ErrNotFound):
	case err != nil:
		return in, nil, err
	default:
		var v story.View
		if err := json.Unmarshal(old.Data, &v); err != nil {
			return in, nil, fmt.Errorf("pipeline: story %d: stored view: %w", sv.Story, err)
		}
		in.Prev, since = &v, old.Updated
	}
	if sv.Articles > 0 {
		var v story.View
		if err := json.Unmarshal(sv.Data, &v); err != nil {
			return in, nil, fmt.Errorf("pipeline: story %d: new view: %w", sv.Story, err)
		}
		in.Next = &v
	}
	if in.Prev != nil {
		if in.Merges, err = s.st.StoryMerges(ctx, sv.Story, since); err != nil {
			return in, nil, err
		}
	}
	if in.Next == nil {
		return in, nil, nil
	}
	had := map[int64]bool{}
	if in.Prev != nil {
		for _, id := range in.Prev.Articles {
			had[id] = true
		}
	}
	var ids []int64
	for _, id := range in.Next.Articles {
		if !had[id] {
			ids = append(ids, id)
		}
	}
	if len(ids) > maxFresh {
		ids = ids[len(ids)-maxFresh:]
	}
	merged := false
	for _, m := range in.Merges {
		merged = merged || m.Into == sv.Story
	}
	var fresh []news.Stored
	for _, id := range ids {
		a, err := s.st.Article(ctx, id)
		if err != nil {
			return in, nil, err
		}
		// An article stored before the previous view was built came
		// with a merge: it is not a new report.
		if merged && a.Added.Before(since) {
			if in.Absorbed == nil {
				in.Absorbed = map[int64]bool{}
			}
			in.Absorbed[id] = true
		}
		fresh = append(fresh, a)
	}
	return in, fresh, nil
}

// entityMatches says whether a story names an entity, and which of its
// new articles do.
func (s *Service) entityMatches(sv store.StoryView, fresh []news.Stored, entity string) (bool, map[int64]bool) {
	follows := false
	for _, f := range sv.Facets {
		follows = follows || (f.Kind == "entity" && f.Value == entity)
	}
	m := map[int64]bool{}
	for _, a := range fresh {
		for _, x := range a.Facts.Mentions {
			if x.Entity == entity {
				m[a.ID] = true
				break
			}
		}
	}
	return follows, m
}

// queryMatches says whether a story has an article matching a search
// query (as Search matches: every word, or an entity the query names), and
// which of its new articles match.
func (s *Service) queryMatches(ctx context.Context, id int64, fresh []news.Stored, query string) (bool, map[int64]bool, error) {
	terms, ents := tokenize.QueryTerms(query), queryEntities(query)
	m := map[int64]bool{}
	for _, a := range fresh {
		if articleMatches(a, terms, ents) {
			m[a.ID] = true
		}
	}
	if len(m) > 0 {
		return true, m, nil
	}
	hits, err := s.st.Search(ctx, store.SearchQuery{Terms: terms, Entities: ents, Story: id, Now: s.cfg.now(), Limit: 1})
	if err != nil {
		return false, nil, err
	}
	return len(hits) > 0, m, nil
}

// articleMatches reports whether an article has one form of every query
// word in its title or text, or names one of the entities.
func articleMatches(a news.Stored, terms [][]string, ents []string) bool {
	for _, m := range a.Facts.Mentions {
		for _, e := range ents {
			if m.Entity == e {
				return true
			}
		}
	}
	if len(terms) == 0 {
		return false
	}
	have := map[string]bool{}
	for _, t := range tokenize.Terms(a.Title+"\n"+a.Text, a.Language) {
		have[t] = true
	}
	for _, forms := range terms {
		ok := false
		for _, f := range forms {
			ok = ok || have[f]
		}
		if !ok {
			return false
		}
	}
	return true
}
