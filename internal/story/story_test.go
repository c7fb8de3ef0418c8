package story

import (
	"encoding/json"
	"flag"
	"testing"
	"time"

	"dossier/internal/facts"
	"dossier/internal/golden"
	"dossier/internal/news"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

// Fixtures returns three clustered articles of one story, written for this
// test: two outlets report a port strike with different figures, one
// reports the minister's reversal.
func Fixtures() []news.Stored {
	mk := func(id, ev int64, captured, lang, title, text string) news.Stored {
		a := news.Article{Title: title, Text: text, Language: lang}
		a.Facts = facts.Analyze(a, day(captured), "captured", day(captured))
		return news.Stored{ID: id, Story: 1, Event: ev, Article: a,
			Sources: []news.Source{{File: "f" + string(rune('0'+id)) + ".txt", Captured: day(captured)}}}
	}
	return []news.Stored{
		mk(1, 10, "2025-03-04", "en", "Dock workers strike at the port of Kharkiv",
			"About 300 dock workers walked out on Monday, the union said. The strike began in mid-February at the container terminal, according to the port authority. The ministry has never acknowledged the workers' demands."),
		mk(2, 10, "2025-03-05", "en", "Kharkiv port strike spreads",
			"More than 500 dock workers are now on strike, the port authority said on Tuesday. The strike began in mid-February at the container terminal, union leaders said. The port authority says the terminal is still open, but the union insisted it has shut down the terminal at Kharkiv."),
		mk(3, 11, "2025-04-02", "en", "Ministry confirms talks with Kharkiv dock workers",
			"The ministry confirmed for the first time that it is negotiating with the dock workers. In March, the union said 500 workers had joined the strike."),
	}
}

func TestBuildGolden(t *testing.T) {
	got, err := json.MarshalIndent(Build(Fixtures()), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	golden.Check(t, "testdata/story.golden.json", got, *update)
}

func TestLedgerAndDisagreements(t *testing.T) {
	s := Build(Fixtures())[0]
	var strike *Line
	for i := range s.Ledger {
		if s.Ledger[i].Kind != "" && len(s.Ledger[i].Reports) >= 2 {
			strike = &s.Ledger[i]
		}
	}
	if strike == nil {
		t.Fatalf("no ledger line gathers the strike figures: %+v", s.Ledger)
	}
	if !strike.Disagree || !strike.Changed || strike.Reports[0].Value != 300 {
		t.Errorf("ledger line %+v: want 300 first, flagged disagree and changed", strike)
	}
	var values, positions bool
	for _, d := range s.Disagreements {
		values = values || len(d.Values) >= 2
		positions = positions || len(d.Positions) >= 2
	}
	if !values || !positions {
		t.Errorf("disagreements: values %v, positions %v; want both: %+v", values, positions, s.Disagreements)
	}
	if len(s.StatusChanges) != 1 || s.StatusChanges[0].After.Articles[0] != 3 {
		t.Errorf("status changes = %+v, want never acknowledged → confirmed (article 3)", s.StatusChanges)
	}
	// The same development reported by two outlets is one timeline entry.
	for _, e := range s.Timeline {
		if e.Earliest.Equal(day("2025-02-10")) && len(e.Articles) != 2 {
			t.Errorf("mid-February entry has articles %v, want both outlets", e.Articles)
		}
	}
}

// TestMayChangeStatus: the short cut in statusChanges passes every text in
// which reNever or reFirst can match a sentence, in any case.
func TestMayChangeStatus(t *testing.T) {
	for _, s := range []string{
		"Moscow has never officially acknowledged the deployment.",
		"MOSCOW HAS NOT CONFIRMED IT.",
		"The ministry Admitted for the first time that troops were there.",
		"For the first time, Pyongyang confirmed the losses.",
		"لم تعترف موسكو بذلك",
		"أكدت للمرة الأولى",
		"The Kremlin never ac\u212Anowledged it.", // Kelvin sign: (?i) folds it to k
		"Moscow has never diſcloſed it.",          // long s: (?i) folds it to s
	} {
		matches := reNever.MatchString(s) || reFirst.MatchString(s)
		if !matches {
			t.Errorf("%q: neither expression matches: the case tests nothing", s)
		}
		if matches && !mayChangeStatus(s) {
			t.Errorf("mayChangeStatus(%q) = false, but the expressions match", s)
		}
	}
	if mayChangeStatus("The army said it advanced on Tuesday.") {
		t.Error("mayChangeStatus passes a text with none of the words")
	}
}

// TestCentralAsPairs: central picks the article the pairwise definition
// picks (entities shared, summed over every other article), ties to the
// first, on random groups.
func TestCentralAsPairs(t *testing.T) {
	pairs := func(arts []news.Stored) int64 {
		best, bestScore := arts[0].ID, -1.0
		for i, a := range arts {
			score := 0.0
			for j, b := range arts {
				if i == j {
					continue
				}
				seen := map[string]bool{}
				for _, m := range a.Facts.Mentions {
					if seen[m.Entity] {
						continue
					}
					seen[m.Entity] = true
					for _, n := range b.Facts.Mentions {
						if n.Entity == m.Entity {
							score++
							break
						}
					}
				}
			}
			if a.Title != "" {
				score += 0.5
			}
			if a.Language == "en" {
				score += 0.25
			}
			if score > bestScore {
				best, bestScore = a.ID, score
			}
		}
		return best
	}
	rnd := uint64(1)
	next := func(n int) int {
		rnd = rnd*6364136223846793005 + 1442695040888963407
		return int(rnd>>33) % n
	}
	for round := range 300 {
		arts := make([]news.Stored, 1+next(12))
		for i := range arts {
			arts[i].ID = int64(i + 1)
			if next(2) == 0 {
				arts[i].Title = "t"
			}
			if next(3) == 0 {
				arts[i].Language = "en"
			}
			for range next(6) {
				arts[i].Facts.Mentions = append(arts[i].Facts.Mentions, news.Mention{Entity: string(rune('a' + next(5)))})
			}
		}
		if got, want := central(arts).ID, pairs(arts); got != want {
			t.Fatalf("round %d: central = article %d, pairwise = %d", round, got, want)
		}
	}
}

// TestTollsOfOtherEvents: two outlets' tolls whose sentences name no
// party disagree only when their articles are of one event; a story holds
// several (two quakes of one kind, a shooting and its trial).
func TestTollsOfOtherEvents(t *testing.T) {
	for _, tc := range []struct {
		name     string
		ev1, ev2 int64
		want     bool
	}{
		{"one event", 10, 10, true},
		{"two events", 10, 11, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkConflict(t, tc.want,
				quakeReport(1, tc.ev1, "one.example", "en", "A strong earthquake struck on Tuesday. At least 12 people were killed when houses collapsed."),
				quakeReport(2, tc.ev2, "two.example", "en", "The earthquake flattened a village on Tuesday. At least 20 people were killed in the collapse."))
		})
	}
}

// TestDisagreementAcrossLanguages: a toll reported in German and one in
// English meet on one ledger line and disagree.
func TestDisagreementAcrossLanguages(t *testing.T) {
	for _, tc := range []struct {
		name, lang, text string
		want             bool
	}{
		{"same magnitude", "de", "Bei dem Erdbeben sind 20 Menschen ums Leben gekommen.", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkConflict(t, tc.want,
				quakeReport(1, 10, "one.example", "en", "A strong earthquake struck on Tuesday. 12 people were killed when houses collapsed."),
				quakeReport(2, 10, "zwei.example", tc.lang, tc.text))
		})
	}
}

// TestSameMagnitude: values more than ten times apart count different
// things (a town's toll and a country's, a day's and a pandemic's) and do
// not disagree; "no one was killed" against a few does.
func TestSameMagnitude(t *testing.T) {
	for _, tc := range []struct {
		a, b float64
		want bool
	}{
		{12, 20, true}, {300, 600, true}, {12, 200, false}, {31, 600, false}, {7, 2e6, false}, {0, 2, true}, {0, 95, false},
	} {
		if got := sameMagnitude(tc.a, tc.b); got != tc.want {
			t.Errorf("sameMagnitude(%v, %v) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

// quakeReport is an article of story 1 and event ev from site, captured
// on one day, with its facts.
func quakeReport(id, ev int64, site, lang, text string) news.Stored {
	a := news.Article{Title: "Quake", Text: text, Language: lang, Site: site}
	a.Facts = facts.Analyze(a, day("2025-03-04"), "captured", day("2025-03-04"))
	return news.Stored{ID: id, Story: 1, Event: ev, Article: a,
		Sources: []news.Source{{File: site, Captured: day("2025-03-04")}}}
}

// checkConflict builds arts into one story and checks whether it lists a
// conflict between sources.
func checkConflict(t *testing.T, want bool, arts ...news.Stored) {
	t.Helper()
	s := Build(arts)
	if len(s) != 1 {
		t.Fatalf("%d stories, want 1", len(s))
	}
	got := false
	for _, d := range s[0].Disagreements {
		got = got || d.Kind == "conflict"
	}
	if got != want {
		t.Errorf("conflict reported: %v, want %v (%+v)", got, want, s[0].Disagreements)
	}
}
