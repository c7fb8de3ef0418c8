package dict

import (
	"bytes"
	"compress/gzip"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// b64enc encodes n as dictd does.
func b64enc(n int) string {
	const digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	if n == 0 {
		return "A"
	}
	var out []byte
	for n > 0 {
		out = append([]byte{digits[n%64]}, out...)
		n /= 64
	}
	return string(out)
}

// writeDict writes a dictionary in the dictd format from entries written
// for this test (headword, then the entry's text).
func writeDict(t *testing.T, dir, name string, entries [][2]string) {
	t.Helper()
	var data bytes.Buffer
	var index strings.Builder
	for _, e := range append([][2]string{{"00-database-info", "00-database-info\nmade for a test\n"}}, entries...) {
		off := data.Len()
		data.WriteString(e[1])
		index.WriteString(e[0] + "\t" + b64enc(off) + "\t" + b64enc(len(e[1])) + "\n")
	}
	var z bytes.Buffer
	w := gzip.NewWriter(&z)
	w.Write(data.Bytes())
	w.Close()
	if err := os.WriteFile(filepath.Join(dir, name+".dict.dz"), z.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".index"), []byte(index.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	writeDict(t, dir, "freedict-deu-eng", [][2]string{
		{"Regierung", "Regierung /reˈɡiːrʊŋ/ <f>\n government; administration\n   Synonyms: {Verwaltung}\n"},
		{"Krieg", "Krieg <m>\n1. war\n2. [fig.] conflict, warfare, battle, fight\n"},
		{"Auf Wiedersehen", "Auf Wiedersehen\ngoodbye\n"},
		{"Durchblaserohr", "Durchblaserohr <n>\n [techn.] blow-off pipe <n>\n         Note: metallurgy\n see: {Abblaserohr}\n"},
		{"erklären", "erklären\nto explain something to somebody in great detail\nto declare\n"},
	})
	writeDict(t, dir, "freedict-eng-spa", [][2]string{
		{"government", "government /ˈɡʌvənmənt/\ngobierno, administración pública\n"},
		{"war", "war\n1. guerra\n"},
		{"ice cream", "ice cream\nhelado\n"},
	})
	writeDict(t, dir, "freedict-spa-eng", [][2]string{
		{"guerra", "guerra /ɡˈera/\nwar, warfare\n"},
	})
	writeDict(t, dir, "freedict-deu-fra", [][2]string{{"Krieg", "Krieg\nguerre\n"}}) // not to English: ignored
	os.WriteFile(filepath.Join(dir, "README"), []byte("not a dictionary"), 0o644)

	d, err := loadAll(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := slices.Sorted(maps.Keys(d)), []string{"de", "es"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("languages %v, want %v", got, want)
	}
	for _, c := range []struct {
		lang, word string
		want       []string
	}{
		{"de", "regierung", []string{"government", "administration"}},
		{"de", "krieg", []string{"war", "conflict", "warfare", "battle"}}, // MaxSenses
		{"de", "durchblaserohr", []string{"blow", "pipe"}},
		{"de", "erklären", []string{"declare"}}, // an explanation is no translation
		{"de", "auf wiedersehen", nil},          // several words never meet one token
		{"es", "guerra", []string{"war", "warfare"}},
		{"es", "gobierno", []string{"government"}}, // inverted eng-spa
		{"es", "helado", nil},                      // from an English phrase
	} {
		if got := d[c.lang][c.word]; !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s %q: %v, want %v", c.lang, c.word, got, c.want)
		}
	}
}

func TestLoadMissingDir(t *testing.T) {
	d, err := loadAll(filepath.Join(t.TempDir(), "none"))
	if err != nil || len(d) != 0 {
		t.Fatalf("missing dir: %v, %v; want nothing and no error", d, err)
	}
}

func TestLoadBadIndex(t *testing.T) {
	dir := t.TempDir()
	writeDict(t, dir, "freedict-deu-eng", [][2]string{{"Krieg", "Krieg\nwar\n"}})
	os.WriteFile(filepath.Join(dir, "freedict-deu-eng.index"), []byte("Krieg\tZZZZ\tB\n"), 0o644)
	if _, err := loadAll(dir); err == nil || !strings.Contains(err.Error(), "freedict-deu-eng") {
		t.Fatalf("bad index: %v, want an error naming the dictionary", err)
	}
}

// TestInstalled reads the FreeDict packages .ci/run installs from the
// path the README documents; it fails, never skips, without them
// (apt-get install dict-freedict-deu-eng ...).
func TestInstalled(t *testing.T) {
	files, err := Find(DefaultDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range []string{"de", "es", "fr", "it", "pl"} {
		if len(files[l]) == 0 {
			t.Errorf("%s: no dictionary in %s", l, DefaultDir)
		}
	}
	w, err := files.Words("es")
	if err != nil {
		t.Fatal(err)
	}
	if got := w["guerra"]; len(got) == 0 || got[0] != "war" {
		t.Errorf("es guerra: %v, want war first", got)
	}
}

// loadAll reads every dictionary in dir, by language.
func loadAll(dir string) (map[string]map[string][]string, error) {
	files, err := Find(dir)
	if err != nil {
		return nil, err
	}
	out := map[string]map[string][]string{}
	for _, l := range files.Languages() {
		w, err := files.Words(l)
		if err != nil {
			return nil, err
		}
		out[l] = w
	}
	return out, nil
}
