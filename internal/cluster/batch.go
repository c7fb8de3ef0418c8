package cluster

import (
	"context"
	"errors"
	"maps"
	"math"
	"slices"
	"sort"
	"strings"
)

// Observe adds an article already assigned to story and event to the model,
// without assigning it: used to bring a saved model up to date with articles
// stored after it was saved, and to rebuild a model after a recluster.
func (m *Model) Observe(d Doc, story, event int64) {
	m.clock++
	m.count(d)
	v := m.Vectorize(d)
	st := m.stories[story]
	if st == nil {
		st = &centroid{ID: story, Sum: map[string]float32{}}
		m.stories[story] = st
	}
	ev := m.events[event]
	if ev == nil {
		ev = &centroid{ID: event, Story: story, Sum: map[string]float32{}}
		m.events[event] = ev
	}
	ev.Story = story
	m.add(ev, v, d.Day, d.Lang)
	m.add(st, v, d.Day, d.Lang)
	addEmb(ev, d.Emb)
	addEmb(st, d.Emb)
	m.touch(ev.ID)
	m.reindex(ev)
	if story >= m.next {
		m.next = story + 1
	}
	if event >= m.next {
		m.next = event + 1
	}
	if d.ID > m.LastArticle {
		m.LastArticle = d.ID
	}
	m.evict()
}

// BatchConfig tunes a full recluster.
type BatchConfig struct {
	// EventThreshold is the average-linkage cut point for events over
	// documents; StoryThreshold the one for stories over event centroids.
	EventThreshold, StoryThreshold float64
	QueryTerms                     int
	// NextID is the first id new clusters may take: ids below it were
	// handed out before, some to clusters merged away that no stored
	// article names any more (Model.NextID of the model replaced).
	NextID int64
}

// DefaultBatchConfig returns the cut points measured in the README.
func DefaultBatchConfig() BatchConfig {
	return BatchConfig{EventThreshold: 0.20, StoryThreshold: 0.13, QueryTerms: 60}
}

// Recluster is the result of a full recluster.
type Recluster struct {
	// Story and Event hold the new cluster of each document, in input
	// order, with ids carried over from the old clustering where a new
	// cluster continues an old one.
	Story, Event []int64
	Changes      []Change
	Model        *Model
}

// Item is one document of a recluster with its current story and event
// (0 where none).
type Item struct {
	Doc          Doc
	Story, Event int64
}

// Items streams the documents of a recluster to fn, in the same order each
// time it is called.
type Items func(fn func(Item) error) error

// Batch reclusters docs from scratch by average-linkage agglomeration
// (stories and events are two cuts of one dendrogram, so events nest in
// stories), then maps the new clusters onto the old ids (oldStory, oldEvent,
// 0 where none) by largest overlap, recording merges and splits. The
// returned model holds the new clustering for incremental use.
func Batch(ctx context.Context, docs []Doc, oldStory, oldEvent []int64, cfg Config, bc BatchConfig) (Recluster, error) {
	return BatchItems(ctx, func(fn func(Item) error) error {
		for i, d := range docs {
			if err := fn(Item{d, oldStory[i], oldEvent[i]}); err != nil {
				return err
			}
		}
		return nil
	}, cfg, bc)
}

// BatchItems is Batch over a stream that it reads three times (counting
// terms, weighing them, rebuilding the model) rather than documents held
// in memory: what it keeps per document is its weighted terms, with the
// term strings shared, not its raw counts. Items are compared only within
// the event window (cfg.WindowDays), which changes no result, since no
// event may span more, and keeps the pairs proportional to one window's
// articles. It stops with ctx's error when ctx is done.
func BatchItems(ctx context.Context, items Items, cfg Config, bc BatchConfig) (Recluster, error) {
	m := New(cfg)
	var ids, oldStory, oldEvent []int64
	var langs []string
	var spans []Span
	var embs [][]float32
	err := items(func(it Item) error {
		m.count(it.Doc)
		ids = append(ids, it.Doc.ID)
		oldStory, oldEvent = append(oldStory, it.Story), append(oldEvent, it.Event)
		langs = append(langs, it.Doc.Lang)
		spans = append(spans, Span{it.Doc.Day, it.Doc.Day})
		embs = append(embs, it.Doc.Emb)
		return ctx.Err()
	})
	if err != nil {
		return Recluster{}, err
	}
	n := len(ids)
	vs := make([]Vec, 0, n)
	terms := map[string]string{}
	err = items(func(it Item) error {
		i := len(vs)
		if i >= n || it.Doc.ID != ids[i] {
			return errChanged
		}
		v := m.Vectorize(it.Doc)
		for k, t := range v {
			key, ok := terms[t.Key]
			if !ok {
				key = strings.Clone(t.Key)
				terms[key] = key
			}
			v[k].Key = key
		}
		vs = append(vs, v)
		return ctx.Err()
	})
	if err != nil {
		return Recluster{}, err
	}
	if len(vs) != n {
		return Recluster{}, errChanged
	}
	clear(terms)
	docs := make([]Doc, n) // what the steps below read of each document
	for i := range docs {
		docs[i] = Doc{ID: ids[i], Lang: langs[i], Day: spans[i].First, Emb: embs[i]}
	}
	evLimit := Limit{MaxSpan: cfg.WindowDays}
	// Articles in two languages are one event only on language-independent
	// evidence, as in assignment.
	evSim := pairSim(vs, langs, func(i, j int, li []Vec) float64 { return cfg.CrossLingual * Cos(li[i], li[j]) })
	sims, err := similaritiesBy(ctx, vs, evSim, bc.EventThreshold/2, bc.QueryTerms, spans, evLimit.MaxSpan)
	if err != nil {
		return Recluster{}, err
	}
	m.blendAll(sims, evSim, embs, bc.EventThreshold/2, func(i, j int) bool { return !evLimit.allows(spans[i], spans[j]) })
	evLabel, err := AgglomerateContext(ctx, len(docs), sims, bc.EventThreshold, spans, evLimit)
	if err != nil {
		return Recluster{}, err
	}
	// Stories group events by the similarity of their centroids: two
	// reports of one kind of development share vocabulary as groups more
	// than any two of their articles do.
	nev := 0
	for _, l := range evLabel {
		nev = max(nev, l+1)
	}
	sums := make([]map[string]float32, nev)
	evLangs := make([]map[string]int, nev)
	evSpans := make([]Span, nev)
	evEmbs := make([][]float32, nev)
	for i, l := range evLabel {
		evSpans[l] = evSpans[l].union(spans[i])
		if e := docs[i].Emb; e != nil {
			if evEmbs[l] == nil {
				evEmbs[l] = make([]float32, len(e))
			}
			if len(e) == len(evEmbs[l]) {
				for k, x := range e {
					evEmbs[l][k] += x
				}
			}
		}
		if sums[l] == nil {
			sums[l], evLangs[l] = map[string]float32{}, map[string]int{}
		}
		for _, t := range vs[i] {
			sums[l][t.Key] += t.W
		}
		evLangs[l][langs[i]]++
	}
	cents := make([]Vec, nev)
	clangs := make([]string, nev)
	for l := range sums {
		c := &centroid{Sum: sums[l], Langs: evLangs[l]}
		m.prune(c)
		cents[l], clangs[l] = c.Top, c.lang()
	}
	for _, e := range evEmbs {
		unit(e)
	}
	// Events in two languages join one story as assignment links an
	// article to an event of a story: with the evidence it asks, on rare
	// names and numbers and, with the dictionaries, on all terms (linkSim).
	stSim := pairSim(cents, clangs, func(i, j int, li []Vec) float64 {
		return m.linkSim(cents[i], cents[j], clangs[i], clangs[j], li[i], li[j])
	})
	evSims, err := similaritiesBy(ctx, cents, stSim, bc.StoryThreshold/2, bc.QueryTerms, nil, 0)
	if err != nil {
		return Recluster{}, err
	}
	m.blendAll(evSims, stSim, evEmbs, bc.StoryThreshold/2, nil)
	evStoryLabel, err := AgglomerateContext(ctx, nev, evSims, bc.StoryThreshold, evSpans, Limit{MaxGap: cfg.StoryWindowDays})
	if err != nil {
		return Recluster{}, err
	}
	stLabel := make([]int, len(docs))
	for i, l := range evLabel {
		stLabel[i] = evStoryLabel[l]
	}

	next := max(1, bc.NextID)
	for i := range docs {
		next = max(next, oldStory[i]+1, oldEvent[i]+1)
	}
	var r Recluster
	var stIDs, evIDs map[int]int64
	stIDs, next, r.Changes = mapIDs(stLabel, oldStory, next, "story", r.Changes)
	evIDs, next, r.Changes = mapIDs(evLabel, oldEvent, next, "event", r.Changes)
	r.Story, r.Event = make([]int64, len(docs)), make([]int64, len(docs))
	// An event lies in the story of its first document.
	evStory := map[int64]int64{}
	for i := range docs {
		e := evIDs[evLabel[i]]
		if _, ok := evStory[e]; !ok {
			evStory[e] = stIDs[stLabel[i]]
		}
		r.Event[i], r.Story[i] = e, evStory[e]
	}
	m = New(cfg)
	m.next = next
	i := 0
	err = items(func(it Item) error {
		if i >= n || it.Doc.ID != ids[i] {
			return errChanged
		}
		m.Observe(it.Doc, r.Story[i], r.Event[i])
		i++
		return ctx.Err()
	})
	if err != nil {
		return Recluster{}, err
	}
	m.relearned = m.docs
	r.Model = m
	return r, nil
}

// errChanged reports a stream that did not give the same documents each time.
var errChanged = errors.New("cluster: the documents changed during a recluster")

// mapIDs gives each new cluster the old id it overlaps most, largest new
// clusters first, each old id used once; the rest get fresh ids. Old
// clusters spread over several new ones are recorded as splits, new
// clusters gathering several old ones as merges.
func mapIDs(label []int, old []int64, next int64, level string, changes []Change) (map[int]int64, int64, []Change) {
	overlap := map[int]map[int64]int{}
	size := map[int]int{}
	for i, l := range label {
		size[l]++
		if overlap[l] == nil {
			overlap[l] = map[int64]int{}
		}
		if old[i] != 0 {
			overlap[l][old[i]]++
		}
	}
	labels := make([]int, 0, len(size))
	for l := range size {
		labels = append(labels, l)
	}
	sort.Slice(labels, func(a, b int) bool {
		if size[labels[a]] != size[labels[b]] {
			return size[labels[a]] > size[labels[b]]
		}
		return labels[a] < labels[b]
	})
	ids := map[int]int64{}
	used := map[int64]bool{}
	for _, l := range labels {
		best, bestN := int64(0), 0
		for id, n := range overlap[l] {
			if !used[id] && (n > bestN || (n == bestN && id < best)) {
				best, bestN = id, n
			}
		}
		if best == 0 {
			best = next
			next++
		}
		used[best] = true
		ids[l] = best
		// In id order: the change log is the same in every run.
		for _, id := range slices.Sorted(maps.Keys(overlap[l])) {
			if id != best {
				changes = append(changes, Change{Kind: "merge", Level: level, From: id, Into: best})
			}
		}
	}
	spread := map[int64]map[int64]bool{}
	for i, l := range label {
		if old[i] == 0 {
			continue
		}
		if spread[old[i]] == nil {
			spread[old[i]] = map[int64]bool{}
		}
		spread[old[i]][ids[l]] = true
	}
	var olds []int64
	for id := range spread {
		olds = append(olds, id)
	}
	sort.Slice(olds, func(a, b int) bool { return olds[a] < olds[b] })
	for _, id := range olds {
		if len(spread[id]) > 1 {
			for _, into := range slices.Sorted(maps.Keys(spread[id])) {
				if into != id {
					changes = append(changes, Change{Kind: "split", Level: level, From: id, Into: into})
				}
			}
		}
	}
	return ids, next, changes
}

// blendAll mixes embedding similarity into the lexical similarities (lex)
// of items that both have an embedding (embs[i] nil for none), as
// assignment does, and compares each such item with the EmbedScan items
// before it by embedding too, to find pairs that share no words. Pairs
// below floor are dropped.
func (m *Model) blendAll(sims map[[2]int]float64, lex func(i, j int) float64, embs [][]float32, floor float64, apart func(i, j int) bool) {
	var with []int
	for i, e := range embs {
		if e != nil {
			with = append(with, i)
		}
	}
	if len(with) < 2 {
		return
	}
	for p, s := range sims {
		if embs[p[0]] != nil && embs[p[1]] != nil {
			sims[p] = m.blend(s, embs[p[0]], embs[p[1]])
		}
	}
	for a, i := range with {
		for _, j := range with[max(0, a-m.cfg.EmbedScan):a] {
			p := [2]int{j, i}
			if _, ok := sims[p]; ok || (apart != nil && apart(j, i)) {
				continue
			}
			if s := m.blend(lex(i, j), embs[i], embs[j]); s >= floor {
				sims[p] = s
			}
		}
	}
}

// unit scales v to length 1 in place.
func unit(v []float32) {
	var n float64
	for _, x := range v {
		n += float64(x) * float64(x)
	}
	if n == 0 {
		return
	}
	r := float32(1 / math.Sqrt(n))
	for i := range v {
		v[i] *= r
	}
}
