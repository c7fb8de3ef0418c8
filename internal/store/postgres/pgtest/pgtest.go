// Package pgtest gives tests a fresh, empty PostgreSQL store of their own.
// The server is named by $DOSSIER_TEST_POSTGRES (.ci/postgres.sh starts one
// and prints it); a test that needs it fails, never skips, when it is unset.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
)

// Env is the variable that names the test server.
const Env = "DOSSIER_TEST_POSTGRES"

// DSN returns the DSN of a new schema on the test server, first in the
// search path, dropped when the test ends: tests may run in parallel and
// again without cleaning up.
func DSN(t testing.TB) string {
	t.Helper()
	base := os.Getenv(Env)
	if base == "" {
		t.Fatalf("%s is not set: these tests need a PostgreSQL server. Start one with `. .ci/postgres.sh` "+
			"(installs and starts PostgreSQL on 127.0.0.1 and exports %s), or set it to postgres://USER:PASSWORD@HOST:PORT/DB", Env, Env)
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("pgtest: connect to %s: %v", Env, err)
	}
	defer conn.Close(ctx)
	var b [6]byte
	rand.Read(b[:])
	schema := "dossier_test_" + hex.EncodeToString(b[:])
	if _, err := conn.Exec(ctx, `CREATE SCHEMA `+schema); err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(func() {
		conn, err := pgx.Connect(ctx, base)
		if err != nil {
			t.Errorf("pgtest: drop %s: %v", schema, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, `DROP SCHEMA `+schema+` CASCADE`); err != nil {
			t.Errorf("pgtest: drop %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("pgtest: %s: %v", Env, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
