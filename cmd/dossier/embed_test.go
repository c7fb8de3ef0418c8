package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReclusterKeepsEmbeddings ingests two reports of one development that
// share no words (English and French), with a local embeddings service that
// gives them the same vector, then reclusters with the service gone: the
// stored embeddings keep them in one event. Without the service they are
// two stories.
func TestReclusterKeepsEmbeddings(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Input []string `json:"input"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		var out struct {
			Data []map[string]any `json:"data"`
		}
		for i := range req.Input {
			out.Data = append(out.Data, map[string]any{"index": i, "embedding": []float32{0, 1, 0}})
		}
		json.NewEncoder(w).Encode(out)
	}))
	dir := t.TempDir()
	for name, text := range map[string]string{
		"en.txt": "Council approves budget after long debate\nThe council approved the budget on Tuesday after a debate that lasted well into the evening, officials said.\nOpposition members asked for an independent review before any contracts are signed.",
		// No day in the French text: "mardi" would now be dated, the same
		// day as the English "Tuesday", and a shared date is shared
		// evidence; the control needs two reports that share nothing.
		"fr.txt": "Le conseil adopte le budget après un long débat\nLe conseil municipal a adopté le budget au terme d'un débat qui a duré jusque tard dans la soirée.\nL'opposition a demandé un examen indépendant avant toute signature de contrat.",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ingest := func(args ...string) string {
		data := t.TempDir()
		if out, errs, code := dossier(t, append([]string{"add", "-q", "-data", data, "-captured", "2025-03-04"}, append(args, dir)...)...); code != 0 {
			t.Fatalf("add: exit %d\n%s%s", code, out, errs)
		}
		return data
	}
	plain := ingest()
	withEmb := ingest("-embed-url", srv.URL)
	srv.Close()
	for _, c := range []struct {
		data      string
		sameEvent bool
	}{{plain, false}, {withEmb, true}} {
		if out, errs, code := dossier(t, "recluster", "-data", c.data); code != 0 {
			t.Fatalf("recluster: exit %d\n%s%s", code, out, errs)
		}
		parts := strings.Fields(clusters(t, exportTo(t, c.data)))
		if len(parts) != 2 {
			t.Fatalf("want 2 articles, got %v", parts)
		}
		ev := func(p string) string { return p[strings.LastIndex(p, "/")+1:] }
		if got := ev(parts[0]) == ev(parts[1]); got != c.sameEvent {
			t.Errorf("after recluster (embeddings stored: %v): %v, same event = %v", c.sameEvent, parts, got)
		}
	}
}
