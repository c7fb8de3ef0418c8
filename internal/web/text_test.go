package web

import (
	"strings"
	"testing"

	"dossier/internal/news"
)

func TestNumberIn(t *testing.T) {
	for _, tt := range []struct {
		sent  string
		value float64
		want  string
	}{
		{"About 12,000 North Korean troops were sent.", 12000, "12,000"},
		{"Some 300 soldiers died, out of 3000.", 300, "300"},
		{"Some 3000 soldiers, not 300.", 300, "300"},
		{"قتل نحو ٣٠٠ جندي", 300, "٣٠٠"},
		{"نشرت نحو 12 ألف جندي على الأراضي", 12000, "12 ألف"},
		{"Two soldiers were captured.", 2, "Two soldiers were captured."},
	} {
		s, e := numberIn(tt.sent, &news.Figure{Value: tt.value})
		if got := tt.sent[s:e]; got != tt.want {
			t.Errorf("numberIn(%q, %v) = %q, want %q", tt.sent, tt.value, got, tt.want)
		}
	}
}

func TestHighlight(t *testing.T) {
	text := "Seoul says 300 North Korean soldiers died.\nNorth Korea denies it. Northern lights."
	f := news.Facts{
		Figures:  []news.Figure{{Value: 300, Kind: "killed", AttributedTo: "Seoul", Sentence: "Seoul says 300 North Korean soldiers died."}},
		Mentions: []news.Mention{{Entity: "country:KP", Name: "North Korea"}, {Entity: "country:KP", Name: "North Korean"}, {Entity: "city:seoul", Name: "Seoul"}},
	}
	paras := highlight(text, f)
	if len(paras) != 2 {
		t.Fatalf("%d paragraphs, want 2", len(paras))
	}
	var got []string
	var rebuilt strings.Builder
	for i, p := range paras {
		if i > 0 {
			rebuilt.WriteString("\n")
		}
		for _, s := range p {
			rebuilt.WriteString(s.Text)
			switch {
			case s.Figure != nil:
				got = append(got, "fig:"+s.Text)
			case s.Entity != nil:
				got = append(got, "ent:"+s.Text)
			}
		}
	}
	if rebuilt.String() != text {
		t.Errorf("segments do not rebuild the text:\n%q\n%q", rebuilt.String(), text)
	}
	want := "ent:Seoul fig:300 ent:North Korean ent:North Korea"
	if strings.Join(got, " ") != want {
		t.Errorf("highlights %q, want %q (no match inside \"Northern\")", strings.Join(got, " "), want)
	}
}
