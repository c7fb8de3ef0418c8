package lang

//go:generate go run ./genmodel -o model.bin

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"unicode"
	"unicode/utf8"
)

// The n-gram model, written by genmodel from lingua-go's models (Apache
// License 2.0): for every unigram, bigram and trigram of letters, the
// languages that have it and the logarithm of its probability in each
// (a trigram's given its first two letters, a bigram's given its first).
//
// Format, gzip-compressed: ModelMagic; the number of languages and each
// one's code (uvarint length and bytes); the number of n-grams; then for
// each n-gram in sorted order: the length of the prefix it shares with the
// one before (uvarint), the rest (uvarint length and bytes), the number of
// languages that have it (uvarint), and for each a language index and a
// quantised logarithm (two bytes, see Quantise).
//
//go:embed model.bin
var modelData []byte

// ModelMagic opens the model file; the version changes with the format.
const ModelMagic = "dossier-lang-1\n"

// Quantise stores a natural logarithm of a probability in a byte, in steps
// of 1/8 down to -31.875: 1 is the most likely, 255 the least.
func Quantise(logp float64) byte {
	q := math.Round(-logp * 8)
	return byte(min(max(q, 1), 255))
}

// logp is the logarithm a quantised value stands for.
func logp(q byte) float64 { return -float64(q) / 8 }

// model is the loaded n-gram model: an open-addressing hash table from an
// n-gram's letters, packed into a key (see key), to its postings.
type model struct {
	codes  []string
	script []script // each language's main script
	keys   []uint64 // 0: empty slot
	vals   []uint32 // start in posts << 8 | count
	posts  []uint16 // language << 8 | quantised logarithm
	mask   uint64
}

// key packs up to three letters into one number: each fits in 21 bits and
// none is 0, so unigrams, bigrams and trigrams never collide.
func key(rs ...rune) uint64 {
	var k uint64
	for _, r := range rs {
		k = k<<21 | uint64(r)
	}
	return k
}

func hash(k uint64) uint64 {
	k ^= k >> 33
	k *= 0xff51afd7ed558ccd
	k ^= k >> 33
	return k
}

// lookup returns the postings of the n-gram with key k.
func (m *model) lookup(k uint64) []uint16 {
	for i := hash(k) & m.mask; ; i = (i + 1) & m.mask {
		switch m.keys[i] {
		case k:
			v := m.vals[i]
			return m.posts[v>>8 : v>>8+v&0xff]
		case 0:
			return nil
		}
	}
}

var errModel = errors.New("lang: corrupt model")

// loadModel reads the model format described above.
func loadModel(data []byte) (*model, error) {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("lang: model: %w", err)
	}
	b, err := io.ReadAll(io.LimitReader(zr, 64<<20))
	if err != nil {
		return nil, fmt.Errorf("lang: model: %w", err)
	}
	if !bytes.HasPrefix(b, []byte(ModelMagic)) {
		return nil, errModel
	}
	b = b[len(ModelMagic):]
	bad := false
	uvarint := func() uint64 {
		v, n := binary.Uvarint(b)
		if n <= 0 {
			bad, b = true, nil
			return 0
		}
		b = b[n:]
		return v
	}
	bytesN := func(n uint64) []byte {
		if n > uint64(len(b)) {
			bad, b = true, nil
			return nil
		}
		out := b[:n]
		b = b[n:]
		return out
	}
	nl := uvarint()
	if bad || nl == 0 || nl > 255 {
		return nil, errModel
	}
	m := &model{}
	for range nl {
		m.codes = append(m.codes, string(bytesN(uvarint())))
	}
	n := uvarint()
	// Each n-gram takes at least five bytes (shared length, rest length,
	// one letter, count, one posting): a count the rest cannot hold is
	// damage, refused before anything is allocated for it.
	if bad || n > 1<<24 || n > uint64(len(b))/5 {
		return nil, errModel
	}
	size := uint64(1)
	for size < 2*n {
		size <<= 1
	}
	m.keys, m.vals, m.mask = make([]uint64, size), make([]uint32, size), size-1
	m.posts = make([]uint16, 0, 2*n)
	// Each language's unigram mass per script, for its main script.
	mass := make([][numScripts]float64, nl)
	prev := make([]byte, 0, 12) // three letters of up to four bytes
	rs := make([]rune, 0, 3)
	for range n {
		shared := uvarint()
		rest := bytesN(uvarint())
		if bad || shared > uint64(len(prev)) || int(shared)+len(rest) > cap(prev) {
			return nil, errModel
		}
		prev = append(prev[:shared], rest...)
		rs = rs[:0]
		for _, c := range string(prev) {
			rs = append(rs, c)
		}
		cnt := uvarint()
		ps := bytesN(2 * cnt)
		if bad || cnt == 0 || cnt > nl || len(rs) == 0 || len(rs) > 3 {
			return nil, errModel
		}
		start := len(m.posts)
		if start+int(cnt) >= 1<<24 { // a posting's start is packed into 24 bits
			return nil, errModel
		}
		for i := 0; i < len(ps); i += 2 {
			l, q := ps[i], ps[i+1]
			if uint64(l) >= nl {
				return nil, errModel
			}
			m.posts = append(m.posts, uint16(l)<<8|uint16(q))
			if len(rs) == 1 {
				mass[l][scriptOf(rs[0])] += math.Exp(logp(q))
			}
		}
		k := key(rs...)
		i := hash(k) & m.mask
		for m.keys[i] != 0 {
			if m.keys[i] == k {
				return nil, errModel
			}
			i = (i + 1) & m.mask
		}
		m.keys[i], m.vals[i] = k, uint32(start)<<8|uint32(cnt)
	}
	if len(b) != 0 {
		return nil, errModel
	}
	for l := range mass {
		best := script(0)
		for s := range mass[l] {
			if mass[l][s] > mass[l][best] {
				best = script(s)
			}
		}
		m.script = append(m.script, best)
	}
	return m, nil
}

// script is a writing system, as far as telling languages apart needs:
// Chinese characters and the Japanese kana are one, since Japanese writes
// with both.
type script uint8

const (
	scriptOther script = iota
	scriptLatin
	scriptCyrillic
	scriptArabic
	scriptGreek
	scriptHebrew
	scriptCJ
	scriptHangul
	scriptThai
	scriptBengali
	scriptDevanagari
	numScripts
)

var scriptTables = []struct {
	s script
	t *unicode.RangeTable
}{
	{scriptLatin, unicode.Latin}, {scriptCyrillic, unicode.Cyrillic}, {scriptArabic, unicode.Arabic},
	{scriptGreek, unicode.Greek}, {scriptHebrew, unicode.Hebrew}, {scriptCJ, unicode.Han},
	{scriptCJ, unicode.Hiragana}, {scriptCJ, unicode.Katakana}, {scriptHangul, unicode.Hangul},
	{scriptThai, unicode.Thai}, {scriptBengali, unicode.Bengali}, {scriptDevanagari, unicode.Devanagari},
}

func scriptOf(r rune) script {
	if r < utf8.RuneSelf {
		if 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' {
			return scriptLatin
		}
		return scriptOther
	}
	for _, st := range scriptTables {
		if unicode.Is(st.t, r) {
			return st.s
		}
	}
	return scriptOther
}

func isKana(r rune) bool {
	return unicode.In(r, unicode.Hiragana, unicode.Katakana)
}
