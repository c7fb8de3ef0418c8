// Package dateparser is dossier's stand-in for github.com/markusmobius/go-dateparser,
// put in its place by a replace directive in dossier's go.mod. It is
// written for dossier, not copied: it has only the names go-htmldate's code
// refers to, and a small parser behind them.
//
// Why: go-trafilatura imports go-htmldate, which imports go-dateparser,
// whose package initialisers build the data of 200+ locales in every
// process (about 95 MB allocated and 0.3-1 s before main runs), although
// dossier runs go-htmldate in its fast mode, which never calls the parser
// (only the extensive search does). dossier reads dates in other languages
// itself (internal/timex with tokenize.Month).
//
// What the parser reads, should a caller run go-htmldate's extensive
// search: ISO 8601 dates and timestamps, RFC 1123 and RFC 850 timestamps,
// "2 January 2006", "January 2, 2006" and their three-letter abbreviations,
// and numeric dates with a four-digit year (2006/01/02, 02.01.2006). Other
// text is an error, never a guess.
package dateparser

import (
	"errors"
	"strings"
	"time"
)

// ParserType names one of go-dateparser's parsers; the stand-in has one.
type ParserType uint8

// The parser types go-htmldate asks for.
const (
	CustomFormat ParserType = iota
	AbsoluteTime
)

// PreferredDateSource says which date to take when one is incomplete; the
// stand-in reads complete dates only.
type PreferredDateSource uint8

// The preferences go-htmldate sets.
const (
	CurrentPeriod PreferredDateSource = iota
	Past
	Future
)

// Configuration holds the settings go-htmldate passes. StrictParsing is
// always in effect: a date needs a day, a month and a year.
type Configuration struct {
	PreferredDateSource PreferredDateSource
	StrictParsing       bool
}

// Parser reads dates.
type Parser struct {
	ParserTypes []ParserType
}

// Date is a date that was read.
type Date struct {
	Time time.Time
}

// IsZero says whether no date was read.
func (d Date) IsZero() bool { return d.Time.IsZero() }

// ErrNoDate is returned for text the stand-in cannot read as a date.
var ErrNoDate = errors.New("dateparser: no date")

// layouts are the forms Parse reads, tried in order.
var layouts = []string{
	time.RFC3339Nano, time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02T15:04", "2006-01-02",
	time.RFC1123Z, time.RFC1123, time.RFC850, time.ANSIC,
	"2 January 2006", "January 2, 2006", "January 2 2006", "2 Jan 2006", "Jan 2, 2006", "Jan 2 2006",
	"Monday, 2 January 2006", "Monday, January 2, 2006",
	"2006/01/02", "2006/1/2", "02.01.2006", "2.1.2006",
}

// Parse reads s as one of the layouts above.
func (p *Parser) Parse(cfg *Configuration, s string) (Date, error) {
	s = strings.Join(strings.Fields(s), " ")
	for _, l := range layouts {
		if t, err := time.Parse(l, s); err == nil {
			return Date{Time: t}, nil
		}
	}
	return Date{}, ErrNoDate
}
