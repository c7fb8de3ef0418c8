package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"dossier/internal/cluster"
	"dossier/internal/news"
	"dossier/internal/story"
)

// corpus is a small JSON Lines corpus: two stories in English and Arabic.
const corpus = `{"id":"k1","title":"North Korean troops deployed to Kursk","text":"About 12,000 North Korean troops have been deployed to Russia's Kursk region, South Korea's spy agency said on Monday. The soldiers are fighting Ukrainian forces, according to officials in Seoul.","published":"2025-01-13","language":"en"}
{"id":"k2","title":"Hundreds of North Korean soldiers killed in Kursk","text":"About 300 North Korean soldiers have been killed and 2,700 injured fighting for Russia in the Kursk region, South Korea's spy agency said. North Korean troops were deployed in large numbers.","published":"2025-01-14","language":"en"}
{"id":"k3","title":"مقتل جنود كوريين شماليين في كورسك","text":"قُتِلَ نحو 300 جندي كوري شمالي وأصيب 2700 آخرون في منطقة كورسك الروسية، بحسب الاستخبارات الكورية الجنوبية. وتقاتل القوات الكورية الشمالية إلى جانب روسيا.","published":"2025-01-14","language":"ar"}
{"id":"t1","title":"Typhoon makes landfall in Guangdong","text":"A strong typhoon made landfall in Guangdong province on Tuesday, forcing the evacuation of 200,000 residents, state media said. Flights and trains were cancelled across the region.","published":"2025-09-02","language":"en"}
{"id":"t2","title":"台风在广东登陆","text":"强台风周二在广东登陆，约20万居民被疏散。官方媒体报道，该地区的航班和火车已被取消。","published":"2025-09-02","language":"zh"}
`

func newService(t *testing.T) (*Service, string) {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "corpus.jsonl")
	if err := os.WriteFile(path, []byte(corpus), 0o644); err != nil {
		t.Fatal(err)
	}
	svc, err := Open(context.Background(), Config{DataDir: filepath.Join(dir, "data"), Now: func() time.Time {
		return time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC)
	}}, "test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Close() })
	sum, err := svc.Ingest(context.Background(), []string{path}, IngestOptions{})
	if err != nil || len(sum.Failures) > 0 || sum.Articles != 5 {
		t.Fatalf("ingest: %+v, %v", sum, err)
	}
	return svc, filepath.Join(dir, "data")
}

func TestOneWriter(t *testing.T) {
	svc, data := newService(t)
	if err := svc.Advertise("serve", "http://127.0.0.1:8080"); err != nil {
		t.Fatal(err)
	}
	_, err := Open(context.Background(), Config{DataDir: data}, "add")
	var le *LockError
	if !errors.As(err, &le) || !errors.Is(err, ErrLocked) {
		t.Fatalf("second writer: %v, want a LockError", err)
	}
	if le.PID != os.Getpid() || le.Command != "serve" || !strings.Contains(err.Error(), "-server http://127.0.0.1:8080") {
		t.Errorf("lock error does not say who holds the directory: %v", err)
	}
	// Readers go on while the writer holds the lock.
	r, err := OpenReader(context.Background(), Config{DataDir: data})
	if err != nil {
		t.Fatal(err)
	}
	st, err := r.Stats(context.Background())
	r.Close()
	if err != nil || st.Articles != 5 {
		t.Fatalf("reader while writer runs: %+v, %v", st, err)
	}
	// Once the writer closes, the next one gets the directory.
	svc.Close()
	w, err := Open(context.Background(), Config{DataDir: data}, "add")
	if err != nil {
		t.Fatalf("after release: %v", err)
	}
	w.Close()
}

func TestStaleLockIsTakenOver(t *testing.T) {
	dir := t.TempDir()
	// A crashed writer leaves its file behind, but not its flock.
	if err := os.WriteFile(filepath.Join(dir, lockName), []byte("pid=999999\ncommand=add\naddr=\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	svc, err := Open(context.Background(), Config{DataDir: dir}, "add")
	if err != nil {
		t.Fatalf("stale lock not taken over: %v", err)
	}
	svc.Close()
}

func TestReaderNeedsAStore(t *testing.T) {
	_, err := OpenReader(context.Background(), Config{DataDir: filepath.Join(t.TempDir(), "typo")})
	if err == nil || !strings.Contains(err.Error(), "no store") {
		t.Fatalf("reader of a missing data directory: %v", err)
	}
}

// TestStoredViewsMatchFreshBuild checks that each stored story view equals
// the view built from scratch from the story's articles, after an ingest
// and after a recluster.
func TestStoredViewsMatchFreshBuild(t *testing.T) {
	svc, _ := newService(t)
	ctx := context.Background()
	check := func(when string) {
		byStory := map[int64][]news.Stored{}
		if err := svc.st.Articles(ctx, func(a news.Stored) error { byStory[a.Story] = append(byStory[a.Story], a); return nil }); err != nil {
			t.Fatal(err)
		}
		page, err := svc.Stories(ctx, StoryFilter{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Stories) != len(byStory) {
			t.Fatalf("%s: %d stories listed, %d in the store", when, len(page.Stories), len(byStory))
		}
		for id, arts := range byStory {
			got, _, err := svc.Story(ctx, id)
			if err != nil {
				t.Fatalf("%s: story %d: %v", when, id, err)
			}
			want := story.NewView(id, arts)
			gj, _ := json.Marshal(got)
			wj, _ := json.Marshal(want)
			if !bytes.Equal(gj, wj) {
				t.Errorf("%s: stored view of story %d differs from a fresh build:\n%s\n%s", when, id, gj, wj)
			}
		}
	}
	check("after ingest")
	if _, err := svc.Recluster(ctx, cluster.DefaultBatchConfig()); err != nil {
		t.Fatal(err)
	}
	check("after recluster")
}

func TestQueries(t *testing.T) {
	svc, _ := newService(t)
	ctx := context.Background()
	page, err := svc.Stories(ctx, StoryFilter{Lang: "ar"})
	if err != nil || len(page.Stories) != 1 {
		t.Fatalf("stories in Arabic: %+v, %v", page, err)
	}
	kursk := page.Stories[0]
	if kursk.Articles != 3 || !reflect.DeepEqual(kursk.Languages, []story.Count{{Key: "en", N: 2}, {Key: "ar", N: 1}}) {
		t.Errorf("Kursk story summary: %+v", kursk)
	}
	// Paging: one story a page, every story once, newest first, then the end.
	all, err := svc.Stories(ctx, StoryFilter{Limit: 100})
	if err != nil || len(all.Stories) < 2 {
		t.Fatalf("stories: %+v, %v", all, err)
	}
	cursor := ""
	for i, want := range all.Stories {
		p, err := svc.Stories(ctx, StoryFilter{Limit: 1, Cursor: cursor})
		if err != nil || len(p.Stories) != 1 || p.Stories[0].ID != want.ID || p.Next == "" {
			t.Fatalf("page %d: %+v, %v; want story %d", i+1, p, err, want.ID)
		}
		cursor = p.Next
	}
	if p, err := svc.Stories(ctx, StoryFilter{Limit: 1, Cursor: cursor}); err != nil || len(p.Stories) != 0 {
		t.Fatalf("past the last page: %+v, %v", p, err)
	}
	if _, err := svc.Stories(ctx, StoryFilter{Cursor: "garbage!"}); !errors.Is(err, ErrBadCursor) {
		t.Errorf("bad cursor: %v", err)
	}
	if p, err := svc.Stories(ctx, StoryFilter{Entity: "country:KP"}); err != nil || len(p.Stories) != 1 || p.Stories[0].ID != kursk.ID {
		t.Errorf("stories naming North Korea: %+v, %v", p, err)
	}

	// Search: Arabic without harakat, Chinese bigrams, English stems.
	for _, tc := range []struct {
		q, lang string
	}{{"قتل", "ar"}, {"台风", "zh"}, {"troop", "en"}, {"typhoons", "en"}} {
		res, err := svc.Search(ctx, SearchRequest{Query: tc.q})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, h := range res.Hits {
			if h.Language == tc.lang && !h.ViaEntity && len(h.Snippet.Highlights) > 0 {
				found = true
			}
		}
		if !found {
			t.Errorf("search %q: no %s hit with a highlight: %+v", tc.q, tc.lang, res.Hits)
		}
	}
	// The entity the query names brings in the Arabic article.
	res, err := svc.Search(ctx, SearchRequest{Query: "North Korea"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Entities) == 0 || res.Entities[0].ID != "country:KP" {
		t.Errorf("no entity suggested for North Korea: %+v", res.Entities)
	}
	viaAr := false
	for _, h := range res.Hits {
		viaAr = viaAr || (h.Language == "ar" && h.ViaEntity)
	}
	if !viaAr {
		t.Errorf("the Arabic article is not offered through the entity: %+v", res.Hits)
	}

	// Figures by kind and by the entity of their source.
	figs, err := svc.Figures(ctx, FigureFilter{Kind: "killed"})
	if err != nil || len(figs.Figures) < 2 {
		t.Fatalf("killed figures: %+v, %v", figs, err)
	}
	ent, err := svc.Entity(ctx, "country:KP", "", 10)
	if err != nil || len(ent.Aliases) < 2 || ent.Articles != 3 {
		t.Errorf("entity North Korea: %+v, %v", ent, err)
	}

	// Changes since the start: every article; since the end: nothing.
	ch, err := svc.ChangesSince(ctx, "", 100)
	if err != nil || len(ch.Articles) != 5 {
		t.Fatalf("changes: %+v, %v", ch, err)
	}
	if ch2, err := svc.ChangesSince(ctx, ch.Next, 100); err != nil || len(ch2.Articles) != 0 || len(ch2.Clusters) != 0 {
		t.Errorf("changes after the end: %+v, %v", ch2, err)
	}
}

// TestReclusterTakesNoLoggedID: a recluster's new clusters take none of the
// ids the log names. A cluster merged away is named by no article, only by
// the log, and its id leads on to the cluster it went into: given to a new
// one, an old link would lead to an unrelated story.
func TestReclusterTakesNoLoggedID(t *testing.T) {
	svc, _ := newService(t)
	ctx := context.Background()
	var top int64
	if err := svc.st.Articles(ctx, func(a news.Stored) error { top = max(top, a.Story, a.Event); return nil }); err != nil {
		t.Fatal(err)
	}
	gone := top + 1
	if err := svc.st.SetClusters(ctx, nil, []news.ClusterChange{{Kind: "merge", Level: "story", From: gone, Into: 1}}); err != nil {
		t.Fatal(err)
	}
	// Cut points no pair reaches: every article is a new cluster.
	if _, err := svc.Recluster(ctx, cluster.BatchConfig{EventThreshold: 0.99, StoryThreshold: 0.99, QueryTerms: 60}); err != nil {
		t.Fatal(err)
	}
	if err := svc.st.Articles(ctx, func(a news.Stored) error {
		if a.Story == gone || a.Event == gone {
			t.Errorf("article %d is in story %d, event %d: %d went in a merge", a.ID, a.Story, a.Event, gone)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}
