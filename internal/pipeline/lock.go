package pipeline

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// ErrLocked is returned when another process writes the data directory.
var ErrLocked = errors.New("data directory in use")

// LockError says who holds a data directory.
type LockError struct {
	Dir     string
	PID     int
	Command string
	// Addr is the holder's API address when it is a server.
	Addr string
}

func (e *LockError) Error() string {
	who := "another dossier process"
	if e.Command != "" {
		who = "dossier " + e.Command
	}
	if e.PID > 0 {
		who += fmt.Sprintf(", PID %d", e.PID)
	}
	hint := "wait for it or stop it"
	if e.Addr != "" {
		hint = fmt.Sprintf("use `-server %s` or stop it", e.Addr)
	}
	return fmt.Sprintf("data directory %s in use by %s; %s", e.Dir, who, hint)
}

func (e *LockError) Unwrap() error { return ErrLocked }

// lock is an exclusive, advisory lock on a data directory: a file holding
// the holder's PID, command and address, locked with flock(2). The kernel
// releases the lock when the holder exits, crashes or is killed, so a file
// left behind by a crash is stale and the next writer takes it over.
type lock struct {
	f *os.File
	// unclean says the previous holder did not release the lock: it
	// crashed or was killed, and its store may need a check.
	unclean bool
}

const lockName = "lock"

// acquire takes the lock on dir for command, or fails with a *LockError.
func acquire(dir, command string) (*lock, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("lock %s: %w", dir, err)
	}
	path := filepath.Join(dir, lockName)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", dir, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			le := &LockError{Dir: dir}
			if b, rerr := os.ReadFile(path); rerr == nil {
				le.PID, le.Command, le.Addr = parseLock(string(b))
			}
			return nil, le
		}
		return nil, fmt.Errorf("lock %s: %w", dir, err)
	}
	l := &lock{f: f}
	// release empties the file: a holder recorded in it did not release.
	if b, err := os.ReadFile(path); err == nil && strings.Contains(string(b), "pid=") {
		l.unclean = true
	}
	if err := l.write(command, ""); err != nil {
		l.release()
		return nil, err
	}
	return l, nil
}

// write records the holder in the lock file.
func (l *lock) write(command, addr string) error {
	body := fmt.Sprintf("pid=%d\ncommand=%s\naddr=%s\n", os.Getpid(), command, addr)
	if err := l.f.Truncate(0); err != nil {
		return fmt.Errorf("lock: %w", err)
	}
	if _, err := l.f.WriteAt([]byte(body), 0); err != nil {
		return fmt.Errorf("lock: %w", err)
	}
	return l.f.Sync()
}

// release drops the lock. The file stays: it is only a record.
func (l *lock) release() error {
	if l == nil || l.f == nil {
		return nil
	}
	l.f.Truncate(0)
	syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN)
	err := l.f.Close()
	l.f = nil
	return err
}

func parseLock(s string) (pid int, command, addr string) {
	for _, line := range strings.Split(s, "\n") {
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		switch k {
		case "pid":
			pid, _ = strconv.Atoi(v)
		case "command":
			command = v
		case "addr":
			addr = v
		}
	}
	return pid, command, addr
}
