package cluster

import (
	"errors"
	"reflect"
	"sync"
	"testing"

	"dossier/internal/news"
)

// memCache is a DictCache in memory for the tests.
type memCache struct {
	mu        sync.Mutex
	data      map[string][]byte
	gets, put int
}

func (c *memCache) Get(lang string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gets++
	b, ok := c.data[lang]
	return b, ok
}

func (c *memCache) Put(lang string, b []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.put++
	c.data[lang] = b
}

// testWords are raw dictionaries written for the tests: inflected German
// headwords (stems kept), phrases, stop words, an Arabic word to fold.
var testWords = map[string]map[string][]string{
	"de": {
		"Regierung": {"government", "administration"}, "regieren": {"rule", "govern"},
		"Regierungsbildung": {"formation of a government"}, "Wahl": {"election", "choice"},
		"Wahlen": {"elections"}, "Flut": {"flood", "high tide"}, "und": {"and"},
	},
	"ar": {"الانتخابات": {"elections"}, "حكومة": {"government", "cabinet"}},
}

// A language read from the cache is the language prepared from its
// dictionary: the same lookups for every word, and no load.
func TestDictCacheSameLookups(t *testing.T) {
	cache := &memCache{data: map[string][]byte{}}
	loads := 0
	load := func(l string) (map[string][]string, error) {
		loads++
		if w, ok := testWords[l]; ok {
			return w, nil
		}
		return nil, errors.New("no dictionary")
	}
	first := NewCachedDict([]string{"de", "ar", "fr"}, load, cache)
	plain := NewDict([]string{"de", "ar", "fr"}, func(l string) (map[string][]string, error) { return testWords[l], nil })
	probe := []string{"regierung", "regierungen", "wahl", "wahlen", "flut", "und", "haus", "الانتخابات", "انتخابات", "حكومة"}
	for _, l := range []string{"de", "ar", "fr"} {
		for _, w := range probe {
			first.lookup(l, w)
		}
	}
	if cache.put != 2 {
		t.Fatalf("%d languages cached, want de and ar (fr has no dictionary)", cache.put)
	}
	loads = 0
	second := NewCachedDict([]string{"de", "ar", "fr"}, load, cache)
	for _, l := range []string{"de", "ar"} {
		for _, w := range probe {
			if got, want := second.lookup(l, w), plain.lookup(l, w); !reflect.DeepEqual(got, want) {
				t.Errorf("%s %q from the cache: %v, want %v", l, w, got, want)
			}
		}
		if !reflect.DeepEqual(second.langs[l].words, plain.langs[l].words) || !reflect.DeepEqual(second.langs[l].stems, plain.langs[l].stems) {
			t.Errorf("%s: cached maps differ from the prepared ones", l)
		}
	}
	if loads != 0 {
		t.Errorf("%d dictionaries loaded with every language cached, want 0", loads)
	}
	// Documents are the same.
	a := news.Article{Language: "de", Text: "Die Regierungen und die Wahlen nach der Flut"}
	if x, y := NewDocDict(1, a, 0, second), NewDocDict(1, a, 0, plain); !reflect.DeepEqual(x.Raw, y.Raw) {
		t.Errorf("document with the cached dictionary %v, want %v", x.Raw, y.Raw)
	}
}

// A damaged cache entry is not used: the dictionary is loaded again.
func TestDictCacheDamaged(t *testing.T) {
	cache := &memCache{data: map[string][]byte{}}
	loads := 0
	load := func(l string) (map[string][]string, error) { loads++; return testWords[l], nil }
	want := NewCachedDict([]string{"de"}, load, cache).lookup("de", "wahl")
	good := cache.data["de"]
	for _, bad := range [][]byte{nil, []byte("not a dictionary"), good[:len(good)/2], append(append([]byte{}, good...), 0)} {
		cache.data["de"] = bad
		loads = 0
		if got := NewCachedDict([]string{"de"}, load, cache).lookup("de", "wahl"); len(want) == 0 || !reflect.DeepEqual(got, want) {
			t.Errorf("damaged cache (%d bytes): lookup %v", len(bad), got)
		}
		if loads != 1 {
			t.Errorf("damaged cache (%d bytes): %d loads, want 1", len(bad), loads)
		}
	}
}

func TestPreparedRoundTrip(t *testing.T) {
	l := &dictLang{}
	l.normalise("de", testWords["de"])
	w, s, err := decodePrepared(encodePrepared(l.words, l.stems))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(w, l.words) || !reflect.DeepEqual(s, l.stems) {
		t.Errorf("round trip: %v %v, want %v %v", w, s, l.words, l.stems)
	}
	// Values are capped slices: appending to one leaves the next alone.
	for k, v := range w {
		_ = append(v, "x")
		if !reflect.DeepEqual(w[k], l.words[k]) {
			t.Fatalf("%s changed", k)
		}
	}
	if _, _, err := decodePrepared(encodePrepared(map[string][]string{}, map[string][]string{})); err != nil {
		t.Errorf("empty: %v", err)
	}
}

func FuzzDecodePrepared(f *testing.F) {
	l := &dictLang{}
	l.normalise("de", testWords["de"])
	f.Add(encodePrepared(l.words, l.stems))
	f.Add([]byte(preparedMagic + "\x01\x00\x01\x01\x00\x01\x00"))
	f.Add([]byte(preparedMagic + "\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01"))
	f.Fuzz(func(t *testing.T, b []byte) {
		w, s, err := decodePrepared(b)
		if err != nil {
			return
		}
		// What decodes encodes to the same maps again.
		w2, s2, err := decodePrepared(encodePrepared(w, s))
		if err != nil || !reflect.DeepEqual(w, w2) || !reflect.DeepEqual(s, s2) {
			t.Fatalf("re-encoded: %v", err)
		}
	})
}
