package watch

import (
	"bufio"
	"bytes"
	"strings"
)

// robots is the part of a robots.txt that applies to dossier: the rules
// of the group naming its agent, else of the group for "*".
type robots struct {
	rules []rule
}

type rule struct {
	allow bool
	path  string
}

// maxRobots is the most of a robots.txt read (RFC 9309 asks for at least
// 500 KiB).
const maxRobots = 512 << 10

// parseRobots reads a robots.txt for the agent (lower case, e.g. "dossier").
func parseRobots(body []byte, agent string) *robots {
	if len(body) > maxRobots {
		body = body[:maxRobots]
	}
	type group struct {
		agents []string
		rules  []rule
	}
	var groups []*group
	var cur *group
	lastWasAgent := false
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(make([]byte, 0, 4096), maxRobots)
	for sc.Scan() {
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		k, v = strings.ToLower(strings.TrimSpace(k)), strings.TrimSpace(v)
		switch k {
		case "user-agent":
			if !lastWasAgent || cur == nil {
				cur = &group{}
				groups = append(groups, cur)
			}
			cur.agents = append(cur.agents, strings.ToLower(v))
			lastWasAgent = true
		case "allow", "disallow":
			lastWasAgent = false
			if cur == nil {
				continue
			}
			if v == "" {
				continue // "Disallow:" with no path allows everything
			}
			cur.rules = append(cur.rules, rule{allow: k == "allow", path: v})
		default:
			lastWasAgent = false
		}
	}
	var star, own []rule
	var haveOwn bool
	for _, g := range groups {
		for _, a := range g.agents {
			switch {
			case a == "*":
				star = append(star, g.rules...)
			case a != "" && strings.HasPrefix(agent, a):
				own = append(own, g.rules...)
				haveOwn = true
			}
		}
	}
	if haveOwn {
		return &robots{rules: own}
	}
	return &robots{rules: star}
}

// allowed reports whether path (with its query) may be fetched: the
// longest matching rule wins, allow over disallow on a tie (RFC 9309).
func (r *robots) allowed(path string) bool {
	if r == nil || path == "/robots.txt" {
		return true
	}
	best, allow := -1, true
	for _, ru := range r.rules {
		if n := match(ru.path, path); n >= 0 && (n > best || (n == best && ru.allow)) {
			best, allow = n, ru.allow
		}
	}
	return allow
}

// match returns the length of pattern when it matches the start of path
// ("*" any run of characters, a final "$" the end), or -1.
func match(pattern, path string) int {
	anchored := strings.HasSuffix(pattern, "$")
	p := strings.TrimSuffix(pattern, "$")
	parts := strings.Split(p, "*")
	pos := 0
	for i, part := range parts {
		if i == 0 {
			if !strings.HasPrefix(path, part) {
				return -1
			}
			pos = len(part)
			continue
		}
		if i == len(parts)-1 && anchored {
			if !strings.HasSuffix(path[pos:], part) {
				return -1
			}
			pos = len(path)
			continue
		}
		k := strings.Index(path[pos:], part)
		if k < 0 {
			return -1
		}
		pos += k + len(part)
	}
	if anchored && pos != len(path) {
		return -1
	}
	return len(pattern)
}
