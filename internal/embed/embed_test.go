package embed

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// fakeService answers /v1/embeddings with a vector per input built from
// its words, so that texts sharing words point the same way.
func fakeService(t *testing.T, key string) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/embeddings" || r.Method != http.MethodPost {
			http.NotFound(w, r)
			return
		}
		if key != "" && r.Header.Get("Authorization") != "Bearer "+key {
			w.WriteHeader(http.StatusUnauthorized)
			w.Write([]byte(`{"error":{"message":"bad key"}}`))
			return
		}
		var req struct {
			Input []string `json:"input"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		type item struct {
			Index     int       `json:"index"`
			Embedding []float32 `json:"embedding"`
		}
		var out struct {
			Data []item `json:"data"`
		}
		for i := len(req.Input) - 1; i >= 0; i-- { // out of order on purpose
			v := make([]float32, 16)
			for _, w := range strings.Fields(strings.ToLower(req.Input[i])) {
				v[len(w)%16]++
			}
			out.Data = append(out.Data, item{i, v})
		}
		json.NewEncoder(w).Encode(out)
	}))
}

func TestEmbed(t *testing.T) {
	srv := fakeService(t, "secret")
	defer srv.Close()
	c := New(Config{URL: srv.URL, Model: "test", APIKey: "secret"})
	vs, err := c.Embed(context.Background(), []string{"north korean troops", "north korean soldiers", "tariffs"})
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 3 || Cos(vs[0], vs[0]) < 0.999 {
		t.Fatalf("vectors not normalised or missing: %v", vs)
	}
	if Cos(vs[0], vs[1]) <= Cos(vs[0], vs[2]) {
		t.Errorf("related texts not closer: %.2f vs %.2f", Cos(vs[0], vs[1]), Cos(vs[0], vs[2]))
	}
	bad := New(Config{URL: srv.URL, APIKey: "wrong"})
	if _, err := bad.Embed(context.Background(), []string{"x"}); err == nil || !strings.Contains(err.Error(), "bad key") || !strings.Contains(err.Error(), srv.URL) {
		t.Errorf("wrong key: err = %v", err)
	}
	if New(Config{}) != nil {
		t.Error("a client without URL should be nil (feature off)")
	}
}
