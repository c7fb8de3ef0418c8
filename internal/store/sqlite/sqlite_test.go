package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"dossier/internal/news"
	"dossier/internal/store"
	"dossier/internal/store/storetest"
)

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		s, err := Open(context.Background(), filepath.Join(t.TempDir(), "dossier.db"))
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

func TestReopenKeepsDataAndSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "sub", "dossier.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SavePage(ctx, store.Page{Key: "k", BodyHash: "h"}, []store.NewArticle{{Hash: "x"}}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(ctx, path) // migrations must not run twice
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if st, err := s.Stats(ctx); err != nil || st.Articles != 1 {
		t.Fatalf("after reopen: %+v, %v", st, err)
	}
}

// TestConcurrentOpenMigratesOnce opens a new store from several goroutines
// at once (separate connections, as separate processes would): each
// migration is applied once, and every open succeeds. A migration's version
// was once checked outside its transaction, and a second opener failed with
// "table already exists".
func TestConcurrentOpenMigratesOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dossier.db")
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			s, err := Open(context.Background(), path)
			if err == nil {
				err = s.Close()
			}
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Errorf("open: %v", err)
		}
	}
}

// TestWriterPragmas checks that the writing connection keeps savepoint
// journals in memory and has its larger page cache (see writerPragmas).
func TestWriterPragmas(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	for _, c := range []struct {
		pragma string
		want   int
	}{{"temp_store", 2}, {"cache_size", -65536}, {"synchronous", 1}} {
		var got int
		if err := s.db.QueryRowContext(ctx, "PRAGMA "+c.pragma).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("PRAGMA %s = %d, want %d", c.pragma, got, c.want)
		}
	}
}

// TestReadOnlyOpenOfUnmigratedStore opens, read-only, a database that a
// writer created (in WAL mode) and was killed in before its first
// migration committed: the store needs its migrations, it is not damaged.
// A database with tables of its own is not a dossier store.
func TestReadOnlyOpenOfUnmigratedStore(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		name, stmt string
		want       error
	}{{"empty", "", store.ErrNeedsMigration}, {"foreign", "CREATE TABLE other (x)", nil}} {
		path := filepath.Join(t.TempDir(), "dossier.db")
		db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)")
		if err != nil {
			t.Fatal(err)
		}
		if err := db.PingContext(ctx); err != nil {
			t.Fatal(err)
		}
		if c.stmt != "" {
			if _, err := db.ExecContext(ctx, c.stmt); err != nil {
				t.Fatal(err)
			}
		}
		db.Close()
		s, err := OpenReadOnly(ctx, path)
		if err == nil {
			s.Close()
			t.Fatalf("%s: opened", c.name)
		}
		if c.want != nil && !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
		if c.want == nil && !strings.Contains(err.Error(), "not a dossier store") {
			t.Errorf("%s: %v, want 'not a dossier store'", c.name, err)
		}
	}
}

// TestEntityCountsKept: entity_names and entity_counts, kept by triggers
// on mentions, equal what mentions holds, after pages whose articles name
// an entity twice or by two names, and after SetFacts replaces an
// article's mentions.
func TestEntityCountsKept(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	m := func(entity, name string) news.Mention {
		return news.Mention{Entity: entity, Type: "place", Name: name, Canonical: name}
	}
	arts := [][]news.Mention{
		{m("country:RU", "Russia"), m("country:RU", "Moscow"), m("country:RU", "Russia"), m("place:kursk", "Kursk")},
		{m("country:RU", "Russia"), m("country:UA", "Ukraine")},
		{m("place:kursk", "Kursk"), m("place:kursk", "Kursk")},
	}
	var ids []int64
	for i, ms := range arts {
		saved, err := s.SavePage(ctx, store.Page{Key: fmt.Sprint("p", i), BodyHash: "h"},
			[]store.NewArticle{{Hash: fmt.Sprint("a", i), Article: news.Article{Facts: news.Facts{Mentions: ms}}}})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, saved.IDs...)
	}
	check := func(when string) {
		t.Helper()
		for _, q := range []struct{ kept, counted string }{
			{`SELECT entity || '|' || name || '|' || n FROM entity_names ORDER BY 1`,
				`SELECT entity || '|' || name || '|' || COUNT(*) FROM mentions GROUP BY entity, name ORDER BY 1`},
			{`SELECT entity || '|' || articles FROM entity_counts ORDER BY 1`,
				`SELECT entity || '|' || COUNT(DISTINCT article_id) FROM mentions GROUP BY entity ORDER BY 1`},
		} {
			kept, counted := column(t, s.db, q.kept), column(t, s.db, q.counted)
			if kept != counted {
				t.Errorf("%s: kept %s, counted from mentions %s", when, kept, counted)
			}
		}
	}
	check("after the pages")
	if err := s.SetFacts(ctx, ids[0], news.Facts{Mentions: []news.Mention{m("country:UA", "Kyiv"), m("country:UA", "Ukraine")}}, store.SearchDoc{}, nil); err != nil {
		t.Fatal(err)
	}
	check("after SetFacts")
	if err := s.SetFacts(ctx, ids[2], news.Facts{}, store.SearchDoc{}, nil); err != nil {
		t.Fatal(err)
	}
	check("after SetFacts with no mentions")
}

// openTemp opens a new store in a temporary directory, closed when the
// test ends.
func openTemp(tb testing.TB) *DB {
	tb.Helper()
	s, err := Open(context.Background(), filepath.Join(tb.TempDir(), "dossier.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

// column reads a query's one column as a line.
func column(t *testing.T, db *sql.DB, q string) string {
	t.Helper()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return strings.Join(out, " ")
}
