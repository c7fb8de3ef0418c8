package sqlite

import (
	"context"
	"database/sql"
	"strings"
)

// maxRowsPerInsert bounds the rows of one INSERT that insertRows builds:
// each statement is compiled anew (modernc's driver prepares on every
// execution), so one statement of many rows costs far less than many of
// one row; the bound keeps the statement's variables well under SQLite's
// limit (32,766).
const maxRowsPerInsert = 200

// insertRows inserts rows of ncols values each (args holds them one row
// after another) with as few statements as maxRowsPerInsert allows:
// head is the statement up to VALUES ("INSERT INTO t (a, b)"), tail what
// follows the rows ("ON CONFLICT DO NOTHING", or empty). SQLite applies
// the statement row by row, so a conflict between two rows of one
// statement is resolved by tail as between two statements.
func insertRows(ctx context.Context, tx *sql.Tx, head string, ncols int, tail string, args []any) error {
	row := "(?" + strings.Repeat(", ?", ncols-1) + ")"
	for len(args) > 0 {
		n := min(len(args)/ncols, maxRowsPerInsert)
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
