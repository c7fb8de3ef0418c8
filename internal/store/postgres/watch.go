package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"dossier/internal/store"
)

var _ store.Watch = (*DB)(nil)

const subColumns = `id, url, kind, title, added, etag, last_modified, body_hash, last_check, last_new, next_check,
	interval_s, errors, last_error, items_seen`

func scanSub(sc pgx.Row) (store.Subscription, error) {
	var s store.Subscription
	var added, lastCheck, lastNew, next pgtype.Timestamptz
	var interval int64
	err := sc.Scan(&s.ID, &s.URL, &s.Kind, &s.Title, &added, &s.ETag, &s.LastModified, &s.BodyHash,
		&lastCheck, &lastNew, &next, &interval, &s.Errors, &s.LastError, &s.ItemsSeen)
	s.Added, s.LastCheck, s.LastNew, s.NextCheck = tsOf(added), tsOf(lastCheck), tsOf(lastNew), tsOf(next)
	s.Interval = time.Duration(interval) * time.Second
	return s, err
}

// Follow implements store.Watch.
func (s *DB) Follow(ctx context.Context, sub store.Subscription) (got store.Subscription, existed bool, err error) {
	if sub.Added.IsZero() {
		sub.Added = s.now()
	}
	if sub.NextCheck.IsZero() {
		sub.NextCheck = sub.Added
	}
	err = s.write(ctx, "follow "+sub.URL, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO subscriptions (url, kind, title, added, next_check) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (url) DO NOTHING`, sub.URL, sub.Kind, sub.Title, sub.Added.UTC(), sub.NextCheck.UTC())
		if err != nil {
			return err
		}
		existed = tag.RowsAffected() == 0
		got, err = scanSub(tx.QueryRow(ctx, `SELECT `+subColumns+` FROM subscriptions WHERE url = $1`, sub.URL))
		return err
	})
	return got, existed, err
}

// Unfollow implements store.Watch.
func (s *DB) Unfollow(ctx context.Context, id int64) error {
	return s.write(ctx, fmt.Sprintf("unfollow %d", id), func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM subscriptions WHERE id = $1`, id)
		if err == nil && tag.RowsAffected() == 0 {
			err = store.ErrNotFound
		}
		return err
	})
}

func (s *DB) subs(ctx context.Context, op, query string, args ...any) ([]store.Subscription, error) {
	rows, err := s.pool.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: %s: %w", op, err)
	}
	defer rows.Close()
	var out []store.Subscription
	for rows.Next() {
		sub, err := scanSub(rows)
		if err != nil {
			return nil, fmt.Errorf("postgres: %s: %w", op, err)
		}
		out = append(out, sub)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: %s: %w", op, err)
	}
	return out, nil
}

// Subscriptions implements store.Watch.
func (s *DB) Subscriptions(ctx context.Context) ([]store.Subscription, error) {
	return s.subs(ctx, "subscriptions", `SELECT `+subColumns+` FROM subscriptions ORDER BY id`)
}

// Subscription implements store.Watch.
func (s *DB) Subscription(ctx context.Context, id int64) (store.Subscription, error) {
	sub, err := scanSub(s.pool.QueryRow(ctx, `SELECT `+subColumns+` FROM subscriptions WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return sub, fmt.Errorf("postgres: subscription %d: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return sub, fmt.Errorf("postgres: subscription %d: %w", id, err)
	}
	return sub, nil
}

// DueSubscriptions implements store.Watch.
func (s *DB) DueSubscriptions(ctx context.Context, now time.Time, limit int) ([]store.Subscription, error) {
	return s.subs(ctx, "due subscriptions", `SELECT `+subColumns+` FROM subscriptions
		WHERE next_check <= $1 ORDER BY next_check, id LIMIT $2`, now.UTC(), limit)
}

// SaveCheck implements store.Watch.
func (s *DB) SaveCheck(ctx context.Context, sub store.Subscription, items []store.WatchItem) (added int, err error) {
	err = s.write(ctx, "save check "+sub.URL, func(tx pgx.Tx) error {
		added = 0
		var one int64
		err := tx.QueryRow(ctx, `SELECT id FROM subscriptions WHERE id = $1 FOR UPDATE`, sub.ID).Scan(&one)
		if errors.Is(err, pgx.ErrNoRows) {
			return store.ErrNotFound
		}
		if err != nil {
			return err
		}
		now := s.now().UTC()
		changed := 0
		for _, it := range items {
			var id int64
			var fp, state string
			err := tx.QueryRow(ctx, `SELECT id, fingerprint, state FROM watch_items WHERE sub_id = $1 AND url = $2`, sub.ID, it.URL).Scan(&id, &fp, &state)
			switch {
			case errors.Is(err, pgx.ErrNoRows):
				seen := it.Seen
				if seen.IsZero() {
					seen = now
				}
				next := it.NextTry
				if next.IsZero() {
					next = seen
				}
				if _, err := tx.Exec(ctx, `INSERT INTO watch_items (sub_id, url, guid, title, published, fingerprint, state, next_try, seen)
					VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, sub.ID, it.URL, it.GUID, it.Title, tsArg(it.Published), it.Fingerprint,
					store.ItemPending, next.UTC(), seen.UTC()); err != nil {
					return err
				}
				added++
			case err != nil:
				return err
			case fp != it.Fingerprint:
				next := it.NextTry
				if next.IsZero() {
					next = now
				}
				if state == store.ItemDone {
					_, err = tx.Exec(ctx, `UPDATE watch_items SET fingerprint = $1, title = $2, published = $3, state = $4, recheck = true,
						attempts = 0, next_try = $5, last_error = '' WHERE id = $6`, it.Fingerprint, it.Title, tsArg(it.Published), store.ItemPending, next.UTC(), id)
					changed++
				} else {
					_, err = tx.Exec(ctx, `UPDATE watch_items SET fingerprint = $1, title = $2, published = $3 WHERE id = $4`,
						it.Fingerprint, it.Title, tsArg(it.Published), id)
				}
				if err != nil {
					return err
				}
			}
		}
		lastNew := tsArg(sub.LastNew)
		if added > 0 || changed > 0 {
			lastNew = tsArg(sub.LastCheck)
		}
		_, err = tx.Exec(ctx, `UPDATE subscriptions SET kind = $1, title = $2, etag = $3, last_modified = $4, body_hash = $5,
			last_check = $6, last_new = COALESCE($7, last_new), next_check = $8, interval_s = $9, errors = $10, last_error = $11,
			items_seen = items_seen + $12 WHERE id = $13`,
			sub.Kind, sub.Title, sub.ETag, sub.LastModified, sub.BodyHash, tsArg(sub.LastCheck), lastNew, sub.NextCheck.UTC(),
			int64(sub.Interval/time.Second), sub.Errors, sub.LastError, added, sub.ID)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return 0, err
	}
	return added, err
}

const itemColumns = `id, sub_id, url, guid, title, published, fingerprint, state, recheck, attempts, next_try, last_error, seen, fetched`

func (s *DB) items(ctx context.Context, op, query string, args ...any) ([]store.WatchItem, error) {
	rows, err := s.pool.Query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: %s: %w", op, err)
	}
	defer rows.Close()
	var out []store.WatchItem
	for rows.Next() {
		var it store.WatchItem
		var pub, next, seen, fetched pgtype.Timestamptz
		if err := rows.Scan(&it.ID, &it.Sub, &it.URL, &it.GUID, &it.Title, &pub, &it.Fingerprint, &it.State, &it.Recheck,
			&it.Attempts, &next, &it.LastError, &seen, &fetched); err != nil {
			return nil, fmt.Errorf("postgres: %s: %w", op, err)
		}
		it.Published, it.NextTry, it.Seen, it.Fetched = tsOf(pub), tsOf(next), tsOf(seen), tsOf(fetched)
		out = append(out, it)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: %s: %w", op, err)
	}
	return out, nil
}

// DueItems implements store.Watch.
func (s *DB) DueItems(ctx context.Context, now time.Time, limit int) ([]store.WatchItem, error) {
	return s.items(ctx, "due items", `SELECT `+itemColumns+` FROM watch_items
		WHERE state = $1 AND next_try <= $2 ORDER BY next_try, id LIMIT $3`, store.ItemPending, now.UTC(), limit)
}

// PendingItems implements store.Watch.
func (s *DB) PendingItems(ctx context.Context) (int, time.Time, error) {
	var n int
	var first pgtype.Timestamptz
	err := s.pool.QueryRow(ctx, `SELECT COUNT(*), MIN(next_try) FROM watch_items WHERE state = $1`, store.ItemPending).Scan(&n, &first)
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("postgres: pending items: %w", err)
	}
	return n, tsOf(first), nil
}

// SetItem implements store.Watch.
func (s *DB) SetItem(ctx context.Context, it store.WatchItem) error {
	if err := s.writable(); err != nil {
		return err
	}
	recheck := it.Recheck && it.State == store.ItemPending
	_, err := s.pool.Exec(ctx, `UPDATE watch_items SET state = $1, recheck = $2, attempts = $3, next_try = $4, last_error = $5,
		fetched = COALESCE($6, fetched) WHERE id = $7`, it.State, recheck, it.Attempts, it.NextTry.UTC(), it.LastError, tsArg(it.Fetched), it.ID)
	if err != nil {
		return fmt.Errorf("postgres: set item %s: %w", it.URL, err)
	}
	return nil
}

// SubscriptionItems implements store.Watch.
func (s *DB) SubscriptionItems(ctx context.Context, sub int64, limit int) ([]store.WatchItem, error) {
	return s.items(ctx, "subscription items", `SELECT `+itemColumns+` FROM watch_items WHERE sub_id = $1 ORDER BY id DESC LIMIT $2`, sub, limit)
}

// SaveCapture implements store.Watch.
func (s *DB) SaveCapture(ctx context.Context, c store.Capture) error {
	if err := s.writable(); err != nil {
		return err
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO captures (url, page_key, body_hash, file, "offset", length, captured, status)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, c.URL, c.PageKey, c.BodyHash, c.File, c.Offset, c.Length, c.Captured.UTC(), c.Status)
	if err != nil {
		return fmt.Errorf("postgres: save capture %s: %w", c.URL, err)
	}
	return nil
}

// ArticleCaptures implements store.Watch.
func (s *DB) ArticleCaptures(ctx context.Context, article int64) ([]store.Capture, error) {
	rows, err := s.pool.Query(ctx, `SELECT c.url, c.page_key, c.body_hash, c.file, c."offset", c.length, c.captured, c.status
		FROM captures c WHERE EXISTS (SELECT 1 FROM article_sources a JOIN pages p ON p.id = a.page_id
			WHERE a.article_id = $1 AND p.key = c.page_key AND p.body_hash = c.body_hash)
		OR EXISTS (SELECT 1 FROM article_versions v WHERE v.article_id = $1 AND v.page_key = c.page_key AND v.body_hash = c.body_hash)
		ORDER BY c.id`, article)
	if err != nil {
		return nil, fmt.Errorf("postgres: captures of %d: %w", article, err)
	}
	defer rows.Close()
	var out []store.Capture
	for rows.Next() {
		var c store.Capture
		if err := rows.Scan(&c.URL, &c.PageKey, &c.BodyHash, &c.File, &c.Offset, &c.Length, &c.Captured, &c.Status); err != nil {
			return nil, fmt.Errorf("postgres: captures of %d: %w", article, err)
		}
		c.Captured = c.Captured.UTC()
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: captures of %d: %w", article, err)
	}
	return out, nil
}

// PageArticle implements store.Watch.
func (s *DB) PageArticle(ctx context.Context, key string) (int64, error) {
	var id int64
	err := s.pool.QueryRow(ctx, `SELECT a.article_id FROM article_sources a JOIN pages p ON p.id = a.page_id
		WHERE p.key = $1 ORDER BY p.id DESC, a.idx LIMIT 1`, key).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, fmt.Errorf("postgres: article of page %s: %w", key, store.ErrNotFound)
	}
	if err != nil {
		return 0, fmt.Errorf("postgres: article of page %s: %w", key, err)
	}
	return id, nil
}

// SaveVersion implements store.Watch.
func (s *DB) SaveVersion(ctx context.Context, v store.ArticleVersion, p store.Page, a store.NewArticle) (store.ArticleVersion, error) {
	out := v
	err := s.write(ctx, fmt.Sprintf("save version of %d", v.Article), func(tx pgx.Tx) error {
		out = v
		now := s.now().UTC()
		if _, err := tx.Exec(ctx, `INSERT INTO pages (key, body_hash, origin, file, ext_id, url, captured, format, added)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (key, body_hash) DO NOTHING`,
			p.Key, p.BodyHash, p.Origin, p.File, p.ID, p.URL, tsArg(p.Captured), string(p.Format), now); err != nil {
			return err
		}
		// The article's row is locked: versions of one article are numbered in turn.
		if _, err := tx.Exec(ctx, `SELECT 1 FROM articles WHERE id = $1 FOR UPDATE`, v.Article); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(version), 1) + 1 FROM article_versions WHERE article_id = $1`, v.Article).Scan(&out.Version); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO article_versions (article_id, version, page_key, body_hash, captured, title)
			VALUES ($1, $2, $3, $4, $5, $6)`, v.Article, out.Version, p.Key, p.BodyHash, tsArg(p.Captured), a.Title); err != nil {
			return err
		}
		out.PageKey, out.BodyHash, out.Captured, out.Title = p.Key, p.BodyHash, p.Captured, a.Title
		for i, c := range v.Changes {
			if _, err := tx.Exec(ctx, `INSERT INTO figure_changes (article_id, version, idx, quantity, old_text, new_text, old_value, new_value, sentence, at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, v.Article, out.Version, i, c.Quantity, c.Old, c.New, c.OldValue, c.NewValue, c.Sentence, c.At.UTC()); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE articles SET title = $1, body = $2 WHERE id = $3`, a.Title, a.Text, v.Article); err != nil {
			return err
		}
		if err := writeFacts(ctx, tx, v.Article, a.Facts, a.SourceEntities); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM search WHERE article_id = $1`, v.Article); err != nil {
			return err
		}
		if err := writeSearch(ctx, tx, v.Article, a.Search); err != nil {
			return err
		}
		return markDirtyOf(ctx, tx, v.Article)
	})
	return out, err
}

// ArticleVersions implements store.Watch.
func (s *DB) ArticleVersions(ctx context.Context, article int64) ([]store.ArticleVersion, error) {
	rows, err := s.pool.Query(ctx, `SELECT version, page_key, body_hash, captured, title FROM article_versions
		WHERE article_id = $1 ORDER BY version`, article)
	if err != nil {
		return nil, fmt.Errorf("postgres: versions of %d: %w", article, err)
	}
	var out []store.ArticleVersion
	for rows.Next() {
		v := store.ArticleVersion{Article: article}
		var at pgtype.Timestamptz
		if err := rows.Scan(&v.Version, &v.PageKey, &v.BodyHash, &at, &v.Title); err != nil {
			rows.Close()
			return nil, fmt.Errorf("postgres: versions of %d: %w", article, err)
		}
		v.Captured = tsOf(at)
		out = append(out, v)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: versions of %d: %w", article, err)
	}
	if len(out) == 0 {
		return nil, nil
	}
	crows, err := s.pool.Query(ctx, `SELECT version, quantity, old_text, new_text, old_value, new_value, sentence, at
		FROM figure_changes WHERE article_id = $1 ORDER BY version, idx`, article)
	if err != nil {
		return nil, fmt.Errorf("postgres: versions of %d: %w", article, err)
	}
	defer crows.Close()
	for crows.Next() {
		var ver int
		var c store.FigureChange
		if err := crows.Scan(&ver, &c.Quantity, &c.Old, &c.New, &c.OldValue, &c.NewValue, &c.Sentence, &c.At); err != nil {
			return nil, fmt.Errorf("postgres: versions of %d: %w", article, err)
		}
		c.At = c.At.UTC()
		for i := range out {
			if out[i].Version == ver {
				out[i].Changes = append(out[i].Changes, c)
			}
		}
	}
	if err := crows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: versions of %d: %w", article, err)
	}
	return out, nil
}
