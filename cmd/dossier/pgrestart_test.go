package main

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"dossier/internal/client"
	"dossier/internal/sharedtest"
	"dossier/internal/store/postgres"
	"dossier/internal/store/postgres/pgtest"
)

// TestPostgresRestartUnderServe stops the PostgreSQL server under a running
// `dossier serve -db`: meanwhile reads and writes get 503 in the error
// envelope with Retry-After; once the server is back, the same process
// answers again without a restart and takes writes, which are kept.
func TestPostgresRestartUnderServe(t *testing.T) {
	ctx := context.Background()
	c := pgtest.NewCluster(t)
	data := t.TempDir()
	seeds := seedPages(t)
	seed := sharedtest.Path(t, "seeds", seeds[0].Name)
	if out, errs, code := dossier(t, "add", "-q", "-data", data, "-db", c.DSN, seed); code != 0 {
		t.Fatalf("add: exit %d\n%s%s", code, out, errs)
	}
	bin := buildDossier(t)
	const token = "restart-test-token"
	srv := startServe(t, bin, data, "-db", c.DSN, "-token", token)
	get := func(path string) (*http.Response, []byte) {
		t.Helper()
		resp, err := http.Get(srv.url + path)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		defer resp.Body.Close()
		var b strings.Builder
		buf := make([]byte, 1<<16)
		for {
			n, err := resp.Body.Read(buf)
			b.Write(buf[:n])
			if err != nil {
				break
			}
		}
		return resp, []byte(b.String())
	}
	if resp, body := get("/v1/stories"); resp.StatusCode != http.StatusOK {
		t.Fatalf("before the stop: %d %s", resp.StatusCode, body)
	}
	cl := client.New(srv.url, client.WithToken(token))
	page := func(i int) client.IngestRequest { return client.IngestRequest{Pages: []client.Page{seeds[i]}} }

	c.Stop()
	for _, path := range []string{"/v1/stories", "/v1/search?q=korea", "/v1/export"} {
		resp, body := get(path)
		var env client.ErrorBody
		if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" ||
			json.Unmarshal(body, &env) != nil || env.Error.Code != "unavailable" {
			t.Errorf("GET %s with the database down: %d, Retry-After %q, %s", path, resp.StatusCode, resp.Header.Get("Retry-After"), body)
		}
	}
	if _, err := cl.Ingest(ctx, page(1)); client.Code(err) != "unavailable" {
		t.Errorf("ingest with the database down: %v, want the unavailable error", err)
	}

	c.Start()
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, body := get("/v1/stories")
		if resp.StatusCode == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("30 s after the database came back: %d %s", resp.StatusCode, body)
		}
		time.Sleep(200 * time.Millisecond)
	}
	sum, err := cl.Ingest(ctx, page(2))
	if err != nil || sum.Articles == 0 || len(sum.Failures) > 0 {
		t.Fatalf("ingest after the restart: %+v, %v", sum, err)
	}
	// The acknowledged write is kept: a reader of its own finds the page.
	st, err := postgres.OpenReadOnly(ctx, c.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if ok, err := st.HasPage(ctx, "post:"+seeds[2].Name, sha256Hex(seeds[2].Body)); err != nil || !ok {
		t.Errorf("the page acknowledged after the restart is not stored (%v)", err)
	}
}
