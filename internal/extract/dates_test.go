package extract

import "testing"

func TestLineKinds(t *testing.T) {
	for _, tc := range []struct {
		line    string
		date    bool
		urlOnly bool
	}{
		{"May 03, 2013", true, false},
		{"March 4, 2019 10:42 AM EST", true, false},
		{"Monday, 7 July 2025 21:04", true, false},
		{"2013-05-03 10:21 +02:00", true, false},
		{"7 يوليو 2025", true, false},
		{"May 03, 2013: the day the bridge fell", false, false},
		{"February 30, 2013", false, false},
		{"http: / / articles. example. com / 2013 / may / 03 / local / bridge - reopens", false, true},
		{"https://www.example.com/2013/05/03/bridge-reopens.html", false, true},
		{"http://example.com/x is where the report was first posted.", false, false},
	} {
		if got := dateOnly(tc.line); got != tc.date {
			t.Errorf("dateOnly(%q) = %v, want %v", tc.line, got, tc.date)
		}
		if got := urlOnly(tc.line); got != tc.urlOnly {
			t.Errorf("urlOnly(%q) = %v, want %v", tc.line, got, tc.urlOnly)
		}
	}
}
