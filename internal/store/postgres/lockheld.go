package postgres

import (
	"context"
	"errors"
	"fmt"
)

// ErrLockLost is returned by Held when the writer lock's connection ended:
// PostgreSQL released the lock with it (a restart, a network failure), and
// another process may hold it now.
var ErrLockLost = errors.New("postgres: writer lock lost")

// Held checks that the lock is still held: that its connection is alive.
func (l *WriterLock) Held(ctx context.Context) error {
	if l == nil || l.conn == nil {
		return ErrLockLost
	}
	if _, err := l.conn.Exec(ctx, `SELECT 1`); err != nil {
		return fmt.Errorf("%w: %w", ErrLockLost, err)
	}
	return nil
}
