package ingest

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"dossier/internal/fetch"
	"dossier/internal/store/sqlite"
	"dossier/internal/warc"
)

// hostilePages are pages a hostile or broken web produces, generated here
// (never downloaded), each about n bytes: one clause repeated, dense
// numbers and dates, no punctuation, names never repeated, markup nested
// deep, a line of nothing.
func hostilePages(n int) map[string][]byte {
	rep := func(unit string) string { return strings.Repeat(unit, max(1, n/len(unit))) }
	var names strings.Builder
	for i := 0; names.Len() < n; i++ {
		fmt.Fprintf(&names, "Minister Zq%s met Kv%s. ", word(i), word(i+3))
	}
	html := func(body string) []byte {
		return []byte("<html><head><title>Report</title></head><body><article><h1>Report</h1><p>" + body + "</p></article></body></html>")
	}
	return map[string][]byte{
		"killed-clause.txt": []byte(rep("about 300 soldiers killed, according to officials, ")),
		"numbers.txt":       []byte(rep("12 34,500 5.6 million 78% $90bn 1 killed 2 injured ")),
		"dates.txt":         []byte(rep("On 3 May 2024 and 4 June 2023 three days ago ")),
		"may.html":          html(rep("may May may May the ")),
		"no-punct.txt":      []byte(rep("word ")),
		"one-line.txt":      []byte(rep("x")),
		"names.txt":         []byte(names.String()),
		"arabic.txt":        []byte(rep("قتل نحو 300 جندي بحسب مسؤولين منذ ثلاثة أيام في 3 مايو 2024، ")),
		"nested.html":       []byte(strings.Repeat("<div><span>officials said that ", n/64) + "300 soldiers were killed" + strings.Repeat("</span></div>", n/64)),
		"table.html":        html(strings.Repeat("<tr><td>12</td><td>killed</td><td>3 May 2024</td></tr>", n/52)),
	}
}

// word writes i in base 26 with letters: names with no digits in them.
func word(i int) string {
	w := []byte{'a'}
	for ; i > 0; i /= 26 {
		w = append(w, byte('a'+i%26))
	}
	return string(w)
}

// usage is what the process spent: CPU (user and system, all threads) and
// bytes allocated.
type usage struct {
	cpu   time.Duration
	alloc uint64
}

func measure(t *testing.T) usage {
	t.Helper()
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Fatal(err)
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return usage{cpu: time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), alloc: ms.TotalAlloc}
}

// peakHeap samples the live heap until stop is closed and returns the most seen.
func peakHeap(stop chan struct{}) chan uint64 {
	out := make(chan uint64, 1)
	go func() {
		var peak uint64
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
			select {
			case <-stop:
				out <- peak
				return
			case <-tick.C:
			}
		}
	}()
	return out
}

func dirSize(t *testing.T, dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}

// Limits the bad-input corpus is held to, per input of up to 1 MB. They
// are what the README promises (2 s and 10 MB of disk a page) with room
// for a noisy machine; what is measured is logged. A change that makes one
// input cost ten or a hundred times more fails here.
const (
	limitCPU   = 2 * time.Second
	limitAlloc = 600 << 20 // bytes allocated while ingesting one input
	limitHeap  = 400 << 20 // live heap at any moment
	limitDisk  = 10 << 20  // growth of the data directory
)

// TestBadInputCorpus ingests each generated hostile page of 1 MB (as a
// file, as a JSON Lines record and inside a WARC record) into one store,
// one run each, and checks the CPU, memory and disk each costs.
func TestBadInputCorpus(t *testing.T) {
	const size = 1 << 20
	dir := t.TempDir()
	var inputs []string
	pages := hostilePages(size)
	for name, body := range pages {
		inputs = append(inputs, write(t, filepath.Join(dir, name), body))
	}
	// The same texts as JSON Lines records and WARC resources.
	rep := func(unit string) []byte { return bytes.Repeat([]byte(unit), size/len(unit)) }
	var jl bytes.Buffer
	fmt.Fprintf(&jl, `{"id": "displaced", "text": %q}`+"\n", rep("1,000 to 2,000 people displaced, the UN said; "))
	inputs = append(inputs, write(t, filepath.Join(dir, "corpus.jsonl"), jl.Bytes()))
	var wb bytes.Buffer
	date := time.Date(2025, 2, 14, 9, 0, 0, 0, time.UTC)
	warc.WriteRecord(&wb, "resource", "<urn:uuid:1>", "https://example.org/dates", date, "text/plain", rep("last Friday, next week, 2019 and the 1990s "), true)
	inputs = append(inputs, write(t, filepath.Join(dir, "crawl.warc.gz"), wb.Bytes()))

	dataDir := t.TempDir()
	st, err := sqlite.Open(context.Background(), filepath.Join(dataDir, "d.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	cfg := testConfig()
	cfg.Workers = 1
	// Warm up: the language models and gazetteer load once per process.
	if _, err := New(st, det, cfg, nil).Run(context.Background(), []string{write(t, filepath.Join(dir, "warm", "w.txt"), []byte(article("the harbour")))}); err != nil {
		t.Fatal(err)
	}
	// What the store holds, not how far its write-ahead log happens to
	// have grown: the log is checkpointed and truncated before each size.
	raw, err := sql.Open("sqlite", filepath.Join(dataDir, "d.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	stored := func() int64 {
		if _, err := raw.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
			t.Fatal(err)
		}
		return dirSize(t, dataDir)
	}
	for _, in := range inputs {
		runtime.GC()
		disk0 := stored()
		stop := make(chan struct{})
		peak := peakHeap(stop)
		u0 := measure(t)
		sum, err := New(st, det, cfg, nil).Run(context.Background(), []string{in})
		u1 := measure(t)
		close(stop)
		heap := <-peak
		disk := stored() - disk0
		if err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		cpu, alloc := u1.cpu-u0.cpu, u1.alloc-u0.alloc
		t.Logf("%-18s CPU %6.2f s, allocated %4d MB, peak heap %4d MB, disk +%5.2f MB, %d articles, %d failures",
			filepath.Base(in), cpu.Seconds(), alloc>>20, heap>>20, float64(disk)/(1<<20), sum.Articles, len(sum.Failures))
		if cpu > limitCPU {
			t.Errorf("%s: %v of CPU, limit %v", in, cpu, limitCPU)
		}
		if alloc > limitAlloc {
			t.Errorf("%s: %d MB allocated, limit %d MB", in, alloc>>20, limitAlloc>>20)
		}
		if heap > limitHeap {
			t.Errorf("%s: peak heap %d MB, limit %d MB", in, heap>>20, limitHeap>>20)
		}
		diskLimit := int64(limitDisk)
		if disk > diskLimit {
			t.Errorf("%s: data directory grew %d bytes, limit %d", in, disk, diskLimit)
		}
	}
}

// TestCancelDuringAnalysis cancels a run while it analyses a 1.25 MB
// page: the run ends within a second, with the context's error.
func TestCancelDuringAnalysis(t *testing.T) {
	dir := t.TempDir()
	page := write(t, filepath.Join(dir, "page.txt"), hostilePages(1250 << 10)["dates.txt"])
	st := newStore(t)
	cfg := testConfig()
	cfg.Workers = 1
	// The language models load on first use (seconds, once per process):
	// that is start-up, not the analysis this test is about.
	det.Detect("", "warm the language models up before the clock starts")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := New(st, det, cfg, nil).Run(ctx, []string{page})
		done <- err
	}()
	time.Sleep(300 * time.Millisecond)
	cancel()
	at := time.Now()
	select {
	case err := <-done:
		t.Logf("run ended %v after the cancel", time.Since(at))
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	case <-time.After(time.Second):
		t.Fatal("the run goes on a second after the cancel")
	}
}

// TestCorruptWARCMember: one damaged gzip member of a WARC costs only its
// own record, reported with the file and its offset.
func TestCorruptWARCMember(t *testing.T) {
	var file bytes.Buffer
	var starts []int
	date := time.Date(2025, 2, 14, 9, 0, 0, 0, time.UTC)
	for i, topic := range []string{"the harbour", "the railway", "the bridge", "the airport"} {
		starts = append(starts, file.Len())
		warc.WriteRecord(&file, "resource", fmt.Sprintf("<urn:uuid:%d>", i), "https://example.org/"+strings.ReplaceAll(topic, " ", "-"), date, "text/plain", []byte(article(topic)), true)
	}
	b := file.Bytes()
	for i := starts[1] + 30; i < starts[1]+60; i++ {
		b[i] ^= 0x55
	}
	path := write(t, filepath.Join(t.TempDir(), "crawl.warc.gz"), b)
	s := newStore(t)
	sum, err := New(s, det, testConfig(), nil).Run(context.Background(), []string{path})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Articles != 3 || len(sum.Failures) != 1 {
		t.Fatalf("summary %+v", sum)
	}
	f := sum.Failures[0]
	if want := fmt.Sprintf("byte %d", starts[1]); !strings.Contains(f.Input+f.Err.Error(), want) || !strings.Contains(f.Err.Error(), path) {
		t.Errorf("failure %q: %v; want the file and %q", f.Input, f.Err, want)
	}
}

// TestLyingContentLengthNotStored: a page whose body is shorter than its
// Content-Length fails, naming the URL, and nothing of it is stored.
func TestLyingContentLengthNotStored(t *testing.T) {
	body := article("the harbour")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, rw, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		fmt.Fprintf(rw, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n%s", 3*len(body), body)
		rw.Flush()
	}))
	defer srv.Close()
	s := newStore(t)
	sum, err := New(s, det, testConfig(), nil).Run(context.Background(), []string{srv.URL + "/page"})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Articles != 0 || len(sum.Failures) != 1 || len(stored(t, s)) != 0 {
		t.Fatalf("summary %+v", sum)
	}
	msg := sum.Failures[0].Err.Error()
	if !errors.Is(sum.Failures[0].Err, fetch.ErrShortBody) || !strings.Contains(msg, srv.URL+"/page") || strings.Contains(msg, "Officials said") {
		t.Errorf("error %q", msg)
	}
}

// TestJSONLLanguage: the language field must be an ISO 639-1 code; a
// language tag is reduced to its code; anything else refuses the line with
// the file and line named.
func TestJSONLLanguage(t *testing.T) {
	text := strings.ReplaceAll(article("the harbour"), "\n", `\n`)
	lines := []string{
		`{"id": "a", "language": "EN", "text": "` + text + `"}`,
		`{"id": "b", "language": "xx-nonsense", "text": "` + strings.ReplaceAll(article("the railway"), "\n", `\n`) + `"}`,
		`{"id": "c", "language": "pt-BR", "text": "` + strings.ReplaceAll(article("the bridge"), "\n", `\n`) + `"}`,
		`{"id": "d", "language": "english", "text": "` + strings.ReplaceAll(article("the airport"), "\n", `\n`) + `"}`,
	}
	path := write(t, filepath.Join(t.TempDir(), "c.jsonl"), []byte(strings.Join(lines, "\n")+"\n"))
	s := newStore(t)
	sum, err := New(s, det, testConfig(), nil).Run(context.Background(), []string{path})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Articles != 2 || len(sum.Failures) != 2 {
		t.Fatalf("summary %+v", sum)
	}
	for i, want := range []string{path + ":2", path + ":4"} {
		f := sum.Failures[i]
		if f.Input != want || !strings.Contains(f.Err.Error(), want) || !strings.Contains(f.Err.Error(), "ISO 639-1") {
			t.Errorf("failure %d: %s: %v; want %s refused as not ISO 639-1", i, f.Input, f.Err, want)
		}
	}
	langs := map[string]bool{}
	for _, a := range stored(t, s) {
		langs[a.Language] = true
	}
	if !langs["en"] || !langs["pt"] || len(langs) != 2 {
		t.Errorf("languages %v, want en and pt", langs)
	}
	for in, want := range map[string]string{"": "", "en": "en", "ara": "ar", "zh-Hant": "zh", "iw": "he"} {
		if got, err := isoLanguage(in); err != nil || got != want {
			t.Errorf("isoLanguage(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"xx", "und", "e", "fil", "english", strings.Repeat("x", 5000)} {
		if _, err := isoLanguage(in); err == nil || len(err.Error()) > 200 {
			t.Errorf("isoLanguage(%.20q): err %v", in, err)
		}
	}
}

// TestFeedSkipsStoredItems: a large feed read again fetches only its new
// items, whether it answers conditional requests or not.
func TestFeedSkipsStoredItems(t *testing.T) {
	const items = 300
	var pageHits atomic.Int32
	var extra atomic.Bool
	var srvURL string
	mux := http.NewServeMux()
	mux.HandleFunc("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		bw := bufio.NewWriter(w)
		defer bw.Flush()
		fmt.Fprint(bw, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Big</title>`)
		n := items
		if extra.Load() {
			n++
		}
		for i := range n {
			// Half the items give their address as GUID, half an opaque id.
			guid := fmt.Sprintf("%s/p/%d", srvURL, i)
			if i%2 == 1 {
				guid = fmt.Sprintf("tag:example.org,2025:%d", i)
			}
			fmt.Fprintf(bw, `<item><title>Item %d</title><link>%s/p/%d</link><guid>%s</guid></item>`, i, srvURL, i, guid)
		}
		fmt.Fprint(bw, `</channel></rss>`)
	})
	mux.HandleFunc("/p/", func(w http.ResponseWriter, r *http.Request) {
		pageHits.Add(1)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprint(w, article("item "+strings.TrimPrefix(r.URL.Path, "/p/")))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	srvURL = srv.URL
	s := newStore(t)
	run := func() *Summary {
		sum, err := New(s, det, testConfig(), nil).Run(context.Background(), []string{srv.URL + "/feed.xml"})
		if err != nil {
			t.Fatal(err)
		}
		return sum
	}
	if sum := run(); sum.Pages != items || pageHits.Load() != items {
		t.Fatalf("first run: %d pages fetched, summary %+v", pageHits.Load(), sum)
	}
	if sum := run(); sum.Pages != 0 || pageHits.Load() != items {
		t.Errorf("second run fetched %d pages again (summary %+v)", pageHits.Load()-items, sum)
	}
	extra.Store(true)
	if sum := run(); sum.Pages != 1 || pageHits.Load() != items+1 {
		t.Errorf("with one new item: %d pages fetched (summary %+v)", pageHits.Load()-items, sum)
	}
}
