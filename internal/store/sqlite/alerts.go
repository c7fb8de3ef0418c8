package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"dossier/internal/news"
	"dossier/internal/store"
)

var _ store.Alerts = (*DB)(nil)

const ruleColumns = `id, kind, story, value, entity, webhook, secret, created`

func scanRule(row interface{ Scan(...any) error }) (store.AlertRule, error) {
	var r store.AlertRule
	var created sql.NullString
	if err := row.Scan(&r.ID, &r.Kind, &r.Story, &r.Value, &r.Entity, &r.Webhook, &r.Secret, &created); err != nil {
		return r, err
	}
	r.Created = parseTime(created)
	return r, nil
}

// AddAlertRule implements store.Alerts.
func (s *DB) AddAlertRule(ctx context.Context, r store.AlertRule) (store.AlertRule, error) {
	if err := s.writable(); err != nil {
		return r, err
	}
	if r.Created.IsZero() {
		r.Created = s.now()
	}
	res, err := s.db.ExecContext(ctx, `INSERT INTO alert_rules (kind, story, value, entity, webhook, secret, created) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		r.Kind, r.Story, r.Value, r.Entity, r.Webhook, r.Secret, ts(r.Created))
	if err != nil {
		return r, fmt.Errorf("sqlite: add alert rule: %w", err)
	}
	if r.ID, err = res.LastInsertId(); err != nil {
		return r, fmt.Errorf("sqlite: add alert rule: %w", err)
	}
	return r, nil
}

// AlertRule implements store.Alerts.
func (s *DB) AlertRule(ctx context.Context, id int64) (store.AlertRule, error) {
	r, err := scanRule(s.rdb.QueryRowContext(ctx, `SELECT `+ruleColumns+` FROM alert_rules WHERE id = ?`, id))
	if err != nil {
		return r, fmt.Errorf("sqlite: alert rule %d: %w", id, notFound(err))
	}
	return r, nil
}

// AlertRules implements store.Alerts.
func (s *DB) AlertRules(ctx context.Context) ([]store.AlertRule, error) {
	var out []store.AlertRule
	err := s.each(ctx, `SELECT `+ruleColumns+` FROM alert_rules ORDER BY id`, nil, func(rows *sql.Rows) error {
		r, err := scanRule(rows)
		out = append(out, r)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("sqlite: alert rules: %w", err)
	}
	return out, nil
}

// DeleteAlertRule implements store.Alerts.
func (s *DB) DeleteAlertRule(ctx context.Context, id int64) error {
	if err := s.writable(); err != nil {
		return err
	}
	res, err := s.db.ExecContext(ctx, `DELETE FROM alert_rules WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("sqlite: delete alert rule %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("sqlite: delete alert rule %d: %w", id, store.ErrNotFound)
	}
	return nil
}

// SaveStoryViewAlerts implements store.Alerts.
func (s *DB) SaveStoryViewAlerts(ctx context.Context, v store.StoryView, alerts []store.Alert, mergedInto int64) (n int, err error) {
	if err := s.writable(); err != nil {
		return 0, err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("sqlite: save story view %d: %w", v.Story, err)
	}
	defer func() {
		if err != nil {
			tx.Rollback()
			n, err = 0, fmt.Errorf("sqlite: save story view %d: %w", v.Story, err)
		}
	}()
	now := s.now()
	if err := writeView(ctx, tx, v, now); err != nil {
		return 0, err
	}
	hooks := map[int64]string{}
	for _, a := range alerts {
		if a.Created.IsZero() {
			a.Created = now
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO alerts (id, rule, story, kind, key, topic, text, before, after, sentence, lang, site, url,
			archive, article, story_title, at, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
			a.ID, a.Rule, a.Story, a.Kind, a.Key, a.Topic, a.Text, a.Before, a.After, a.Sentence, a.Lang, a.Site, a.URL,
			a.Archive, a.Article, a.StoryTitle, nullTime(a.At), ts(a.Created))
		if err != nil {
			return 0, err
		}
		if k, _ := res.RowsAffected(); k == 0 {
			continue
		}
		n++
		hook, ok := hooks[a.Rule]
		if !ok {
			if err := tx.QueryRowContext(ctx, `SELECT webhook FROM alert_rules WHERE id = ?`, a.Rule).Scan(&hook); err != nil {
				return 0, fmt.Errorf("rule %d: %w", a.Rule, notFound(err))
			}
			hooks[a.Rule] = hook
		}
		if hook == "" {
			continue
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO alert_deliveries (alert, rule, url, due) VALUES (?, ?, ?, ?)`,
			a.ID, a.Rule, hook, now.UnixNano()); err != nil {
			return 0, err
		}
	}
	if mergedInto != 0 {
		if _, err := tx.ExecContext(ctx, `UPDATE alert_rules SET story = ? WHERE kind = 'story' AND story = ?`, mergedInto, v.Story); err != nil {
			return 0, err
		}
	}
	return n, tx.Commit()
}

const alertColumns = `seq, id, rule, story, kind, key, topic, text, before, after, sentence, lang, site, url, archive, article, story_title, at, created`

func scanAlert(row interface{ Scan(...any) error }, a *store.Alert, extra ...any) error {
	var at, created sql.NullString
	dst := append([]any{&a.Seq, &a.ID, &a.Rule, &a.Story, &a.Kind, &a.Key, &a.Topic, &a.Text, &a.Before, &a.After, &a.Sentence, &a.Lang,
		&a.Site, &a.URL, &a.Archive, &a.Article, &a.StoryTitle, &at, &created}, extra...)
	if err := row.Scan(dst...); err != nil {
		return err
	}
	a.At, a.Created = parseTime(at), parseTime(created)
	return nil
}

// Alerts implements store.Alerts.
func (s *DB) Alerts(ctx context.Context, q store.AlertQuery) ([]store.Alert, error) {
	var where []string
	var args []any
	if q.Rule != 0 {
		where, args = append(where, `rule = ?`), append(args, q.Rule)
	}
	if q.Story != 0 {
		where, args = append(where, `story = ?`), append(args, q.Story)
	}
	if q.Before != 0 {
		where, args = append(where, `seq < ?`), append(args, q.Before)
	}
	query := `SELECT ` + alertColumns + ` FROM alerts`
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, ` AND `)
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 50
	}
	query += ` ORDER BY seq DESC LIMIT ?`
	args = append(args, limit)
	var out []store.Alert
	err := s.each(ctx, query, args, func(rows *sql.Rows) error {
		var a store.Alert
		if err := scanAlert(rows, &a); err != nil {
			return err
		}
		out = append(out, a)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sqlite: alerts: %w", err)
	}
	return out, nil
}

// StoryMerges implements store.Alerts.
func (s *DB) StoryMerges(ctx context.Context, story int64, since time.Time) ([]news.ClusterChange, error) {
	var out []news.ClusterChange
	err := s.each(ctx, `SELECT at, kind, level, from_id, into_id, article_id, score FROM cluster_changes
		WHERE level = 'story' AND kind = 'merge' AND (into_id = ? OR from_id = ?) ORDER BY id`, []any{story, story},
		func(rows *sql.Rows) error {
			var c news.ClusterChange
			var at sql.NullString
			var art sql.NullInt64
			if err := rows.Scan(&at, &c.Kind, &c.Level, &c.From, &c.Into, &art, &c.Score); err != nil {
				return err
			}
			c.At, c.Article = parseTime(at), art.Int64
			// Times are compared here, not as text: RFC 3339 strings
			// with trimmed fractions do not sort as the instants do.
			if !c.At.Before(since) {
				out = append(out, c)
			}
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("sqlite: story %d merges: %w", story, err)
	}
	return out, nil
}

const deliveryColumns = `d.alert, d.rule, d.url, d.attempts, d.due, d.last_error, d.delivered`

func scanDelivery(row interface{ Scan(...any) error }, d *store.Delivery, extra ...any) error {
	var due int64
	var delivered sql.NullString
	if err := row.Scan(append([]any{&d.Alert, &d.Rule, &d.URL, &d.Attempts, &due, &d.LastError, &delivered}, extra...)...); err != nil {
		return err
	}
	d.Due, d.Delivered = time.Unix(0, due).UTC(), parseTime(delivered)
	return nil
}

// DueDeliveries implements store.Alerts.
func (s *DB) DueDeliveries(ctx context.Context, now time.Time, limit int) ([]store.Delivery, error) {
	var out []store.Delivery
	cols := strings.ReplaceAll(alertColumns, ", ", ", a.")
	err := s.each(ctx, `SELECT `+deliveryColumns+`, a.`+cols+` FROM alert_deliveries d JOIN alerts a ON a.id = d.alert
		WHERE d.delivered IS NULL AND d.due <= ? ORDER BY d.due, a.seq LIMIT ?`, []any{now.UnixNano(), limit}, func(rows *sql.Rows) error {
		var d store.Delivery
		var a store.Alert
		var at, created sql.NullString
		if err := scanDelivery(rows, &d, &a.Seq, &a.ID, &a.Rule, &a.Story, &a.Kind, &a.Key, &a.Topic, &a.Text, &a.Before, &a.After,
			&a.Sentence, &a.Lang, &a.Site, &a.URL, &a.Archive, &a.Article, &a.StoryTitle, &at, &created); err != nil {
			return err
		}
		a.At, a.Created = parseTime(at), parseTime(created)
		d.Payload = a
		out = append(out, d)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sqlite: due deliveries: %w", err)
	}
	return out, nil
}

// NextDelivery implements store.Alerts.
func (s *DB) NextDelivery(ctx context.Context) (time.Time, error) {
	var due sql.NullInt64
	if err := s.rdb.QueryRowContext(ctx, `SELECT MIN(due) FROM alert_deliveries WHERE delivered IS NULL`).Scan(&due); err != nil {
		return time.Time{}, fmt.Errorf("sqlite: next delivery: %w", err)
	}
	if !due.Valid {
		return time.Time{}, nil
	}
	return time.Unix(0, due.Int64).UTC(), nil
}

// UpdateDelivery implements store.Alerts.
func (s *DB) UpdateDelivery(ctx context.Context, d store.Delivery) error {
	if err := s.writable(); err != nil {
		return err
	}
	res, err := s.db.ExecContext(ctx, `UPDATE alert_deliveries SET attempts = ?, due = ?, last_error = ?, delivered = ? WHERE alert = ?`,
		d.Attempts, d.Due.UnixNano(), d.LastError, nullTime(d.Delivered), d.Alert)
	if err != nil {
		return fmt.Errorf("sqlite: update delivery %s: %w", d.Alert, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("sqlite: update delivery %s: %w", d.Alert, store.ErrNotFound)
	}
	return nil
}

// Deliveries implements store.Alerts.
func (s *DB) Deliveries(ctx context.Context, alert string) ([]store.Delivery, error) {
	var out []store.Delivery
	err := s.each(ctx, `SELECT `+deliveryColumns+` FROM alert_deliveries d WHERE d.alert = ?`, []any{alert}, func(rows *sql.Rows) error {
		var d store.Delivery
		if err := scanDelivery(rows, &d); err != nil {
			return err
		}
		out = append(out, d)
		return nil
	})
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("sqlite: deliveries of %s: %w", alert, err)
	}
	return out, nil
}
