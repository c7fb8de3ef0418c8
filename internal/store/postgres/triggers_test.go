package postgres

import (
	"context"
	"testing"

	"dossier/internal/store/postgres/pgtest"

	"github.com/jackc/pgx/v5"
)

// The entity-count trigger on mentions probes the table by key whatever its
// size was when the connection first ran it. A plan kept from the first
// call, on an empty table, hashed the whole of mentions at every later
// insert (65 million rows read in a 10,000-article run).
func TestMentionTriggerDoesNotScanMentions(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	s, err := Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := conn.Exec(ctx, sql, args...); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	addArticles := func(from, to int) {
		t.Helper()
		exec(`INSERT INTO articles (id, hash, body, added) SELECT i, 'h' || i, 'text', now() FROM generate_series($1::bigint, $2::bigint) i`, from, to)
	}
	addMentions := func(from, to int) {
		t.Helper()
		exec(`INSERT INTO mentions (article_id, idx, entity, name)
			SELECT i, j, 'e' || ((i * 7 + j) % 500), 'n' || j FROM generate_series($1::bigint, $2::bigint) i, generate_series(0, 9) j`, from, to)
	}
	// The first insert on this connection sees an empty table.
	addArticles(1, 1)
	addMentions(1, 1)
	// Then the table grows to 30,000 rows in one statement.
	addArticles(2, 3001)
	addMentions(2, 3001)

	addArticles(3002, 3002)
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	// The counts of this backend not yet flushed: earlier statements' scans
	// may be among them (PostgreSQL flushes at most once a second).
	seqScans := func() int64 {
		t.Helper()
		var n int64
		if err := tx.QueryRow(ctx, `SELECT seq_scan FROM pg_stat_xact_user_tables WHERE relid = 'mentions'::regclass`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := seqScans()
	if _, err := tx.Exec(ctx, `INSERT INTO mentions (article_id, idx, entity, name)
		SELECT 3002, j, 'e' || j, 'n' || j FROM generate_series(0, 9) j`); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM mentions WHERE article_id = 3001`); err != nil {
		t.Fatal(err)
	}
	if scans := seqScans() - before; scans != 0 {
		t.Errorf("inserting one article's mentions and deleting another's scanned mentions %d times, want 0 (the triggers' lookups go by key)", scans)
	}
	var articles int64
	if err := tx.QueryRow(ctx, `SELECT articles FROM entity_counts WHERE entity = 'e1'`).Scan(&articles); err != nil {
		t.Fatal(err)
	}
	// e1 is named by the articles i with (7i + j) % 500 = 1 for some j < 10,
	// counted once each, plus article 3002, less article 3001 if it named it.
	var want int64
	if err := tx.QueryRow(ctx, `SELECT COUNT(DISTINCT article_id) FROM mentions WHERE entity = 'e1'`).Scan(&want); err != nil {
		t.Fatal(err)
	}
	if articles != want {
		t.Errorf("entity_counts for e1 = %d, want %d", articles, want)
	}
}
