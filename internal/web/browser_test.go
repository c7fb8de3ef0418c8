package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"dossier/internal/news"
	"dossier/internal/pipeline"
)

// The browser tests drive Debian's chromium (or DOSSIER_CHROME) through
// the DevTools protocol. They fail, never skip, when it is missing:
// `apt-get install -y chromium`. Accessibility is checked with axe-core,
// found at DOSSIER_AXE or, by default, at
// internal/web/.axe/node_modules/axe-core/axe.min.js
// (`npm install --prefix internal/web/.axe axe-core`). Screenshots of every
// page, desktop and phone, are written to internal/web/screenshots/.

const defaultAxe = ".axe/node_modules/axe-core/axe.min.js"

func chromePath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("DOSSIER_CHROME"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("no browser: install Debian's chromium (apt-get install -y chromium) or set DOSSIER_CHROME")
	return ""
}

func axeSource(t *testing.T) string {
	t.Helper()
	p := os.Getenv("DOSSIER_AXE")
	if p == "" {
		p = defaultAxe
	}
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("axe-core not found at %s (set DOSSIER_AXE, or run `npm install --prefix internal/web/.axe axe-core`): %v", p, err)
	}
	return string(b)
}

// browser is a headless chromium with a fresh profile, and what its pages
// logged as errors.
type browser struct {
	ctx  context.Context
	mu   sync.Mutex
	errs []string
}

func newBrowser(t *testing.T) *browser {
	t.Helper()
	path := chromePath(t)
	actx, cancel := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(path), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900))
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	b := &browser{ctx: ctx}
	if err := chromedp.Listen(ctx, func(ev any) {
		var msg string
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
				var parts []string
				for _, a := range ev.Args {
					parts = append(parts, string(a.Value)+a.Description)
				}
				msg = "console." + string(ev.Type) + ": " + strings.Join(parts, " ")
			}
		case *runtime.EventExceptionThrown:
			msg = "exception: " + ev.ExceptionDetails.Text
			if ev.ExceptionDetails.Exception != nil {
				msg += " " + ev.ExceptionDetails.Exception.Description
			}
		case *log.EventEntryAdded:
			if ev.Entry.Level == log.EntryLevelError {
				msg = "log (" + string(ev.Entry.Source) + "): " + ev.Entry.Text + " " + ev.Entry.URL
			}
		}
		if msg != "" {
			b.mu.Lock()
			b.errs = append(b.errs, msg)
			b.mu.Unlock()
		}
	}); err != nil {
		t.Fatalf("start %s: %v", path, err)
	}
	if _, err := chromedp.Call(ctx, log.Enable, struct{}{}); err != nil {
		t.Fatalf("log.Enable: %v", err)
	}
	// A headless page never has the system's focus; without this, :focus
	// styles would not apply.
	if _, err := chromedp.Call(ctx, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true}); err != nil {
		t.Fatalf("focus emulation: %v", err)
	}
	return b
}

func (b *browser) errors() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.errs...)
}

func (b *browser) do(t *testing.T, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

func (b *browser) open(t *testing.T, url string) {
	t.Helper()
	b.do(t, chromedp.Navigate(url), chromedp.WaitReady(chromedp.CSS("main")))
}

func evalJS[T any](t *testing.T, b *browser, expr string) T {
	t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("evaluate %.80q: %v", expr, err)
	}
	return v
}

// goldArticles maps each gold article id ("003#0") to the stored article
// made of it, by the seed file and the article's index in it.
func goldArticles(t testing.TB, svc *pipeline.Service, g seedGold) map[string]news.Stored {
	t.Helper()
	byFile := map[string]news.Stored{}
	if err := svc.Store().Articles(context.Background(), func(a news.Stored) error {
		for _, s := range a.Sources {
			byFile[s.File+"#"+strconv.Itoa(s.Index)] = a
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	out := map[string]news.Stored{}
	for _, d := range g.Documents {
		for _, a := range d.Articles {
			_, idx, _ := strings.Cut(a.ID, "#")
			st, ok := byFile[d.File+"#"+idx]
			if !ok {
				t.Fatalf("gold article %s (%s) is not stored", a.ID, d.File)
			}
			out[a.ID] = st
		}
	}
	return out
}

type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []any  `json:"target"`
		HTML   string `json:"html"`
	} `json:"nodes"`
}

// checkAxe injects axe-core through the DevTools protocol (which the CSP
// does not govern) and fails on serious or critical violations.
func checkAxe(t *testing.T, b *browser, axe, name string) {
	t.Helper()
	if !evalJS[bool](t, b, `typeof window.axe === "object"`) {
		if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[chromedp.Void](axe)); err != nil {
			t.Fatalf("inject axe: %v", err)
		}
	}
	raw := evalJS[string](t, b, `axe.run(document, {resultTypes: ["violations"]}).then(r => JSON.stringify(r.violations))`)
	var vs []axeViolation
	if err := json.Unmarshal([]byte(raw), &vs); err != nil {
		t.Fatal(err)
	}
	for _, v := range vs {
		if v.Impact == "serious" || v.Impact == "critical" {
			var where []string
			for i, n := range v.Nodes {
				if i == 3 {
					break
				}
				where = append(where, fmt.Sprint(n.Target)+" "+n.HTML)
			}
			t.Errorf("%s: axe %s (%s): %s\n  %s", name, v.ID, v.Impact, v.Help, strings.Join(where, "\n  "))
		}
	}
}

var shotDir = "screenshots"

// screenshots writes the page at desktop width and at a 390-px phone width.
func screenshots(t *testing.T, b *browser, url, name string) {
	t.Helper()
	if err := os.MkdirAll(shotDir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, v := range []struct {
		suffix string
		w, h   int64
		mobile bool
	}{{"desktop", 1280, 900, false}, {"phone", 390, 844, true}} {
		opts := []chromedp.EmulateViewportOption{}
		if v.mobile {
			opts = append(opts, chromedp.EmulateMobile)
		}
		b.do(t, chromedp.EmulateViewport(v.w, v.h, opts...))
		b.open(t, url)
		png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(shotDir, name+"-"+v.suffix+".png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b.do(t, chromedp.EmulateViewport(1280, 900))
}

// stripHarakat removes Arabic diacritics (harakat, tanwin, shadda, sukun,
// dagger alef) and tatweel.
func stripHarakat(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 0x064B && r <= 0x065F || r == 0x0670 || r == 0x0640 {
			return -1
		}
		return r
	}, s)
}

// vocalisedWord returns the first word of text written with diacritics
// whose bare form has at least four letters.
func vocalisedWord(text string) (vocalised, bare string) {
	for _, w := range strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.Is(unicode.Mn, r) }) {
		b := stripHarakat(w)
		if b != w && len([]rune(b)) >= 4 {
			return w, b
		}
	}
	return "", ""
}

func TestBrowser(t *testing.T) {
	svc := sharedSeeds(t)
	g := readGold(t)
	axe := axeSource(t)
	h := New(svc, Options{Token: "browser-test-token"})
	srv := httptest.NewServer(h)
	defer srv.Close()
	b := newBrowser(t)
	arts := goldArticles(t, svc, g)

	// The story of the Arabic seed, and its articles, from the gold file.
	var arGold, goldStory string
	for _, d := range g.Documents {
		if d.Language == "ar" && len(d.Articles) > 0 {
			arGold, goldStory = d.Articles[0].ID, d.Articles[0].Story
		}
	}
	if arGold == "" {
		t.Fatal("gold file has no Arabic article")
	}
	ar := arts[arGold]
	storyID := ar.Story
	langs := map[string]bool{}
	for _, d := range g.Documents {
		for _, a := range d.Articles {
			if a.Story == goldStory {
				langs[d.Language] = true
				if arts[a.ID].Story != storyID {
					t.Errorf("gold story %s split: %s is in story %d, %s in %d", goldStory, a.ID, arts[a.ID].Story, arGold, storyID)
				}
			}
		}
	}

	t.Run("stories", func(t *testing.T) {
		b.open(t, srv.URL+"/")
		sel := fmt.Sprintf(`[data-story="%d"]`, storyID)
		txt := evalJS[string](t, b, `(document.querySelector('`+sel+` .langs') || {}).textContent || ""`)
		for l := range langs {
			if !strings.Contains(txt, l+" ") {
				t.Errorf("story list: the story's languages read %q, want %s among them", txt, l)
			}
		}
		if n := evalJS[int](t, b, `document.querySelectorAll('`+sel+` svg.spark rect.bar').length`); n == 0 {
			t.Error("story list: no sparkline bars")
		}
	})

	t.Run("story", func(t *testing.T) {
		b.open(t, fmt.Sprintf("%s/stories/%d", srv.URL, storyID))
		// The Arabic article is listed, and rendered right to left in a
		// left-to-right page.
		dir := evalJS[string](t, b, fmt.Sprintf(`(() => { const a = document.querySelector('#articles [data-article="%d"] a'); return a ? getComputedStyle(a).direction : "missing"; })()`, ar.ID))
		if dir != "rtl" {
			t.Errorf("story page: the Arabic article's link has direction %q, want rtl", dir)
		}
		if d := evalJS[string](t, b, `getComputedStyle(document.body).direction`); d != "ltr" {
			t.Errorf("story page: body direction %q, want ltr", d)
		}
		// The ledger chart: one mark per gold report of the quantity, from
		// the right articles and sources.
		type want struct {
			article int64
			value   float64
			sources []string
		}
		kinds := map[string][]want{}
		for _, f := range g.Figures {
			if f.Story == goldStory && f.Kind == "deployed" {
				kinds[f.Kind] = append(kinds[f.Kind], want{arts[f.Article].ID, f.Value, f.AttributedTo})
			}
		}
		if len(kinds["deployed"]) < 3 {
			t.Fatalf("gold has %d deployment reports", len(kinds["deployed"]))
		}
		for kind, ws := range kinds {
			raw := evalJS[string](t, b, `JSON.stringify([...document.querySelectorAll('svg.ledger[data-kind="`+kind+`"] circle.mark')].map(c => ({a: +c.dataset.article, v: +c.dataset.value, s: c.dataset.source, w: c.dataset.when})))`)
			var marks []struct {
				A int64
				V float64
				S string
				W string
			}
			if err := json.Unmarshal([]byte(raw), &marks); err != nil {
				t.Fatal(err)
			}
			key := func(a int64, v float64) string { return fmt.Sprintf("%d:%g", a, v) }
			var got, exp []string
			bySrc := map[string]string{}
			for _, m := range marks {
				got = append(got, key(m.A, m.V))
				bySrc[key(m.A, m.V)] = m.S
			}
			for _, w := range ws {
				exp = append(exp, key(w.article, w.value))
			}
			sort.Strings(got)
			sort.Strings(exp)
			if strings.Join(got, " ") != strings.Join(exp, " ") {
				t.Errorf("ledger chart %s: marks (article:value) %v, want %v", kind, got, exp)
			}
			for _, w := range ws {
				s, ok := bySrc[key(w.article, w.value)]
				if !ok {
					continue
				}
				if !sourceMatches(s, w.sources) {
					t.Errorf("ledger chart %s: article %d value %g attributed to %q, want one of %q", kind, w.article, w.value, s, w.sources)
				}
			}
			// The values, in date order, rise through each gold value.
			sort.SliceStable(marks, func(i, j int) bool { return marks[i].W < marks[j].W })
			distinct := map[float64]bool{}
			for _, w := range ws {
				distinct[w.value] = true
			}
			if n := evalJS[int](t, b, `document.querySelectorAll('svg.ledger[data-kind="`+kind+`"] circle.mark.change').length`); len(distinct) > 1 && n == 0 {
				t.Errorf("ledger chart %s: no change marked although the values differ", kind)
			}
		}
		// The disagreement on Kursk: each side in gold has a position by
		// one of its speakers.
		for _, d := range g.Disagreements {
			if d.Story != goldStory || len(d.Sides) == 0 {
				continue
			}
			raw := evalJS[string](t, b, `JSON.stringify([...document.querySelectorAll('#disagreements li.disagreement')].map(li => ({t: li.textContent, by: [...li.querySelectorAll('.by')].map(e => e.textContent)})))`)
			var shown []struct {
				T  string
				By []string
			}
			if err := json.Unmarshal([]byte(raw), &shown); err != nil {
				t.Fatal(err)
			}
			place := properNoun(d.Topic)
			found := false
			for _, s := range shown {
				if place != "" && !strings.Contains(s.T, place) {
					continue
				}
				all := true
				for _, side := range d.Sides {
					ok := false
					for _, by := range s.By {
						ok = ok || sourceMatches(by, side.By)
					}
					all = all && ok
				}
				found = found || all
			}
			if !found {
				t.Errorf("story page: the disagreement %q (%q) is not shown with each side; shown: %+v", d.Topic, place, shown)
			}
		}
		if n := evalJS[int](t, b, `document.querySelectorAll('svg.timeline .entry').length`); n == 0 {
			t.Error("story page: the timeline axis has no entries")
		}
	})

	t.Run("article", func(t *testing.T) {
		b.open(t, fmt.Sprintf("%s/articles/%d", srv.URL, ar.ID))
		if d := evalJS[string](t, b, `getComputedStyle(document.querySelector('article.article')).direction`); d != "rtl" {
			t.Errorf("Arabic article direction %q, want rtl", d)
		}
		if l := evalJS[string](t, b, `document.querySelector('article.article').lang`); l != "ar" {
			t.Errorf("Arabic article lang %q", l)
		}
		if n := evalJS[int](t, b, `document.querySelectorAll('article mark.fig').length`); n == 0 {
			t.Error("Arabic article: no figure highlighted")
		}
		// Focus shows a figure's kind, value and attribution.
		vis := evalJS[string](t, b, `(() => { const m = document.querySelector('article mark.fig'); m.focus(); const tip = m.querySelector('.tip'); return getComputedStyle(tip).display + "|" + tip.textContent; })()`)
		if !strings.HasPrefix(vis, "block|") {
			t.Errorf("focused figure's explanation not shown: %q", vis)
		}
	})

	t.Run("search without diacritics", func(t *testing.T) {
		voc, bare := vocalisedWord(ar.Text)
		if voc == "" {
			t.Fatal("the Arabic seed has no word written with diacritics")
		}
		b.open(t, srv.URL+"/")
		b.do(t, chromedp.KeyEvent("/"))
		if id := evalJS[string](t, b, `document.activeElement.id`); id != "q" {
			t.Fatalf(`"/" focused %q, want the search box`, id)
		}
		b.do(t, chromedp.KeyEvent(bare), chromedp.KeyEvent("\r"), chromedp.WaitReady(chromedp.CSS("ol.hits, p.empty")))
		if loc := evalJS[string](t, b, `location.pathname`); loc != "/search" {
			t.Fatalf("typing a query and Enter went to %s", loc)
		}
		if n := evalJS[int](t, b, fmt.Sprintf(`document.querySelectorAll('ol.hits [data-article="%d"]').length`, ar.ID)); n != 1 {
			t.Errorf("search for %q (the text writes %q) does not find the Arabic article", bare, voc)
		}
		if n := evalJS[int](t, b, `document.querySelectorAll('ol.hits mark').length`); n == 0 {
			t.Error("search: no highlighted snippet")
		}
	})

	t.Run("keyboard", func(t *testing.T) {
		b.open(t, srv.URL+"/")
		first := evalJS[string](t, b, `document.querySelector('[data-nav]').dataset.story`)
		b.do(t, chromedp.KeyEvent("j"))
		cur := evalJS[string](t, b, `(document.querySelector('[data-nav].current') || {dataset: {}}).dataset.story || ""`)
		if cur != first || !evalJS[bool](t, b, `document.querySelector('[data-nav].current').contains(document.activeElement)`) {
			t.Fatalf("j: current item %q, want the first (%s), focused", cur, first)
		}
		b.do(t, chromedp.KeyEvent("j"), chromedp.KeyEvent("k"))
		if cur := evalJS[string](t, b, `document.querySelector('[data-nav].current').dataset.story`); cur != first {
			t.Errorf("j, k: current item %q, want %s", cur, first)
		}
		b.do(t, chromedp.KeyEvent("?"))
		if !evalJS[bool](t, b, `document.getElementById('keys').open`) {
			t.Error("?: the shortcuts are not shown")
		}
		b.do(t, chromedp.KeyEvent("\x1b"))
		b.do(t, chromedp.KeyEvent("o"), chromedp.WaitReady(chromedp.CSS("article.story")))
		if loc := evalJS[string](t, b, `location.pathname`); loc != "/stories/"+first {
			t.Errorf("o: went to %s, want /stories/%s", loc, first)
		}
	})

	entity := ""
	for _, m := range ar.Facts.Mentions {
		if strings.HasPrefix(m.Entity, "country:") {
			entity = m.Entity
			break
		}
	}
	pages := []struct{ name, path string }{
		{"stories", "/"},
		{"story", fmt.Sprintf("/stories/%d", storyID)},
		{"article-ar", fmt.Sprintf("/articles/%d", ar.ID)},
		{"article-en", fmt.Sprintf("/articles/%d", arts[firstEnglish(g, goldStory)].ID)},
		{"entity", "/entities/" + entity},
		{"search", "/search?q=" + "troops"},
		{"sources", "/sources"},
		{"add", "/add"},
		{"following", "/following"},
		{"alerts", "/alerts"},
		{"help", "/help"},
	}
	t.Run("accessibility and screenshots", func(t *testing.T) {
		for _, p := range pages {
			b.open(t, srv.URL+p.path)
			checkAxe(t, b, axe, p.name)
			screenshots(t, b, srv.URL+p.path, p.name)
		}
		// Smaller pictures for the README: the top of the story list, one
		// quantity of the ledger, the Arabic article on a phone.
		shot := func(name string, a chromedp.Action[[]byte]) {
			png, err := chromedp.Run(b.ctx, a)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if err := os.WriteFile(filepath.Join(shotDir, name+".png"), png, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		b.do(t, chromedp.EmulateViewport(1100, 760))
		b.open(t, srv.URL+"/")
		shot("readme-stories", chromedp.CaptureScreenshot())
		b.open(t, fmt.Sprintf("%s/stories/%d", srv.URL, storyID))
		shot("readme-story", chromedp.CaptureScreenshot())
		shot("readme-ledger", chromedp.Screenshot(chromedp.CSS(`section.quantity:has(svg.ledger[data-kind="deployed"])`)))
		b.do(t, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
		b.open(t, fmt.Sprintf("%s/articles/%d", srv.URL, ar.ID))
		shot("readme-article-ar-phone", chromedp.CaptureScreenshot())
		b.do(t, chromedp.EmulateViewport(1280, 900))
	})

	t.Run("no console errors, no CSP violations", func(t *testing.T) {
		// Reports are posted asynchronously; give them a moment.
		b.open(t, srv.URL+"/sources")
		time.Sleep(300 * time.Millisecond)
		if errs := b.errors(); len(errs) > 0 {
			t.Errorf("console errors:\n%s", strings.Join(errs, "\n"))
		}
		if r := h.CSPReports(); len(r) > 0 {
			t.Errorf("CSP violations: %+v", r)
		}
		// The control: an inline style is refused and reported.
		evalJS[chromedp.Void](t, b, `(() => { const s = document.createElement("script"); s.textContent = "window.inlineRan = true"; document.body.appendChild(s); })()`)
		deadline := time.Now().Add(5 * time.Second)
		for len(h.CSPReports()) == 0 && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
		}
		if evalJS[bool](t, b, `window.inlineRan === true`) {
			t.Error("an inline script ran: the CSP does not hold")
		}
		if len(h.CSPReports()) == 0 {
			t.Error("an inline script was not reported to /csp-report")
		}
	})
}

func firstEnglish(g seedGold, story string) string {
	for _, d := range g.Documents {
		for _, a := range d.Articles {
			if d.Language == "en" && a.Story == story {
				return a.ID
			}
		}
	}
	return ""
}

// sourceMatches reports whether a source as shown names one of the gold
// alternatives ("South Korea's spy agency" names "South Korea"); a gold
// "unattributed" accepts an unattributed report.
func sourceMatches(shown string, alts []string) bool {
	s := strings.ToLower(strings.TrimSpace(shown))
	for _, a := range alts {
		a = strings.ToLower(a)
		if a == "unattributed" && (s == "" || s == "unattributed") {
			return true
		}
		if s != "" && s != "unattributed" && (strings.Contains(s, a) || strings.Contains(a, s)) {
			return true
		}
	}
	return false
}

// properNoun returns the first capitalised word of a gold topic ("Kursk").
func properNoun(topic string) string {
	for _, w := range strings.Fields(topic) {
		w = strings.Trim(w, "()")
		if r := []rune(w); len(r) > 1 && unicode.IsUpper(r[0]) && !unicode.IsUpper(r[1]) {
			return w
		}
	}
	return ""
}
