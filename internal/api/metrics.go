package api

import (
	"bytes"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"sync"
	"time"

	"dossier/internal/client"
)

// metrics are kept by hand and written in the Prometheus text format
// (version 0.0.4): request counts by route, method and status, latency
// histograms by route, and ingest counters.
type metrics struct {
	mu       sync.Mutex
	requests map[reqKey]uint64
	latency  map[string]*histogram
	ingest   ingestCounters
}

type reqKey struct {
	route, method string
	status        int
}

type ingestCounters struct {
	requests, pages, unchanged, articles, duplicates, failures uint64
}

// latencyBuckets are the histograms' upper bounds, in seconds.
var latencyBuckets = []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10}

type histogram struct {
	counts []uint64 // per bucket, not cumulative
	sum    float64
	n      uint64
}

func newMetrics() *metrics {
	return &metrics{requests: map[reqKey]uint64{}, latency: map[string]*histogram{}}
}

func (m *metrics) observe(route, method string, status int, d time.Duration) {
	s := d.Seconds()
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests[reqKey{route, method, status}]++
	h := m.latency[route]
	if h == nil {
		h = &histogram{counts: make([]uint64, len(latencyBuckets))}
		m.latency[route] = h
	}
	for i, ub := range latencyBuckets {
		if s <= ub {
			h.counts[i]++
			break
		}
	}
	h.sum += s
	h.n++
}

func (m *metrics) ingested(s client.IngestSummary) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.ingest.requests++
	m.ingest.pages += uint64(s.Pages)
	m.ingest.unchanged += uint64(s.Unchanged)
	m.ingest.articles += uint64(s.Articles)
	m.ingest.duplicates += uint64(s.Duplicates)
	m.ingest.failures += uint64(len(s.Failures))
}

// write renders the metrics in the text format, sorted so that the output
// is stable.
func (m *metrics) write() []byte {
	m.mu.Lock()
	defer m.mu.Unlock()
	var b bytes.Buffer
	b.WriteString("# HELP dossier_http_requests_total HTTP requests by route, method and status.\n")
	b.WriteString("# TYPE dossier_http_requests_total counter\n")
	keys := make([]reqKey, 0, len(m.requests))
	for k := range m.requests {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, c := keys[i], keys[j]
		if a.route != c.route {
			return a.route < c.route
		}
		if a.method != c.method {
			return a.method < c.method
		}
		return a.status < c.status
	})
	for _, k := range keys {
		fmt.Fprintf(&b, "dossier_http_requests_total{route=%s,method=%s,status=\"%d\"} %d\n", label(k.route), label(k.method), k.status, m.requests[k])
	}
	b.WriteString("# HELP dossier_http_request_duration_seconds Time to answer a request, by route.\n")
	b.WriteString("# TYPE dossier_http_request_duration_seconds histogram\n")
	routes := make([]string, 0, len(m.latency))
	for r := range m.latency {
		routes = append(routes, r)
	}
	sort.Strings(routes)
	for _, r := range routes {
		h := m.latency[r]
		var cum uint64
		for i, ub := range latencyBuckets {
			cum += h.counts[i]
			fmt.Fprintf(&b, "dossier_http_request_duration_seconds_bucket{route=%s,le=\"%s\"} %d\n", label(r), strconv.FormatFloat(ub, 'g', -1, 64), cum)
		}
		fmt.Fprintf(&b, "dossier_http_request_duration_seconds_bucket{route=%s,le=\"+Inf\"} %d\n", label(r), h.n)
		fmt.Fprintf(&b, "dossier_http_request_duration_seconds_sum{route=%s} %s\n", label(r), strconv.FormatFloat(h.sum, 'g', -1, 64))
		fmt.Fprintf(&b, "dossier_http_request_duration_seconds_count{route=%s} %d\n", label(r), h.n)
	}
	for _, c := range []struct {
		name, help string
		v          uint64
	}{
		{"dossier_ingest_requests_total", "Ingest requests completed.", m.ingest.requests},
		{"dossier_ingest_pages_total", "Pages read by ingests.", m.ingest.pages},
		{"dossier_ingest_pages_unchanged_total", "Pages already stored, skipped.", m.ingest.unchanged},
		{"dossier_ingest_articles_total", "New articles stored.", m.ingest.articles},
		{"dossier_ingest_duplicates_total", "Articles folded into stored ones.", m.ingest.duplicates},
		{"dossier_ingest_failures_total", "Inputs that could not be ingested.", m.ingest.failures},
	} {
		fmt.Fprintf(&b, "# HELP %s %s\n# TYPE %s counter\n%s %d\n", c.name, c.help, c.name, c.name, c.v)
	}
	return b.Bytes()
}

// label quotes a label value as the text format wants.
func label(s string) string { return strconv.Quote(s) }

func (h *Handler) serveMetrics(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(h.metrics.write())
	return nil
}
