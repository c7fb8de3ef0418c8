// Package respcache keeps encoded responses (a JSON body, a rendered page)
// in memory, bounded in bytes, each under a key (what was asked) and a
// stamp (the state of the data it was built from). A lookup with another
// stamp misses, so a cache never answers from data older than its stamp
// says; concurrent misses of one key build it once.
package respcache

import (
	"container/list"
	"crypto/sha256"
	"encoding/hex"
	"sync"
)

// Entry is an encoded response.
type Entry struct {
	Body []byte
	// ETag is a strong validator of Body (quoted).
	ETag string
}

// NewEntry wraps body with its ETag.
func NewEntry(body []byte) Entry {
	sum := sha256.Sum256(body)
	return Entry{Body: body, ETag: `"` + hex.EncodeToString(sum[:16]) + `"`}
}

// Cache is safe for concurrent use. The zero value is not usable; a nil
// *Cache builds every response (no caching).
type Cache struct {
	mu       sync.Mutex
	max      int
	size     int
	lru      *list.List // of *item, most recently used first
	items    map[string]*list.Element
	inflight map[string]*call
	hits     uint64
	misses   uint64
}

type item struct {
	key, stamp string
	e          Entry
}

type call struct {
	done  chan struct{}
	stamp string
	e     Entry
	err   error
}

// New returns a cache holding at most maxBytes of bodies; an entry larger
// than an eighth of that is built but not kept.
func New(maxBytes int) *Cache {
	return &Cache{max: maxBytes, lru: list.New(), items: map[string]*list.Element{}, inflight: map[string]*call{}}
}

// Get returns the entry of key built at stamp, or builds it with build
// and keeps it. Concurrent calls with the same key and stamp wait for one
// build. Errors are returned, never kept.
func (c *Cache) Get(key, stamp string, build func() (Entry, error)) (Entry, error) {
	if c == nil {
		return build()
	}
	c.mu.Lock()
	if el, ok := c.items[key]; ok {
		it := el.Value.(*item)
		if it.stamp == stamp {
			c.lru.MoveToFront(el)
			c.hits++
			c.mu.Unlock()
			return it.e, nil
		}
	}
	if cl, ok := c.inflight[key]; ok && cl.stamp == stamp {
		c.mu.Unlock()
		<-cl.done
		return cl.e, cl.err
	}
	c.misses++
	cl := &call{done: make(chan struct{}), stamp: stamp}
	c.inflight[key] = cl
	c.mu.Unlock()

	cl.e, cl.err = build()

	c.mu.Lock()
	if c.inflight[key] == cl {
		delete(c.inflight, key)
	}
	if cl.err == nil {
		c.put(key, stamp, cl.e)
	}
	c.mu.Unlock()
	close(cl.done)
	return cl.e, cl.err
}

// put keeps e under key, replacing an entry of another stamp and evicting
// the least recently used past the bound. c.mu is held.
func (c *Cache) put(key, stamp string, e Entry) {
	if el, ok := c.items[key]; ok {
		old := el.Value.(*item)
		c.size -= len(old.e.Body)
		c.lru.Remove(el)
		delete(c.items, key)
	}
	if len(e.Body) > c.max/8 {
		return
	}
	c.items[key] = c.lru.PushFront(&item{key: key, stamp: stamp, e: e})
	c.size += len(e.Body)
	for c.size > c.max {
		el := c.lru.Back()
		it := el.Value.(*item)
		c.lru.Remove(el)
		delete(c.items, it.key)
		c.size -= len(it.e.Body)
	}
}

// Stats returns the hits and misses so far and the bytes held.
func (c *Cache) Stats() (hits, misses uint64, bytes int) {
	if c == nil {
		return 0, 0, 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hits, c.misses, c.size
}
