package lazyre

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
)

// TestSameAsRegexp checks each method against *regexp.Regexp.
func TestSameAsRegexp(t *testing.T) {
	const expr = `(\d+)-(\d+)`
	const s = "a 1-2 b 30-40 c"
	l, r := New(expr), regexp.MustCompile(expr)
	check := func(name string, got, want any) {
		t.Helper()
		if g, w := strings.TrimSpace(sprint(got)), strings.TrimSpace(sprint(want)); g != w {
			t.Errorf("%s = %s, want %s", name, g, w)
		}
	}
	check("MatchString", l.MatchString(s), r.MatchString(s))
	check("FindString", l.FindString(s), r.FindString(s))
	check("FindStringIndex", l.FindStringIndex(s), r.FindStringIndex(s))
	check("FindStringSubmatch", l.FindStringSubmatch(s), r.FindStringSubmatch(s))
	check("FindStringSubmatchIndex", l.FindStringSubmatchIndex(s), r.FindStringSubmatchIndex(s))
	check("FindAllString", l.FindAllString(s, -1), r.FindAllString(s, -1))
	check("FindAllStringIndex", l.FindAllStringIndex(s, -1), r.FindAllStringIndex(s, -1))
	check("FindAllStringSubmatch", l.FindAllStringSubmatch(s, -1), r.FindAllStringSubmatch(s, -1))
	check("FindAllStringSubmatchIndex", l.FindAllStringSubmatchIndex(s, -1), r.FindAllStringSubmatchIndex(s, -1))
	check("ReplaceAllString", l.ReplaceAllString(s, "$2-$1"), r.ReplaceAllString(s, "$2-$1"))
	check("ReplaceAllStringFunc", l.ReplaceAllStringFunc(s, strings.ToUpper), r.ReplaceAllStringFunc(s, strings.ToUpper))
	check("Split", l.Split(s, -1), r.Split(s, -1))
	check("String", l.String(), r.String())
}

// TestOnce checks that concurrent first uses compile the expression once.
func TestOnce(t *testing.T) {
	l := New(`x+`)
	var wg sync.WaitGroup
	ps := make([]*regexp.Regexp, 8)
	for i := range ps {
		wg.Add(1)
		go func() { defer wg.Done(); ps[i] = l() }()
	}
	wg.Wait()
	for _, p := range ps[1:] {
		if p != ps[0] {
			t.Fatal("compiled more than once")
		}
	}
}

// TestPanicsAtFirstUse checks that a bad expression fails when used, as
// regexp.MustCompile fails when called.
func TestPanicsAtFirstUse(t *testing.T) {
	l := New(`(`)
	defer func() {
		if recover() == nil {
			t.Error("no panic for a bad expression")
		}
	}()
	l.MatchString("x")
}

func sprint(v any) string { return fmt.Sprint(v) }
