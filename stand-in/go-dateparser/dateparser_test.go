package dateparser

import (
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	p := &Parser{ParserTypes: []ParserType{CustomFormat, AbsoluteTime}}
	cfg := &Configuration{PreferredDateSource: Past, StrictParsing: true}
	tests := []struct {
		in   string
		want string // "" for an error
	}{
		{"2025-03-14", "2025-03-14"},
		{"2025-03-14T09:30:00+01:00", "2025-03-14"},
		{"Fri, 14 Mar 2025 09:30:00 GMT", "2025-03-14"},
		{"14 March 2025", "2025-03-14"},
		{"March  14, 2025", "2025-03-14"},
		{"Mar 14, 2025", "2025-03-14"},
		{"14.03.2025", "2025-03-14"},
		{"2025/3/14", "2025-03-14"},
		{"March 2025", ""},
		{"yesterday", ""},
		{"2025-02-30", ""},
	}
	for _, tt := range tests {
		d, err := p.Parse(cfg, tt.in)
		got := ""
		if err == nil {
			got = d.Time.Format(time.DateOnly)
		}
		if got != tt.want {
			t.Errorf("Parse(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}
