package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"dossier/internal/news"
	"dossier/internal/store"
)

var _ store.Alerts = (*DB)(nil)

const ruleColumns = `id, kind, story, value, entity, webhook, secret, created`

func scanRule(row pgx.Row) (store.AlertRule, error) {
	var r store.AlertRule
	err := row.Scan(&r.ID, &r.Kind, &r.Story, &r.Value, &r.Entity, &r.Webhook, &r.Secret, &r.Created)
	r.Created = r.Created.UTC()
	return r, err
}

// AddAlertRule implements store.Alerts.
func (s *DB) AddAlertRule(ctx context.Context, r store.AlertRule) (store.AlertRule, error) {
	if r.Created.IsZero() {
		r.Created = s.now()
	}
	err := s.write(ctx, "add alert rule", func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `INSERT INTO alert_rules (kind, story, value, entity, webhook, secret, created)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, r.Kind, r.Story, r.Value, r.Entity, r.Webhook, r.Secret, r.Created.UTC()).Scan(&r.ID)
	})
	return r, err
}

// AlertRule implements store.Alerts.
func (s *DB) AlertRule(ctx context.Context, id int64) (store.AlertRule, error) {
	r, err := scanRule(s.pool.QueryRow(ctx, `SELECT `+ruleColumns+` FROM alert_rules WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return r, fmt.Errorf("postgres: alert rule %d: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return r, fmt.Errorf("postgres: alert rule %d: %w", id, err)
	}
	return r, nil
}

// AlertRules implements store.Alerts.
func (s *DB) AlertRules(ctx context.Context) ([]store.AlertRule, error) {
	var out []store.AlertRule
	err := s.each(ctx, `SELECT `+ruleColumns+` FROM alert_rules ORDER BY id`, nil, func(rows pgx.Rows) error {
		r, err := scanRule(rows)
		out = append(out, r)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: alert rules: %w", err)
	}
	return out, nil
}

// DeleteAlertRule implements store.Alerts.
func (s *DB) DeleteAlertRule(ctx context.Context, id int64) error {
	return s.write(ctx, fmt.Sprintf("delete alert rule %d", id), func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM alert_rules WHERE id = $1`, id)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return store.ErrNotFound
		}
		return nil
	})
}

// SaveStoryViewAlerts implements store.Alerts.
func (s *DB) SaveStoryViewAlerts(ctx context.Context, v store.StoryView, alerts []store.Alert, mergedInto int64) (int, error) {
	n := 0
	err := s.write(ctx, fmt.Sprintf("save story view %d", v.Story), func(tx pgx.Tx) error {
		n = 0
		now := s.now()
		if err := writeView(ctx, tx, v, now); err != nil {
			return err
		}
		hooks := map[int64]string{}
		for _, a := range alerts {
			if a.Created.IsZero() {
				a.Created = now
			}
			tag, err := tx.Exec(ctx, `INSERT INTO alerts (id, rule, story, kind, key, topic, text, before, after, sentence, lang, site, url,
				archive, article, story_title, at, created) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
				ON CONFLICT (id) DO NOTHING`,
				a.ID, a.Rule, a.Story, a.Kind, a.Key, a.Topic, a.Text, a.Before, a.After, a.Sentence, a.Lang, a.Site, a.URL,
				a.Archive, a.Article, a.StoryTitle, tsArg(a.At), a.Created.UTC())
			if err != nil {
				return err
			}
			if tag.RowsAffected() == 0 {
				continue
			}
			n++
			hook, ok := hooks[a.Rule]
			if !ok {
				if err := tx.QueryRow(ctx, `SELECT webhook FROM alert_rules WHERE id = $1`, a.Rule).Scan(&hook); err != nil {
					return fmt.Errorf("rule %d: %w", a.Rule, err)
				}
				hooks[a.Rule] = hook
			}
			if hook == "" {
				continue
			}
			if _, err := tx.Exec(ctx, `INSERT INTO alert_deliveries (alert, rule, url, due) VALUES ($1, $2, $3, $4)`,
				a.ID, a.Rule, hook, now.UTC()); err != nil {
				return err
			}
		}
		if mergedInto != 0 {
			if _, err := tx.Exec(ctx, `UPDATE alert_rules SET story = $1 WHERE kind = 'story' AND story = $2`, mergedInto, v.Story); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

const alertColumns = `seq, id, rule, story, kind, key, topic, text, before, after, sentence, lang, site, url, archive, article, story_title, at, created`

// alertDest returns the scan destinations of alertColumns for a, and a
// function to call after the scan.
func alertDest(a *store.Alert) ([]any, func()) {
	var at pgtype.Timestamptz
	return []any{&a.Seq, &a.ID, &a.Rule, &a.Story, &a.Kind, &a.Key, &a.Topic, &a.Text, &a.Before, &a.After, &a.Sentence, &a.Lang,
			&a.Site, &a.URL, &a.Archive, &a.Article, &a.StoryTitle, &at, &a.Created}, func() {
			a.At, a.Created = tsOf(at), a.Created.UTC()
		}
}

// Alerts implements store.Alerts.
func (s *DB) Alerts(ctx context.Context, q store.AlertQuery) ([]store.Alert, error) {
	var where []string
	var a args
	if q.Rule != 0 {
		where = append(where, `rule = `+a.add(q.Rule))
	}
	if q.Story != 0 {
		where = append(where, `story = `+a.add(q.Story))
	}
	if q.Before != 0 {
		where = append(where, `seq < `+a.add(q.Before))
	}
	query := `SELECT ` + alertColumns + ` FROM alerts`
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, ` AND `)
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 50
	}
	query += ` ORDER BY seq DESC LIMIT ` + a.add(limit)
	var out []store.Alert
	err := s.each(ctx, query, a, func(rows pgx.Rows) error {
		var al store.Alert
		dst, done := alertDest(&al)
		if err := rows.Scan(dst...); err != nil {
			return err
		}
		done()
		out = append(out, al)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: alerts: %w", err)
	}
	return out, nil
}

// StoryMerges implements store.Alerts.
func (s *DB) StoryMerges(ctx context.Context, story int64, since time.Time) ([]news.ClusterChange, error) {
	var out []news.ClusterChange
	err := s.each(ctx, `SELECT at, kind, level, from_id, into_id, COALESCE(article_id, 0), score FROM cluster_changes
		WHERE level = 'story' AND kind = 'merge' AND (into_id = $1 OR from_id = $1) AND at >= $2 ORDER BY id`, []any{story, since.UTC()},
		func(rows pgx.Rows) error {
			var c news.ClusterChange
			if err := rows.Scan(&c.At, &c.Kind, &c.Level, &c.From, &c.Into, &c.Article, &c.Score); err != nil {
				return err
			}
			c.At = c.At.UTC()
			out = append(out, c)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("postgres: story %d merges: %w", story, err)
	}
	return out, nil
}

const deliveryColumns = `d.alert, d.rule, d.url, d.attempts, d.due, d.last_error, d.delivered`

func deliveryDest(d *store.Delivery) ([]any, func()) {
	var delivered pgtype.Timestamptz
	return []any{&d.Alert, &d.Rule, &d.URL, &d.Attempts, &d.Due, &d.LastError, &delivered}, func() {
		d.Due, d.Delivered = d.Due.UTC(), tsOf(delivered)
	}
}

// DueDeliveries implements store.Alerts.
func (s *DB) DueDeliveries(ctx context.Context, now time.Time, limit int) ([]store.Delivery, error) {
	var out []store.Delivery
	cols := strings.ReplaceAll(alertColumns, ", ", ", a.")
	err := s.each(ctx, `SELECT `+deliveryColumns+`, a.`+cols+` FROM alert_deliveries d JOIN alerts a ON a.id = d.alert
		WHERE d.delivered IS NULL AND d.due <= $1 ORDER BY d.due, a.seq LIMIT $2`, []any{now.UTC(), limit}, func(rows pgx.Rows) error {
		var d store.Delivery
		dd, ddone := deliveryDest(&d)
		ad, adone := alertDest(&d.Payload)
		if err := rows.Scan(append(dd, ad...)...); err != nil {
			return err
		}
		ddone()
		adone()
		out = append(out, d)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: due deliveries: %w", err)
	}
	return out, nil
}

// NextDelivery implements store.Alerts.
func (s *DB) NextDelivery(ctx context.Context) (time.Time, error) {
	var due pgtype.Timestamptz
	if err := s.pool.QueryRow(ctx, `SELECT MIN(due) FROM alert_deliveries WHERE delivered IS NULL`).Scan(&due); err != nil {
		return time.Time{}, fmt.Errorf("postgres: next delivery: %w", err)
	}
	return tsOf(due), nil
}

// UpdateDelivery implements store.Alerts.
func (s *DB) UpdateDelivery(ctx context.Context, d store.Delivery) error {
	return s.write(ctx, "update delivery "+d.Alert, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE alert_deliveries SET attempts = $1, due = $2, last_error = $3, delivered = $4 WHERE alert = $5`,
			d.Attempts, d.Due.UTC(), d.LastError, tsArg(d.Delivered), d.Alert)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return store.ErrNotFound
		}
		return nil
	})
}

// Deliveries implements store.Alerts.
func (s *DB) Deliveries(ctx context.Context, alert string) ([]store.Delivery, error) {
	var out []store.Delivery
	err := s.each(ctx, `SELECT `+deliveryColumns+` FROM alert_deliveries d WHERE d.alert = $1`, []any{alert}, func(rows pgx.Rows) error {
		var d store.Delivery
		dst, done := deliveryDest(&d)
		if err := rows.Scan(dst...); err != nil {
			return err
		}
		done()
		out = append(out, d)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: deliveries of %s: %w", alert, err)
	}
	return out, nil
}
