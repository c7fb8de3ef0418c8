package store

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// ListKinds are the facet kinds a story list shows (entity facets only
// filter).
var ListKinds = map[string]bool{"lang": true, "outlet": true, "day": true}

// Coverage is how a store keeps a story's list facets in its view's row,
// so that a list reads one row per story, not one per day and outlet: "c",
// then for each facet its kind, value and count separated by US (0x1f) and
// ended by RS (0x1e). Stores write it in SQL too (migrations); "" means
// not kept, and a reader falls back to the facets table.
const (
	coverageMark = "c"
	unitSep      = "\x1f"
	recordSep    = "\x1e"
)

// EncodeCoverage returns the coverage of facets, equal facets merged, or
// "" when a value holds a separator (the facets table then serves).
func EncodeCoverage(facets []Facet) string {
	type key struct{ kind, value string }
	n := map[key]int{}
	var order []key
	for _, f := range facets {
		if !ListKinds[f.Kind] {
			continue
		}
		if strings.ContainsAny(f.Kind+f.Value, unitSep+recordSep) {
			return ""
		}
		k := key{f.Kind, f.Value}
		if _, ok := n[k]; !ok {
			order = append(order, k)
		}
		n[k] += f.N
	}
	var b strings.Builder
	b.WriteString(coverageMark)
	for _, k := range order {
		b.WriteString(k.kind)
		b.WriteString(unitSep)
		b.WriteString(k.value)
		b.WriteString(unitSep)
		b.WriteString(strconv.Itoa(n[k]))
		b.WriteString(recordSep)
	}
	return b.String()
}

// DecodeCoverage reads what EncodeCoverage (or a migration) wrote, ordered
// as stores list facets: by kind, then most articles first, then value.
// ok is false for "" (not kept).
func DecodeCoverage(s string) (facets []Facet, ok bool, err error) {
	if s == "" {
		return nil, false, nil
	}
	rest, found := strings.CutPrefix(s, coverageMark)
	if !found {
		return nil, false, fmt.Errorf("coverage: no mark in %.20q", s)
	}
	facets = make([]Facet, 0, strings.Count(rest, recordSep))
	for rest != "" {
		rec, after, found := strings.Cut(rest, recordSep)
		if !found {
			return nil, false, fmt.Errorf("coverage: unterminated record %.40q", rec)
		}
		rest = after
		kind, tail, ok1 := strings.Cut(rec, unitSep)
		value, num, ok2 := strings.Cut(tail, unitSep)
		n, err := strconv.Atoi(num)
		if !ok1 || !ok2 || err != nil {
			return nil, false, fmt.Errorf("coverage: bad record %.40q", rec)
		}
		facets = append(facets, Facet{Kind: kind, Value: value, N: n})
	}
	SortFacets(facets)
	return facets, true, nil
}

// SortFacets orders facets by kind, then most articles first, then value.
func SortFacets(fs []Facet) {
	sort.Slice(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		if a.N != b.N {
			return a.N > b.N
		}
		return a.Value < b.Value
	})
}
