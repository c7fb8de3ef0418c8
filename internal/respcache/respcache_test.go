package respcache

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestGetKeepsByKeyAndStamp(t *testing.T) {
	c := New(1 << 20)
	builds := 0
	get := func(key, stamp, body string) string {
		t.Helper()
		e, err := c.Get(key, stamp, func() (Entry, error) { builds++; return NewEntry([]byte(body)), nil })
		if err != nil {
			t.Fatal(err)
		}
		return string(e.Body)
	}
	for _, tt := range []struct {
		key, stamp, body, want string
		builds                 int
	}{
		{"a", "1", "a at 1", "a at 1", 1},
		{"a", "1", "ignored", "a at 1", 1}, // kept
		{"b", "1", "b at 1", "b at 1", 2},  // another key
		{"a", "2", "a at 2", "a at 2", 3},  // another stamp: built again
		{"a", "1", "a at 1 again", "a at 1 again", 4},
	} {
		if got := get(tt.key, tt.stamp, tt.body); got != tt.want || builds != tt.builds {
			t.Errorf("Get(%s, %s) = %q after %d builds, want %q after %d", tt.key, tt.stamp, got, builds, tt.want, tt.builds)
		}
	}
	if h, m, _ := c.Stats(); h != 1 || m != 4 {
		t.Errorf("Stats = %d hits, %d misses; want 1, 4", h, m)
	}
}

func TestErrorsAreNotKept(t *testing.T) {
	c := New(1 << 20)
	boom := errors.New("boom")
	if _, err := c.Get("k", "1", func() (Entry, error) { return Entry{}, boom }); !errors.Is(err, boom) {
		t.Fatalf("error = %v", err)
	}
	e, err := c.Get("k", "1", func() (Entry, error) { return NewEntry([]byte("ok")), nil })
	if err != nil || string(e.Body) != "ok" {
		t.Errorf("after an error: %q, %v", e.Body, err)
	}
}

func TestBoundedInBytes(t *testing.T) {
	c := New(800)
	body := strings.Repeat("x", 100)
	for i := 0; i < 20; i++ {
		c.Get(fmt.Sprint(i), "s", func() (Entry, error) { return NewEntry([]byte(body)), nil })
	}
	if _, _, n := c.Stats(); n > 800 {
		t.Errorf("holds %d bytes, bound 800", n)
	}
	// The latest are kept, the oldest evicted.
	built := false
	c.Get("19", "s", func() (Entry, error) { built = true; return NewEntry([]byte(body)), nil })
	if built {
		t.Error("the latest entry was evicted")
	}
	c.Get("0", "s", func() (Entry, error) { built = true; return NewEntry([]byte(body)), nil })
	if !built {
		t.Error("the oldest entry was kept past the bound")
	}
	// An entry larger than an eighth of the bound is answered, not kept.
	big := strings.Repeat("y", 200)
	c.Get("big", "s", func() (Entry, error) { return NewEntry([]byte(big)), nil })
	built = false
	c.Get("big", "s", func() (Entry, error) { built = true; return NewEntry([]byte(big)), nil })
	if !built {
		t.Error("an entry past an eighth of the bound was kept")
	}
}

func TestConcurrentMissesBuildOnce(t *testing.T) {
	c := New(1 << 20)
	var builds atomic.Int32
	release := make(chan struct{})
	var wg sync.WaitGroup
	bodies := make([]string, 16)
	for i := range bodies {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e, err := c.Get("k", "1", func() (Entry, error) {
				builds.Add(1)
				<-release
				return NewEntry([]byte("built")), nil
			})
			if err == nil {
				bodies[i] = string(e.Body)
			}
		}()
	}
	time.Sleep(50 * time.Millisecond) // let every goroutine reach Get
	close(release)
	wg.Wait()
	if n := builds.Load(); n != 1 {
		t.Errorf("%d builds for 16 concurrent misses, want 1", n)
	}
	for i, b := range bodies {
		if b != "built" {
			t.Errorf("caller %d got %q", i, b)
		}
	}
}

func TestNilCacheBuildsEveryTime(t *testing.T) {
	var c *Cache
	n := 0
	for i := 0; i < 3; i++ {
		c.Get("k", "1", func() (Entry, error) { n++; return NewEntry(nil), nil })
	}
	if n != 3 {
		t.Errorf("%d builds, want 3", n)
	}
}

func TestETagFollowsBody(t *testing.T) {
	a, b := NewEntry([]byte("one")), NewEntry([]byte("two"))
	if a.ETag == b.ETag || a.ETag != NewEntry([]byte("one")).ETag || !strings.HasPrefix(a.ETag, `"`) {
		t.Errorf("ETags %s, %s", a.ETag, b.ETag)
	}
}
