// Package dict reads bilingual dictionaries in the dictd format that
// Debian's FreeDict packages install (dict-freedict-deu-eng and the like,
// under /usr/share/dictd): a .index of "headword TAB offset TAB length"
// with base64 numbers, and a .dict.dz, gzip with random access, holding
// the entries. The dictionaries are GPL data: dossier reads them from the
// user's disk at run time and never ships them.
//
// Load returns, for each language with a dictionary to or from English,
// the English words each of its words translates to, as written in the
// dictionary (the clusterer normalises them).
package dict

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// DefaultDir is where Debian's dictd packages put their dictionaries.
const DefaultDir = "/usr/share/dictd"

// MaxSenses bounds the English words kept per headword: the first listed,
// the commonest senses.
const MaxSenses = 4

// codes maps FreeDict's ISO 639-3 codes to the two-letter codes articles
// carry.
var codes = map[string]string{
	"afr": "af", "ara": "ar", "ces": "cs", "dan": "da", "deu": "de", "ell": "el", "fin": "fi", "fra": "fr",
	"hun": "hu", "ita": "it", "jpn": "ja", "nld": "nl", "nor": "no", "pol": "pl", "por": "pt", "ron": "ro",
	"rus": "ru", "slk": "sk", "slv": "sl", "spa": "es", "swe": "sv", "swh": "sw", "tur": "tr", "ukr": "uk",
	"zho": "zh", "cmn": "zh", "kor": "ko", "ind": "id", "msa": "ms", "hin": "hi", "heb": "he", "fas": "fa",
}

// Files lists, for each language with a dictionary to or from English in
// dir, the dictionaries to read (base paths without extension; the
// inverted ones marked). A missing dir is no error: it yields nothing.
type Files map[string][]File

// File is one dictionary of a language.
type File struct {
	Base string
	// Inverse marks a dictionary from English (freedict-eng-XXX), read
	// backwards: each word of XXX translates to the English headwords it
	// renders.
	Inverse bool
}

// Find lists the dictionaries in dir.
func Find(dir string) (Files, error) {
	ents, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return Files{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("dict: %w", err)
	}
	out := Files{}
	// Forward dictionaries first: their order of senses is the better one.
	for _, inverse := range []bool{false, true} {
		for _, e := range ents {
			name, ok := strings.CutSuffix(e.Name(), ".index")
			if !ok || !strings.HasPrefix(name, "freedict-") {
				continue
			}
			parts := strings.Split(strings.TrimPrefix(name, "freedict-"), "-")
			if len(parts) != 2 {
				continue
			}
			from, to := parts[0], parts[1]
			if inverse {
				from, to = to, from
			}
			lang, ok := codes[from]
			if to != "eng" || !ok {
				continue
			}
			if _, err := os.Stat(filepath.Join(dir, name+".dict.dz")); err != nil {
				continue
			}
			out[lang] = append(out[lang], File{Base: filepath.Join(dir, name), Inverse: inverse})
		}
	}
	return out, nil
}

// Languages returns the languages covered, sorted.
func (f Files) Languages() []string { return slices.Sorted(maps.Keys(f)) }

// Words reads the dictionaries of lang: its words (lower case) and the
// English words each translates to, commonest sense first.
func (f Files) Words(lang string) (map[string][]string, error) {
	words := map[string][]string{}
	for _, file := range f[lang] {
		if err := read(file.Base, file.Inverse, words); err != nil {
			return nil, err
		}
	}
	return words, nil
}

// read adds the entries of one dictionary (base path without extension)
// to words.
func read(base string, inverse bool, words map[string][]string) error {
	data, err := readDict(base + ".dict.dz")
	if err != nil {
		return err
	}
	f, err := os.Open(base + ".index")
	if err != nil {
		return fmt.Errorf("dict: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		fields := strings.Split(sc.Text(), "\t")
		if len(fields) < 3 || strings.HasPrefix(fields[0], "00") {
			continue
		}
		off, ok1 := b64(fields[1])
		n, ok2 := b64(fields[2])
		if !ok1 || !ok2 || off+n > len(data) || off < 0 {
			return fmt.Errorf("dict: %s.index: bad entry %q", base, fields[0])
		}
		head := fields[0]
		w := strings.ToLower(head)
		if !inverse && !single(w) {
			continue
		}
		senses := senses(string(data[off:off+n]), inverse)
		if inverse {
			// The headword is English; each single-word rendering in the
			// other language translates to it.
			en := englishWords(head)
			if len(en) != 1 {
				continue
			}
			for _, w := range senses {
				w = strings.ToLower(w)
				if !single(w) {
					continue
				}
				words[w] = addSense(words[w], en[0])
			}
			continue
		}
		for _, s := range senses {
			for _, e := range englishWords(s) {
				words[w] = addSense(words[w], e)
			}
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("dict: %s.index: %w", base, err)
	}
	return nil
}

func addSense(have []string, w string) []string {
	if len(have) >= MaxSenses {
		return have
	}
	for _, h := range have {
		if h == w {
			return have
		}
	}
	return append(have, w)
}

// single reports whether w is one word of letters (a headword of several
// words never meets a single token of text).
func single(w string) bool {
	if w == "" || utf8.RuneCountInString(w) > 48 {
		return false
	}
	for _, r := range w {
		if !unicode.IsLetter(r) && !unicode.IsMark(r) {
			return false
		}
	}
	return true
}

func readDict(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("dict: %w", err)
	}
	defer f.Close()
	// gzip's trailer holds the length of the data (modulo 2³²): read it
	// to allocate once.
	size := 0
	if st, err := f.Stat(); err == nil && st.Size() > 4 {
		var tail [4]byte
		if _, err := f.ReadAt(tail[:], st.Size()-4); err == nil {
			size = int(binary.LittleEndian.Uint32(tail[:]))
		}
	}
	z, err := gzip.NewReader(bufio.NewReaderSize(f, 1<<16))
	if err != nil {
		return nil, fmt.Errorf("dict: %s: %w", path, err)
	}
	var buf bytes.Buffer
	buf.Grow(size + 1)
	if _, err := buf.ReadFrom(z); err != nil {
		return nil, fmt.Errorf("dict: %s: %w", path, err)
	}
	return buf.Bytes(), nil
}

// b64 decodes dictd's base64 numbers (most significant digit first).
func b64(s string) (int, bool) {
	const digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	n := 0
	if s == "" || len(s) > 8 {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		d := strings.IndexByte(digits, s[i])
		if d < 0 {
			return 0, false
		}
		n = n*64 + d
	}
	return n, true
}

// senses returns the renderings of an entry, in order: the lines after
// the headword line, without notes, cross-references, definitions,
// numbering, labels and parenthesised glosses, split at commas.
func senses(entry string, inverse bool) []string {
	lines := strings.Split(entry, "\n")
	var out []string
	for _, l := range lines[1:] {
		l = strings.TrimSpace(l)
		switch {
		case l == "", strings.HasSuffix(l, ";"), strings.HasPrefix(l, "("), strings.HasPrefix(l, "\""),
			strings.Contains(l, ":"): // Note:, Synonyms:, see:, usage patterns
			continue
		}
		l = strings.TrimLeft(l, "0123456789. -")
		if len(l) > 1 && l[1] == '.' && l[0] >= 'a' && l[0] <= 'z' {
			l = strings.TrimSpace(l[2:]) // "a. ..."
		}
		l = strip(l)
		for _, p := range strings.FieldsFunc(l, func(r rune) bool { return r == ',' || r == ';' }) {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// strip removes bracketed parts: [labels], <grammar>, (glosses), {links},
// /pronunciations/.
func strip(s string) string {
	var b strings.Builder
	depth := 0
	slash := false
	for _, r := range s {
		switch r {
		case '[', '<', '(', '{':
			depth++
			continue
		case ']', '>', ')', '}':
			if depth > 0 {
				depth--
			}
			continue
		case '/':
			slash = !slash
			continue
		}
		if depth == 0 && !slash {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// enStop are English words no translation rests on.
var enStop = map[string]bool{
	"a": true, "an": true, "the": true, "to": true, "of": true, "be": true, "sth": true, "sb": true, "something": true,
	"somebody": true, "someone": true, "one's": true, "oneself": true, "in": true, "on": true, "at": true, "for": true,
	"with": true, "by": true, "from": true, "up": true, "out": true, "off": true, "and": true, "or": true, "as": true,
	"into": true, "is": true, "get": true, "make": true, "do": true, "have": true, "not": true, "it": true,
}

// englishWords returns the content words of an English rendering of at
// most two content words ("give rise to" → give, rise); longer phrases
// are explanations, not translations.
func englishWords(s string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && r != '\''
	}) {
		if !enStop[w] && len(w) >= 2 {
			out = append(out, w)
		}
	}
	if len(out) > 2 {
		return nil
	}
	return out
}
