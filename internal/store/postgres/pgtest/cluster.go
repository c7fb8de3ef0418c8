package pgtest

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"testing"
)

// Cluster is a PostgreSQL server of a test's own, which the test may stop
// and start (the shared server of DOSSIER_TEST_POSTGRES serves other
// packages' tests meanwhile).
type Cluster struct {
	t      testing.TB
	bindir string
	dir    string
	port   int
	// DSN is the cluster's database "dossier" for the user "dossier".
	DSN string
}

// NewCluster makes and starts a cluster with Debian's PostgreSQL binaries
// (the ones .ci/postgres.sh installs) in a temporary directory, on a free
// loopback port; it is stopped and removed when the test ends.
func NewCluster(t testing.TB) *Cluster {
	t.Helper()
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(dirs) == 0 {
		t.Fatal("pgtest: PostgreSQL's binaries are not installed (.ci/postgres.sh installs them)")
	}
	sort.Strings(dirs)
	c := &Cluster{t: t, bindir: filepath.Dir(dirs[len(dirs)-1])}
	dir, err := os.MkdirTemp("", "dossier-pgtest-")
	if err != nil {
		t.Fatal(err)
	}
	c.dir = dir
	t.Cleanup(func() {
		c.run("pg_ctl", "-D", filepath.Join(dir, "data"), "-m", "immediate", "-w", "stop")
		os.RemoveAll(dir)
	})
	if os.Geteuid() == 0 { // the server refuses to run as root
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Fatalf("pgtest: running as root needs the user postgres: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	c.port = ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	if out, err := c.run("initdb", "-D", filepath.Join(dir, "data"), "-U", "dossier", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8"); err != nil {
		t.Fatalf("pgtest: initdb: %v\n%s", err, out)
	}
	c.Start()
	if out, err := c.run("createdb", "-h", "127.0.0.1", "-p", strconv.Itoa(c.port), "-U", "dossier", "dossier"); err != nil {
		t.Fatalf("pgtest: createdb: %v\n%s", err, out)
	}
	c.DSN = fmt.Sprintf("postgres://dossier@127.0.0.1:%d/dossier?sslmode=disable", c.port)
	return c
}

// run runs one of the server's programs as the user that owns the cluster.
func (c *Cluster) run(prog string, args ...string) ([]byte, error) {
	name := filepath.Join(c.bindir, prog)
	if os.Geteuid() == 0 {
		args = append([]string{"-u", "postgres", "--", name}, args...)
		name = "runuser"
	}
	return exec.Command(name, args...).CombinedOutput()
}

// Start starts the server and waits until it accepts connections.
func (c *Cluster) Start() {
	c.t.Helper()
	opts := fmt.Sprintf("-c listen_addresses=127.0.0.1 -p %d -k %s -c fsync=off -c max_connections=100", c.port, c.dir)
	if out, err := c.run("pg_ctl", "-D", filepath.Join(c.dir, "data"), "-l", filepath.Join(c.dir, "server.log"), "-w", "-t", "60", "-o", opts, "start"); err != nil {
		c.t.Fatalf("pgtest: start: %v\n%s", err, out)
	}
}

// Stop stops the server (fast shutdown: sessions are ended).
func (c *Cluster) Stop() {
	c.t.Helper()
	if out, err := c.run("pg_ctl", "-D", filepath.Join(c.dir, "data"), "-m", "fast", "-w", "stop"); err != nil {
		c.t.Fatalf("pgtest: stop: %v\n%s", err, out)
	}
}
