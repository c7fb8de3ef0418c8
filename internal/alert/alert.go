// Package alert finds what changed in a story between two of its views,
// for a rule a user follows it by: a new article, a new or changed
// figure, a new disagreement, a status change, a new language or outlet,
// a merge. It is pure: views and a rule in, changes out; the pipeline
// stores them and the notifier delivers them.
//
// A change is named by its kind and a key (an article id, a figure
// report, a language …) so that ID gives the same change the same id
// however many times a story is refreshed: each change fires once.
package alert

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"dossier/internal/cluster"
	"dossier/internal/news"
	"dossier/internal/story"
)

// Rule kinds: what a rule follows.
const (
	FollowStory  = "story"
	FollowEntity = "entity"
	FollowQuery  = "query"
	FollowFigure = "figure"
)

// Change kinds: what a rule fires on.
const (
	NewArticle      = "new_article"
	NewFigure       = "new_figure"
	ChangedFigure   = "changed_figure"
	NewDisagreement = "new_disagreement"
	StatusChange    = "status_change"
	NewLanguage     = "new_language"
	NewOutlet       = "new_outlet"
	Merge           = "merge"
)

// Kinds lists the change kinds, for documentation and validation.
var Kinds = []string{NewArticle, NewFigure, ChangedFigure, NewDisagreement, StatusChange, NewLanguage, NewOutlet, Merge}

// Rule is what a user follows.
type Rule struct {
	ID   int64
	Kind string
	// Story is the story a story rule follows.
	Story int64
	// Value is the quantity of a figure rule ("North Korean soldiers
	// killed"); entity and query rules are matched by the caller (see
	// Input.Follows and Input.Matches).
	Value string
}

// Input is one story's refresh, seen by one rule.
type Input struct {
	Rule  Rule
	Story int64
	// Prev is the story's view before the refresh (nil: it had none);
	// Next after it (nil: it has no articles left, merged away).
	Prev, Next *story.View
	// Merges are the story merges into or out of the story logged since
	// Prev was built.
	Merges []news.ClusterChange
	// Absorbed are articles new to the story that were stored before Prev
	// was built: they came with a merge and are not new reports.
	Absorbed map[int64]bool
	// Follows says an entity or query rule applies to the story; Matches
	// which of the story's new articles it matches.
	Follows bool
	Matches map[int64]bool
}

// Change is one thing that changed.
type Change struct {
	Kind string
	// Key names the change within its kind and story.
	Key string
	// Topic is what changed, Text says it in a line, Before and After are
	// the values ("300", "600").
	Topic, Text   string
	Before, After string
	// Sentence reports the change, in Lang.
	Sentence, Lang string
	// Site, URL and Article are its source; At is when it was reported.
	Site, URL string
	Article   int64
	At        time.Time
}

// ID is the id of a change fired by a rule on a story: the same change
// has the same id on every refresh, in every process.
func ID(rule, story int64, kind, key string) string {
	h := sha256.Sum256([]byte(strconv.FormatInt(rule, 10) + "\x00" + strconv.FormatInt(story, 10) + "\x00" + kind + "\x00" + key))
	return hex.EncodeToString(h[:16])
}

// Changes returns what changed in the story between Prev and Next that
// the rule fires on, in a stable order. A refresh that changed nothing
// returns nothing.
func Changes(in Input) []Change {
	var prev, next story.View
	if in.Prev != nil {
		prev = *in.Prev
	}
	if in.Next != nil {
		next = *in.Next
	}
	var out []Change
	switch in.Rule.Kind {
	case FollowStory:
		if in.Rule.Story != in.Story {
			return nil
		}
		out = append(out, newArticles(prev, next, in.Absorbed, nil)...)
		out = append(out, figures(prev, next, in.Absorbed, nil)...)
		out = append(out, disagreements(prev, next, nil)...)
		out = append(out, statusChanges(prev, next)...)
		out = append(out, coverage(prev, next)...)
		out = append(out, merges(in.Story, in.Merges)...)
	case FollowEntity, FollowQuery:
		if !in.Follows {
			return nil
		}
		out = append(out, newArticles(prev, next, in.Absorbed, in.Matches)...)
		if in.Prev == nil {
			// A new story: its articles are the news, not each of
			// its first figures and disagreements.
			return out
		}
		out = append(out, figures(prev, next, in.Absorbed, nil)...)
		out = append(out, disagreements(prev, next, nil)...)
		out = append(out, statusChanges(prev, next)...)
		out = append(out, coverage(prev, next)...)
		out = append(out, merges(in.Story, in.Merges)...)
	case FollowFigure:
		q := newQuantity(in.Rule.Value)
		if len(q) == 0 {
			return nil
		}
		match := q.matches
		out = append(out, figures(prev, next, in.Absorbed, match)...)
		out = append(out, disagreements(prev, next, match)...)
	}
	return out
}

// refs indexes a view's article references.
func refs(v story.View) map[int64]story.ArticleRef {
	m := make(map[int64]story.ArticleRef, len(v.Refs))
	for _, r := range v.Refs {
		m[r.ID] = r
	}
	return m
}

func idSet(ids []int64) map[int64]bool {
	m := make(map[int64]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}

// newArticles reports the articles of next that prev did not have, except
// those absorbed by a merge and, when matches is not nil, those it does not
// hold.
func newArticles(prev, next story.View, absorbed, matches map[int64]bool) []Change {
	had := idSet(prev.Articles)
	nr := refs(next)
	var out []Change
	for _, id := range next.Articles {
		if had[id] || absorbed[id] || (matches != nil && !matches[id]) {
			continue
		}
		r, ok := nr[id]
		if !ok {
			continue // beyond the view's detail: nothing to say of it
		}
		title := r.Title
		if title == "" {
			title = "article " + strconv.FormatInt(id, 10)
		}
		text := "New article: " + title
		if r.Site != "" {
			text += " (" + r.Site + ")"
		}
		out = append(out, Change{Kind: NewArticle, Key: strconv.FormatInt(id, 10), Topic: next.Title, Text: text, After: title,
			Lang: r.Language, Site: r.Site, URL: r.URL, Article: id, At: r.When})
	}
	return out
}

func reportKey(r story.Reported) string {
	return fmt.Sprintf("%d:%d:%d", r.Article, r.Index, r.Source)
}

// figures reports the first figure of a quantity the story had no figure
// for, and each new report whose value differs from the report before it
// on the same quantity (the last one reported). Reports of absorbed
// articles are not new. When match is not nil, only the quantities it
// matches count.
func figures(prev, next story.View, absorbed map[int64]bool, match func(story.Line) bool) []Change {
	seen := map[string]map[string]bool{}
	for _, l := range prev.Ledger {
		if seen[l.Topic] == nil {
			seen[l.Topic] = map[string]bool{}
		}
		for _, r := range l.Reports {
			seen[l.Topic][reportKey(r)] = true
		}
	}
	nr := refs(next)
	var out []Change
	first := map[string]bool{}
	for _, l := range next.Ledger {
		if match != nil && !match(l) {
			continue
		}
		var last *story.Reported
		for i := range l.Reports {
			r := &l.Reports[i]
			k := reportKey(*r)
			fresh := !seen[l.Topic][k] && !absorbed[r.Article]
			if fresh {
				c := figureChange(l, *r, nr[r.Article])
				switch {
				case len(seen[l.Topic]) == 0 && last == nil && !first[l.Topic]:
					first[l.Topic] = true
					c.Kind, c.Key = NewFigure, l.Topic
					c.After = figureText(r.Figure)
					c.Text = "New figure: " + c.After + " (" + l.Topic + ")"
					out = append(out, c)
				case last != nil && differ(last.Figure, r.Figure):
					c.Kind, c.Key = ChangedFigure, l.Topic+"|"+k
					c.Before, c.After = figureText(last.Figure), figureText(r.Figure)
					c.Text = "Changed figure: " + l.Topic + " went from " + c.Before + " to " + c.After
					out = append(out, c)
				}
			}
			last = r
		}
	}
	return out
}

func figureChange(l story.Line, r story.Reported, ref story.ArticleRef) Change {
	c := Change{Topic: l.Topic, Sentence: r.Sentence, Lang: ref.Language, Site: ref.Site, URL: ref.URL, Article: r.Article, At: r.When}
	if c.At.IsZero() {
		c.At = ref.When
	}
	return c
}

// differ reports whether two figures give different values.
func differ(a, b news.Figure) bool {
	if a.IsRange || b.IsRange {
		return a.IsRange != b.IsRange || a.Low != b.Low || a.High != b.High
	}
	return a.Value != b.Value
}

// figureText writes a figure's value: "600", "about 1,000", "10–12%".
func figureText(f news.Figure) string {
	v := story.GroupDigits(strconv.FormatFloat(f.Value, 'f', -1, 64))
	if f.IsRange {
		v = story.GroupDigits(strconv.FormatFloat(f.Low, 'f', -1, 64)) + "–" + story.GroupDigits(strconv.FormatFloat(f.High, 'f', -1, 64))
	}
	if f.Unit == "percent" {
		v += "%"
	}
	if f.Qualifier != "" {
		v = f.Qualifier + " " + v
	}
	return v
}

// disagreements reports the disagreements of next that prev did not have.
// A "change" (one source revising its own figure) is not a disagreement:
// the changed figure is its alert. When match is not nil, only figure
// disagreements on quantities it matches count.
func disagreements(prev, next story.View, match func(story.Line) bool) []Change {
	had := map[string]bool{}
	for _, d := range prev.Disagreements {
		had[d.Kind+"|"+d.Topic] = true
	}
	lines := map[string]story.Line{}
	reports := map[story.FigureRef]story.Reported{}
	for _, l := range next.Ledger {
		if _, ok := lines[l.Topic]; !ok {
			lines[l.Topic] = l
		}
		for _, r := range l.Reports {
			if r.Source == 0 {
				reports[r.FigureRef] = r
			}
		}
	}
	nr := refs(next)
	var out []Change
	for _, d := range next.Disagreements {
		key := d.Kind + "|" + d.Topic
		if d.Kind == "change" || had[key] {
			continue
		}
		if match != nil {
			l, ok := lines[d.Topic]
			if !ok || !match(l) {
				continue
			}
		}
		c := Change{Kind: NewDisagreement, Key: key, Topic: d.Topic, Text: "New disagreement: " + d.Topic + ": " + d.Note}
		var vs []string
		for _, v := range d.Values {
			vs = append(vs, story.GroupDigits(strconv.FormatFloat(v, 'f', -1, 64)))
		}
		for _, p := range d.Positions {
			vs = append(vs, p.Party+": "+p.Text)
		}
		c.After = strings.Join(vs, " / ")
		// The source is the latest report on it.
		var src int64
		for _, f := range d.Figures {
			if r, ok := reports[f]; ok && (c.At.IsZero() || !r.When.Before(c.At)) {
				c.Sentence, c.At, src = r.Sentence, r.When, r.Article
			}
		}
		if n := len(d.Positions); n > 0 && src == 0 {
			p := d.Positions[n-1]
			c.Sentence = p.Text
			if len(p.Articles) > 0 {
				src = p.Articles[len(p.Articles)-1]
			}
		}
		if ref, ok := nr[src]; ok {
			c.Article, c.Lang, c.Site, c.URL = src, ref.Language, ref.Site, ref.URL
			if c.At.IsZero() {
				c.At = ref.When
			}
		}
		out = append(out, c)
	}
	return out
}

// statusChanges reports status changes next has and prev had not.
func statusChanges(prev, next story.View) []Change {
	had := map[string]bool{}
	for _, s := range prev.StatusChanges {
		had[s.Topic] = true
	}
	nr := refs(next)
	var out []Change
	for _, s := range next.StatusChanges {
		if had[s.Topic] {
			continue
		}
		c := Change{Kind: StatusChange, Key: s.Topic, Topic: s.Topic, Before: s.Before.Text, After: s.After.Text, Sentence: s.After.Text,
			Text: "Status change (" + s.Topic + "): " + s.After.Text}
		if len(s.After.Articles) > 0 {
			id := s.After.Articles[0]
			if ref, ok := nr[id]; ok {
				c.Article, c.Lang, c.Site, c.URL, c.At = id, ref.Language, ref.Site, ref.URL, ref.When
			}
		}
		out = append(out, c)
	}
	return out
}

// coverage reports the languages and outlets a story reached: those next
// counts and prev, a story with articles, did not.
func coverage(prev, next story.View) []Change {
	if len(prev.Articles) == 0 {
		return nil // a new story reaches its first language; no news
	}
	var out []Change
	for _, kind := range []string{NewLanguage, NewOutlet} {
		before, after := prev.Coverage.Languages, next.Coverage.Languages
		if kind == NewOutlet {
			before, after = prev.Coverage.Outlets, next.Coverage.Outlets
		}
		had := map[string]bool{}
		var was []string
		for _, c := range before {
			had[c.Key] = true
			was = append(was, c.Key)
		}
		sort.Strings(was)
		for _, c := range after {
			if had[c.Key] || c.Key == "" {
				continue
			}
			ch := Change{Kind: kind, Key: c.Key, Topic: next.Title, Before: strings.Join(was, ", "), After: c.Key}
			if kind == NewLanguage {
				ch.Text = "The story reached a new language: " + c.Key
			} else {
				ch.Text = "The story reached a new outlet: " + c.Key
			}
			// Its source is the earliest article in that language or
			// from that outlet.
			for _, r := range next.Refs {
				if (kind == NewLanguage && r.Language == c.Key) || (kind == NewOutlet && r.Site == c.Key) {
					ch.Article, ch.Lang, ch.Site, ch.URL, ch.At, ch.Sentence = r.ID, r.Language, r.Site, r.URL, r.When, r.Title
					break
				}
			}
			out = append(out, ch)
		}
	}
	return out
}

// merges reports the story merges into or out of the story.
func merges(id int64, ms []news.ClusterChange) []Change {
	var out []Change
	for _, m := range ms {
		if m.Kind != "merge" || m.Level != "story" || (m.From != id && m.Into != id) {
			continue
		}
		from, into := strconv.FormatInt(m.From, 10), strconv.FormatInt(m.Into, 10)
		c := Change{Kind: Merge, Key: from + ">" + into, Before: "story " + from, After: "story " + into, At: m.At, Article: m.Article}
		if m.Into == id {
			c.Text = "Story " + from + " merged into this story"
		} else {
			c.Text = "This story merged into story " + into
		}
		out = append(out, c)
	}
	return out
}

// termSet is the terms a quantity is written with: words, stems and
// cross-language concepts.
func termSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, t := range cluster.Terms(s) {
		m[t] = true
	}
	return m
}

// quantity is a figure rule's quantity: for each of its words, the terms
// it is written with (stems and cross-language concepts), or the word
// itself for a word the clustering terms leave out ("people").
type quantity []quantityWord

type quantityWord struct {
	word  string
	terms []string
}

// function words that say nothing of a quantity.
var functionWords = map[string]bool{"the": true, "of": true, "and": true, "in": true, "on": true, "for": true, "to": true,
	"a": true, "an": true, "by": true, "from": true, "with": true, "at": true, "as": true}

func newQuantity(s string) quantity {
	var q quantity
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if functionWords[w] {
			continue
		}
		q = append(q, quantityWord{word: w, terms: cluster.Terms(w)})
	}
	return q
}

// matches reports whether a ledger line counts the quantity: every word of
// it is in the line's kind or in a subject one of its reports gives, as a
// term ("North Korean soldiers killed" matches "killed: North Korean
// troops" reported as "North Korean soldiers" by another outlet), or as
// written for a word that has no term ("people", singular or plural).
func (q quantity) matches(l story.Line) bool {
	have := termSet(l.Kind + " " + l.Subject)
	words := map[string]bool{}
	addWords := func(s string) {
		for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
			words[w], words[strings.TrimSuffix(w, "s")] = true, true
		}
	}
	addWords(l.Kind + " " + l.Subject)
	for _, r := range l.Reports {
		for t := range termSet(r.Subject) {
			have[t] = true
		}
		addWords(r.Subject)
	}
	for _, w := range q {
		if len(w.terms) == 0 {
			if !words[w.word] && !words[strings.TrimSuffix(w.word, "s")] {
				return false
			}
			continue
		}
		for _, t := range w.terms {
			if !have[t] {
				return false
			}
		}
	}
	return len(q) > 0
}

// Matches reports whether a figure rule's quantity matches a ledger line,
// for callers that list the figures a rule follows.
func Matches(quantity string, l story.Line) bool { return newQuantity(quantity).matches(l) }
