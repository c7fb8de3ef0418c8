package cluster

import (
	"reflect"
	"testing"
)

func TestAgglomerate(t *testing.T) {
	// Items 0-1-2 are a chain of close pairs; 3 stands apart.
	sims := map[[2]int]float64{{0, 1}: 0.9, {1, 2}: 0.8, {0, 2}: 0.7, {2, 3}: 0.1}
	day := func(d int) Span { return Span{d, d} }
	for _, tc := range []struct {
		name      string
		threshold float64
		spans     []Span
		limit     Limit
		want      []int
	}{
		{"undated", 0.5, nil, Limit{}, []int{0, 0, 0, 1}},
		{"high cut", 0.85, nil, Limit{}, []int{0, 0, 1, 2}},
		{"within span", 0.5, []Span{day(100), day(110), day(150), day(400)}, Limit{MaxSpan: 60}, []int{0, 0, 0, 1}},
		// 2 lies 50 days after 0: the group {0,1} can take it only if the
		// whole event covers no more than 40 days.
		{"span too long", 0.5, []Span{day(100), day(110), day(150), day(400)}, Limit{MaxSpan: 40}, []int{0, 0, 1, 2}},
		// By gap, 2 is 40 days from 1: it chains on.
		{"gap chains", 0.5, []Span{day(100), day(110), day(150), day(400)}, Limit{MaxGap: 40}, []int{0, 0, 0, 1}},
		{"gap too wide", 0.5, []Span{day(100), day(110), day(150), day(400)}, Limit{MaxGap: 30}, []int{0, 0, 1, 2}},
		// An undated item joins any group.
		{"undated joins", 0.5, []Span{day(100), {}, day(150), day(400)}, Limit{MaxSpan: 40}, []int{0, 0, 1, 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Agglomerate(4, sims, tc.threshold, tc.spans, tc.limit); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}
