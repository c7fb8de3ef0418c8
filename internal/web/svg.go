package web

import (
	"fmt"
	"html/template"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"dossier/internal/story"
)

// The charts are SVG drawn here, on the server. Colours are presentation
// attributes (fill="…"), which the CSP allows; nothing uses style="…".
// Each chart stays readable from 3 points to thousands: past a density
// threshold, points are aggregated into bins.

const day = 24 * time.Hour

// palette is colour-blind safe (Okabe–Ito) and dark enough on white.
var palette = []string{"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#8F6A00", "#3B82A0", "#5B3FA0"}

const otherColour = "#6B6B6B"

func esc(s string) string { return template.HTMLEscapeString(s) }

func f1(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

type sparkSize struct {
	W, H int
	// Axis adds labels: the first and last day and the peak.
	Axis bool
	// MaxBins bounds the bars drawn; days are summed into bins past it.
	MaxBins int
	// MinDays is the shortest span drawn.
	MinDays int
}

var (
	sparkSmall = sparkSize{W: 120, H: 24, MaxBins: 40, MinDays: 30}
	sparkLarge = sparkSize{W: 640, H: 120, Axis: true, MaxBins: 160, MinDays: 30}
)

// sparkline draws articles per day as bars, from the first day to the
// last, gaps included.
func sparkline(days []story.Count, sz sparkSize) template.HTML {
	type pt struct {
		t time.Time
		n int
	}
	var pts []pt
	total := 0
	for _, d := range days {
		t, err := time.Parse("2006-01-02", d.Key)
		if err != nil {
			continue
		}
		pts = append(pts, pt{t, d.N})
		total += d.N
	}
	if len(pts) == 0 {
		return ""
	}
	sort.Slice(pts, func(i, j int) bool { return pts[i].t.Before(pts[j].t) })
	first, last := pts[0].t, pts[len(pts)-1].t
	if min := last.Add(-time.Duration(sz.MinDays-1) * day); first.After(min) {
		first = min // a short story keeps narrow bars, its days at the right
	}
	span := int(last.Sub(first)/day) + 1
	bins := span
	if bins > sz.MaxBins {
		bins = sz.MaxBins
	}
	per := float64(span) / float64(bins) // days per bin
	counts := make([]int, bins)
	peak, peakAt := 0, first
	for _, p := range pts {
		i := int(float64(int(p.t.Sub(first)/day)) / per)
		if i >= bins {
			i = bins - 1
		}
		counts[i] += p.n
		if p.n > peak {
			peak, peakAt = p.n, p.t
		}
	}
	maxC := 0
	for _, c := range counts {
		maxC = max(maxC, c)
	}
	left, bottom, top := 0.0, 0.0, 1.0
	if sz.Axis {
		left, bottom, top = 36, 18, 6
	}
	w, hgt := float64(sz.W)-left, float64(sz.H)-bottom-top
	bw := w / float64(bins)
	gap := 0.0
	if bw > 3 {
		gap = math.Min(1, bw/4)
	}
	label := fmt.Sprintf("Coverage: %s over %s from %s to %s; busiest day %s with %s.",
		plural(total, "article"), plural(span, "day"), fmtDate(first), fmtDate(last), fmtDate(peakAt), plural(peak, "article"))
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="spark" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-label="%s" data-days="%d" data-bins="%d">`,
		sz.W, sz.H, sz.W, sz.H, esc(label), len(pts), bins)
	fmt.Fprintf(&b, `<title>%s</title>`, esc(label))
	for i, c := range counts {
		if c == 0 {
			continue
		}
		bh := math.Max(1, hgt*float64(c)/float64(maxC))
		fmt.Fprintf(&b, `<rect class="bar" x="%s" y="%s" width="%s" height="%s" data-n="%d"></rect>`,
			f1(left+float64(i)*bw), f1(top+hgt-bh), f1(math.Max(1, bw-gap)), f1(bh), c)
	}
	if sz.Axis {
		y := f1(top + hgt)
		fmt.Fprintf(&b, `<line class="axis" x1="%s" y1="%s" x2="%d" y2="%s"></line>`, f1(left), y, sz.W, y)
		fmt.Fprintf(&b, `<text class="tick" x="%s" y="%d">%s</text>`, f1(left), sz.H-4, esc(fmtDate(first)))
		fmt.Fprintf(&b, `<text class="tick end" x="%d" y="%d">%s</text>`, sz.W, sz.H-4, esc(fmtDate(last)))
		fmt.Fprintf(&b, `<text class="tick end" x="%s" y="%s">%d</text>`, f1(left-4), f1(top+8), maxC)
		fmt.Fprintf(&b, `<text class="tick end" x="%s" y="%s">0</text>`, f1(left-4), y)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmtNum(float64(n)) + " " + word + "s"
}

// sourceKey groups reports by who said them.
func sourceKey(attr string) string {
	k := strings.ToLower(strings.TrimSpace(attr))
	if k == "" {
		return "unattributed"
	}
	return k
}

// denseLedger is the number of reports past which the ledger chart bins.
const denseLedger = 150

// ledgerChart draws one quantity of the figure ledger: each report a mark
// at its date and value, coloured by its source, reports joined in date
// order, a ring where the value changed from the report before, and a band
// over the values sources gave when they disagree. Past denseLedger
// reports, reports are binned by date and source: a bar from the lowest
// to the highest value and a mark at the middle, sized by count.
func ledgerChart(l story.Line, refs map[int64]story.ArticleRef) template.HTML {
	reps := append([]story.Reported(nil), l.Reports...)
	if len(reps) == 0 {
		return ""
	}
	sort.SliceStable(reps, func(i, j int) bool { return reps[i].When.Before(reps[j].When) })
	// Colours: the most frequent sources get the palette, the rest grey.
	freq := map[string]int{}
	names := map[string]string{}
	for _, r := range reps {
		k := sourceKey(r.AttributedTo)
		freq[k]++
		if _, ok := names[k]; !ok {
			names[k] = r.AttributedTo
			if k == "unattributed" {
				names[k] = "unattributed"
			}
		}
	}
	keys := make([]string, 0, len(freq))
	for k := range freq {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if freq[keys[i]] != freq[keys[j]] {
			return freq[keys[i]] > freq[keys[j]]
		}
		return keys[i] < keys[j]
	})
	colour := map[string]string{}
	for i, k := range keys {
		if i < len(palette) {
			colour[k] = palette[i]
		} else {
			colour[k] = otherColour
		}
	}
	const W, H, ml, mr, mt, mb = 640.0, 220.0, 64.0, 20.0, 14.0, 34.0
	t0, t1 := reps[0].When, reps[len(reps)-1].When
	if !t1.After(t0) {
		t0, t1 = t0.Add(-15*day), t1.Add(15*day)
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, r := range reps {
		lo, hi = math.Min(lo, r.Value), math.Max(hi, r.Value)
	}
	logScale := lo > 0 && hi/lo > 100
	var y func(v float64) float64
	var ticks []float64
	if logScale {
		a, b := math.Floor(math.Log10(lo)), math.Ceil(math.Log10(hi))
		if a == b {
			b++
		}
		y = func(v float64) float64 {
			return mt + (H-mt-mb)*(1-(math.Log10(math.Max(v, math.Pow(10, a)))-a)/(b-a))
		}
		for e := a; e <= b; e++ {
			ticks = append(ticks, math.Pow(10, e))
		}
	} else {
		top := niceCeil(math.Max(hi, 1) * 1.1)
		y = func(v float64) float64 { return mt + (H-mt-mb)*(1-math.Max(v, 0)/top) }
		for i := 0; i <= 4; i++ {
			ticks = append(ticks, top*float64(i)/4)
		}
	}
	x := func(t time.Time) float64 {
		return ml + (W-ml-mr)*float64(t.Sub(t0))/float64(t1.Sub(t0))
	}
	var b strings.Builder
	label := fmt.Sprintf("%s: %s reported from %s to %s, values %s to %s", l.Topic, plural(len(reps), "report"),
		fmtDate(reps[0].When), fmtDate(reps[len(reps)-1].When), fmtNum(lo), fmtNum(hi))
	if l.Disagree {
		label += "; sources disagree"
	}
	if l.Changed {
		label += "; the value changed"
	}
	fmt.Fprintf(&b, `<figure class="chart"><svg class="ledger" viewBox="0 0 %d %d" role="img" aria-label="%s" data-kind="%s" data-subject="%s" data-reports="%d">`,
		int(W), int(H), esc(label), esc(l.Kind), esc(l.Subject), len(reps))
	fmt.Fprintf(&b, `<title>%s</title>`, esc(label))
	for _, v := range ticks {
		yy := f1(y(v))
		fmt.Fprintf(&b, `<line class="grid" x1="%s" y1="%s" x2="%s" y2="%s"></line><text class="tick end" x="%s" y="%s">%s</text>`,
			f1(ml), yy, f1(W-mr), yy, f1(ml-6), f1(y(v)+4), esc(fmtNum(v)))
	}
	ticks5 := timeTicks(t0, t1, 5)
	for _, tk := range ticks5 {
		fmt.Fprintf(&b, `<text class="tick %s" x="%s" y="%s">%s</text>`, anchor(x(tk.t), ml, W-mr), f1(x(tk.t)), f1(H-10), esc(tk.label))
	}
	if l.Disagree && hi > lo {
		fmt.Fprintf(&b, `<rect class="disagree-band" x="%s" y="%s" width="%s" height="%s"><title>Sources disagree: %s to %s</title></rect>`,
			f1(ml), f1(y(hi)), f1(W-ml-mr), f1(math.Max(2, y(lo)-y(hi))), esc(fmtNum(lo)), esc(fmtNum(hi)))
	}
	if len(reps) <= denseLedger {
		var pts []string
		for _, r := range reps {
			pts = append(pts, f1(x(r.When))+","+f1(y(r.Value)))
		}
		fmt.Fprintf(&b, `<polyline class="trail" points="%s"></polyline>`, strings.Join(pts, " "))
		for i, r := range reps {
			k := sourceKey(r.AttributedTo)
			ref := refs[r.Article]
			tip := fmt.Sprintf("%s %s, %s — %s (%s%s)", fmtFigure(r.Figure), l.Kind, names[k], fmtDate(r.When), langName(ref.Language), siteSuffix(ref.Site))
			cls := "mark"
			if i > 0 && r.Value != reps[i-1].Value {
				cls += " change"
				fmt.Fprintf(&b, `<circle class="ring" cx="%s" cy="%s" r="9"></circle>`, f1(x(r.When)), f1(y(r.Value)))
			}
			fmt.Fprintf(&b, `<circle class="%s" cx="%s" cy="%s" r="5" fill="%s" data-article="%d" data-value="%s" data-source="%s" data-when="%s" data-lang="%s"><title>%s</title></circle>`,
				cls, f1(x(r.When)), f1(y(r.Value)), colour[k], r.Article, strconv.FormatFloat(r.Value, 'g', -1, 64), esc(names[k]), isoDate(r.When), esc(ref.Language), esc(tip))
		}
	} else {
		const bins = 80
		type agg struct {
			lo, hi, sum float64
			n           int
		}
		cells := map[[2]int]*agg{}
		var order [][2]int
		for _, r := range reps {
			bi := min(bins-1, int(float64(bins)*float64(r.When.Sub(t0))/float64(t1.Sub(t0))))
			si := len(palette)
			k := sourceKey(r.AttributedTo)
			for i, kk := range keys {
				if kk == k {
					si = min(i, len(palette))
					break
				}
			}
			c := cells[[2]int{bi, si}]
			if c == nil {
				c = &agg{lo: r.Value, hi: r.Value}
				cells[[2]int{bi, si}] = c
				order = append(order, [2]int{bi, si})
			}
			c.lo, c.hi, c.sum, c.n = math.Min(c.lo, r.Value), math.Max(c.hi, r.Value), c.sum+r.Value, c.n+1
		}
		for _, key := range order {
			c := cells[key]
			cx := ml + (W-ml-mr)*(float64(key[0])+0.5)/bins
			col := otherColour
			if key[1] < len(palette) {
				col = palette[key[1]]
			}
			fmt.Fprintf(&b, `<line class="range" x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s"></line>`, f1(cx), f1(y(c.hi)), f1(cx), f1(y(c.lo)), col)
			r := math.Min(7, 2+math.Log2(float64(c.n)))
			fmt.Fprintf(&b, `<circle class="agg" cx="%s" cy="%s" r="%s" fill="%s" data-n="%d"><title>%s reports, %s to %s</title></circle>`,
				f1(cx), f1(y(c.sum/float64(c.n))), f1(r), col, c.n, fmtNum(float64(c.n)), esc(fmtNum(c.lo)), esc(fmtNum(c.hi)))
		}
	}
	b.WriteString(`</svg><figcaption><ul class="legend">`)
	for i, k := range keys {
		if i == len(palette) {
			fmt.Fprintf(&b, `<li><svg width="10" height="10" aria-hidden="true"><circle cx="5" cy="5" r="5" fill="%s"></circle></svg> %s more sources</li>`,
				otherColour, esc(fmtNum(float64(len(keys)-i))))
			break
		}
		fmt.Fprintf(&b, `<li><svg width="10" height="10" aria-hidden="true"><circle cx="5" cy="5" r="5" fill="%s"></circle></svg> <bdi>%s</bdi> (%d)</li>`,
			colour[k], esc(names[k]), freq[k])
	}
	b.WriteString(`</ul></figcaption></figure>`)
	return template.HTML(b.String())
}

func siteSuffix(site string) string {
	if site == "" {
		return ""
	}
	return ", " + site
}

// niceCeil rounds v up to 1, 2, 2.5 or 5 times a power of ten.
func niceCeil(v float64) float64 {
	if v <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*p >= v {
			return m * p
		}
	}
	return 10 * p
}

type timeTick struct {
	t     time.Time
	label string
}

// timeTicks returns at most n ticks in [a, b] on calendar boundaries
// (days, weeks, months, quarters, years), labelled as finely as the step.
func timeTicks(a, b time.Time, n int) []timeTick {
	a, b = a.UTC(), b.UTC()
	steps := []struct {
		y, m, d int
		layout  string
	}{
		{0, 0, 1, "2 Jan"}, {0, 0, 7, "2 Jan"}, {0, 1, 0, "Jan 2006"}, {0, 3, 0, "Jan 2006"}, {0, 6, 0, "Jan 2006"},
		{1, 0, 0, "2006"}, {2, 0, 0, "2006"}, {5, 0, 0, "2006"}, {10, 0, 0, "2006"}, {50, 0, 0, "2006"},
	}
	for _, st := range steps {
		var t time.Time
		switch {
		case st.y > 0:
			t = time.Date(a.Year()-a.Year()%st.y, 1, 1, 0, 0, 0, 0, time.UTC)
		case st.m > 0:
			t = time.Date(a.Year(), a.Month()-time.Month((int(a.Month())-1)%st.m), 1, 0, 0, 0, 0, time.UTC)
		default:
			t = time.Date(a.Year(), a.Month(), a.Day(), 0, 0, 0, 0, time.UTC)
		}
		var out []timeTick
		for ; !t.After(b) && len(out) <= n; t = t.AddDate(st.y, st.m, st.d) {
			if !t.Before(a) {
				out = append(out, timeTick{t, t.Format(st.layout)})
			}
		}
		if len(out) <= n {
			if len(out) > 0 && st.layout == "2 Jan" && out[0].t.Year() != b.Year() {
				for i := range out {
					out[i].label = out[i].t.Format("2 Jan 2006")
				}
			}
			return out
		}
	}
	return nil
}

// denseTimeline is the number of entries past which the timeline axis
// shows how many developments fall in each stretch instead of each one.
const denseTimeline = 120

// timelineAxis draws the story's dated developments on a time axis: each
// entry a bar over the days it may mean (a point for a known day), in
// lanes so that overlapping entries stay apart, numbered as in the list
// below it.
func timelineAxis(entries []story.Entry) template.HTML {
	var es []story.Entry
	for _, e := range entries {
		if !e.Earliest.IsZero() {
			if e.Latest.Before(e.Earliest) {
				e.Latest = e.Earliest
			}
			es = append(es, e)
		}
	}
	if len(es) == 0 {
		return ""
	}
	t0, t1 := es[0].Earliest, es[0].Latest
	for _, e := range es {
		if e.Earliest.Before(t0) {
			t0 = e.Earliest
		}
		if e.Latest.After(t1) {
			t1 = e.Latest
		}
	}
	t1 = t1.Add(day)
	if t1.Sub(t0) < 30*day {
		t0, t1 = t0.Add(-15*day), t1.Add(15*day)
	}
	const W, ml, mr = 640.0, 12.0, 12.0
	x := func(t time.Time) float64 { return ml + (W-ml-mr)*float64(t.Sub(t0))/float64(t1.Sub(t0)) }
	var b strings.Builder
	label := fmt.Sprintf("Timeline: %s from %s to %s", plural(len(es), "dated development"), fmtDate(es[0].Earliest), fmtDate(t1.Add(-day)))
	if len(es) > denseTimeline {
		const bins, H = 100, 90.0
		counts := make([]int, bins)
		maxC := 1
		for _, e := range es {
			mid := e.Earliest.Add(e.Latest.Sub(e.Earliest) / 2)
			i := min(bins-1, int(float64(bins)*float64(mid.Sub(t0))/float64(t1.Sub(t0))))
			counts[i]++
			maxC = max(maxC, counts[i])
		}
		fmt.Fprintf(&b, `<svg class="timeline" viewBox="0 0 %d %d" role="img" aria-label="%s" data-entries="%d" data-binned="true"><title>%s</title>`,
			int(W), int(H), esc(label), len(es), esc(label))
		bw := (W - ml - mr) / bins
		for i, c := range counts {
			if c == 0 {
				continue
			}
			hh := 56 * float64(c) / float64(maxC)
			fmt.Fprintf(&b, `<rect class="bar" x="%s" y="%s" width="%s" height="%s" data-n="%d"></rect>`, f1(ml+float64(i)*bw), f1(62-hh), f1(math.Max(1, bw-1)), f1(math.Max(1, hh)), c)
		}
		axis(&b, t0, t1, x, 62, W-mr)
		b.WriteString(`</svg>`)
		return template.HTML(b.String())
	}
	// Lanes: each entry goes to the first lane whose last entry ended
	// (with a little space) before it starts.
	const maxLanes = 8
	var laneEnd []float64
	lanes := make([]int, len(es))
	for i, e := range es {
		x0 := x(e.Earliest)
		lane := -1
		for l, end := range laneEnd {
			if end+4 <= x0 {
				lane = l
				break
			}
		}
		if lane < 0 {
			if len(laneEnd) < maxLanes {
				laneEnd = append(laneEnd, 0)
				lane = len(laneEnd) - 1
			} else {
				lane = i % maxLanes
			}
		}
		laneEnd[lane] = math.Max(laneEnd[lane], x(e.Latest.Add(day))+2)
		lanes[i] = lane
	}
	H := 40 + 12*float64(len(laneEnd))
	fmt.Fprintf(&b, `<svg class="timeline" viewBox="0 0 %d %s" role="img" aria-label="%s" data-entries="%d"><title>%s</title>`,
		int(W), f1(H), esc(label), len(es), esc(label))
	axisY := H - 26
	for i, e := range es {
		x0, x1 := x(e.Earliest), x(e.Latest.Add(day))
		yy := axisY - 10 - 12*float64(lanes[i])
		if x1-x0 < 6 {
			fmt.Fprintf(&b, `<circle class="entry" cx="%s" cy="%s" r="4" data-entry="%d"><title>%s</title></circle>`,
				f1((x0+x1)/2), f1(yy), i+1, esc(fmtSpan(e.Earliest, e.Latest)))
			continue
		}
		fmt.Fprintf(&b, `<rect class="entry" x="%s" y="%s" width="%s" height="7" rx="3" data-entry="%d"><title>%s</title></rect>`,
			f1(x0), f1(yy-3.5), f1(x1-x0), i+1, esc(fmtSpan(e.Earliest, e.Latest)))
	}
	axis(&b, t0, t1, x, axisY, W-mr)
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

func axis(b *strings.Builder, t0, t1 time.Time, x func(time.Time) float64, y, right float64) {
	fmt.Fprintf(b, `<line class="axis" x1="%s" y1="%s" x2="%s" y2="%s"></line>`, f1(x(t0)), f1(y), f1(right), f1(y))
	ticks := timeTicks(t0, t1, 6)
	for _, tk := range ticks {
		fmt.Fprintf(b, `<line class="axis" x1="%s" y1="%s" x2="%s" y2="%s"></line><text class="tick %s" x="%s" y="%s">%s</text>`,
			f1(x(tk.t)), f1(y), f1(x(tk.t)), f1(y+4), anchor(x(tk.t), x(t0), right), f1(x(tk.t)), f1(y+16), esc(tk.label))
	}
}

// anchor keeps labels near the ends of an axis inside the chart.
func anchor(at, left, right float64) string {
	switch {
	case at-left < 30:
		return "start"
	case right-at < 30:
		return "end"
	}
	return "mid"
}
