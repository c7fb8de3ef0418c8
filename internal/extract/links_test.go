package extract

import (
	"strings"
	"testing"
)

// TestLinkLists builds article pages that carry lists of links inside the
// article's container (related stories, a menu with section labels) and
// lists that are content (steps, items without links, a paragraph full of
// inline links). The link lists go, with the label above them; the content
// stays.
func TestLinkLists(t *testing.T) {
	p := func(s string) string { return "<p>" + s + "</p>\n" }
	body := p("The city council voted on Tuesday to rebuild the sea wall along the northern beach, after two winters of storms left the promenade in ruins and several houses flooded.") +
		p(`The plan, which <a href="/a">the mayor</a> first proposed in <a href="/b">a speech last spring</a>, will cost about 40 million euros and take three years to complete.`) +
		"<h3>What happens next</h3>\n" +
		"<ul><li>Engineers survey the beach in January.</li><li>Residents can comment on the design until March.</li><li>Work starts in the summer, when the tides are lowest.</li></ul>\n" +
		p("Opponents say the money would be better spent on moving the houses most at risk further inland, and have promised to challenge the decision in court.") +
		"<h4>More news</h4>\n" +
		`<ul><li><a href="/1">Harbour reopens after dredging</a></li><li><a href="/2">New ferry timetable for the islands</a></li>` +
		`<li><a href="/3">Fishing quotas cut again</a></li><li><a href="/4">School roof repaired before winter</a></li></ul>` + "\n" +
		`<div><b>SECTIONS</b></div><div><a href="/n">News</a></div><div><a href="/s">Sport</a></div><div><a href="/c">Culture</a></div><div><b>SERVICES</b></div><div><a href="/w">Weather</a></div>`
	page := `<html><head><title>Council votes to rebuild sea wall</title></head><body><article>
<p>https://www.example.com/news/2025/council-votes-to-rebuild-sea-wall</p><h1>Council votes to rebuild sea wall</h1>` + body + `</article></body></html>`
	arts, err := Page([]byte(page), Input{Name: "links", Format: "html"})
	if err != nil {
		t.Fatal(err)
	}
	text := arts[0].Text
	for _, want := range []string{
		"The city council voted on Tuesday",
		"The plan, which the mayor first proposed in a speech last spring, will cost",
		"What happens next",
		"Engineers survey the beach in January.",
		"Work starts in the summer",
		"Opponents say the money",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("lost %q:\n%s", want, text)
		}
	}
	for _, bad := range []string{"Harbour reopens", "Fishing quotas", "School roof", "More news", "Sport", "Weather", "https://", "Council votes to rebuild"} {
		if strings.Contains(text, bad) {
			t.Errorf("kept %q:\n%s", bad, text)
		}
	}
}
