package alert

import (
	"reflect"
	"sort"
	"testing"
	"time"

	"dossier/internal/facts"
	"dossier/internal/news"
	"dossier/internal/story"
)

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

// art is an article of story 1, analysed as ingest analyses it.
func art(id int64, date, lang, site, title, text string) news.Stored {
	a := news.Article{Title: title, Text: text, Language: lang, Site: site}
	a.Facts = facts.Analyze(a, day(date), "captured", day(date))
	return news.Stored{ID: id, Story: 1, Event: 10, Article: a,
		Sources: []news.Source{{URL: "https://" + site + "/" + title, Captured: day(date)}}}
}

// Articles written for these tests: a spy agency's count of soldiers
// killed, revised; a conflicting count from another side; an outlet in
// another language; an acknowledgement that changed.
var (
	first = art(1, "2025-03-01", "en", "alpha.example", "Agency counts losses",
		"About 300 North Korean soldiers were killed in the fighting, South Korea's spy agency said on Saturday. Pyongyang has never acknowledged sending troops.")
	repeat = art(2, "2025-03-02", "en", "beta.example", "Losses confirmed by the agency",
		"300 North Korean soldiers were killed, South Korea's spy agency said.")
	revised = art(3, "2025-04-20", "en", "gamma.example", "Agency revises count",
		"600 North Korean soldiers were killed, South Korea's spy agency said in April.")
	confirmed = art(4, "2025-04-28", "en", "alpha.example", "Pyongyang confirms deployment",
		"North Korea confirmed for the first time that it sent troops to fight alongside Russia.")
	arabic = art(5, "2025-04-29", "ar", "arabic.example", "كوريا الشمالية تؤكد",
		"أكدت كوريا الشمالية للمرة الأولى أنها أرسلت قوات للقتال.")
	unrelated = art(6, "2025-04-29", "en", "beta.example", "Weather in Seoul",
		"It rained in Seoul on Tuesday, forecasters said.")
)

func view(arts ...news.Stored) *story.View {
	v := story.NewView(1, arts)
	return &v
}

type kindKey struct{ Kind, Key string }

func kinds(cs []Change) []kindKey {
	var out []kindKey
	for _, c := range cs {
		out = append(out, kindKey{c.Kind, c.Key})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Kind != out[j].Kind {
			return out[i].Kind < out[j].Kind
		}
		return out[i].Key < out[j].Key
	})
	return out
}

func TestChanges(t *testing.T) {
	storyRule := Rule{ID: 1, Kind: FollowStory, Story: 1}
	killedTopic := ""
	for _, l := range view(first).Ledger {
		if l.Kind == "killed" {
			killedTopic = l.Topic
		}
	}
	if killedTopic == "" {
		t.Fatalf("no killed figure in %+v", view(first).Ledger)
	}
	tests := []struct {
		name       string
		in         Input
		want       []kindKey
		before     string // of the changed figure, if one is wanted
		after      string
		beforeWhat string
	}{
		{"unchanged refresh", Input{Rule: storyRule, Story: 1, Prev: view(first, repeat), Next: view(first, repeat)}, nil, "", "", ""},
		{"a new article repeating a figure", Input{Rule: storyRule, Story: 1, Prev: view(first), Next: view(first, repeat)},
			[]kindKey{{NewArticle, "2"}, {NewOutlet, "beta.example"}}, "", "", ""},
		{"a figure revised from 300 to 600", Input{Rule: storyRule, Story: 1, Prev: view(first, repeat), Next: view(first, repeat, revised)},
			[]kindKey{{ChangedFigure, killedTopic + "|3:0:0"}, {NewArticle, "3"}, {NewOutlet, "gamma.example"}}, "300", "600", ""},
		{"the first figure of a story", Input{Rule: storyRule, Story: 1, Prev: view(unrelated), Next: view(unrelated, first)},
			[]kindKey{{NewArticle, "1"}, {NewFigure, killedTopic}, {NewOutlet, "alpha.example"}}, "", "", ""},
		{"a status change", Input{Rule: storyRule, Story: 1, Prev: view(first), Next: view(first, confirmed)},
			[]kindKey{{NewArticle, "4"}, {StatusChange, "acknowledgement"}}, "", "", ""},
		{"a new language", Input{Rule: storyRule, Story: 1, Prev: view(first, confirmed), Next: view(first, confirmed, arabic)},
			[]kindKey{{NewArticle, "5"}, {NewLanguage, "ar"}, {NewOutlet, "arabic.example"}}, "", "", ""},
		{"another story's rule", Input{Rule: Rule{ID: 2, Kind: FollowStory, Story: 2}, Story: 1, Prev: view(first), Next: view(first, revised)},
			nil, "", "", ""},
		{"a merge into the story", Input{Rule: storyRule, Story: 1, Prev: view(first), Next: view(first, repeat),
			Merges:   []news.ClusterChange{{Kind: "merge", Level: "story", From: 9, Into: 1, Article: 2}},
			Absorbed: map[int64]bool{2: true}},
			[]kindKey{{Merge, "9>1"}, {NewOutlet, "beta.example"}}, "", "", ""},
		{"merged away", Input{Rule: storyRule, Story: 1, Prev: view(first), Next: nil,
			Merges: []news.ClusterChange{{Kind: "merge", Level: "story", From: 1, Into: 4}, {Kind: "merge", Level: "event", From: 1, Into: 4}}},
			[]kindKey{{Merge, "1>4"}}, "", "", ""},
		{"a figure rule sees only its quantity", Input{Rule: Rule{ID: 3, Kind: FollowFigure, Value: "North Korean soldiers killed"}, Story: 1,
			Prev: view(first, repeat), Next: view(first, repeat, revised, confirmed)},
			[]kindKey{{ChangedFigure, killedTopic + "|3:0:0"}}, "300", "600", ""},
		{"a figure rule on another quantity", Input{Rule: Rule{ID: 3, Kind: FollowFigure, Value: "civilians injured"}, Story: 1,
			Prev: view(first, repeat), Next: view(first, repeat, revised)}, nil, "", "", ""},
		{"an entity rule, new articles it matches", Input{Rule: Rule{ID: 4, Kind: FollowEntity}, Story: 1, Follows: true,
			Prev: view(first), Next: view(first, unrelated, confirmed), Matches: map[int64]bool{4: true}},
			[]kindKey{{NewArticle, "4"}, {NewOutlet, "beta.example"}, {StatusChange, "acknowledgement"}}, "", "", ""},
		{"an entity rule on a new story: its articles only", Input{Rule: Rule{ID: 4, Kind: FollowEntity}, Story: 1, Follows: true,
			Prev: nil, Next: view(first, revised), Matches: map[int64]bool{1: true, 3: true}},
			[]kindKey{{NewArticle, "1"}, {NewArticle, "3"}}, "", "", ""},
		{"an entity rule on a story it does not follow", Input{Rule: Rule{ID: 4, Kind: FollowEntity}, Story: 1, Follows: false,
			Prev: view(first), Next: view(first, confirmed)}, nil, "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Changes(tt.in)
			if k := kinds(got); !reflect.DeepEqual(k, tt.want) {
				t.Fatalf("changes %v\nwant %v\n%+v", k, tt.want, got)
			}
			for _, c := range got {
				if c.Text == "" {
					t.Errorf("%s %s says nothing", c.Kind, c.Key)
				}
				if c.Kind == ChangedFigure {
					if c.Before != tt.before || c.After != tt.after || c.Sentence == "" || c.Site != "gamma.example" || c.Article != 3 ||
						c.URL == "" || !c.At.Equal(day("2025-04-20")) {
						t.Errorf("changed figure %+v; want %s → %s with its sentence and source", c, tt.before, tt.after)
					}
				}
				if c.Kind == NewArticle && (c.URL == "" || c.Site == "" || c.Article == 0) {
					t.Errorf("new article without its source: %+v", c)
				}
			}
			// The same refresh seen again changes nothing once Next is
			// the previous view.
			again := tt.in
			again.Prev, again.Merges, again.Absorbed = tt.in.Next, nil, nil
			if again.Prev != nil {
				if cs := Changes(again); len(cs) != 0 {
					t.Errorf("refresh of an unchanged view: %v", kinds(cs))
				}
			}
		})
	}
}

// TestConflict checks that two sources giving different figures at about
// the same time is a new disagreement, and that one source revising its
// own figure is not (it is a changed figure).
func TestConflict(t *testing.T) {
	other := art(7, "2025-03-01", "en", "delta.example", "Kyiv gives its count",
		"Ukraine's military intelligence said 1,000 North Korean soldiers were killed.")
	cs := Changes(Input{Rule: Rule{ID: 1, Kind: FollowStory, Story: 1}, Story: 1, Prev: view(first), Next: view(first, other)})
	var dis *Change
	for i := range cs {
		if cs[i].Kind == NewDisagreement {
			dis = &cs[i]
		}
	}
	if dis == nil {
		t.Fatalf("no disagreement in %v", kinds(cs))
	}
	if dis.Sentence == "" || dis.After == "" || dis.Article == 0 {
		t.Errorf("disagreement without its values, sentence or source: %+v", dis)
	}
	for _, c := range Changes(Input{Rule: Rule{ID: 1, Kind: FollowStory, Story: 1}, Story: 1, Prev: view(first), Next: view(first, revised)}) {
		if c.Kind == NewDisagreement {
			t.Errorf("a revision by the same source is a disagreement: %+v", c)
		}
	}
}

func TestID(t *testing.T) {
	a, b := ID(1, 2, ChangedFigure, "k"), ID(1, 2, ChangedFigure, "k")
	if a != b || len(a) != 32 {
		t.Errorf("ID not stable: %s, %s", a, b)
	}
	for _, o := range []string{ID(2, 2, ChangedFigure, "k"), ID(1, 3, ChangedFigure, "k"), ID(1, 2, NewFigure, "k"), ID(1, 2, ChangedFigure, "l"),
		ID(12, 2, ChangedFigure, "k"), ID(1, 22, ChangedFigure, "k")} {
		if o == a {
			t.Errorf("distinct changes share id %s", a)
		}
	}
}

func TestMatches(t *testing.T) {
	var killed story.Line
	for _, l := range view(first, revised).Ledger {
		if l.Kind == "killed" {
			killed = l
		}
	}
	for q, want := range map[string]bool{"North Korean soldiers killed": true, "soldiers killed": true, "killed": true,
		"the soldiers killed": true, "Ukrainian soldiers killed": false, "North Korean soldiers injured": false, "": false,
		"people killed": false, "civilians killed": false} {
		if got := Matches(q, killed); got != want {
			t.Errorf("Matches(%q, %s) = %v, want %v", q, killed.Topic, got, want)
		}
	}
	// A word the clustering terms leave out still has to be there.
	people := art(8, "2025-03-01", "en", "delta.example", "Strike", "The strike killed 12 people, officials said.")
	found := false
	for _, l := range view(people).Ledger {
		if l.Kind == "killed" {
			found = true
			if !Matches("people killed", l) || !Matches("killed", l) || Matches("soldiers killed", l) {
				t.Errorf("%s: people killed %v, killed %v, soldiers killed %v; want true, true, false", l.Topic,
					Matches("people killed", l), Matches("killed", l), Matches("soldiers killed", l))
			}
		}
	}
	if !found {
		t.Fatalf("no killed line in %+v", view(people).Ledger)
	}
}
