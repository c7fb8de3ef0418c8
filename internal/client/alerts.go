package client

import (
	"context"
	"io"
	"net/http"
)

// AlertRule is what a user follows: a story, an entity, a search query or
// a figure's quantity, and where its alerts go besides the alert list and
// its Atom feed.
type AlertRule struct {
	ID string `json:"id"`
	// Kind is "story", "entity", "query" or "figure".
	Kind  string  `json:"kind"`
	Story *string `json:"story"`
	// Value is the entity name, query or quantity as given; Entity the
	// entity id a name resolved to.
	Value   *string `json:"value"`
	Entity  *string `json:"entity"`
	Webhook *string `json:"webhook"`
	// Secret is the webhook's HMAC-SHA256 key, answered only when the rule
	// is created.
	Secret  *string `json:"secret,omitempty"`
	Created string  `json:"created"`
	// Atom is the path of the rule's Atom feed.
	Atom string `json:"atom"`
}

// AlertRuleList is every rule.
type AlertRuleList struct {
	Rules []AlertRule `json:"rules"`
}

// NewAlertRule asks for a rule: exactly one of Story, Entity, Query and
// Figure, and an optional webhook.
type NewAlertRule struct {
	Story   string `json:"story,omitempty"`
	Entity  string `json:"entity,omitempty"`
	Query   string `json:"query,omitempty"`
	Figure  string `json:"figure,omitempty"`
	Webhook string `json:"webhook,omitempty"`
}

// Alert is one change a rule fired on.
type Alert struct {
	// ID is stable: the same change always has the same id.
	ID    string `json:"id"`
	Rule  string `json:"rule"`
	Story string `json:"story"`
	// StoryTitle is the story's title when the alert fired.
	StoryTitle string `json:"story_title"`
	// Kind is new_article, new_figure, changed_figure, new_disagreement,
	// status_change, new_language, new_outlet or merge.
	Kind     string         `json:"kind"`
	Text     string         `json:"text"`
	Topic    *string        `json:"topic"`
	Before   *string        `json:"before"`
	After    *string        `json:"after"`
	Sentence *AlertSentence `json:"sentence"`
	Source   AlertSource    `json:"source"`
	// ReportedAt is when the source reported the change; FiredAt when the
	// alert was stored.
	ReportedAt *string `json:"reported_at"`
	FiredAt    string  `json:"fired_at"`
}

// AlertSentence is the sentence that reports a change, in its language.
type AlertSentence struct {
	Text string  `json:"text"`
	Lang *string `json:"lang"`
}

// AlertSource is where a change was reported: the article, its outlet,
// its page and the archived copy of that page.
type AlertSource struct {
	Article *string `json:"article"`
	Site    *string `json:"site"`
	URL     *string `json:"url"`
	Archive *string `json:"archive"`
}

// AlertList is a page of alerts, newest first.
type AlertList struct {
	Alerts []Alert `json:"alerts"`
	Next   *string `json:"next"`
}

// AlertFilter selects alerts.
type AlertFilter struct {
	Rule, Story string
	Cursor      string
	Limit       int
}

// AlertRules lists the rules.
func (c *Client) AlertRules(ctx context.Context) (AlertRuleList, error) {
	var out AlertRuleList
	return out, c.getJSON(ctx, "/v1/alerts/rules", nil, &out)
}

// AddAlertRule creates a rule; the answer carries the webhook's secret.
func (c *Client) AddAlertRule(ctx context.Context, r NewAlertRule) (AlertRule, error) {
	var out AlertRule
	resp, err := c.do(ctx, http.MethodPost, "/v1/alerts/rules", nil, r, nil)
	if err != nil {
		return out, err
	}
	defer resp.Body.Close()
	return out, decode(resp, "/v1/alerts/rules", &out)
}

// DeleteAlertRule deletes a rule and its alerts.
func (c *Client) DeleteAlertRule(ctx context.Context, id string) error {
	resp, err := c.do(ctx, http.MethodDelete, "/v1/alerts/rules/"+id, nil, nil, nil)
	if err != nil {
		return err
	}
	resp.Body.Close()
	return nil
}

// Alerts lists fired alerts, newest first.
func (c *Client) Alerts(ctx context.Context, f AlertFilter) (AlertList, error) {
	var out AlertList
	return out, c.getJSON(ctx, "/v1/alerts", values("rule", f.Rule, "story", f.Story, "cursor", f.Cursor, "limit", itoa(f.Limit)), &out)
}

// AlertAtom returns a rule's Atom feed.
func (c *Client) AlertAtom(ctx context.Context, id string) ([]byte, error) {
	resp, err := c.do(ctx, http.MethodGet, "/v1/alerts/rules/"+id+"/atom", nil, nil, nil)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}
