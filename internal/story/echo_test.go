package story

import (
	"strings"
	"testing"

	"dossier/internal/facts"
	"dossier/internal/news"
)

// floods returns articles of one story written for this test: the UN
// gives a toll, outlets repeat it with and without naming it, a wire
// gives a figure of its own, the UN revises its toll, an official gives
// another, and one article is carried by a second outlet.
func floods() []news.Stored {
	mk := func(id int64, captured, site string, credits []string, text string, copies ...string) news.Stored {
		a := news.Article{Title: "Floods", Text: text, Language: "en", Site: site, Credits: credits}
		a.Facts = facts.Analyze(a, day(captured), "captured", day(captured))
		srcs := []news.Source{{File: "f" + string(rune('0'+id)) + ".txt", Captured: day(captured)}}
		for _, u := range copies {
			srcs = append(srcs, news.Source{URL: u, Captured: day(captured).AddDate(0, 0, 1)})
		}
		return news.Stored{ID: id, Story: 1, Event: 1, Article: a, Sources: srcs}
	}
	return []news.Stored{
		mk(1, "2025-03-01", "Outlet One", nil, "At least 120 people were killed and 400 injured in the floods, the United Nations said on Monday.",
			"https://copy.example/floods"),
		mk(2, "2025-03-02", "Outlet Two", []string{"Photo: AFP"}, "Estimates suggest at least 120 people were killed and 400 injured in the floods across the valley."),
		mk(3, "2025-03-03", "Outlet Three", []string{"Associated Press"}, "The floods have displaced 5,000 people in the valley."),
		mk(4, "2025-03-04", "Outlet Four", nil, "Around 60 soldiers were killed in the floods, according to a lawmaker. This information, disclosed after a briefing from the Pentagon, was not confirmed."),
		mk(5, "2025-03-05", "Outlet Five", nil, "At least 150 people were killed in the floods, a provincial governor said."),
		mk(6, "2025-04-20", "Outlet Six", nil, "The United Nations said on Sunday that 300 people were killed in the floods."),
	}
}

func findReport(t *testing.T, s Story, kind string, article int64, source int) (Line, Reported) {
	t.Helper()
	for _, l := range s.Ledger {
		if l.Kind != kind {
			continue
		}
		for _, r := range l.Reports {
			if r.Article == article && r.Source == source {
				return l, r
			}
		}
	}
	t.Fatalf("no %s report of article %d (source %d) in %+v", kind, article, source, s.Ledger)
	return Line{}, Reported{}
}

func TestEchoOrigins(t *testing.T) {
	s := Build(floods())[0]
	tests := []struct {
		kind            string
		article         int64
		source          int
		origin, why     string
		first, echo     bool
		originKind      string
		wantLineOrigins int
	}{
		// Named: the UN.
		{"killed", 1, 0, "org:un", "names the United Nations", true, false, "named", 0},
		// A folded copy is a report, an echo of the article it copies.
		{"killed", 1, 1, "org:un", "copy of the article a1, carried by copy.example", false, true, "named", 0},
		// No source named, the same 120 killed / 400 injured pair: an echo.
		{"killed", 2, 0, "org:un", "same 120 killed / 400 injured pair as the United Nations report of 2025-03-01 (a1)", false, true, "named", 0},
		{"injured", 2, 0, "org:un", "pair", false, true, "named", 1},
		// No source named, no earlier report: the wire the article is
		// credited to (a photo credit does not count).
		{"displaced", 3, 0, "org:ap", "credited to Associated Press", true, false, "wire", 1},
		// A lawmaker who relays a Pentagon briefing: the Pentagon.
		{"killed", 4, 0, "org:pentagon", "citing Pentagon", true, false, "named", 0},
		// A source the table does not know is a source of its own.
		{"killed", 5, 0, "said:provincial-governor", "names a provincial governor", true, false, "named", 0},
		// The UN again, with a new figure: not its first report, no echo.
		{"killed", 6, 0, "org:un", "names The United Nations", false, false, "named", 0},
	}
	for _, tt := range tests {
		l, r := findReport(t, s, tt.kind, tt.article, tt.source)
		if r.Origin.ID != tt.origin || r.Origin.Kind != tt.originKind || r.First != tt.first || (r.EchoOf != nil) != tt.echo || !strings.Contains(r.Why, tt.why) {
			t.Errorf("%s in a%d/%d: origin %s (%s), first %v, echo %v, why %q; want %s (%s), first %v, echo %v, why with %q",
				tt.kind, tt.article, tt.source, r.Origin.ID, r.Origin.Kind, r.First, r.EchoOf != nil, r.Why,
				tt.origin, tt.originKind, tt.first, tt.echo, tt.why)
		}
		if tt.wantLineOrigins > 0 && len(l.Origins) != tt.wantLineOrigins {
			t.Errorf("%s line: %d origins, want %d: %+v", tt.kind, len(l.Origins), tt.wantLineOrigins, l.Origins)
		}
	}
}

func TestEchoDisagreementKinds(t *testing.T) {
	s := Build(floods())[0]
	var killed *Line
	for i := range s.Ledger {
		if s.Ledger[i].Kind == "killed" && s.Ledger[i].Subject == "people" {
			killed = &s.Ledger[i]
		}
	}
	if killed == nil {
		t.Fatalf("no killed/people line in %+v", s.Ledger)
	}
	// The UN's 120 and the governor's 150 four days apart disagree; the
	// UN's own 120 then 300 is a change.
	if !killed.Disagree || !killed.Changed {
		t.Errorf("killed line: disagree %v, changed %v; want both", killed.Disagree, killed.Changed)
	}
	var un *LineOrigin
	for i := range killed.Origins {
		if killed.Origins[i].ID == "org:un" {
			un = &killed.Origins[i]
		}
	}
	if un == nil || len(un.Values) != 2 || un.Values[0] != 120 || un.Values[1] != 300 || un.Reports != 4 {
		t.Errorf("UN origin = %+v, want values 120 then 300 over 4 reports (its own two, the copy, the echo)", un)
	}
	found := false
	for _, d := range s.Disagreements {
		if d.Topic == killed.Topic {
			found = true
			if d.Kind != "conflict" {
				t.Errorf("disagreement kind %q, want conflict: %+v", d.Kind, d)
			}
		}
	}
	if !found {
		t.Errorf("no disagreement for %s: %+v", killed.Topic, s.Disagreements)
	}

	// The UN alone: 120 then 300 is a change, not a disagreement.
	arts := floods()
	only := []news.Stored{arts[0], arts[1], arts[5]}
	s = Build(only)[0]
	for _, d := range s.Disagreements {
		if len(d.Values) > 0 && d.Kind != "change" {
			t.Errorf("one origin's revision reported as %q: %+v", d.Kind, d)
		}
	}
}

func TestGeneric(t *testing.T) {
	for s, want := range map[string]bool{
		"Estimates": true, "recent reports": true, "it's also said": true, "المعلومات الاستخباراتية": true,
		"Western newspapers": true, "the union": false, "a provincial governor": false, "Shoigu": false,
	} {
		if generic(s) != want {
			t.Errorf("generic(%q) = %v, want %v", s, !want, want)
		}
	}
}

// TestSplitLine keeps apart figures of one kind about parties that do not
// meet: a tariff on Japan and South Korea is not a tariff on BRICS
// countries, and the two are no disagreement.
func TestSplitLine(t *testing.T) {
	a := news.Article{Title: "Tariffs", Language: "en", Site: "Outlet",
		Text: "President Donald Trump said on Monday he was slapping 25% tariffs on Japan and South Korea. " +
			"Trump's trade adviser Peter Navarro said a further 10% tariff would hit countries aligning themselves with BRICS."}
	a.Facts = facts.Analyze(a, day("2025-07-07"), "captured", day("2025-07-07"))
	s := Build([]news.Stored{{ID: 1, Story: 1, Event: 1, Article: a, Sources: []news.Source{{File: "t.txt", Captured: day("2025-07-07")}}}})[0]
	var topics []string
	for _, l := range s.Ledger {
		if l.Kind == "rate" {
			topics = append(topics, l.Topic)
			if len(l.Reports) != 1 || len(l.Origins) != 1 {
				t.Errorf("line %q: %d reports, %d origins; want 1 and 1", l.Topic, len(l.Reports), len(l.Origins))
			}
		}
	}
	if len(topics) != 2 || !strings.Contains(topics[0], "Japan") || !strings.Contains(topics[1], "BRICS") {
		t.Errorf("rate lines %q, want one on Japan and South Korea, one on BRICS", topics)
	}
	if len(s.Disagreements) != 0 {
		t.Errorf("disagreements %+v, want none", s.Disagreements)
	}
}

// TestOriginAcrossLanguages: "police said" in English and "laut Polizei"
// in German are one origin on one ledger line; the German "Behörden"
// ("authorities") names no one, like its English word.
func TestOriginAcrossLanguages(t *testing.T) {
	for _, tc := range []struct {
		name, de string
		origins  int
	}{
		{"the police in two languages", "Bei dem Erdbeben sind 12 Menschen ums Leben gekommen, teilte die Polizei mit.", 1},
		{"the army and the police", "Bei dem Erdbeben sind 12 Menschen ums Leben gekommen, teilte die Armee mit.", 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := Build([]news.Stored{
				quakeReport(1, 10, "one.example", "en", "A strong earthquake struck on Tuesday. 12 people were killed, police said."),
				quakeReport(2, 10, "zwei.example", "de", tc.de),
			})[0]
			for _, l := range s.Ledger {
				if l.Kind == "killed" {
					if len(l.Reports) != 2 || len(l.Origins) != tc.origins {
						t.Errorf("killed line: %d reports, %d origins (%+v); want 2 and %d", len(l.Reports), len(l.Origins), l.Origins, tc.origins)
					}
					return
				}
			}
			t.Fatalf("no killed line in %+v", s.Ledger)
		})
	}
	for by, want := range map[string]bool{"Behörden": true, "les autorités locales": true, "Polizei": false} {
		if got := generic(by); got != want {
			t.Errorf("generic(%q) = %v, want %v", by, got, want)
		}
	}
}
