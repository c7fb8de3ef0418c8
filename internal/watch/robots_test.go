package watch

import "testing"

func TestRobots(t *testing.T) {
	body := []byte(`# comment
User-agent: otherbot
Disallow: /

User-agent: *
Disallow: /private
Allow: /private/open
Disallow: /*.pdf$
Disallow:

User-agent: dossier
User-agent: another
Disallow: /drafts/
`)
	r := parseRobots(body, "dossier")
	for path, want := range map[string]bool{
		"/":              true,
		"/private/x":     true, // the dossier group applies, not "*"
		"/drafts/a":      false,
		"/drafts":        true,
		"/robots.txt":    true,
		"/news/item?x=1": true,
	} {
		if got := r.allowed(path); got != want {
			t.Errorf("dossier: allowed(%q) = %v, want %v", path, got, want)
		}
	}
	s := parseRobots(body, "somebot")
	for path, want := range map[string]bool{
		"/private/x":      false,
		"/private/open/a": true,
		"/file.pdf":       false,
		"/file.pdf?x":     true,
		"/a":              true,
	} {
		if got := s.allowed(path); got != want {
			t.Errorf("*: allowed(%q) = %v, want %v", path, got, want)
		}
	}
	if !parseRobots(nil, "dossier").allowed("/x") {
		t.Error("an empty robots.txt disallows")
	}
}

// FuzzRobots reads arbitrary bytes as a robots.txt: no panic, and
// /robots.txt itself is always allowed.
func FuzzRobots(f *testing.F) {
	f.Add([]byte("User-agent: *\nDisallow: /a*b$\nAllow: /a\n"), "/a/xb")
	f.Fuzz(func(t *testing.T, body []byte, path string) {
		r := parseRobots(body, "dossier")
		r.allowed(path)
		if !r.allowed("/robots.txt") {
			t.Error("/robots.txt disallowed")
		}
	})
}
