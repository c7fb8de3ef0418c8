package sqlite

import (
	"context"
	"database/sql"
	"math/bits"
	"strings"
)

// maxRowsPerInsert bounds the rows of one INSERT that insertRows builds:
// one statement of many rows costs far less than many of one row; the
// bound keeps the statement's variables well under SQLite's limit
// (32,766). Rows go in chunks of a power of two, so that a transaction
// that compiles each statement once (stmtCache) meets few shapes.
const maxRowsPerInsert = 128

// execer runs the statements of a transaction: a *sql.Tx, or a stmtCache
// on one.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// maxCached bounds the statements a stmtCache keeps; more run uncached.
const maxCached = 256

// stmtCache is a transaction that compiles each statement it executes
// once: modernc's driver compiles a statement on every execution, which
// took 3.7 s of the one writer's 27.6 s on 10,000 text articles (0.75 s
// with the cache), and a batch of pages executes the same few statements
// hundreds of times. The statements close with the transaction.
type stmtCache struct {
	*sql.Tx
	stmts map[string]*sql.Stmt
}

func newStmtCache(tx *sql.Tx) *stmtCache {
	return &stmtCache{Tx: tx, stmts: map[string]*sql.Stmt{}}
}

// ExecContext executes query with args, compiled once per transaction.
func (c *stmtCache) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st, ok := c.stmts[query]
	if !ok {
		if len(c.stmts) >= maxCached {
			return c.Tx.ExecContext(ctx, query, args...)
		}
		var err error
		if st, err = c.Tx.PrepareContext(ctx, query); err != nil {
			return nil, err
		}
		c.stmts[query] = st
	}
	return st.ExecContext(ctx, args...)
}

// insertRows inserts rows of ncols values each (args holds them one row
// after another) with as few statements as maxRowsPerInsert allows:
// head is the statement up to VALUES ("INSERT INTO t (a, b)"), tail what
// follows the rows ("ON CONFLICT DO NOTHING", or empty). SQLite applies
// the statement row by row, so a conflict between two rows of one
// statement is resolved by tail as between two statements.
func insertRows(ctx context.Context, tx execer, head string, ncols int, tail string, args []any) error {
	row := "(?" + strings.Repeat(", ?", ncols-1) + ")"
	for len(args) > 0 {
		n := 1 << (bits.Len(uint(min(len(args)/ncols, maxRowsPerInsert))) - 1)
		var b strings.Builder
		b.WriteString(head)
		b.WriteString(" VALUES ")
		for i := range n {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(row)
		}
		if tail != "" {
			b.WriteByte(' ')
			b.WriteString(tail)
		}
		if _, err := tx.ExecContext(ctx, b.String(), args[:n*ncols]...); err != nil {
			return err
		}
		args = args[n*ncols:]
	}
	return nil
}
