package cluster

import (
	"bytes"
	"cmp"
	"encoding/gob"
	"fmt"
	"hash/maphash"
	"maps"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"

	"dossier/internal/news"
)

// Config tunes the clusterer.
type Config struct {
	// EventThreshold is the similarity at which an article joins an event.
	EventThreshold float64
	// StoryThreshold is the similarity at which a new event joins a story.
	StoryThreshold float64
	// MergeThreshold is the similarity to a second cluster at which an
	// article merges it into the one it joined.
	MergeThreshold float64
	// WindowDays bounds the distance in days between an article and the
	// last article of an event it may join (0: no window); StoryWindowDays
	// the same for stories, which last longer.
	WindowDays, StoryWindowDays int
	// CrossLingual discounts similarity computed across languages, which
	// rests on language-independent evidence alone (entities, concepts,
	// numbers, dates).
	CrossLingual float64
	// MaxActive bounds the events kept in memory; the least recently used
	// are retired (they keep their articles but take no new ones).
	MaxActive int
	// CentroidTerms bounds the terms kept per centroid.
	CentroidTerms int
	// QueryTerms is how many of an article's heaviest terms retrieve candidates.
	QueryTerms int
	// EmbedWeight is the share of embedding similarity in the similarity
	// of an article with embeddings to a cluster with embeddings.
	EmbedWeight float64
	// EmbedScan is how many recently active events are compared by
	// embedding alone, to find coverage that shares no words.
	EmbedScan int
	// CrossShared is how many distinct language-independent terms an
	// article must share with a cluster in another language to be compared
	// with it: one shared topic ("covid") is no evidence of one event.
	CrossShared int
	// StoryLink is the similarity to one of a story's events that a new
	// event needs, beyond its similarity to the story as a whole, to join
	// the story: stories grow by what their events share, never by a chain
	// through a drifting centroid.
	StoryLink float64
	// ColdStart raises the thresholds while the model has seen few
	// articles: by the factor 1 + ColdStart/√articles.
	ColdStart float64
	// StoryMerge is the similarity of two stories' centroids at which an
	// article close to both merges them (0: never).
	StoryMerge float64
	// Dict translates the words of articles in other languages into the
	// English stems English articles have (nil: no dictionaries). Two
	// languages it covers (English among them) are compared on all their
	// terms, scaled by CrossDict, rather than on language-independent
	// terms alone.
	Dict *Dict
	// CrossDict scales the similarity of two languages Dict covers,
	// computed on all their terms with each shared term weighted by its
	// rarity: the words every report of a topic has ("virus", "cases")
	// translate into every language alike and tell one event from another
	// least.
	CrossDict float64
	// CrossRare scales the similarity across languages on
	// language-independent terms weighted by their rarity, for joining a
	// story (the higher of it and CrossLingual's counts; 0: not used): a
	// name or a number two reports share says more than a country both
	// mention.
	CrossRare float64
	// CrossAnchor is how many language-independent terms (entities,
	// names, numbers, dates, concepts) an article and an event in two
	// languages Dict covers must share for the article to be linked to the
	// event on all their terms (and two events, in a recluster): translated
	// words alone, however many, are loose evidence. A new event's
	// comparison with the story of an event it is linked to is not gated
	// again.
	CrossAnchor int
	// RelearnUpTo bounds the relearning of a young archive: each time the
	// articles assigned reach a power of two from RelearnFirst up to
	// RelearnUpTo, the owner of the model rebuilds its stories and events
	// by the batch agglomeration of a recluster and goes on with the model
	// that builds (0: never). Articles assigned while the model had seen
	// few others were compared on term weights that the first hundreds of
	// articles cannot yet tell apart ("police", "killed" are rare in the
	// first ten articles and common in the first thousand), and a story
	// that took a wrong turn then kept it: in shuffled orders of ECB+, one
	// story of crimes gathered seven topics. The cost is bounded: every
	// relearn together reads fewer than 2×RelearnUpTo articles.
	RelearnUpTo int
}

// RelearnFirst is the archive size of the first relearn (see
// Config.RelearnUpTo). From 64, the stories and events of ECB+, MMDS,
// SemEval and the seed orders were the same as from 128, and a small
// archive paid for one more recluster.
const RelearnFirst = 128

// crossDict reports whether two different languages are compared on all
// their terms: both have English stems, their own or through Dict.
func (c Config) crossDict(a, b string) bool {
	return c.CrossDict > 0 && c.Dict.Covers(a) && c.Dict.Covers(b)
}

// NewDoc builds the clusterer's view of an article with c's dictionary.
func (c Config) NewDoc(id int64, a news.Article, day int) Doc { return NewDocDict(id, a, day, c.Dict) }

// DefaultConfig returns the settings measured in the README.
func DefaultConfig() Config {
	return Config{
		EventThreshold: 0.22, StoryThreshold: 0.15, MergeThreshold: 0.45,
		WindowDays: 60, StoryWindowDays: 365, CrossLingual: 0.55,
		MaxActive: 20000, CentroidTerms: 120, QueryTerms: 30, EmbedWeight: 0.5, EmbedScan: 1000,
		CrossShared: 3, StoryLink: 0.15, ColdStart: 0.5, StoryMerge: 0.2,
		CrossDict: 3.5, CrossAnchor: 1, CrossRare: 1.2, RelearnUpTo: 512,
	}
}

// Change records a merge: clusters that became one.
type Change struct {
	Kind    string // "merge"
	Level   string // "event" or "story"
	From    int64
	Into    int64
	Article int64 // the article that brought it about
	Score   float64
}

// Assignment is where an article went.
type Assignment struct {
	Story, Event       int64
	NewStory, NewEvent bool
	// Score is the similarity that decided the assignment: a cosine within
	// a language; across languages a scaled one (CrossDict, CrossRare),
	// which may pass 1.
	Score   float64
	Changes []Change
}

// centroid is an event or a story.
type centroid struct {
	ID      int64
	Story   int64 // for events
	Sum     map[string]float32
	Top     Vec
	N       int
	LastDay int
	Used    int64
	// Langs counts the centroid's articles by language.
	Langs map[string]int
	// LINorm is the norm of the language-independent part of Top, without
	// the translation terms.
	LINorm float64
	// Indexed lists the terms the event is indexed under.
	Indexed []string
	// Emb sums the embeddings of the articles that had one.
	Emb []float32
	// packed holds a loaded centroid's sums until they first change (see
	// sum): its top terms first, in Top's order, then the others, with
	// their weights before normalising. Loading a model builds no map per
	// centroid and sorts nothing: most centroids are only read.
	packed []Term
	// norm is the norm Top was divided by.
	norm float32
	// dirty marks a Top that no longer reflects Sum (stories are
	// recomputed when read).
	dirty bool
	// major is lang's answer while majorKnown: Langs changes only through
	// countLang, which forgets it.
	major      string
	majorKnown bool
}

// sum returns c's term sums, unpacking a loaded centroid's.
func (c *centroid) sum() map[string]float32 {
	if c.Sum == nil {
		c.Sum = make(map[string]float32, max(len(c.packed), 8))
		for _, t := range c.packed {
			c.Sum[t.Key] = t.W
		}
		c.packed = nil
	}
	return c.Sum
}

// lang returns the language most of a centroid's articles are in.
func (c *centroid) lang() string {
	if c.majorKnown {
		return c.major
	}
	best, n := "", 0
	for l, k := range c.Langs {
		if k > n || (k == n && l < best) {
			best, n = l, k
		}
	}
	c.major, c.majorKnown = best, true
	return best
}

// countLang counts n more articles in language l.
func (c *centroid) countLang(l string, n int) {
	if c.Langs == nil {
		c.Langs = map[string]int{}
	}
	c.Langs[l] += n
	c.majorKnown = false
}

// sim compares a document with a story's centroid (langSim).
func (m *Model) sim(v Vec, lang string, c *centroid) float64 {
	return m.langSim(v, c.Top, lang, c.lang(), nil, nil)
}

// langSim compares two vectors (articles or centroids) in the languages la
// and lb as a new event is compared with a story: on all terms within a
// language; across languages on their language-independent terms (lia and
// lib, computed when nil), discounted by CrossLingual or weighted by
// rarity and scaled by CrossRare, and, for two languages Dict covers, on
// all terms weighted by rarity and scaled by CrossDict, whichever is
// highest.
func (m *Model) langSim(a, b Vec, la, lb string, lia, lib Vec) float64 {
	return m.compare(a, b, la, lb, lia, lib, false)
}

// linkSim is langSim with the evidence Assign asks of an article and an
// event in two languages before it compares them at all: CrossShared
// language-independent terms in common for the comparison on those terms;
// CrossAnchor of them, and CrossShared counting the translations, for the
// comparison on all terms. A recluster compares two events' centroids so
// for their story, as Assign links an article to an event of a story.
func (m *Model) linkSim(a, b Vec, la, lb string, lia, lib Vec) float64 {
	return m.compare(a, b, la, lb, lia, lib, true)
}

func (m *Model) compare(a, b Vec, la, lb string, lia, lib Vec, gated bool) float64 {
	if la == "" || lb == "" || la == lb {
		return Cos(a, b)
	}
	if lia == nil {
		lia = independent(a)
	}
	if lib == nil {
		lib = independent(b)
	}
	// What the two share decides which comparisons are made, when gated.
	onLI, onAll := true, true
	if gated {
		li, trans := sharedKeys(lia, lib, false), sharedKeys(a, b, true)
		onLI, onAll = li >= m.cfg.CrossShared, li >= m.cfg.CrossAnchor && li+trans >= m.cfg.CrossShared
	}
	var s float64
	if onLI {
		s = max(m.cfg.CrossLingual*Cos(lia, lib), m.cfg.CrossRare*m.rareCos(lia, lib))
	}
	if onAll && m.cfg.crossDict(la, lb) {
		s = max(s, m.cfg.CrossDict*m.rareCos(a, b))
	}
	return s
}

// sharedKeys counts the terms a and b share (only the translation terms,
// when trans).
func sharedKeys(a, b Vec, trans bool) int {
	n := 0
	dotBy(a, b, func(k string) float64 {
		if !trans || isTrans(k) {
			n++
		}
		return 0
	})
	return n
}

// maxIDF is the highest IDF, that of a term no article has yet.
func (m *Model) maxIDF() float64 { return math.Log(float64(m.docs+1)) + 1 }

// rareCos is Cos with each shared term's product weighted by its rarity:
// its IDF as a share of the highest, near 1 for a name or a word few
// articles have, a third for a word in one article of ten among a few
// thousand.
func (m *Model) rareCos(a, b Vec) float64 {
	inv := 1 / m.maxIDF()
	return dotBy(a, b, func(k string) float64 { return float64(m.idf(k)) * inv })
}

// independent keeps the language-independent terms of v (entities E:,
// concepts C:, numbers N:, dates D:), renormalised; translation terms
// (T:) are not among them: only two languages with dictionaries share them.
func independent(v Vec) Vec {
	var out Vec
	var n float64
	for _, t := range v {
		if len(t.Key) > 2 && t.Key[1] == ':' && !isTrans(t.Key) {
			out = append(out, t)
			n += float64(t.W) * float64(t.W)
		}
	}
	if n == 0 {
		return nil
	}
	r := float32(math.Sqrt(n))
	for i := range out {
		out[i].W /= r
	}
	return out
}

// Model is the state of incremental clustering. It is not safe for
// concurrent use: one writer assigns articles in order.
type Model struct {
	cfg     Config
	df      map[string]int32
	docs    int
	events  map[int64]*centroid
	stories map[int64]*centroid
	index   map[string]map[int64]float32 // term → events whose top terms hold it, with the term's weight
	next    int64                        // next cluster id, shared by events and stories
	recent  []int64                      // recently active events, newest last, for the embedding scan
	clock   int64
	// LastArticle is the id of the last article assigned; a model loaded
	// from a snapshot replays articles after it.
	LastArticle int64
	// relearned is the number of articles the model held when it was last
	// rebuilt by a recluster (0: never).
	relearned int
	// scratch is Assign's working memory, kept from one call to the next.
	scratch scratch
}

// scratch holds the candidate scores of one Assign. Kept in the model, the
// slices and the slot map are allocated once rather than at every article
// (they were 0.46 GB of the 5.9 GB the 10,000-article ingest allocated).
type scratch struct {
	slot                  map[int64]int32
	ids                   []int64
	dot, dotLI, rare, rLI []float64
	shared, sharedT       []int
	evs, near             []scored
}

// reset empties the scratch for a new article. A slot map that once held
// many candidates is dropped rather than cleared: clearing costs its
// capacity, not its length.
func (s *scratch) reset() {
	if s.slot == nil || len(s.slot) > 4096 {
		s.slot = make(map[int64]int32, 256)
	} else {
		clear(s.slot)
	}
	s.ids, s.evs, s.near = s.ids[:0], s.evs[:0], s.near[:0]
}

// zeroed returns buf resized to n, every element zero.
func zeroed[T float64 | int](buf []T, n int) []T {
	if cap(buf) < n {
		return make([]T, n, n+n/2)
	}
	buf = buf[:n]
	clear(buf)
	return buf
}

// New returns an empty model.
func New(cfg Config) *Model {
	return &Model{cfg: cfg, df: map[string]int32{}, events: map[int64]*centroid{}, stories: map[int64]*centroid{},
		index: map[string]map[int64]float32{}, next: 1}
}

// RelearnDue reports that the model has reached an archive size at which
// its owner should rebuild it by a recluster (Config.RelearnUpTo) and has
// not done so yet. A relearn that a crash interrupted is due again when
// the model is next used, while the archive is less than twice that size,
// so that the articles it regroups are those of an uninterrupted run; a
// model saved before relearning existed, and grown past that, is not
// relearned.
func (m *Model) RelearnDue() bool {
	if m.cfg.RelearnUpTo < RelearnFirst || m.docs < RelearnFirst {
		return false
	}
	c := RelearnFirst
	for 2*c <= min(m.docs, m.cfg.RelearnUpTo) {
		c *= 2
	}
	return m.relearned < c && m.docs < 2*c
}

// count adds a document to the term statistics.
func (m *Model) count(d Doc) {
	m.docs++
	for k := range d.Raw {
		m.df[k]++
	}
}

func (m *Model) idf(k string) float32 {
	return float32(math.Log(float64(m.docs+1)/float64(m.df[k]+1))) + 1
}

// Vectorize weighs a document's terms by the model's statistics.
func (m *Model) Vectorize(d Doc) Vec { return Weigh(d.Raw, m.idf) }

// Assign places a document in an event and a story, updating the model.
func (m *Model) Assign(d Doc) Assignment {
	m.clock++
	m.count(d)
	v := m.Vectorize(d)
	if d.ID > m.LastArticle {
		m.LastArticle = d.ID
	}

	// Candidate events through the index: every event sharing one of the
	// article's heaviest terms. Their similarities accumulate over the
	// postings of all the article's terms: the dot product with each
	// event's top terms, in one pass. The language-independent part is
	// summed apart, for events in another language.
	// Each candidate has a slot in the score arrays; a term's postings are
	// walked, or the candidates looked up in them, whichever is fewer.
	sc := &m.scratch
	sc.reset()
	slot, ids := sc.slot, sc.ids
	for _, t := range Top(v, m.cfg.QueryTerms) {
		post := m.index[t.Key]
		if len(post) > 5000 {
			continue // a term in this many events tells nothing
		}
		for id := range post {
			if _, ok := slot[id]; !ok {
				slot[id] = int32(len(ids))
				ids = append(ids, id)
			}
		}
	}
	// rare: the dot product with each term weighted by its rarity, for
	// events in another language.
	// rareLI: dotLI with each term weighted by its rarity.
	dot, dotLI, rare := zeroed(sc.dot, len(ids)), zeroed(sc.dotLI, len(ids)), zeroed(sc.rare, len(ids))
	rareLI := zeroed(sc.rLI, len(ids))
	shared, sharedT := zeroed(sc.shared, len(ids)), zeroed(sc.sharedT, len(ids))
	var vLI float64
	invMaxIDF := 1 / m.maxIDF()
	for _, t := range v {
		li := len(t.Key) > 2 && t.Key[1] == ':'
		tr := li && isTrans(t.Key)
		if tr {
			li = false
		}
		if li {
			vLI += float64(t.W) * float64(t.W)
		}
		var r float64 // the term's rarity, for comparisons across languages
		if li || m.cfg.Dict != nil {
			r = float64(m.idf(t.Key)) * invMaxIDF
		}
		hit := func(i int32, w float32) {
			p := float64(t.W) * float64(w)
			dot[i] += p
			rare[i] += p * r
			if tr {
				sharedT[i]++
			}
			if li {
				dotLI[i] += p
				rareLI[i] += p * r
				shared[i]++
			}
		}
		post := m.index[t.Key]
		if len(post) <= len(ids) {
			for id, w := range post {
				if i, ok := slot[id]; ok {
					hit(i, w)
				}
			}
			continue
		}
		for i, id := range ids {
			if w, ok := post[id]; ok {
				hit(int32(i), w)
			}
		}
	}
	vLI = math.Sqrt(vLI)
	evs, near := sc.evs, sc.near // near: within the event window
	if d.Emb != nil {
		for _, id := range m.recent {
			if e := m.events[id]; e != nil && e.Emb != nil {
				if _, ok := slot[id]; !ok {
					slot[id] = int32(len(ids))
					ids = append(ids, id)
					dot, dotLI, rare = append(dot, 0), append(dotLI, 0), append(rare, 0)
					rareLI = append(rareLI, 0)
					shared, sharedT = append(shared, 0), append(sharedT, 0)
				}
			}
		}
	}
	for i, id := range ids {
		e := m.events[id]
		gap := 0
		if d.Day > 0 && e.LastDay > 0 {
			gap = abs(d.Day - e.LastDay)
		}
		if m.cfg.StoryWindowDays > 0 && gap > m.cfg.StoryWindowDays {
			continue
		}
		sim, evSim := dot[i], dot[i]
		if cl := e.lang(); d.Lang != "" && cl != "" && cl != d.Lang {
			sim = 0
			if vLI > 0 && e.LINorm > 0 && shared[i] >= m.cfg.CrossShared {
				sim = m.cfg.CrossLingual * dotLI[i] / (vLI * e.LINorm)
			}
			evSim = sim
			// For a story, the same terms weighted by rarity too: a name
			// or a number shared across languages says more than a
			// country both mention.
			if m.cfg.CrossRare > 0 && vLI > 0 && e.LINorm > 0 && shared[i] >= m.cfg.CrossShared {
				sim = max(sim, m.cfg.CrossRare*rareLI[i]/(vLI*e.LINorm))
			}
			// Two languages with English stems also meet on all their
			// terms, translations among them: evidence of one story, too
			// loose for one event.
			if m.cfg.crossDict(d.Lang, cl) && shared[i]+sharedT[i] >= m.cfg.CrossShared && shared[i] >= m.cfg.CrossAnchor {
				sim = max(sim, m.cfg.CrossDict*rare[i])
			}
		}
		sim, evSim = m.blend(sim, d.Emb, e.Emb), m.blend(evSim, d.Emb, e.Emb)
		evs = append(evs, scored{id, sim})
		if m.cfg.WindowDays == 0 || gap <= m.cfg.WindowDays {
			near = append(near, scored{id, evSim})
		}
	}
	sort.Slice(evs, func(i, j int) bool {
		if evs[i].sim != evs[j].sim {
			return evs[i].sim > evs[j].sim
		}
		return evs[i].id < evs[j].id
	})

	sort.Slice(near, func(i, j int) bool {
		if near[i].sim != near[j].sim {
			return near[i].sim > near[j].sim
		}
		return near[i].id < near[j].id
	})
	sc.ids, sc.dot, sc.dotLI, sc.rare, sc.rLI = ids, dot, dotLI, rare, rareLI
	sc.shared, sc.sharedT, sc.evs, sc.near = shared, sharedT, evs, near
	// While the archive is small, document frequencies cannot tell common
	// words from telling ones, and unrelated articles look alike: the
	// thresholds rise by a share that shrinks with the square root of the
	// number of articles seen.
	cold := 1 + m.cfg.ColdStart/math.Sqrt(float64(m.docs))
	link := m.cfg.StoryLink * cold
	var a Assignment
	var ev *centroid
	if len(near) > 0 && near[0].sim >= m.cfg.EventThreshold*cold {
		ev = m.events[near[0].id]
		a.Score = near[0].sim
		// A second event this close is the same event: merge it.
		for _, s := range near[1:] {
			if s.sim < m.cfg.MergeThreshold {
				break
			}
			other := m.events[s.id]
			if other == nil || other == ev {
				continue
			}
			from, into := other, ev
			if larger(other, ev) {
				from, into = ev, other
			}
			a.Changes = append(a.Changes, m.mergeEvents(from, into, d.ID, s.sim)...)
			ev = into
		}
	} else {
		// A new event, in the closest story above the story threshold.
		var story *centroid
		best := m.cfg.StoryThreshold * cold
		seen := map[int64]bool{}
		for _, s := range evs {
			if s.sim < link {
				break // evs is sorted: no closer event follows
			}
			sid := m.events[s.id].Story
			if seen[sid] {
				continue
			}
			seen[sid] = true
			st := m.stories[sid]
			if st == nil {
				continue
			}
			m.refresh(st)
			if sim := m.blend(m.sim(v, d.Lang, st), d.Emb, st.Emb); sim >= best {
				story, best = st, sim
			}
		}
		if story == nil {
			story = &centroid{ID: m.next, Sum: map[string]float32{}}
			m.next++
			m.stories[story.ID] = story
			a.NewStory = true
		} else {
			a.Score = best
		}
		ev = &centroid{ID: m.next, Story: story.ID, Sum: map[string]float32{}}
		m.next++
		m.events[ev.ID] = ev
		a.NewEvent = true
	}
	m.add(ev, v, d.Day, d.Lang)
	m.addLazy(m.stories[ev.Story], v, d.Day, d.Lang)
	addEmb(ev, d.Emb)
	addEmb(m.stories[ev.Story], d.Emb)
	m.touch(ev.ID)
	m.reindex(ev)
	a.Changes = append(a.Changes, m.joinStories(m.stories[ev.Story], evs, link, m.cfg.StoryMerge*cold, d.ID)...)
	a.Event, a.Story = ev.ID, ev.Story
	m.evict()
	return a
}

type scored struct {
	id  int64
	sim float64
}

// blend mixes lexical similarity with embedding similarity when both the
// article and the cluster have embeddings.
func (m *Model) blend(lex float64, emb, sum []float32) float64 {
	if emb == nil || sum == nil || len(emb) != len(sum) {
		return lex
	}
	var dot, n float64
	for i := range emb {
		dot += float64(emb[i]) * float64(sum[i])
		n += float64(sum[i]) * float64(sum[i])
	}
	if n == 0 {
		return lex
	}
	w := m.cfg.EmbedWeight
	return (1-w)*lex + w*dot/math.Sqrt(n)
}

func addEmb(c *centroid, emb []float32) {
	if c == nil || emb == nil {
		return
	}
	if c.Emb == nil {
		c.Emb = make([]float32, len(emb))
	}
	if len(c.Emb) != len(emb) {
		return
	}
	for i, x := range emb {
		c.Emb[i] += x
	}
}

// touch records an event as recently active, for the embedding scan.
func (m *Model) touch(id int64) {
	if m.cfg.EmbedScan <= 0 {
		return
	}
	for i := len(m.recent) - 1; i >= 0 && i >= len(m.recent)-8; i-- {
		if m.recent[i] == id {
			return // touched a moment ago
		}
	}
	m.recent = append(m.recent, id)
	if len(m.recent) > 2*m.cfg.EmbedScan {
		seen := map[int64]bool{}
		var keep []int64
		for i := len(m.recent) - 1; i >= 0 && len(keep) < m.cfg.EmbedScan; i-- {
			if !seen[m.recent[i]] {
				seen[m.recent[i]] = true
				keep = append(keep, m.recent[i])
			}
		}
		for i, j := 0, len(keep)-1; i < j; i, j = i+1, j-1 {
			keep[i], keep[j] = keep[j], keep[i]
		}
		m.recent = keep
	}
}

// mergeEvents folds event from into into; their stories merge too.
func (m *Model) mergeEvents(from, into *centroid, article int64, score float64) []Change {
	changes := []Change{{Kind: "merge", Level: "event", From: from.ID, Into: into.ID, Article: article, Score: score}}
	m.foldEvent(from, into)
	if from.Story != into.Story {
		cs, _ := m.mergeStories(m.stories[from.Story], m.stories[into.Story], article, score)
		changes = append(changes, cs...)
	}
	return changes
}

// larger says whether cluster a has more articles than b, or as many and
// an older id. The larger of two merged clusters keeps its id: a merge
// relabels the articles of the one that goes, in the store as well, so
// merging into the larger moves each article at most log2(n) times
// whatever order stories grow in. (Into the smaller one, a story of 70,000
// articles was relabelled, and its view rebuilt, because a story of 15
// joined it.) The larger is also the one readers and alert rules most
// likely follow.
func larger(a, b *centroid) bool {
	if a.N != b.N {
		return a.N > b.N
	}
	return a.ID < b.ID
}

// mergeStories folds the smaller of two stories into the larger (see
// larger), and returns the change, saying which went into which, and the
// story that stays.
func (m *Model) mergeStories(a, b *centroid, article int64, score float64) ([]Change, *centroid) {
	if a == nil || b == nil || a == b {
		return nil, b
	}
	from, into := a, b
	if larger(a, b) {
		from, into = b, a
	}
	m.foldStory(from, into)
	return []Change{{Kind: "merge", Level: "story", From: from.ID, Into: into.ID, Article: article, Score: score}}, into
}

// fold adds centroid from to into.
func (m *Model) fold(from, into *centroid) {
	sum := into.sum()
	for k, w := range from.sum() {
		sum[k] += w
	}
	into.N += from.N
	into.LastDay = max(into.LastDay, from.LastDay)
	addEmb(into, from.Emb)
	for l, n := range from.Langs {
		into.countLang(l, n)
	}
	m.prune(into)
}

// foldEvent folds event from into into, leaving their stories as they are.
func (m *Model) foldEvent(from, into *centroid) {
	m.fold(from, into)
	m.unindex(from)
	delete(m.events, from.ID)
	m.reindex(into)
}

// foldStory folds story from into into, with its events.
func (m *Model) foldStory(from, into *centroid) {
	m.fold(from, into)
	m.moveEvents(from.ID, into.ID)
	delete(m.stories, from.ID)
}

// moveEvents puts the events of story from in story into.
func (m *Model) moveEvents(from, into int64) {
	for _, e := range m.events {
		if e.Story == from {
			e.Story = into
		}
	}
}

// NextID is the id the model's next new cluster takes: every id below it
// has been handed out.
func (m *Model) NextID() int64 { return m.next }

// Reserve makes sure that no cluster the model starts takes id, or an id
// below it: ids are never reused.
func (m *Model) Reserve(id int64) { m.next = max(m.next, id+1) }

// Replay applies a merge that assigning stored articles made to a model
// catching up on those articles with Observe, after the save that held
// them was lost: Observe adds each article where the store now has it,
// but the cluster that went in the merge would stay, with the articles it
// had before, for later articles to join. The logged direction is kept
// (the store relabelled the articles that way). A cluster that went and is
// not in the model needs nothing (it was started and merged after the
// save); one that stayed and is not in the model (it went in a later
// merge of its own) takes the id of the one that went, for that later
// merge to find.
func (m *Model) Replay(c Change) {
	if c.Kind != "merge" || c.From == c.Into {
		return
	}
	// Ids are never reused: the clusters of the log were handed out, even
	// those the store no longer names.
	m.Reserve(max(c.From, c.Into))
	switch c.Level {
	case "event":
		from := m.events[c.From]
		if from == nil {
			return
		}
		if into := m.events[c.Into]; into != nil {
			m.foldEvent(from, into)
			return
		}
		m.unindex(from)
		delete(m.events, from.ID)
		from.ID = c.Into
		m.events[from.ID] = from
		m.reindex(from)
		for i, id := range m.recent {
			if id == c.From {
				m.recent[i] = c.Into
			}
		}
	case "story":
		from := m.stories[c.From]
		if from == nil {
			return
		}
		if into := m.stories[c.Into]; into != nil {
			m.foldStory(from, into)
			return
		}
		m.moveEvents(from.ID, c.Into)
		delete(m.stories, from.ID)
		from.ID = c.Into
		m.stories[from.ID] = from
	}
}

// centroidSim compares two centroids as sim compares an article with one.
func (m *Model) centroidSim(a, b *centroid) float64 {
	m.refresh(a)
	m.refresh(b)
	return m.langSim(a.Top, b.Top, a.lang(), b.lang(), nil, nil)
}

// joinStories merges into story the stories of the candidate events the
// article is close to (link) whose whole coverage has become as close to
// story's as StoryMerge: a story started apart while little was known
// joins its kin once the evidence is there.
func (m *Model) joinStories(story *centroid, evs []scored, link, threshold float64, article int64) []Change {
	if m.cfg.StoryMerge <= 0 {
		return nil
	}
	var changes []Change
	seen := map[int64]bool{story.ID: true}
	for _, s := range evs {
		if s.sim < link {
			break
		}
		e := m.events[s.id]
		if e == nil || seen[e.Story] {
			continue
		}
		seen[e.Story] = true
		other := m.stories[e.Story]
		if other == nil {
			continue
		}
		if sim := m.blend(m.centroidSim(story, other), story.Emb, other.Emb); sim >= threshold {
			var cs []Change
			cs, story = m.mergeStories(other, story, article, sim)
			changes = append(changes, cs...)
		}
	}
	return changes
}

func (m *Model) add(c *centroid, v Vec, day int, lang string) {
	m.addLazy(c, v, day, lang)
	m.prune(c)
}

// addLazy adds v to c and marks its top for recomputation when read.
func (m *Model) addLazy(c *centroid, v Vec, day int, lang string) {
	sum := c.sum()
	for _, t := range v {
		sum[t.Key] += t.W
	}
	c.N++
	c.countLang(lang, 1)
	if day > c.LastDay {
		c.LastDay = day
	}
	c.Used = m.clock
	c.dirty = true
	// Keep the sum from growing without bound between reads.
	if len(sum) > 8*m.cfg.CentroidTerms {
		m.prune(c)
	}
}

// refresh recomputes a centroid's top if it is stale.
func (m *Model) refresh(c *centroid) {
	if c.dirty {
		m.prune(c)
	}
}

// prune keeps a centroid's heaviest terms and recomputes its normalised top.
func (m *Model) prune(c *centroid) {
	type kv struct {
		k string
		w float32
	}
	sum := c.sum()
	all := make([]kv, 0, len(sum))
	for k, w := range sum {
		all = append(all, kv{k, w})
	}
	// slices.SortFunc, not sort.Slice: prune runs for every article
	// assigned and every centroid loaded (loading a model of 15,000
	// events: 3.1-3.4 s with sort.Slice, 2.9-3.0 s).
	slices.SortFunc(all, func(a, b kv) int {
		if a.w != b.w {
			return cmp.Compare(b.w, a.w)
		}
		return strings.Compare(a.k, b.k)
	})
	keep := 4 * m.cfg.CentroidTerms
	if len(all) > keep {
		for _, x := range all[keep:] {
			delete(sum, x.k)
		}
		all = all[:keep]
	}
	top := all
	if len(top) > m.cfg.CentroidTerms {
		top = top[:m.cfg.CentroidTerms]
	}
	var norm float64
	for _, x := range top {
		norm += float64(x.w) * float64(x.w)
	}
	n := float32(math.Sqrt(norm))
	c.Top = c.Top[:0]
	var li float64
	for _, x := range top {
		w := x.w / n
		c.Top = append(c.Top, Term{x.k, w})
		if len(x.k) > 2 && x.k[1] == ':' && !isTrans(x.k) {
			li += float64(w) * float64(w)
		}
	}
	c.LINorm, c.norm = math.Sqrt(li), n
	c.dirty = false
	slices.SortFunc(c.Top, func(a, b Term) int { return strings.Compare(a.Key, b.Key) })
}

// reindex puts an event in the index under its current top terms.
func (m *Model) reindex(e *centroid) {
	m.unindex(e)
	e.Indexed = e.Indexed[:0]
	for _, t := range e.Top {
		addPosting(m.index, t.Key, e.ID, t.W)
		e.Indexed = append(e.Indexed, t.Key)
	}
}

// addPosting indexes event id under term k with weight w.
func addPosting(idx map[string]map[int64]float32, k string, id int64, w float32) {
	p := idx[k]
	if p == nil {
		p = map[int64]float32{}
		idx[k] = p
	}
	p[id] = w
}

// indexAll builds the index of a model's events, which it must not hold
// yet, in two halves at once, the terms split by a hash: inserting the
// postings was most of a model's load (1.8 million for 15,000 events).
func (m *Model) indexAll(events []*centroid) {
	const shards = 2
	seed := maphash.MakeSeed()
	parts := make([]map[string]map[int64]float32, shards)
	var wg sync.WaitGroup
	for sh := range uint64(shards) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			idx := map[string]map[int64]float32{}
			for _, e := range events {
				for _, t := range e.Top {
					if maphash.String(seed, t.Key)%shards == sh {
						addPosting(idx, t.Key, e.ID, t.W)
					}
				}
			}
			parts[sh] = idx
		}()
	}
	wg.Wait()
	m.index = parts[0]
	for _, part := range parts[1:] {
		maps.Copy(m.index, part)
	}
	for _, e := range events {
		e.Indexed = e.Indexed[:0]
		for _, t := range e.Top {
			e.Indexed = append(e.Indexed, t.Key)
		}
	}
}

// unindex removes an event from the index, under the terms it was indexed by.
func (m *Model) unindex(e *centroid) {
	for _, k := range e.Indexed {
		if p := m.index[k]; p != nil {
			delete(p, e.ID)
			if len(p) == 0 {
				delete(m.index, k)
			}
		}
	}
	e.Indexed = e.Indexed[:0]
}

// evict retires the least recently used events beyond MaxActive, and the
// stories left without active events.
func (m *Model) evict() {
	if m.cfg.MaxActive <= 0 || len(m.events) <= m.cfg.MaxActive {
		return
	}
	es := make([]*centroid, 0, len(m.events))
	for _, e := range m.events {
		es = append(es, e)
	}
	sort.Slice(es, func(i, j int) bool { return es[i].Used < es[j].Used })
	for _, e := range es[:len(es)-m.cfg.MaxActive*9/10] {
		m.unindex(e)
		delete(m.events, e.ID)
	}
	live := map[int64]bool{}
	for _, e := range m.events {
		live[e.Story] = true
	}
	for id := range m.stories {
		if !live[id] {
			delete(m.stories, id)
		}
	}
	// Document frequencies of terms seen once are forgotten with the events
	// they came from, so that the vocabulary does not grow without bound.
	if len(m.df) > 50*m.cfg.MaxActive {
		for k, n := range m.df {
			if n <= 1 {
				delete(m.df, k)
			}
		}
	}
}

// Active returns the number of events and stories held in memory.
func (m *Model) Active() (events, stories int) { return len(m.events), len(m.stories) }

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// snapshot is the persisted form of a model.
type snapshot struct {
	DF          map[string]int32
	Docs        int
	Events      []*centroid
	Stories     []*centroid
	Next        int64
	Clock       int64
	LastArticle int64
	Recent      []int64
	// Trans records that the model was built with dictionaries: English
	// stems under translation keys (T:). A snapshot from before this field
	// reads as false.
	Trans bool
	// Relearned is the model's relearned (0 in forms before it).
	Relearned int
	// packed: the centroids carry their tops (the current form).
	packed bool
}

// check refuses a snapshot a model could not have saved, whose use would
// fail later: an id twice or not yet handed out, an event in a story the
// snapshot does not hold.
func (s *snapshot) check() error {
	stories := make(map[int64]bool, len(s.Stories))
	for _, st := range s.Stories {
		if stories[st.ID] || st.ID <= 0 || st.ID >= s.Next {
			return fmt.Errorf("story %d twice or out of range", st.ID)
		}
		stories[st.ID] = true
	}
	events := make(map[int64]bool, len(s.Events))
	for _, e := range s.Events {
		if events[e.ID] || e.ID <= 0 || e.ID >= s.Next {
			return fmt.Errorf("event %d twice or out of range", e.ID)
		}
		if !stories[e.Story] {
			return fmt.Errorf("event %d in story %d, which the model does not hold", e.ID, e.Story)
		}
		events[e.ID] = true
	}
	return nil
}

// MarshalBinary encodes the model for storage.
func (m *Model) MarshalBinary() ([]byte, error) {
	s := snapshot{DF: m.df, Docs: m.docs, Next: m.next, Clock: m.clock, LastArticle: m.LastArticle, Recent: m.recent, Trans: m.cfg.Dict != nil, Relearned: m.relearned}
	for _, e := range m.events {
		m.refresh(e)
		s.Events = append(s.Events, e)
	}
	for _, st := range m.stories {
		m.refresh(st)
		s.Stories = append(s.Stories, st)
	}
	return encodeSnapshot(&s), nil
}

// retranslate brings a model saved with dictionaries to a run without
// them, or the other way round: the stems of English clusters move to or
// from the translation keys, as NewDocDict now writes them; without
// dictionaries, other clusters drop their translation terms.
func retranslate(df map[string]int32, events, stories []*centroid, trans bool) {
	for _, c := range append(append([]*centroid(nil), events...), stories...) {
		en := c.lang() == "en"
		sum := c.sum()
		for k, w := range sum {
			switch {
			case trans && en && !(len(k) > 2 && k[1] == ':'):
				delete(sum, k)
				sum["T:"+k] += w
			case !trans && isTrans(k):
				delete(sum, k)
				if en {
					sum[k[2:]] += w
				}
			}
		}
	}
	for k, n := range df {
		switch {
		case trans && !(len(k) > 2 && k[1] == ':'):
			df["T:"+k] = max(df["T:"+k], n)
		case !trans && isTrans(k):
			df[k[2:]] = max(df[k[2:]], n)
		}
	}
}

// Load restores a model saved with MarshalBinary, or in an earlier form.
func Load(cfg Config, b []byte) (*Model, error) {
	var s snapshot
	if bytes.HasPrefix(b, []byte(modelMagic)) || bytes.HasPrefix(b, []byte(modelMagic3)) || bytes.HasPrefix(b, []byte(modelMagic2)) {
		p, err := decodeSnapshot(b)
		if err != nil {
			return nil, err
		}
		s = *p
	} else if err := gob.NewDecoder(bytes.NewReader(b)).Decode(&s); err != nil {
		// A model saved before the current form.
		return nil, fmt.Errorf("cluster: decode: %w: %v", ErrDamaged, err)
	}
	m := New(cfg)
	m.df, m.docs, m.next, m.clock, m.LastArticle, m.recent = s.DF, s.Docs, s.Next, s.Clock, s.LastArticle, s.Recent
	m.relearned = s.Relearned
	if m.df == nil {
		m.df = map[string]int32{}
	}
	// A packed snapshot carries each centroid's top as MarshalBinary
	// left it: pruning again would compute the same. Earlier forms, and
	// sums changed by retranslating, are pruned.
	fresh := s.packed
	if trans := cfg.Dict != nil; trans != s.Trans {
		retranslate(m.df, s.Events, s.Stories, trans)
		fresh = false
	}
	if err := s.check(); err != nil {
		return nil, fmt.Errorf("cluster: decode: %w: %v", ErrDamaged, err)
	}
	for _, e := range s.Events {
		if !fresh {
			m.prune(e)
		}
		m.events[e.ID] = e
	}
	m.indexAll(s.Events)
	for _, st := range s.Stories {
		st.dirty = !fresh
		m.stories[st.ID] = st
	}
	return m, nil
}
