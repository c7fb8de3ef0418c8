package extract

import (
	"strings"
	"testing"
)

// TestClockTimes builds the pages whose paragraphs open with a clock time:
// a diary, a schedule and a live blog are content; a ticker of timed
// headlines, latest first, is chrome.
func TestClockTimes(t *testing.T) {
	diary := []string{
		"5:55am Race home to get ready for the long day ahead, said one of the drivers who had waited for hours at the barrier.",
		"6:00 a.m. – Morning crews arrive at the northern end of the road and begin to clear the fallen trees that block both lanes.",
		"7.30 Breakfast with the volunteers, who have been sorting donations in the school hall since the flood began on Sunday.",
		"12:15 p.m. – The mayor visits the shelter and promises that the road will reopen before the end of the week.",
	}
	schedule := []string{
		"09:00 Registration and coffee in the main hall",
		"09:30 Opening keynote by the conference chair",
		"11:00 Panel on flood defences in coastal towns",
	}
	blog := []string{
		"16:42 The river has now fallen below the level of the barrier, the environment agency says in its latest update.",
		"16:10 Police have closed the bridge to all traffic while engineers inspect the damage to its eastern pier.",
		"15:55 More than 300 homes are without power in the valley, according to the electricity network operator.",
	}
	ticker := []string{
		"- 14:05Over 11,000 residents urge council to rebuild the sea wall",
		"- 13:34Chip makers get new aid to weather tariff risks",
		"- 12:50Heavy rain brings relief to the drought-hit region",
		"- 12:20Luxury brands face a challenge from cheaper rivals",
	}
	intro := "The storm that swept the coast this week left roads closed and thousands of homes without power, and the clean-up will take weeks."
	para := func(ls []string) string {
		var b strings.Builder
		for _, l := range ls {
			b.WriteString("<p>" + l + "</p>\n")
		}
		return b.String()
	}
	htmlPage := func(body string) []byte {
		return []byte(`<html><head><title>A day on the coast road</title></head><body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>A day on the coast road</h1><p>` + intro + `</p>` + body + `</article><footer>© 2025 Gazette</footer></body></html>`)
	}
	for _, tt := range []struct {
		name  string
		page  []byte
		keep  []string
		drop  []string
		input Input
	}{
		{"html diary", htmlPage(para(diary)), diary, nil, Input{Format: "html"}},
		{"html schedule", htmlPage(para(schedule)), schedule, nil, Input{Format: "html"}},
		{"html live blog", htmlPage(para(blog)), blog, nil, Input{Format: "html"}},
		{"text diary under a ticker", []byte(strings.Join(ticker, "\n") + "\n\nA day on the coast road\n\n" + intro + "\n\n" + strings.Join(diary, "\n\n") + "\n"),
			diary, ticker, Input{Format: "text"}},
		{"text live blog", []byte("A day on the coast road\n\n" + intro + "\n\n" + strings.Join(blog, "\n\n") + "\n"), blog, nil, Input{Format: "text"}},
	} {
		tt.input.Name = tt.name
		arts, err := Page(tt.page, tt.input)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		text := arts[0].Text
		for _, k := range tt.keep {
			if !strings.Contains(text, strings.TrimPrefix(k, "- ")) {
				t.Errorf("%s: dropped %q:\n%s", tt.name, k, text)
			}
		}
		for _, d := range tt.drop {
			if strings.Contains(text, d[len("- 14:05"):]) {
				t.Errorf("%s: kept ticker item %q:\n%s", tt.name, d, text)
			}
		}
	}
}
