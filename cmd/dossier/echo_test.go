package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"dossier/internal/sharedtest"
)

// exportDoc is the part of the JSON export the echo tests read.
type exportDoc struct {
	Articles []struct {
		ID          string `json:"id"`
		Language    string `json:"language"`
		Title       string `json:"title"`
		Text        string `json:"text"`
		Story       string `json:"story"`
		DuplicateOf string `json:"duplicate_of"`
		Source      struct {
			File string `json:"file"`
		} `json:"source"`
	} `json:"articles"`
	Ledger []struct {
		Story   string `json:"story"`
		Kind    string `json:"kind"`
		Reports []struct {
			Figure          string  `json:"figure"`
			Article         string  `json:"article"`
			Value           float64 `json:"value"`
			Origin          string  `json:"origin"`
			FirstFromOrigin bool    `json:"first_from_origin"`
			EchoOf          *struct {
				Figure, Article string
			} `json:"echo_of"`
			Why string `json:"why"`
		} `json:"reports"`
		IndependentOrigins int `json:"independent_origins"`
		Origins            []struct {
			ID string `json:"id"`
		} `json:"origins"`
	} `json:"ledger"`
	Disagreements []struct {
		Story     string    `json:"story"`
		Topic     string    `json:"topic"`
		Kind      string    `json:"kind"`
		Values    []float64 `json:"values"`
		Positions []struct {
			Party string `json:"party"`
			By    string `json:"by"`
		} `json:"positions"`
	} `json:"disagreements"`
	StatusChanges []struct {
		Topic string `json:"topic"`
	} `json:"status_changes"`
}

func readExport(t *testing.T, path string) exportDoc {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var d exportDoc
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	return d
}

// line finds the ledger line of a kind whose reports give value v.
func (d exportDoc) line(kind string, v float64) int {
	for i, l := range d.Ledger {
		if l.Kind != kind {
			continue
		}
		for _, r := range l.Reports {
			if r.Value == v {
				return i
			}
		}
	}
	return -1
}

// TestEchoSeeds traces the seed figures to their origins: the 300 killed
// and 2,700 injured of four articles in English and Arabic come from one
// origin, South Korea's intelligence service; its 600 of April is a new
// report from that origin (a change, not a disagreement); the troops
// deployed come from more than one origin.
func TestEchoSeeds(t *testing.T) {
	d := readExport(t, ingestSeeds(t))
	checkSeedOrigins(t, d)
	for _, x := range d.Disagreements {
		if containsValues(x.Values, 300, 600) && x.Kind != "change" {
			t.Errorf("300 → 600 killed is a %q, want a change by one origin: %+v", x.Kind, x)
		}
	}
}

// checkSeedOrigins holds the seed ledger to its origins and returns the
// number of reports of the killed, injured and deployed lines.
func checkSeedOrigins(t *testing.T, d exportDoc) (killed, injured, deployed int) {
	t.Helper()
	lang := map[string]string{}
	for _, a := range d.Articles {
		lang[a.ID] = a.Language
	}
	for _, q := range []struct {
		kind   string
		values []float64
	}{{"killed", []float64{300, 600}}, {"injured", []float64{2700}}} {
		i := d.line(q.kind, q.values[0])
		if i < 0 {
			t.Fatalf("no ledger line for %s %v", q.kind, q.values[0])
		}
		l := d.Ledger[i]
		langs := map[string]bool{}
		named600 := false
		for _, r := range l.Reports {
			langs[lang[strings.SplitN(r.Article, "-", 2)[0]]] = true
			if r.Origin != "org:nis" {
				t.Errorf("%s %v in %s: origin %q (%s), want org:nis", q.kind, r.Value, r.Article, r.Origin, r.Why)
			}
			if r.Value == 600 && r.FirstFromOrigin {
				t.Errorf("the 600 killed is a new report from the NIS, not its first: %+v", r)
			}
			if r.Value == 600 && r.EchoOf == nil {
				named600 = true
			}
		}
		if q.kind == "killed" && !named600 {
			t.Errorf("no report of 600 killed names its source (the NIS, in April)")
		}
		if l.IndependentOrigins != 1 {
			t.Errorf("%s: %d independent origins, want 1: %+v", q.kind, l.IndependentOrigins, l.Origins)
		}
		if !langs["en"] || !langs["ar"] {
			t.Errorf("%s: reports in %v, want English and Arabic pages", q.kind, langs)
		}
		if len(l.Reports) < 3 {
			t.Errorf("%s: %d reports, want the 3 or more the seeds give", q.kind, len(l.Reports))
		}
		if q.kind == "killed" {
			killed = len(l.Reports)
		} else {
			injured = len(l.Reports)
		}
	}
	i := d.line("deployed", 12000)
	if i < 0 {
		t.Fatal("no ledger line for the troops deployed")
	}
	if n := d.Ledger[i].IndependentOrigins; n < 2 {
		t.Errorf("troops deployed: %d independent origin(s), want more than one: %+v", n, d.Ledger[i].Origins)
	}
	return killed, injured, len(d.Ledger[i].Reports)
}

func containsValues(vs []float64, want ...float64) bool {
	for _, w := range want {
		found := false
		for _, v := range vs {
			found = found || v == w
		}
		if !found {
			return false
		}
	}
	return true
}

// TestEchoSyndicated adds, to the seeds, copies of what they report: the
// NIS article word for word under two other outlets' names, a lightly
// edited copy that drops the attribution, and an Arabic translation of
// the April figure with no source named. Each adds reports to the ledger
// and no origin.
func TestEchoSyndicated(t *testing.T) {
	data, before := ingestSeedsData(t)
	b := readExport(t, before)
	k0, i0, d0 := checkSeedOrigins(t, b)
	origins0 := map[int]int{}
	for i, l := range b.Ledger {
		origins0[i] = l.IndependentOrigins
	}

	// The NIS article of the seeds (its text, read from the export at
	// run time) and the April sentence.
	var nis, april string
	for _, a := range b.Articles {
		if strings.Contains(a.Text, "National Intelligence Service") && strings.Contains(a.Text, "2,700") {
			nis = a.Text
		}
	}
	if nis == "" {
		t.Fatal("no seed article gives the NIS briefing")
	}
	edited := strings.Replace(nis, ", according to a South Korean legislator.", ".", 1)
	edited = strings.Replace(edited, "Around 300", "About 300", 1)
	edited = strings.Replace(edited, "Reports suggest", "It is thought", 1)
	if edited == nis {
		t.Fatal("the edit changed nothing")
	}
	april = "وبحسب مسؤولين، قُتل نحو 600 جندي كوري شمالي على جبهات القتال بين روسيا وأوكرانيا حتى أبريل. " +
		"وكانت القوات الكورية الشمالية قد أُرسلت إلى روسيا لدعم الجيش الروسي في منطقة كورسك ضد أوكرانيا، " +
		"وتعهدت بيونج يانج بمواصلة دعم موسكو في الحرب. وأكدت كوريا الشمالية للمرة الأولى إرسال قوات إلى روسيا."
	docs := []map[string]string{
		{"id": "wire-copy-1", "url": "https://outlet-one.example/world/nk-losses", "title": "North Korean losses mount in Kursk", "text": nis, "captured": "2025-01-15T08:00:00Z"},
		{"id": "wire-copy-2", "url": "https://outlet-two.example/asia/2025/01/15/nk", "title": "300 North Korean soldiers killed, Seoul says", "text": nis, "captured": "2025-01-16T08:00:00Z"},
		{"id": "edited-copy", "url": "https://outlet-three.example/nk-troops", "title": "North Korean Troops Suffer Heavy Losses", "text": edited, "captured": "2025-01-17T08:00:00Z"},
		{"id": "translated", "url": "https://outlet-four.example/ar/nk", "title": "مقتل نحو 600 جندي كوري شمالي في الحرب الروسية الأوكرانية", "text": april, "captured": "2025-07-09T08:00:00Z"},
	}
	var lines []string
	for _, d := range docs {
		j, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, string(j))
	}
	in := filepath.Join(t.TempDir(), "copies.jsonl")
	if err := os.WriteFile(in, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, errs, code := dossier(t, "add", "-q", "-data", data, in); code != 0 {
		t.Fatalf("add copies: exit %d\n%s%s", code, out, errs)
	}
	a := readExport(t, exportTo(t, data))
	k1, i1, d1 := checkSeedOrigins(t, a)
	t.Logf("reports: killed %d → %d, injured %d → %d, deployed %d → %d", k0, k1, i0, i1, d0, d1)
	// Three copies of the NIS article and the translation: four more
	// reports of the killed, three of the injured.
	if k1 < k0+4 || i1 < i0+3 {
		t.Errorf("copies added %d killed and %d injured reports, want at least 4 and 3", k1-k0, i1-i0)
	}
	for i, l := range a.Ledger {
		if i < len(b.Ledger) && l.IndependentOrigins != origins0[i] && l.Kind == b.Ledger[i].Kind {
			t.Errorf("ledger line %d (%s): %d origins after the copies, %d before: %+v", i, l.Kind, l.IndependentOrigins, origins0[i], l.Origins)
		}
	}
	for _, l := range a.Ledger {
		for _, r := range l.Reports {
			if strings.Contains(r.Article, "-") || r.Value == 600 && !r.FirstFromOrigin && r.EchoOf != nil {
				t.Logf("%s %v %s: %s", l.Kind, r.Value, r.Article, r.Why)
			}
		}
	}
}

// judged is one disagreement or status change dossier reports, judged by
// hand: is it one a reader can trust, and why.
type judged struct {
	Run     string `json:"run"`
	Key     string `json:"key"`
	Correct bool   `json:"correct"`
	Why     string `json:"why"`
}

// reported lists what an export reports as disagreements and status
// changes, each as a key that names it independently of ids.
func reported(d exportDoc) []string {
	var out []string
	for _, x := range d.Disagreements {
		if len(x.Positions) > 0 {
			var ps []string
			for _, p := range x.Positions {
				ps = append(ps, p.Party)
			}
			sort.Strings(ps)
			out = append(out, fmt.Sprintf("%s | %s | %s", x.Topic, x.Kind, strings.Join(ps, " vs ")))
			continue
		}
		var vs []string
		for _, v := range x.Values {
			vs = append(vs, strconv.FormatFloat(v, 'f', -1, 64))
		}
		out = append(out, fmt.Sprintf("%s | %s | %s", x.Topic, x.Kind, strings.Join(vs, " / ")))
	}
	for _, c := range d.StatusChanges {
		out = append(out, "status change | "+c.Topic)
	}
	sort.Strings(out)
	return out
}

// TestDisagreementPrecision holds every disagreement and status change
// dossier reports on the seeds (all five pages, and seed 004 alone, as a
// new user would try it) to the hand-judged list in
// testdata/disagreements.judged.json: each must be judged there, each
// judged one must still be reported (recall held), and the precision is
// the share judged correct. The file is written by hand, never by -update.
func TestDisagreementPrecision(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "disagreements.judged.json"))
	if err != nil {
		t.Fatal(err)
	}
	var js []judged
	if err := json.Unmarshal(b, &js); err != nil {
		t.Fatal(err)
	}
	var gold seedGold
	gb, err := os.ReadFile(sharedtest.Path(t, "gold", "seeds.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(gb, &gold); err != nil {
		t.Fatal(err)
	}
	runs := map[string]string{"seeds": ingestSeeds(t)}
	for _, doc := range gold.Documents {
		if strings.HasPrefix(doc.File, "004_") {
			data := t.TempDir()
			if out, errs, code := dossier(t, "add", "-q", "-data", data, "-captured", doc.Captured, sharedtest.Path(t, "seeds", doc.File)); code != 0 {
				t.Fatalf("add %s: exit %d\n%s%s", doc.File, code, out, errs)
			}
			runs["seed004"] = exportTo(t, data)
		}
	}
	total, correct := 0, 0
	for run, export := range runs {
		got := reported(readExport(t, export))
		have := map[string]bool{}
		for _, k := range got {
			have[k] = true
		}
		for _, k := range got {
			found := false
			for _, j := range js {
				if j.Run == run && j.Key == k {
					found = true
					total++
					if j.Correct {
						correct++
					} else {
						t.Logf("%s: reported and judged wrong: %s (%s)", run, k, j.Why)
					}
				}
			}
			if !found {
				t.Errorf("%s: reports %q, which is not judged in testdata/disagreements.judged.json: judge it by hand", run, k)
			}
		}
		for _, j := range js {
			if j.Run == run && !have[j.Key] {
				t.Errorf("%s: no longer reports %q (judged correct: %v)", run, j.Key, j.Correct)
			}
		}
	}
	if total == 0 {
		t.Fatal("nothing reported")
	}
	p := float64(correct) / float64(total)
	t.Logf("disagreement and status-change precision on the seeds: %d of %d = %.1f%%", correct, total, 100*p)
	if p < 1 {
		t.Errorf("precision %.1f%%, goal 100%%", 100*p)
	}
}
