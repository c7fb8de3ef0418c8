package web

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"dossier/internal/news"
	"dossier/internal/story"
)

var dataN = regexp.MustCompile(`data-n="(\d+)"`)

func sumN(svg string) int {
	n := 0
	for _, m := range dataN.FindAllStringSubmatch(svg, -1) {
		v, _ := strconv.Atoi(m[1])
		n += v
	}
	return n
}

func days(n, step int) []story.Count {
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	var out []story.Count
	for i := 0; i < n; i++ {
		out = append(out, story.Count{Key: start.AddDate(0, 0, i*step).Format("2006-01-02"), N: 1 + i%3})
	}
	return out
}

// The charts must stay readable with 3 points and with 3,000: every
// article or report is counted, the number of shapes is bounded.
func TestSparkline(t *testing.T) {
	for _, tt := range []struct {
		days, step int
		sz         sparkSize
		maxBars    int
	}{
		{3, 1, sparkSmall, 3},
		{3, 200, sparkSmall, 3},
		{3000, 1, sparkSmall, sparkSmall.MaxBins},
		{3000, 1, sparkLarge, sparkLarge.MaxBins},
		{1, 1, sparkSmall, 1},
	} {
		d := days(tt.days, tt.step)
		want := 0
		for _, c := range d {
			want += c.N
		}
		svg := string(sparkline(d, tt.sz))
		bars := strings.Count(svg, `<rect class="bar"`)
		if bars == 0 || bars > tt.maxBars {
			t.Errorf("%d days every %d: %d bars, want 1..%d", tt.days, tt.step, bars, tt.maxBars)
		}
		if got := sumN(svg); got != want {
			t.Errorf("%d days: bars count %d articles, want %d", tt.days, got, want)
		}
		if !strings.Contains(svg, `role="img"`) || !strings.Contains(svg, "aria-label=") {
			t.Errorf("sparkline has no accessible name")
		}
	}
	if sparkline(nil, sparkSmall) != "" {
		t.Error("a story with no dated articles gets a sparkline")
	}
}

func ledgerLineOf(n int) story.Line {
	l := story.Line{Topic: "deployed: soldiers", Kind: "deployed", Subject: "soldiers", Disagree: true, Changed: true}
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	sources := []string{"South Korea", "Ukraine", "", "the Pentagon", "KCNA", "Reuters", "NIS", "BBC", "Kyiv Independent", "الاستخبارات"}
	for i := 0; i < n; i++ {
		v := float64(10000 + 1000*(i%6))
		l.Reports = append(l.Reports, story.Reported{FigureRef: story.FigureRef{Article: int64(i + 1)},
			Figure: news.Figure{Value: v, Kind: "deployed", Qualifier: "about", AttributedTo: sources[i%len(sources)]},
			When:   start.Add(time.Duration(i) * 6 * time.Hour)})
	}
	return l
}

func TestLedgerChart(t *testing.T) {
	for _, n := range []int{1, 3, 300, 3000} {
		svg := string(ledgerChart(ledgerLineOf(n), map[int64]story.ArticleRef{}))
		marks := strings.Count(svg, `class="mark`)
		if n <= denseLedger {
			if marks != n {
				t.Errorf("%d reports: %d marks, want one per report", n, marks)
			}
			if n > 1 && !strings.Contains(svg, `class="mark change"`) {
				t.Errorf("%d reports: changes not marked", n)
			}
		} else {
			if marks != 0 {
				t.Errorf("%d reports: %d single marks, want bins", n, marks)
			}
			if got := sumN(svg); got != n {
				t.Errorf("%d reports: bins count %d", n, got)
			}
			if shapes := strings.Count(svg, "<circle class=\"agg\""); shapes > 80*(len(palette)+1) {
				t.Errorf("%d reports: %d shapes", n, shapes)
			}
		}
		if len(svg) > 200_000 {
			t.Errorf("%d reports: %d bytes of SVG", n, len(svg))
		}
		if n > 1 && !strings.Contains(svg, "disagree-band") {
			t.Errorf("%d reports: disagreement not marked", n)
		}
		if n >= 10 && !strings.Contains(svg, "more sources") {
			t.Errorf("%d reports from 10 sources: legend does not fold the rest", n)
		}
	}
	// Values spanning orders of magnitude use a log scale: the small value
	// is not flattened onto the axis.
	l := ledgerLineOf(2)
	l.Reports[0].Value = 3
	l.Reports[1].Value = 30000
	if svg := string(ledgerChart(l, nil)); !strings.Contains(svg, ">10<") || !strings.Contains(svg, ">100,000<") {
		t.Errorf("log scale ticks missing:\n%s", svg)
	}
}

func TestTimelineAxis(t *testing.T) {
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, n := range []int{3, 100, 3000} {
		var es []story.Entry
		for i := 0; i < n; i++ {
			a := start.AddDate(0, 0, i%700)
			b := a
			if i%4 == 0 {
				b = a.AddDate(0, 1, -1) // a month
			}
			es = append(es, story.Entry{Earliest: a, Latest: b, Text: fmt.Sprint(i)})
		}
		svg := string(timelineAxis(es))
		if n <= denseTimeline {
			if got := strings.Count(svg, `class="entry"`); got != n {
				t.Errorf("%d entries: %d drawn", n, got)
			}
		} else if got := sumN(svg); got != n || strings.Count(svg, "<rect") > 100 {
			t.Errorf("%d entries: bins count %d in %d bars", n, got, strings.Count(svg, "<rect"))
		}
	}
	if timelineAxis([]story.Entry{{Text: "undated"}}) != "" {
		t.Error("undated entries drawn")
	}
}

func TestTimeFormats(t *testing.T) {
	d := func(s string) time.Time { t, _ := time.Parse("2006-01-02", s); return t }
	for _, tt := range []struct {
		a, b time.Time
		want string
	}{
		{d("2025-01-14"), d("2025-01-14"), "14 Jan 2025"},
		{d("2025-01-01"), d("2025-01-31"), "Jan 2025"},
		{d("2024-01-01"), d("2024-12-31"), "2024"},
		{d("2025-01-10"), d("2025-01-20"), "10 Jan 2025 – 20 Jan 2025"},
		{time.Time{}, time.Time{}, "undated"},
	} {
		if got := fmtSpan(tt.a, tt.b); got != tt.want {
			t.Errorf("fmtSpan(%v, %v) = %q, want %q", tt.a, tt.b, got, tt.want)
		}
	}
	for v, want := range map[float64]string{0: "0", 12000: "12,000", 1234567: "1,234,567", 2.5: "2.5", -300: "−300"} {
		if got := fmtNum(v); got != want {
			t.Errorf("fmtNum(%v) = %q, want %q", v, got, want)
		}
	}
}

func TestTimeTicks(t *testing.T) {
	d := func(s string) time.Time { t, _ := time.Parse("2006-01-02", s); return t }
	for _, tt := range []struct {
		a, b time.Time
		want string
	}{
		{d("2022-01-01"), d("2025-11-12"), "2022 2023 2024 2025"},
		{d("2025-01-14"), d("2025-11-12"), "Apr 2025 Jul 2025 Oct 2025"},
		{d("2025-01-14"), d("2025-01-17"), "14 Jan 15 Jan 16 Jan 17 Jan"},
		{d("2000-03-01"), d("2030-01-01"), "2005 2010 2015 2020 2025 2030"},
	} {
		var got []string
		for _, tk := range timeTicks(tt.a, tt.b, 6) {
			got = append(got, tk.label)
		}
		if strings.Join(got, " ") != tt.want {
			t.Errorf("timeTicks(%s, %s) = %q, want %q", isoDate(tt.a), isoDate(tt.b), strings.Join(got, " "), tt.want)
		}
	}
}
