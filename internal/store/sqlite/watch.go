package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"dossier/internal/store"
)

var _ store.Watch = (*DB)(nil)

const subColumns = `id, url, kind, title, added, etag, last_modified, body_hash, last_check, last_new, next_check,
	interval_s, errors, last_error, items_seen`

func scanSub(sc interface{ Scan(...any) error }) (store.Subscription, error) {
	var s store.Subscription
	var added, lastCheck, lastNew, next sql.NullString
	var interval int64
	err := sc.Scan(&s.ID, &s.URL, &s.Kind, &s.Title, &added, &s.ETag, &s.LastModified, &s.BodyHash,
		&lastCheck, &lastNew, &next, &interval, &s.Errors, &s.LastError, &s.ItemsSeen)
	s.Added, s.LastCheck, s.LastNew, s.NextCheck = parseTime(added), parseTime(lastCheck), parseTime(lastNew), parseTime(next)
	s.Interval = time.Duration(interval) * time.Second
	return s, err
}

// Follow implements store.Watch.
func (s *DB) Follow(ctx context.Context, sub store.Subscription) (store.Subscription, bool, error) {
	if err := s.writable(); err != nil {
		return sub, false, err
	}
	if sub.Added.IsZero() {
		sub.Added = s.now()
	}
	if sub.NextCheck.IsZero() {
		sub.NextCheck = sub.Added
	}
	res, err := s.db.ExecContext(ctx, `INSERT INTO subscriptions (url, kind, title, added, next_check) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (url) DO NOTHING`, sub.URL, sub.Kind, sub.Title, ts(sub.Added), sortable(sub.NextCheck))
	if err != nil {
		return sub, false, fmt.Errorf("sqlite: follow %s: %w", sub.URL, err)
	}
	n, _ := res.RowsAffected()
	got, err := scanSub(s.db.QueryRowContext(ctx, `SELECT `+subColumns+` FROM subscriptions WHERE url = ?`, sub.URL))
	if err != nil {
		return sub, false, fmt.Errorf("sqlite: follow %s: %w", sub.URL, err)
	}
	return got, n == 0, nil
}

// Unfollow implements store.Watch.
func (s *DB) Unfollow(ctx context.Context, id int64) error {
	if err := s.writable(); err != nil {
		return err
	}
	res, err := s.db.ExecContext(ctx, `DELETE FROM subscriptions WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("sqlite: unfollow %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("sqlite: unfollow %d: %w", id, store.ErrNotFound)
	}
	return nil
}

func (s *DB) subs(ctx context.Context, op, query string, args ...any) ([]store.Subscription, error) {
	rows, err := s.rdb.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %s: %w", op, err)
	}
	defer rows.Close()
	var out []store.Subscription
	for rows.Next() {
		sub, err := scanSub(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: %s: %w", op, err)
		}
		out = append(out, sub)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: %s: %w", op, err)
	}
	return out, nil
}

// Subscriptions implements store.Watch.
func (s *DB) Subscriptions(ctx context.Context) ([]store.Subscription, error) {
	return s.subs(ctx, "subscriptions", `SELECT `+subColumns+` FROM subscriptions ORDER BY id`)
}

// Subscription implements store.Watch.
func (s *DB) Subscription(ctx context.Context, id int64) (store.Subscription, error) {
	sub, err := scanSub(s.rdb.QueryRowContext(ctx, `SELECT `+subColumns+` FROM subscriptions WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return sub, fmt.Errorf("sqlite: subscription %d: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return sub, fmt.Errorf("sqlite: subscription %d: %w", id, err)
	}
	return sub, nil
}

// sortable formats a schedule time with a fixed width, so that times
// compare as text and the schedule's indexes serve the due queries.
func sortable(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000000Z") }

// DueSubscriptions implements store.Watch.
func (s *DB) DueSubscriptions(ctx context.Context, now time.Time, limit int) ([]store.Subscription, error) {
	return s.subs(ctx, "due subscriptions", `SELECT `+subColumns+` FROM subscriptions
		WHERE next_check <= ? ORDER BY next_check, id LIMIT ?`, sortable(now), limit)
}

// SaveCheck implements store.Watch.
func (s *DB) SaveCheck(ctx context.Context, sub store.Subscription, items []store.WatchItem) (added int, err error) {
	if err := s.writable(); err != nil {
		return 0, err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("sqlite: save check %s: %w", sub.URL, err)
	}
	defer func() {
		if err != nil {
			tx.Rollback()
			err = fmt.Errorf("sqlite: save check %s: %w", sub.URL, err)
		}
	}()
	var exists int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM subscriptions WHERE id = ?`, sub.ID).Scan(&exists); err != nil {
		return 0, err
	}
	if exists == 0 {
		return 0, store.ErrNotFound
	}
	now := s.now()
	changed := 0
	for _, it := range items {
		var id int64
		var fp, state string
		err := tx.QueryRowContext(ctx, `SELECT id, fingerprint, state FROM watch_items WHERE sub_id = ? AND url = ?`, sub.ID, it.URL).Scan(&id, &fp, &state)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			seen := it.Seen
			if seen.IsZero() {
				seen = now
			}
			next := it.NextTry
			if next.IsZero() {
				next = seen
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO watch_items (sub_id, url, guid, title, published, fingerprint, state, next_try, seen)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, sub.ID, it.URL, it.GUID, it.Title, nullTime(it.Published), it.Fingerprint,
				store.ItemPending, sortable(next), ts(seen)); err != nil {
				return 0, err
			}
			added++
		case err != nil:
			return 0, err
		case fp != it.Fingerprint:
			next := it.NextTry
			if next.IsZero() {
				next = now
			}
			if state == store.ItemDone {
				_, err = tx.ExecContext(ctx, `UPDATE watch_items SET fingerprint = ?, title = ?, published = ?, state = ?, recheck = 1,
					attempts = 0, next_try = ?, last_error = '' WHERE id = ?`, it.Fingerprint, it.Title, nullTime(it.Published), store.ItemPending, sortable(next), id)
				changed++
			} else {
				_, err = tx.ExecContext(ctx, `UPDATE watch_items SET fingerprint = ?, title = ?, published = ? WHERE id = ?`,
					it.Fingerprint, it.Title, nullTime(it.Published), id)
			}
			if err != nil {
				return 0, err
			}
		}
	}
	lastNew := nullTime(sub.LastNew)
	if added > 0 || changed > 0 {
		lastNew = ts(sub.LastCheck)
	}
	_, err = tx.ExecContext(ctx, `UPDATE subscriptions SET kind = ?, title = ?, etag = ?, last_modified = ?, body_hash = ?,
		last_check = ?, last_new = COALESCE(?, last_new), next_check = ?, interval_s = ?, errors = ?, last_error = ?,
		items_seen = items_seen + ? WHERE id = ?`,
		sub.Kind, sub.Title, sub.ETag, sub.LastModified, sub.BodyHash, nullTime(sub.LastCheck), lastNew, sortable(sub.NextCheck),
		int64(sub.Interval/time.Second), sub.Errors, sub.LastError, added, sub.ID)
	if err != nil {
		return 0, err
	}
	return added, tx.Commit()
}

const itemColumns = `id, sub_id, url, guid, title, published, fingerprint, state, recheck, attempts, next_try, last_error, seen, fetched`

func (s *DB) items(ctx context.Context, op, query string, args ...any) ([]store.WatchItem, error) {
	rows, err := s.rdb.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %s: %w", op, err)
	}
	defer rows.Close()
	var out []store.WatchItem
	for rows.Next() {
		var it store.WatchItem
		var pub, next, seen, fetched sql.NullString
		if err := rows.Scan(&it.ID, &it.Sub, &it.URL, &it.GUID, &it.Title, &pub, &it.Fingerprint, &it.State, &it.Recheck,
			&it.Attempts, &next, &it.LastError, &seen, &fetched); err != nil {
			return nil, fmt.Errorf("sqlite: %s: %w", op, err)
		}
		it.Published, it.NextTry, it.Seen, it.Fetched = parseTime(pub), parseTime(next), parseTime(seen), parseTime(fetched)
		out = append(out, it)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: %s: %w", op, err)
	}
	return out, nil
}

// DueItems implements store.Watch.
func (s *DB) DueItems(ctx context.Context, now time.Time, limit int) ([]store.WatchItem, error) {
	return s.items(ctx, "due items", `SELECT `+itemColumns+` FROM watch_items
		WHERE state = ? AND next_try <= ? ORDER BY next_try, id LIMIT ?`, store.ItemPending, sortable(now), limit)
}

// PendingItems implements store.Watch.
func (s *DB) PendingItems(ctx context.Context) (int, time.Time, error) {
	var n int
	var first sql.NullString
	err := s.rdb.QueryRowContext(ctx, `SELECT COUNT(*), (SELECT next_try FROM watch_items WHERE state = ?1
		ORDER BY next_try LIMIT 1) FROM watch_items WHERE state = ?1`, store.ItemPending).Scan(&n, &first)
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("sqlite: pending items: %w", err)
	}
	return n, parseTime(first), nil
}

// SetItem implements store.Watch.
func (s *DB) SetItem(ctx context.Context, it store.WatchItem) error {
	if err := s.writable(); err != nil {
		return err
	}
	recheck := it.Recheck && it.State == store.ItemPending
	_, err := s.db.ExecContext(ctx, `UPDATE watch_items SET state = ?, recheck = ?, attempts = ?, next_try = ?, last_error = ?,
		fetched = COALESCE(?, fetched) WHERE id = ?`, it.State, recheck, it.Attempts, sortable(it.NextTry), it.LastError, nullTime(it.Fetched), it.ID)
	if err != nil {
		return fmt.Errorf("sqlite: set item %s: %w", it.URL, err)
	}
	return nil
}

// SubscriptionItems implements store.Watch.
func (s *DB) SubscriptionItems(ctx context.Context, sub int64, limit int) ([]store.WatchItem, error) {
	return s.items(ctx, "subscription items", `SELECT `+itemColumns+` FROM watch_items WHERE sub_id = ? ORDER BY id DESC LIMIT ?`, sub, limit)
}

// SaveCapture implements store.Watch.
func (s *DB) SaveCapture(ctx context.Context, c store.Capture) error {
	if err := s.writable(); err != nil {
		return err
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO captures (url, page_key, body_hash, file, offset, length, captured, status)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, c.URL, c.PageKey, c.BodyHash, c.File, c.Offset, c.Length, ts(c.Captured), c.Status)
	if err != nil {
		return fmt.Errorf("sqlite: save capture %s: %w", c.URL, err)
	}
	return nil
}

// ArticleCaptures implements store.Watch.
func (s *DB) ArticleCaptures(ctx context.Context, article int64) ([]store.Capture, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT c.url, c.page_key, c.body_hash, c.file, c.offset, c.length, c.captured, c.status
		FROM captures c WHERE EXISTS (SELECT 1 FROM article_sources a JOIN pages p ON p.id = a.page_id
			WHERE a.article_id = ?1 AND p.key = c.page_key AND p.body_hash = c.body_hash)
		OR EXISTS (SELECT 1 FROM article_versions v WHERE v.article_id = ?1 AND v.page_key = c.page_key AND v.body_hash = c.body_hash)
		ORDER BY c.id`, article)
	if err != nil {
		return nil, fmt.Errorf("sqlite: captures of %d: %w", article, err)
	}
	defer rows.Close()
	var out []store.Capture
	for rows.Next() {
		var c store.Capture
		var at sql.NullString
		if err := rows.Scan(&c.URL, &c.PageKey, &c.BodyHash, &c.File, &c.Offset, &c.Length, &at, &c.Status); err != nil {
			return nil, fmt.Errorf("sqlite: captures of %d: %w", article, err)
		}
		c.Captured = parseTime(at)
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: captures of %d: %w", article, err)
	}
	return out, nil
}

// PageArticle implements store.Watch.
func (s *DB) PageArticle(ctx context.Context, key string) (int64, error) {
	var id int64
	err := s.rdb.QueryRowContext(ctx, `SELECT a.article_id FROM article_sources a JOIN pages p ON p.id = a.page_id
		WHERE p.key = ? ORDER BY p.id DESC, a.idx LIMIT 1`, key).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("sqlite: article of page %s: %w", key, store.ErrNotFound)
	}
	if err != nil {
		return 0, fmt.Errorf("sqlite: article of page %s: %w", key, err)
	}
	return id, nil
}

// SaveVersion implements store.Watch.
func (s *DB) SaveVersion(ctx context.Context, v store.ArticleVersion, p store.Page, a store.NewArticle) (_ store.ArticleVersion, err error) {
	if err := s.writable(); err != nil {
		return v, err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return v, fmt.Errorf("sqlite: save version of %d: %w", v.Article, err)
	}
	defer func() {
		if err != nil {
			tx.Rollback()
			err = fmt.Errorf("sqlite: save version of %d: %w", v.Article, err)
		}
	}()
	now := s.now()
	if _, err := tx.ExecContext(ctx, `INSERT INTO pages (key, body_hash, origin, file, ext_id, url, captured, format, added)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key, body_hash) DO NOTHING`,
		p.Key, p.BodyHash, p.Origin, p.File, p.ID, p.URL, nullTime(p.Captured), string(p.Format), ts(now)); err != nil {
		return v, err
	}
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 1) + 1 FROM article_versions WHERE article_id = ?`, v.Article).Scan(&v.Version); err != nil {
		return v, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO article_versions (article_id, version, page_key, body_hash, captured, title)
		VALUES (?, ?, ?, ?, ?, ?)`, v.Article, v.Version, p.Key, p.BodyHash, nullTime(p.Captured), a.Title); err != nil {
		return v, err
	}
	v.PageKey, v.BodyHash, v.Captured, v.Title = p.Key, p.BodyHash, p.Captured, a.Title
	for i, c := range v.Changes {
		if _, err := tx.ExecContext(ctx, `INSERT INTO figure_changes (article_id, version, idx, quantity, old_text, new_text, old_value, new_value, sentence, at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, v.Article, v.Version, i, c.Quantity, c.Old, c.New, c.OldValue, c.NewValue, c.Sentence, ts(c.At)); err != nil {
			return v, err
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE articles SET title = ?, body = ? WHERE id = ?`, a.Title, a.Text, v.Article); err != nil {
		return v, err
	}
	if err := writeFacts(ctx, tx, v.Article, a.Facts, a.SourceEntities); err != nil {
		return v, err
	}
	if err := writeSearch(ctx, tx, v.Article, a.Search, true); err != nil {
		return v, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO dirty_stories (story) SELECT story FROM clusters WHERE article_id = ?`, v.Article); err != nil {
		return v, err
	}
	return v, tx.Commit()
}

// ArticleVersions implements store.Watch.
func (s *DB) ArticleVersions(ctx context.Context, article int64) ([]store.ArticleVersion, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT version, page_key, body_hash, captured, title FROM article_versions
		WHERE article_id = ? ORDER BY version`, article)
	if err != nil {
		return nil, fmt.Errorf("sqlite: versions of %d: %w", article, err)
	}
	var out []store.ArticleVersion
	for rows.Next() {
		v := store.ArticleVersion{Article: article}
		var at sql.NullString
		if err := rows.Scan(&v.Version, &v.PageKey, &v.BodyHash, &at, &v.Title); err != nil {
			rows.Close()
			return nil, fmt.Errorf("sqlite: versions of %d: %w", article, err)
		}
		v.Captured = parseTime(at)
		out = append(out, v)
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return nil, fmt.Errorf("sqlite: versions of %d: %w", article, err)
	}
	if len(out) == 0 {
		return nil, nil
	}
	crows, err := s.rdb.QueryContext(ctx, `SELECT version, quantity, old_text, new_text, old_value, new_value, sentence, at
		FROM figure_changes WHERE article_id = ? ORDER BY version, idx`, article)
	if err != nil {
		return nil, fmt.Errorf("sqlite: versions of %d: %w", article, err)
	}
	defer crows.Close()
	for crows.Next() {
		var ver int
		var c store.FigureChange
		var at sql.NullString
		if err := crows.Scan(&ver, &c.Quantity, &c.Old, &c.New, &c.OldValue, &c.NewValue, &c.Sentence, &at); err != nil {
			return nil, fmt.Errorf("sqlite: versions of %d: %w", article, err)
		}
		c.At = parseTime(at)
		for i := range out {
			if out[i].Version == ver {
				out[i].Changes = append(out[i].Changes, c)
			}
		}
	}
	if err := crows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: versions of %d: %w", article, err)
	}
	return out, nil
}
