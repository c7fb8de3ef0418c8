package api

import (
	"net/http"
	"strconv"
	"time"
)

// query reads a request's query parameters, collecting the first error.
type query struct {
	r   *http.Request
	err error
}

func newQuery(r *http.Request) *query { return &query{r: r} }

func (q *query) str(name string) string { return q.r.URL.Query().Get(name) }

// limit reads a page size: empty is the service's default.
func (q *query) limit() int {
	s := q.str("limit")
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		q.fail(badRequest("limit must be a positive integer, not %q", s))
		return 0
	}
	return n
}

// date reads a date, YYYY-MM-DD or RFC 3339. A day given as an upper
// bound (end) means the end of that day.
func (q *query) date(name string, end bool) time.Time {
	s := q.str(name)
	if s == "" {
		return time.Time{}
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		if end {
			return t.Add(24*time.Hour - time.Nanosecond)
		}
		return t
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		q.fail(badRequest("%s must be a date (YYYY-MM-DD or RFC 3339), not %q", name, s))
	}
	return t
}

// id reads a prefixed id ("s12" or "12").
func (q *query) id(name, prefix string) int64 {
	s := q.str(name)
	if s == "" {
		return 0
	}
	n, ok := parseID(s, prefix)
	if !ok {
		q.fail(badRequest("%s must be an id like %s12, not %q", name, prefix, s))
	}
	return n
}

func (q *query) fail(err error) {
	if q.err == nil {
		q.err = err
	}
}
