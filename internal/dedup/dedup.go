// Package dedup fingerprints article text so that exact and near-duplicate
// copies (syndicated wire copy, the same article fetched twice) can be found
// and folded. Exact copies share a hash of their normalised words. Near
// copies are found with MinHash locality-sensitive hashing over word
// 5-shingles (20 bands of 5 rows: a pair at Jaccard 0.7 becomes a candidate
// with probability 0.97, a pair at 0.3 with 0.05) and confirmed by the exact
// Jaccard similarity of their shingle sets.
package dedup

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"unicode"

	"dossier/internal/arabic"
)

const (
	shingleWords = 5
	bands        = 20
	rows         = 5
	// Threshold is the Jaccard similarity of shingle sets at or above which
	// two articles are the same article.
	Threshold = 0.7
)

// Print is an article's fingerprint.
type Print struct {
	// Hash is the SHA-256 of the normalised words: equal for exact copies.
	Hash string
	// Bands are the LSH band keys: near copies share at least one.
	Bands []int64
	// Shingles is the sorted set of hashed word 5-shingles.
	Shingles []uint64
}

// Fingerprint computes the print of an article's text.
func Fingerprint(text string) Print {
	ws := Words(text)
	sum := sha256.Sum256([]byte(strings.Join(ws, " ")))
	sh := shingles(ws)
	return Print{Hash: hex.EncodeToString(sum[:16]), Bands: bandKeys(sh), Shingles: sh}
}

// Words splits text into normalised words: lower case, Arabic letter forms
// and diacritics folded, digits in ASCII.
func Words(text string) []string {
	var ws []string
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			ws = append(ws, b.String())
			b.Reset()
		}
	}
	for _, r := range text {
		r, keep := arabic.FoldRune(r)
		switch {
		case !keep:
			continue
		case r >= 0x0660 && r <= 0x0669:
			b.WriteRune('0' + r - 0x0660)
		case r >= 0x06F0 && r <= 0x06F9:
			b.WriteRune('0' + r - 0x06F0)
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		default:
			flush()
		}
	}
	flush()
	return ws
}

func shingles(ws []string) []uint64 {
	if len(ws) == 0 {
		return nil
	}
	n := shingleWords
	if len(ws) < n {
		n = len(ws)
	}
	set := make([]uint64, 0, len(ws)-n+1)
	for i := 0; i+n <= len(ws); i++ {
		h := uint64(14695981039346656037)
		for _, w := range ws[i : i+n] {
			for j := 0; j < len(w); j++ {
				h ^= uint64(w[j])
				h *= 1099511628211
			}
			h ^= ' '
			h *= 1099511628211
		}
		set = append(set, h)
	}
	slices.Sort(set)
	return slices.Compact(set)
}

func mix(x uint64) uint64 { // splitmix64 finaliser
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

func bandKeys(sh []uint64) []int64 {
	if len(sh) == 0 {
		return nil
	}
	var sig [bands * rows]uint64
	for i := range sig {
		sig[i] = ^uint64(0)
	}
	for _, s := range sh {
		for i := range sig {
			if v := mix(s ^ (uint64(i+1) * 0x9e3779b97f4a7c15)); v < sig[i] {
				sig[i] = v
			}
		}
	}
	keys := make([]int64, bands)
	for b := 0; b < bands; b++ {
		h := uint64(b + 1)
		for r := 0; r < rows; r++ {
			h = mix(h ^ sig[b*rows+r])
		}
		keys[b] = int64(h)
	}
	return keys
}

// Jaccard returns the Jaccard similarity of two sorted sets.
func Jaccard(a, b []uint64) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 1
	}
	i, j, common := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			common++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return float64(common) / float64(len(a)+len(b)-common)
}

// Same reports whether two texts are the same article.
func Same(a, b Print) bool {
	return a.Hash == b.Hash || Jaccard(a.Shingles, b.Shingles) >= Threshold
}
