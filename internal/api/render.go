package api

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"dossier/internal/client"
	"dossier/internal/news"
	"dossier/internal/pipeline"
	"dossier/internal/store"
	"dossier/internal/story"
)

// This file turns the service's values into the API's representation
// (the types of internal/client).

func storyID(id int64) string   { return "s" + strconv.FormatInt(id, 10) }
func eventID(id int64) string   { return "e" + strconv.FormatInt(id, 10) }
func articleID(id int64) string { return "a" + strconv.FormatInt(id, 10) }
func figureID(article int64, index int) string {
	return fmt.Sprintf("f%d.%d", article, index+1)
}

// optID is an id, or null for 0 (not clustered).
func optID(id int64, f func(int64) string) *string {
	if id == 0 {
		return nil
	}
	s := f(id)
	return &s
}

func ids(xs []int64, f func(int64) string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = f(x)
	}
	return out
}

// parseID reads a path id: the prefixed form ("s12") or the bare number.
func parseID(s, prefix string) (int64, bool) {
	s = strings.TrimPrefix(s, prefix)
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, false
	}
	return n, true
}

func str(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func instant(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.UTC().Format(time.RFC3339)
	return &s
}

func day(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.UTC().Format("2006-01-02")
	return &s
}

func dateRange(r news.DateRange) *client.DateRange {
	if !r.Known() {
		return nil
	}
	return &client.DateRange{Earliest: day(r.Earliest), Latest: day(r.Latest), Basis: str(r.Basis)}
}

func countList(cs []story.Count) []client.Count {
	out := make([]client.Count, len(cs))
	for i, c := range cs {
		out[i] = client.Count{Key: c.Key, Count: c.N}
	}
	return out
}

func renderStorySummary(s pipeline.StorySummary) client.StorySummary {
	return client.StorySummary{ID: storyID(s.ID), Title: s.Title, Summary: s.Summary, Articles: s.Articles,
		First: instant(s.First), Latest: instant(s.Latest),
		Coverage: client.Coverage{Languages: countList(s.Languages), Outlets: countList(s.Outlets), Days: countList(s.Days)}}
}

func renderFigure(article int64, index int, f news.Figure) client.Figure {
	out := client.Figure{ID: figureID(article, index), Article: articleID(article), Value: f.Value,
		Qualifier: str(f.Qualifier), Unit: str(f.Unit), Kind: str(f.Kind), Subject: str(f.Subject),
		AttributedTo: str(f.AttributedTo), Sentence: f.Sentence}
	if f.IsRange {
		lo, hi := f.Low, f.High
		out.Low, out.High = &lo, &hi
	}
	return out
}

func position(p story.Position) client.Position {
	return client.Position{Text: p.Text, By: p.By, Articles: ids(p.Articles, articleID)}
}

func renderStory(v story.View, updated time.Time) client.Story {
	out := client.Story{ID: storyID(v.ID), Title: v.Title, Summary: v.Summary, First: instant(v.First), Latest: instant(v.Latest),
		Updated:  updated.UTC().Format(time.RFC3339Nano),
		Coverage: client.Coverage{Languages: countList(v.Coverage.Languages), Outlets: countList(v.Coverage.Outlets), Days: countList(v.Coverage.Days)},
		Articles: []client.ArticleRef{}, Events: []client.Event{}, Timeline: []client.Entry{}, Ledger: []client.LedgerLine{},
		Disagreements: []client.Disagreement{}, StatusChanges: []client.StatusChange{}}
	for _, r := range v.Refs {
		out.Articles = append(out.Articles, client.ArticleRef{ID: articleID(r.ID), Event: optID(r.Event, eventID), Title: r.Title,
			Language: r.Language, Site: str(r.Site), URL: str(r.URL), When: instant(r.When), Sources: r.Sources})
	}
	for _, e := range v.Events {
		out.Events = append(out.Events, client.Event{ID: eventID(e.ID), Title: e.Title, Summary: e.Summary,
			Articles: ids(e.Articles, articleID), Earliest: day(e.Earliest), Latest: day(e.Latest)})
	}
	for _, e := range v.Timeline {
		out.Timeline = append(out.Timeline, client.Entry{Earliest: day(e.Earliest), Latest: day(e.Latest), Text: e.Text,
			Language: e.Lang, Articles: ids(e.Articles, articleID)})
	}
	for _, l := range v.Ledger {
		line := client.LedgerLine{Topic: l.Topic, Kind: l.Kind, Subject: l.Subject, Disagree: l.Disagree, Changed: l.Changed,
			Reports: []client.Reported{}}
		for _, r := range l.Reports {
			line.Reports = append(line.Reports, client.Reported{Figure: renderFigure(r.Article, r.Index, r.Figure), When: instant(r.When)})
		}
		out.Ledger = append(out.Ledger, line)
	}
	for _, d := range v.Disagreements {
		cd := client.Disagreement{Topic: d.Topic, Figures: []string{}, Values: d.Values, Positions: []client.Position{}}
		if cd.Values == nil {
			cd.Values = []float64{}
		}
		for _, f := range d.Figures {
			cd.Figures = append(cd.Figures, figureID(f.Article, f.Index))
		}
		for _, p := range d.Positions {
			cd.Positions = append(cd.Positions, position(p))
		}
		out.Disagreements = append(out.Disagreements, cd)
	}
	for _, c := range v.StatusChanges {
		out.StatusChanges = append(out.StatusChanges, client.StatusChange{Topic: c.Topic, Before: position(c.Before), After: position(c.After)})
	}
	return out
}

func renderArticle(a news.Stored) client.Article {
	out := client.Article{ID: articleID(a.ID), Story: optID(a.Story, storyID), Event: optID(a.Event, eventID),
		Title: a.Title, Text: a.Text, Byline: str(a.Byline), Credits: a.Credits, Site: str(a.Site), Language: a.Language,
		Published: dateRange(a.Published), Added: instant(a.Added), Sources: []client.Source{},
		Facts: client.Facts{Figures: []client.Figure{}, Statements: []client.Statement{}, Mentions: []client.Mention{},
			Bounds: dateRange(a.Facts.Bounds)}}
	if out.Credits == nil {
		out.Credits = []string{}
	}
	for _, s := range a.Sources {
		// The page key is left out: for a file it is a path on the server.
		out.Sources = append(out.Sources, client.Source{File: str(s.File), ID: str(s.ID), URL: str(s.URL),
			Captured: instant(s.Captured), Index: s.Index, Title: str(s.Title)})
	}
	for i, f := range a.Facts.Figures {
		out.Facts.Figures = append(out.Facts.Figures, renderFigure(a.ID, i, f))
	}
	for _, s := range a.Facts.Statements {
		out.Facts.Statements = append(out.Facts.Statements, client.Statement{Text: s.Text, Expr: s.Expr, Value: s.Value,
			Earliest: day(s.Earliest), Latest: day(s.Latest), Anchor: str(s.Anchor)})
	}
	for _, m := range a.Facts.Mentions {
		out.Facts.Mentions = append(out.Facts.Mentions, client.Mention{Entity: m.Entity, Type: m.Type, Name: m.Name, Canonical: m.Canonical})
	}
	return out
}

func renderFigureRow(r store.FigureRow) client.FigureRow {
	return client.FigureRow{Figure: renderFigure(r.Article, r.Index, r.Figure), Index: r.Index, Story: optID(r.Story, storyID),
		SourceEntity: str(r.SourceEntity), Language: r.Language, Site: str(r.Site),
		Published: instant(r.Published), Captured: instant(r.Captured)}
}

func renderFigureRows(rows []store.FigureRow) []client.FigureRow {
	out := make([]client.FigureRow, len(rows))
	for i, r := range rows {
		out[i] = renderFigureRow(r)
	}
	return out
}

func aliases(as []store.Alias) []client.Alias {
	out := make([]client.Alias, len(as))
	for i, a := range as {
		out[i] = client.Alias{Name: a.Name, Count: a.N}
	}
	return out
}

func renderEntity(p pipeline.EntityPage) client.Entity {
	return client.Entity{ID: p.ID, Type: p.Type, Name: p.Name, Aliases: aliases(p.Aliases), ArticleCount: p.Entity.Articles,
		Stories: ids(p.Stories, storyID), Articles: ids(p.ArticleIDs, articleID), Figures: renderFigureRows(p.Figures), Next: str(p.Next)}
}

func renderSearch(q string, r pipeline.SearchResult) client.SearchResult {
	out := client.SearchResult{Query: q, Hits: []client.SearchHit{}, Entities: []client.EntityRef{}, Next: str(r.Next)}
	for _, h := range r.Hits {
		sn := client.Snippet{Text: h.Snippet.Text, Highlights: h.Snippet.Highlights}
		if sn.Highlights == nil {
			sn.Highlights = [][2]int{}
		}
		out.Hits = append(out.Hits, client.SearchHit{Article: articleID(h.Article), Title: h.Title, Language: h.Language,
			Site: str(h.Site), Published: instant(h.Published), Story: optID(h.Story, storyID), Score: h.Score,
			Snippet: sn, ViaEntity: h.ViaEntity})
	}
	for _, e := range r.Entities {
		out.Entities = append(out.Entities, client.EntityRef{ID: e.ID, Type: e.Type, Name: e.Name, Aliases: aliases(e.Aliases)})
	}
	return out
}

func renderChanges(c pipeline.Changes) client.Changes {
	out := client.Changes{Articles: ids(c.Articles, articleID), ClusterChanges: []client.ClusterChange{}, Next: c.Next}
	for _, x := range c.Clusters {
		f := storyID
		if x.Level == "event" {
			f = eventID
		}
		out.ClusterChanges = append(out.ClusterChanges, client.ClusterChange{ID: x.ID, At: x.At.UTC().Format(time.RFC3339),
			Kind: x.Kind, Level: x.Level, From: f(x.From), Into: f(x.Into), Article: optID(x.Article, articleID), Score: x.Score})
	}
	return out
}
