package pipeline

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"dossier/internal/dict"
	"dossier/internal/news"
)

// The prepared dictionary is kept in the cache directory and read from
// there while the dictionary's files are unchanged; a changed file is
// read again and replaces the kept one. Uses Debian's Spanish FreeDict
// dictionary (installed by .ci/run), copied so that the test can change it.
func TestDictionaryCache(t *testing.T) {
	src := filepath.Join(dict.DefaultDir, "freedict-spa-eng")
	dictDir, cacheDir := t.TempDir(), t.TempDir()
	base := filepath.Join(dictDir, "freedict-spa-eng")
	for _, ext := range []string{".index", ".dict.dz"} {
		b, err := os.ReadFile(src + ext)
		if err != nil {
			t.Fatalf("%v (install dict-freedict-spa-eng)", err)
		}
		if err := os.WriteFile(base+ext, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	article := news.Article{Language: "es", Text: "La guerra y el gobierno: las elecciones después de la inundación."}
	terms := func() map[string]float32 {
		t.Helper()
		cfg := Config{DictDir: dictDir, CacheDir: cacheDir}
		if err := useDictionaries(&cfg); err != nil {
			t.Fatal(err)
		}
		return cfg.Ingest.Cluster.NewDoc(1, article, 0).Raw
	}
	cached := func() []string {
		t.Helper()
		m, _ := filepath.Glob(filepath.Join(cacheDir, "dict-es-*"))
		return m
	}
	first := terms()
	if first["T:war"] == 0 {
		t.Fatalf("no translation of guerra among %v", first)
	}
	files := cached()
	if len(files) != 1 {
		t.Fatalf("cache holds %v, want one file for es", files)
	}

	// The dictionary's data replaced by bytes of the same size and time:
	// only the cache can give the same document now.
	st, err := os.Stat(base + ".dict.dz")
	if err != nil {
		t.Fatal(err)
	}
	real, _ := os.ReadFile(base + ".dict.dz")
	if err := os.WriteFile(base+".dict.dz", make([]byte, st.Size()), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Chtimes(base+".dict.dz", st.ModTime(), st.ModTime())
	if got := terms(); !reflect.DeepEqual(got, first) {
		t.Errorf("from the cache: %v, want %v", got, first)
	}

	// A newer file is read again: here it is broken, so no translation.
	later := st.ModTime().Add(time.Hour)
	os.Chtimes(base+".dict.dz", later, later)
	if got := terms(); got["T:war"] != 0 {
		t.Errorf("a changed dictionary was not read again: %v", got)
	}
	// Mended, it is prepared and kept again; the entry of the old files
	// stays until no process has read it for a month.
	if err := os.WriteFile(base+".dict.dz", real, 0o644); err != nil {
		t.Fatal(err)
	}
	later = later.Add(time.Hour)
	os.Chtimes(base+".dict.dz", later, later)
	if got := terms(); !reflect.DeepEqual(got, first) {
		t.Errorf("after mending: %v, want %v", got, first)
	}
	if now := cached(); len(now) != 2 {
		t.Errorf("cache holds %v after the change, want the old entry and a new one", now)
	}
	month := time.Now().Add(-dictCacheUnused - time.Hour)
	os.Chtimes(files[0], month, month)
	later = later.Add(time.Hour)
	os.Chtimes(base+".dict.dz", later, later)
	terms()
	if now := cached(); len(now) != 2 || slices.Contains(now, files[0]) {
		t.Errorf("cache holds %v, want the entry unread for a month (%s) gone", now, files[0])
	}

	// A dictionary that changes while it is read is not kept under the
	// new files' key.
	c := newDictCache(cacheDir, dictFiles(t, dictDir)).(*dictCache)
	later = later.Add(time.Hour)
	os.Chtimes(base+".dict.dz", later, later)
	if _, ok := c.Get("es"); ok {
		t.Fatal("a key never stored was found")
	}
	before := cached()
	later = later.Add(time.Hour)
	os.Chtimes(base+".dict.dz", later, later)
	c.Put("es", []byte("prepared from the files before the change"))
	if now := cached(); !reflect.DeepEqual(now, before) {
		t.Errorf("a dictionary changed while read was kept: %v, was %v", now, before)
	}

	// No cache directory: nothing kept, the same document.
	cfg := Config{DictDir: dictDir}
	if err := useDictionaries(&cfg); err != nil {
		t.Fatal(err)
	}
	if got := cfg.Ingest.Cluster.NewDoc(1, article, 0).Raw; !reflect.DeepEqual(got, first) {
		t.Errorf("without a cache: %v, want %v", got, first)
	}
}

func dictFiles(t *testing.T, dir string) dict.Files {
	t.Helper()
	f, err := dict.Find(dir)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// The executable's identity is its contents: the same for two reads.
func TestExecutableSum(t *testing.T) {
	a, b := executableSum(), executableSum()
	if a == "" || a != b {
		t.Errorf("executableSum: %q then %q", a, b)
	}
}
