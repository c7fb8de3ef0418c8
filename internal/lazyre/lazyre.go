// Package lazyre holds regular expressions that are compiled on first use
// rather than when a process starts: a package-level regexp.MustCompile
// runs in every process, `dossier help` included, whether or not the
// package's code is ever called (see the README's "Start-up and size").
// A Regexp is a sync.OnceValue, safe for concurrent use, with the methods
// of *regexp.Regexp that dossier calls.
package lazyre

import (
	"regexp"
	"sync"
)

// Regexp is a regular expression compiled the first time it is used.
type Regexp func() *regexp.Regexp

// New returns expr as a Regexp. Like regexp.MustCompile it panics on a bad
// expression, at first use: each one is exercised by its package's tests.
func New(expr string) Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}

// MatchString is (*regexp.Regexp).MatchString.
func (r Regexp) MatchString(s string) bool { return r().MatchString(s) }

// FindString is (*regexp.Regexp).FindString.
func (r Regexp) FindString(s string) string { return r().FindString(s) }

// FindStringIndex is (*regexp.Regexp).FindStringIndex.
func (r Regexp) FindStringIndex(s string) []int { return r().FindStringIndex(s) }

// FindStringSubmatch is (*regexp.Regexp).FindStringSubmatch.
func (r Regexp) FindStringSubmatch(s string) []string { return r().FindStringSubmatch(s) }

// FindStringSubmatchIndex is (*regexp.Regexp).FindStringSubmatchIndex.
func (r Regexp) FindStringSubmatchIndex(s string) []int { return r().FindStringSubmatchIndex(s) }

// FindAllString is (*regexp.Regexp).FindAllString.
func (r Regexp) FindAllString(s string, n int) []string { return r().FindAllString(s, n) }

// FindAllStringIndex is (*regexp.Regexp).FindAllStringIndex.
func (r Regexp) FindAllStringIndex(s string, n int) [][]int { return r().FindAllStringIndex(s, n) }

// FindAllStringSubmatch is (*regexp.Regexp).FindAllStringSubmatch.
func (r Regexp) FindAllStringSubmatch(s string, n int) [][]string {
	return r().FindAllStringSubmatch(s, n)
}

// FindAllStringSubmatchIndex is (*regexp.Regexp).FindAllStringSubmatchIndex.
func (r Regexp) FindAllStringSubmatchIndex(s string, n int) [][]int {
	return r().FindAllStringSubmatchIndex(s, n)
}

// ReplaceAllString is (*regexp.Regexp).ReplaceAllString.
func (r Regexp) ReplaceAllString(src, repl string) string { return r().ReplaceAllString(src, repl) }

// ReplaceAllStringFunc is (*regexp.Regexp).ReplaceAllStringFunc.
func (r Regexp) ReplaceAllStringFunc(src string, repl func(string) string) string {
	return r().ReplaceAllStringFunc(src, repl)
}

// Split is (*regexp.Regexp).Split.
func (r Regexp) Split(s string, n int) []string { return r().Split(s, n) }

// String is the source text of the expression.
func (r Regexp) String() string { return r().String() }
