package sqlite

import (
	"context"
	"fmt"
	"testing"
)

// TestInsertRows: rows past one statement's bound land in the next, and a
// conflict between rows of one statement is resolved by the tail; on a
// transaction and on a stmtCache, whose statements are reused from one
// call to the next.
func TestInsertRows(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE t (k TEXT PRIMARY KEY, n INTEGER)`); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		rows, distinct int
	}{{0, 0}, {1, 1}, {3, 3}, {maxRowsPerInsert, maxRowsPerInsert}, {2*maxRowsPerInsert + 7, maxRowsPerInsert + 3}, {333, 333}} {
		if _, err := s.db.ExecContext(ctx, `DELETE FROM t`); err != nil {
			t.Fatal(err)
		}
		var args []any
		for i := range c.rows {
			args = append(args, fmt.Sprint(i%c.distinct), 1)
		}
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		// Twice in one transaction: plainly, then through a cache, twice.
		cache := newStmtCache(tx)
		for _, e := range []execer{tx, cache, cache} {
			if err := insertRows(ctx, e, `INSERT INTO t (k, n)`, 2, `ON CONFLICT DO UPDATE SET n = n + excluded.n`, args); err != nil {
				t.Fatalf("%d rows: %v", c.rows, err)
			}
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		var keys, sum int
		if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(n), 0) FROM t`).Scan(&keys, &sum); err != nil {
			t.Fatal(err)
		}
		if keys != c.distinct || sum != 3*c.rows {
			t.Errorf("%d rows over %d keys, three times: got %d keys summing to %d", c.rows, c.distinct, keys, sum)
		}
		// Chunks of a power of two rows: at most eight shapes.
		if len(cache.stmts) > 8 {
			t.Errorf("%d rows: %d statements cached, want at most 8", c.rows, len(cache.stmts))
		}
	}
}
