package pipeline

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"dossier/internal/cluster"
	"dossier/internal/dict"
)

// dictCache keeps each language's prepared dictionary in a file of its own
// under dir: dict-LANG-KEY.bin, where KEY hashes what the prepared form
// depends on, the dictionary's files (path, size, modification time) and
// this program (the executable's size and modification time, since the
// preparation is its code: stemmers, stop words). A file whose key no
// longer matches is never read, and is removed when the new one is
// written. Writes go through a temporary file and a rename, so a reader
// sees a whole file or none; a failed read or write costs a rebuild only.
type dictCache struct {
	dir   string
	files dict.Files
	exe   string // the executable's identity, part of every key
}

// newDictCache returns a cache in dir for the dictionaries files lists,
// or nil (no caching) when dir is empty or the executable cannot be
// identified.
func newDictCache(dir string, files dict.Files) cluster.DictCache {
	if dir == "" {
		return nil
	}
	exe, err := os.Executable()
	if err != nil {
		return nil
	}
	st, err := os.Stat(exe)
	if err != nil {
		return nil
	}
	return &dictCache{dir: dir, files: files, exe: fmt.Sprintf("%d %d", st.Size(), st.ModTime().UnixNano())}
}

// key hashes what lang's prepared dictionary depends on; "" when a file
// cannot be read.
func (c *dictCache) key(lang string) string {
	h := sha256.New()
	fmt.Fprintf(h, "dossier prepared dictionary\x00%s\x00%s\x00", lang, c.exe)
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

func (c *dictCache) Get(lang string) ([]byte, bool) {
	key := c.key(lang)
	if key == "" {
		return nil, false
	}
	b, err := os.ReadFile(c.path(lang, key))
	return b, err == nil
}

func (c *dictCache) Put(lang string, data []byte) {
	key := c.key(lang)
	if key == "" || os.MkdirAll(c.dir, 0o755) != nil {
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
	// Earlier files of this language (other dictionaries, another build),
	// and temporary files a process that died left behind.
	old, _ := filepath.Glob(filepath.Join(c.dir, "dict-"+lang+"-*"))
	for _, p := range old {
		switch {
		case strings.HasSuffix(p, ".bin") && p != c.path(lang, key):
			os.Remove(p)
		case strings.HasSuffix(p, ".tmp"):
			if st, err := os.Stat(p); err == nil && time.Since(st.ModTime()) > 10*time.Minute {
				os.Remove(p)
			}
		}
	}
}
