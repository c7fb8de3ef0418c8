package store

import (
	"context"
	"time"

	"dossier/internal/news"
)

// Alerts keeps alert rules, the alerts they fired and the state of their
// webhook deliveries. An alert is stored in the transaction that stores the
// story view it was found in, under an id derived from what changed, so
// that a change fires once however often its story is refreshed, and a
// restart neither loses nor repeats it.
type Alerts interface {
	// AddAlertRule stores a new rule and returns it with its id.
	AddAlertRule(ctx context.Context, r AlertRule) (AlertRule, error)
	// AlertRule returns one rule (ErrNotFound if none).
	AlertRule(ctx context.Context, id int64) (AlertRule, error)
	// AlertRules lists the rules, oldest first.
	AlertRules(ctx context.Context) ([]AlertRule, error)
	// DeleteAlertRule deletes a rule, its alerts and their deliveries
	// (ErrNotFound if there is no such rule).
	DeleteAlertRule(ctx context.Context, id int64) error

	// SaveStoryViewAlerts is SaveStoryView that also stores alerts, in the
	// same transaction. An alert whose id is already stored is left as it
	// is; a new alert of a rule with a webhook gets a pending delivery,
	// due at once. When the story merged into another (mergedInto, not 0),
	// the story rules that followed it follow that one from now on. It
	// returns how many alerts were new.
	SaveStoryViewAlerts(ctx context.Context, v StoryView, alerts []Alert, mergedInto int64) (int, error)
	// Alerts lists stored alerts, newest first, filtered and paged by q.
	Alerts(ctx context.Context, q AlertQuery) ([]Alert, error)
	// StoryMerges lists the story merges into or out of a story logged at
	// or after since, oldest first.
	StoryMerges(ctx context.Context, story int64, since time.Time) ([]news.ClusterChange, error)

	// DueDeliveries lists up to limit undelivered webhook deliveries due
	// at or before now, the earliest due first, with their alerts.
	DueDeliveries(ctx context.Context, now time.Time, limit int) ([]Delivery, error)
	// NextDelivery returns when the earliest undelivered delivery is due
	// (zero when none is pending).
	NextDelivery(ctx context.Context) (time.Time, error)
	// UpdateDelivery records the outcome of an attempt: its attempt count,
	// when it is due again, its last error, and Delivered when it
	// succeeded.
	UpdateDelivery(ctx context.Context, d Delivery) error
	// Deliveries lists the webhook deliveries of one alert.
	Deliveries(ctx context.Context, alert string) ([]Delivery, error)
}

// AlertRule says what a user follows and where alerts go.
type AlertRule struct {
	ID int64
	// Kind is "story", "entity", "query" or "figure".
	Kind string
	// Story is the story a story rule follows.
	Story int64
	// Value is the entity's name, the search query or the quantity
	// ("North Korean soldiers killed") as the user wrote it; Entity is the
	// entity id a name resolved to.
	Value  string
	Entity string
	// Webhook, when set, receives each alert as a signed POST; Secret is
	// the HMAC-SHA256 key of its signatures.
	Webhook string
	Secret  string
	Created time.Time
}

// Alert is one change a rule fired on.
type Alert struct {
	// ID is derived from the rule, the story, the kind of change and its
	// key: the same change always has the same id.
	ID string
	// Seq orders alerts as they were stored (the list's cursor).
	Seq   int64
	Rule  int64
	Story int64
	// Kind is the trigger: new_article, new_figure, changed_figure,
	// new_disagreement, status_change, new_language, new_outlet, merge.
	Kind string
	// Key names the change within its kind (an article id, a figure, a
	// language …).
	Key string
	// Topic is what changed ("killed: North Korean soldiers"), Text says
	// it in a line, Before and After are the values.
	Topic, Text   string
	Before, After string
	// Sentence is the sentence that reports the change, in Lang.
	Sentence, Lang string
	// Site, URL and Article are the source of the change; Archive is the
	// archived copy of its page (the article's URL until an archive
	// serves captures).
	Site, URL, Archive string
	Article            int64
	// StoryTitle is the story's title when the alert fired.
	StoryTitle string
	// At is when the source reported the change; Created when it fired.
	At, Created time.Time
}

// AlertQuery filters and pages the alert list. Zero values do not filter.
type AlertQuery struct {
	Rule  int64
	Story int64
	// Before is the cursor: alerts stored before this Seq.
	Before int64
	Limit  int
}

// Delivery is the state of one alert's delivery to its rule's webhook.
type Delivery struct {
	Alert     string
	Rule      int64
	URL       string
	Attempts  int
	Due       time.Time
	LastError string
	Delivered time.Time
	// Payload is the alert, filled by DueDeliveries.
	Payload Alert
}
