package api

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"dossier/internal/client"
)

// FuzzIngestRequest posts arbitrary bodies to POST /v1/ingest. A body the
// handler refuses must get a 4xx in the error envelope, never a 500 or a
// panic; a body it accepts would reach the service, which is not the
// decoder's business and is skipped.
func FuzzIngestRequest(f *testing.F) {
	for _, s := range []string{
		`{"urls":["https://example.org/a"]}`,
		`{"pages":[{"name":"a.txt","body":"text","format":"text","captured":"2025-01-02"}],"captured":"2025-01-02T10:00:00Z"}`,
		`{"pages":[{"name":"../a","body":"x"}]}`,
		`{"urls":["ftp://x"]}`,
		`{"pages":[{"url":"http://h/","body":"x","format":"pdf"}]}`,
		`{} {}`, `[`, `{"unknown":1}`, `null`, `{"pages":[{"name":"a","body":"x","captured":"31/02/2025"}]}`,
	} {
		f.Add([]byte(s))
	}
	h := New(nil, Options{Token: "tok", MaxBody: 1 << 16})
	f.Fuzz(func(t *testing.T, body []byte) {
		if accepted(body) {
			return
		}
		r := httptest.NewRequest(http.MethodPost, "/v1/ingest", bytes.NewReader(body))
		r.Header.Set("Authorization", "Bearer tok")
		r.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		var env client.ErrorBody
		if rec.Code < 400 || rec.Code >= 500 || json.Unmarshal(rec.Body.Bytes(), &env) != nil || env.Error.Code == "" {
			t.Fatalf("body %q: %d %s", body, rec.Code, rec.Body.Bytes())
		}
	})
}

// accepted reports whether the handler would pass body on to the service.
func accepted(body []byte) bool {
	if len(body) > 1<<16 {
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	var req client.IngestRequest
	if dec.Decode(&req) != nil {
		return false
	}
	if _, err := dec.Token(); err != io.EOF {
		return false
	}
	_, _, _, err := checkIngest(req)
	return err == nil
}
