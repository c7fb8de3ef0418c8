package cluster

import (
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"slices"
)

// The stored form of a prepared dictionary (DictCache): a header, the
// English stems the entries point to, then the words and the stems maps,
// each as its number of entries and of values, then each entry's key and
// its values as indices into the stems. Numbers are uvarints; keys sorted.
const preparedMagic = "dossier prepared dictionary 1\n"

var errPrepared = errors.New("cluster: prepared dictionary: malformed")

// encodePrepared writes the words and stems maps of a prepared language.
func encodePrepared(words, stems map[string][]string) []byte {
	ms := []map[string][]string{words, stems}
	keys := [][]string{slices.Sorted(maps.Keys(words)), slices.Sorted(maps.Keys(stems))}
	index := map[string]int{}
	var table []string
	for j, m := range ms {
		for _, k := range keys[j] {
			for _, e := range m[k] {
				if _, ok := index[e]; !ok {
					index[e] = len(table)
					table = append(table, e)
				}
			}
		}
	}
	b := []byte(preparedMagic)
	b = binary.AppendUvarint(b, uint64(len(table)))
	for _, e := range table {
		b = binary.AppendUvarint(b, uint64(len(e)))
		b = append(b, e...)
	}
	for j, m := range ms {
		vals := 0
		for _, v := range m {
			vals += len(v)
		}
		b = binary.AppendUvarint(b, uint64(len(m)))
		b = binary.AppendUvarint(b, uint64(vals))
		for _, k := range keys[j] {
			b = binary.AppendUvarint(b, uint64(len(k)))
			b = append(b, k...)
			b = binary.AppendUvarint(b, uint64(len(m[k])))
			for _, e := range m[k] {
				b = binary.AppendUvarint(b, uint64(index[e]))
			}
		}
	}
	return b
}

// decodePrepared reads what encodePrepared wrote, refusing anything else.
// Keys and stems are substrings of one copy of b.
func decodePrepared(b []byte) (words, stems map[string][]string, err error) {
	s := string(b)
	if len(s) < len(preparedMagic) || s[:len(preparedMagic)] != preparedMagic {
		return nil, nil, fmt.Errorf("%w: not a prepared dictionary", errPrepared)
	}
	pos := len(preparedMagic)
	num := func(limit int) (int, error) {
		v, n := binary.Uvarint(b[pos:])
		if n <= 0 || v > uint64(limit) {
			return 0, fmt.Errorf("%w at byte %d", errPrepared, pos)
		}
		pos += n
		return int(v), nil
	}
	str := func() (string, error) {
		n, err := num(len(b) - pos)
		if err != nil {
			return "", err
		}
		if pos+n > len(b) {
			return "", fmt.Errorf("%w at byte %d", errPrepared, pos)
		}
		pos += n
		return s[pos-n : pos], nil
	}
	// Every string and index takes at least a byte: counts beyond the
	// bytes left are refused before anything is allocated for them.
	nt, err := num(len(b) - pos)
	if err != nil {
		return nil, nil, err
	}
	table := make([]string, nt)
	for i := range table {
		if table[i], err = str(); err != nil {
			return nil, nil, err
		}
	}
	var out [2]map[string][]string
	for j := range out {
		n, err := num(len(b) - pos)
		if err != nil {
			return nil, nil, err
		}
		nv, err := num(len(b) - pos)
		if err != nil {
			return nil, nil, err
		}
		m := make(map[string][]string, n)
		vals := make([]string, 0, nv)
		for range n {
			k, err := str()
			if err != nil {
				return nil, nil, err
			}
			c, err := num(nv - len(vals))
			if err != nil {
				return nil, nil, err
			}
			start := len(vals)
			for range c {
				i, err := num(len(table) - 1)
				if err != nil || len(table) == 0 {
					return nil, nil, fmt.Errorf("%w at byte %d", errPrepared, pos)
				}
				vals = append(vals, table[i])
			}
			m[k] = vals[start:len(vals):len(vals)]
		}
		out[j] = m
	}
	if pos != len(b) {
		return nil, nil, fmt.Errorf("%w: %d bytes left over", errPrepared, len(b)-pos)
	}
	return out[0], out[1], nil
}
