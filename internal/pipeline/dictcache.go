package pipeline

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"dossier/internal/cluster"
	"dossier/internal/dict"
)

// dictCache keeps each language's prepared dictionary in a file of its own
// under dir: dict-LANG-KEY.bin, where KEY hashes what the prepared form
// depends on: the dictionary's files (path, size, modification time) and
// this program, known by a checksum of the running executable's contents
// (the preparation is its code: stemmers, stop words; a rebuild that keeps
// the file's size and time is still another program). The key is taken
// when a language is looked up, and a prepared form is stored only if the
// files have not changed since (a dictionary upgraded while it was read is
// not kept under the new files' key). Writes go through a temporary file
// and a rename, so a reader sees a whole file or none; a failed read or
// write costs a rebuild only. Entries no process has read for a month are
// removed when another is written: builds that share the directory (an
// installed dossier and a newer one) do not evict each other.
type dictCache struct {
	dir   string
	files dict.Files
	// exe is the executable's identity, part of every key, computed when
	// first needed ("" when it cannot be read: nothing is cached).
	exe func() string

	mu   sync.Mutex
	keys map[string]string // the key each language was looked up under
}

// dictCacheUnused is how long an entry stays without being read.
const dictCacheUnused = 30 * 24 * time.Hour

// newDictCache returns a cache in dir for the dictionaries files lists, or
// nil (no caching) when dir is empty.
func newDictCache(dir string, files dict.Files) cluster.DictCache {
	if dir == "" {
		return nil
	}
	return &dictCache{dir: dir, files: files, exe: sync.OnceValue(executableSum), keys: map[string]string{}}
}

// executableSum is the size and CRC-32C of the running program's file (on
// Linux the image that runs, even if its path was replaced since), or "".
func executableSum() string {
	f, err := os.Open("/proc/self/exe")
	if err != nil {
		exe, err := os.Executable()
		if err != nil {
			return ""
		}
		if f, err = os.Open(exe); err != nil {
			return ""
		}
	}
	defer f.Close()
	h := crc32.New(crc32.MakeTable(crc32.Castagnoli))
	n, err := io.Copy(h, f)
	if err != nil {
		return ""
	}
	return fmt.Sprintf("%d-%08x", n, h.Sum32())
}

// key hashes what lang's prepared dictionary depends on; "" when a file
// cannot be read.
func (c *dictCache) key(lang string) string {
	exe := c.exe()
	if exe == "" {
		return ""
	}
	h := sha256.New()
	fmt.Fprintf(h, "dossier prepared dictionary\x00%s\x00%s\x00", lang, exe)
	for _, f := range c.files[lang] {
		fmt.Fprintf(h, "%s\x00%v\x00", f.Base, f.Inverse)
		for _, ext := range []string{".index", ".dict.dz"} {
			st, err := os.Stat(f.Base + ext)
			if err != nil {
				return ""
			}
			fmt.Fprintf(h, "%d %d\x00", st.Size(), st.ModTime().UnixNano())
		}
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}

func (c *dictCache) path(lang, key string) string {
	return filepath.Join(c.dir, "dict-"+lang+"-"+key+".bin")
}

// Get returns the prepared form kept for lang under the key of its files
// now, and remembers that key for Put.
func (c *dictCache) Get(lang string) ([]byte, bool) {
	key := c.key(lang)
	c.mu.Lock()
	c.keys[lang] = key
	c.mu.Unlock()
	if key == "" {
		return nil, false
	}
	p := c.path(lang, key)
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, false
	}
	now := time.Now()
	os.Chtimes(p, now, now) // read: not to be removed as unused
	return b, true
}

// Put keeps lang's prepared form under the key Get took, if the files
// still have it.
func (c *dictCache) Put(lang string, data []byte) {
	c.mu.Lock()
	key, ok := c.keys[lang]
	c.mu.Unlock()
	if !ok || key == "" || c.key(lang) != key || os.MkdirAll(c.dir, 0o755) != nil {
		return
	}
	tmp, err := os.CreateTemp(c.dir, "dict-"+lang+"-*.tmp")
	if err != nil {
		return
	}
	_, werr := tmp.Write(data)
	if cerr := tmp.Close(); werr != nil || cerr != nil || os.Rename(tmp.Name(), c.path(lang, key)) != nil {
		os.Remove(tmp.Name())
		return
	}
	// Entries of this language no process has read for a month (other
	// dictionaries, older builds), and temporary files a process that died
	// left behind.
	old, _ := filepath.Glob(filepath.Join(c.dir, "dict-"+lang+"-*"))
	for _, p := range old {
		st, err := os.Stat(p)
		if err != nil {
			continue
		}
		age := time.Since(st.ModTime())
		switch {
		case strings.HasSuffix(p, ".bin") && p != c.path(lang, key) && age > dictCacheUnused:
			os.Remove(p)
		case strings.HasSuffix(p, ".tmp") && age > 10*time.Minute:
			os.Remove(p)
		}
	}
}
