package postgres

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// ErrLocked is returned when another process writes the store.
var ErrLocked = errors.New("store in use by another writer")

// Holder is what the writer of a store says about itself: it is kept in
// the application_name of the connection that holds the writer lock, so
// that a refused writer can say who holds it.
type Holder struct {
	PID     int
	Command string
	Addr    string
	// Client is the holder's address as the server sees it.
	Client string
}

// LockedError says who writes the store.
type LockedError struct {
	Store  string
	Holder Holder
}

func (e *LockedError) Error() string {
	return fmt.Sprintf("postgres: %s is written by dossier %s (PID %d at %s)", e.Store, e.Holder.Command, e.Holder.PID, e.Holder.Client)
}

func (e *LockedError) Unwrap() error { return ErrLocked }

// WriterLock is the one writer's hold on a store: a session-level advisory
// lock on a connection kept out of the pool. PostgreSQL releases it when
// the connection ends, so a writer that crashed or was killed leaves no
// stale lock behind.
type WriterLock struct {
	conn   *pgx.Conn
	holder Holder
}

const writerLock = "dossier.writer:"

// appPrefix starts the application_name of the lock's connection.
const appPrefix = "dossier "

// LockWriter takes the store's writer lock for command, without waiting:
// when another process holds it, it fails with a *LockedError.
func (s *DB) LockWriter(ctx context.Context, command string) (*WriterLock, error) {
	if err := s.writable(); err != nil {
		return nil, err
	}
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("postgres: lock %s: %w", s.name, err)
	}
	var ok bool
	// A writer that was just killed holds its lock until the server has
	// seen its connection close: a few tries over half a second.
	for try := 0; ; try++ {
		if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock(hashtext($1 || current_schema()))`, writerLock).Scan(&ok); err != nil {
			conn.Release()
			return nil, fmt.Errorf("postgres: lock %s: %w", s.name, err)
		}
		if ok || try == 5 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if !ok {
		var app, client string
		// The holder named itself when it took the lock. A bigint advisory
		// key shows in pg_locks as its high and low 32 bits.
		err := conn.QueryRow(ctx, `WITH k AS (SELECT hashtext($1 || current_schema())::bigint AS k)
			SELECT a.application_name, COALESCE(host(a.client_addr), 'local socket')
			FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid, k
			WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
			AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
			AND l.classid::bigint = (k.k >> 32) & 4294967295 AND l.objid::bigint = k.k & 4294967295 LIMIT 1`, writerLock).Scan(&app, &client)
		conn.Release()
		h := Holder{Command: "writer", Client: "unknown"}
		if err == nil {
			h = parseHolder(app)
			h.Client = client
		}
		return nil, &LockedError{Store: s.name, Holder: h}
	}
	// The connection is the lock: it leaves the pool for good, so that
	// closing the pool neither waits for it nor closes it.
	l := &WriterLock{conn: conn.Hijack()}
	l.holder.PID = os.Getpid()
	if err := l.Advertise(ctx, command, ""); err != nil {
		l.Release()
		return nil, err
	}
	return l, nil
}

// Advertise records the holder's command and API address on the lock, so
// that a refused writer is told where to send its inputs.
func (l *WriterLock) Advertise(ctx context.Context, command, addr string) error {
	l.holder.Command, l.holder.Addr = command, addr
	// application_name holds at most 63 bytes.
	app := fmt.Sprintf("%scmd=%s pid=%d addr=%s", appPrefix, command, l.holder.PID, addr)
	if _, err := l.conn.Exec(ctx, `SELECT set_config('application_name', $1, false)`, app); err != nil {
		return fmt.Errorf("postgres: lock: %w", err)
	}
	return nil
}

// parseHolder reads what Advertise wrote.
func parseHolder(app string) Holder {
	var h Holder
	for _, f := range strings.Fields(strings.TrimPrefix(app, appPrefix)) {
		k, v, _ := strings.Cut(f, "=")
		switch k {
		case "cmd":
			h.Command = v
		case "pid":
			h.PID, _ = strconv.Atoi(v)
		case "addr":
			h.Addr = v
		}
	}
	return h
}

// Release drops the lock and closes its connection.
func (l *WriterLock) Release() error {
	if l == nil || l.conn == nil {
		return nil
	}
	// Unlock first: the server ends a closed session's locks a moment
	// after the client has gone, and the next writer should not wait.
	ctx := context.Background()
	_, err := l.conn.Exec(ctx, `SELECT pg_advisory_unlock(hashtext($1 || current_schema()))`, writerLock)
	if cerr := l.conn.Close(ctx); err == nil {
		err = cerr
	}
	l.conn = nil
	return err
}
