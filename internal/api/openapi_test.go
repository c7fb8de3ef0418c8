package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// exchange is one request of the test suite and the response it got.
type exchange struct {
	method, path string
	status       int
	contentType  string
	body         []byte
}

// tape records every exchange of a test server, to validate them all
// against the OpenAPI document when the test ends.
type tape struct {
	mu sync.Mutex
	xs []exchange
}

// wrap records the responses of next.
func (tp *tape) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tw := &teeWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(tw, r)
		tp.mu.Lock()
		tp.xs = append(tp.xs, exchange{method: r.Method, path: r.URL.Path, status: tw.status,
			contentType: w.Header().Get("Content-Type"), body: tw.buf.Bytes()})
		tp.mu.Unlock()
	})
}

type teeWriter struct {
	http.ResponseWriter
	status int
	buf    bytes.Buffer
}

func (t *teeWriter) WriteHeader(c int) { t.status = c; t.ResponseWriter.WriteHeader(c) }
func (t *teeWriter) Write(b []byte) (int, error) {
	t.buf.Write(b)
	return t.ResponseWriter.Write(b)
}

// spec is the OpenAPI document, decoded, with a compiler for its schemas.
type spec struct {
	doc     map[string]any
	paths   []specPath
	mu      sync.Mutex
	c       *jsonschema.Compiler
	schemas map[string]*jsonschema.Schema
}

type specPath struct {
	template string
	re       *regexp.Regexp
}

const specURL = "file:///openapi.json"

var (
	specOnce sync.Once
	theSpec  *spec
	specErr  error
)

// loadSpec reads the embedded document once.
func loadSpec(t testing.TB) *spec {
	t.Helper()
	specOnce.Do(func() {
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(openapiDoc))
		if err != nil {
			specErr = err
			return
		}
		c := jsonschema.NewCompiler()
		c.DefaultDraft(jsonschema.Draft2020)
		c.AssertFormat()
		if err := c.AddResource(specURL, doc); err != nil {
			specErr = err
			return
		}
		s := &spec{doc: doc.(map[string]any), c: c, schemas: map[string]*jsonschema.Schema{}}
		for p := range s.doc["paths"].(map[string]any) {
			re := regexp.MustCompile(`\\\{[a-z_]+\\\}`).ReplaceAllString(regexp.QuoteMeta(p), `[^/]+`)
			s.paths = append(s.paths, specPath{template: p, re: regexp.MustCompile("^" + re + "$")})
		}
		// Literal paths before templated ones.
		sort.Slice(s.paths, func(i, j int) bool {
			return strings.Count(s.paths[i].template, "{") < strings.Count(s.paths[j].template, "{")
		})
		theSpec = s
	})
	if specErr != nil {
		t.Fatalf("openapi.json: %v", specErr)
	}
	return theSpec
}

// pointer escapes a JSON pointer token.
func pointer(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// response finds the document's response for a path, method and status,
// following a $ref into components, and returns it with its JSON pointer.
func (s *spec) response(path, method string, status int) (map[string]any, string, error) {
	var tmpl string
	for _, p := range s.paths {
		if p.re.MatchString(path) {
			tmpl = p.template
			break
		}
	}
	if tmpl == "" {
		return nil, "", fmt.Errorf("path %s is not documented", path)
	}
	item, _ := s.doc["paths"].(map[string]any)[tmpl].(map[string]any)
	m := strings.ToLower(method)
	if m == "head" {
		m = "get"
	}
	op, ok := item[m].(map[string]any)
	if !ok {
		return nil, "", fmt.Errorf("%s %s is not documented", method, tmpl)
	}
	code := strconv.Itoa(status)
	resp, ok := op["responses"].(map[string]any)[code].(map[string]any)
	if !ok {
		return nil, "", fmt.Errorf("%s %s: status %d is not documented", method, tmpl, status)
	}
	ptr := "#/paths/" + pointer(tmpl) + "/" + m + "/responses/" + code
	if ref, ok := resp["$ref"].(string); ok {
		name := strings.TrimPrefix(ref, "#/components/responses/")
		resp = s.doc["components"].(map[string]any)["responses"].(map[string]any)[name].(map[string]any)
		ptr = ref
	}
	return resp, ptr, nil
}

func (s *spec) schema(loc string) (*jsonschema.Schema, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if sch, ok := s.schemas[loc]; ok {
		return sch, nil
	}
	sch, err := s.c.Compile(specURL + loc)
	if err != nil {
		return nil, err
	}
	s.schemas[loc] = sch
	return sch, nil
}

// validate checks one exchange against the document: its status and
// content type are documented for its route, and a JSON body validates
// against the schema documented for them. Answers no route took (404,
// 405) must be the error envelope.
func (s *spec) validate(x exchange) error {
	var loc string
	resp, ptr, err := s.response(x.path, x.method, x.status)
	switch {
	case err != nil && (x.status == http.StatusNotFound || x.status == http.StatusMethodNotAllowed) && strings.Contains(err.Error(), "documented"):
		loc = "#/components/schemas/Error"
	case err != nil:
		return err
	case x.status == http.StatusNotModified:
		if len(x.body) > 0 {
			return fmt.Errorf("304 with a body")
		}
		return nil
	default:
		content, _ := resp["content"].(map[string]any)
		mt, _, perr := mime.ParseMediaType(x.contentType)
		if perr != nil {
			return fmt.Errorf("content type %q: %v", x.contentType, perr)
		}
		var key string
		for k := range content {
			if dm, _, _ := mime.ParseMediaType(k); dm == mt {
				key = k
			}
		}
		if key == "" {
			return fmt.Errorf("content type %s is not documented for status %d", mt, x.status)
		}
		if mt != "application/json" {
			return nil
		}
		loc = ptr + "/content/" + pointer(key) + "/schema"
	}
	sch, err := s.schema(loc)
	if err != nil {
		return fmt.Errorf("compile %s: %v", loc, err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(x.body))
	if err != nil {
		return fmt.Errorf("body is not JSON: %v", err)
	}
	if err := sch.Validate(inst); err != nil {
		return fmt.Errorf("body does not validate against %s: %v", loc, err)
	}
	return nil
}

// check validates every exchange recorded.
func (tp *tape) check(t testing.TB) {
	t.Helper()
	s := loadSpec(t)
	tp.mu.Lock()
	defer tp.mu.Unlock()
	for _, x := range tp.xs {
		if err := s.validate(x); err != nil {
			body := string(x.body)
			if len(body) > 400 {
				body = body[:400] + "…"
			}
			t.Errorf("%s %s → %d: %v\nbody: %s", x.method, x.path, x.status, err, body)
		}
	}
	t.Logf("%d responses checked against openapi.json", len(tp.xs))
}

// TestRoutesDocumented checks that every route registered is documented
// and every documented operation is registered.
func TestRoutesDocumented(t *testing.T) {
	s := loadSpec(t)
	h := New(nil, Options{})
	registered := map[string]bool{}
	for _, r := range h.Routes() {
		registered[r] = true
	}
	documented := map[string]bool{}
	for p, item := range s.doc["paths"].(map[string]any) {
		for m := range item.(map[string]any) {
			switch m {
			case "get", "post", "put", "patch", "delete":
				documented[strings.ToUpper(m)+" "+p] = true
			}
		}
	}
	for r := range registered {
		if !documented[r] {
			t.Errorf("route %q is not in openapi.json", r)
		}
	}
	for d := range documented {
		if !registered[d] {
			t.Errorf("openapi.json documents %q, which is not registered", d)
		}
	}
	if len(registered) < 15 {
		t.Errorf("only %d routes registered", len(registered))
	}
}

// TestOpenAPIDocument checks that the document is OpenAPI 3.1 and that
// every schema it names compiles.
func TestOpenAPIDocument(t *testing.T) {
	s := loadSpec(t)
	if v, _ := s.doc["openapi"].(string); !strings.HasPrefix(v, "3.1") {
		t.Errorf("openapi = %q, want 3.1.x", v)
	}
	names := []string{}
	for name := range s.doc["components"].(map[string]any)["schemas"].(map[string]any) {
		names = append(names, name)
	}
	for _, name := range names {
		if _, err := s.schema("#/components/schemas/" + name); err != nil {
			t.Errorf("schema %s: %v", name, err)
		}
	}
	// The document is plain JSON that a generic decoder reads.
	var v any
	if err := json.Unmarshal(openapiDoc, &v); err != nil {
		t.Fatal(err)
	}
}

// TestValidatorRejects makes sure the validation is not vacuous: wrong
// bodies, undocumented statuses and content types are caught.
func TestValidatorRejects(t *testing.T) {
	s := loadSpec(t)
	bad := []exchange{
		{method: "GET", path: "/v1/stories", status: 200, contentType: "application/json", body: []byte(`{"stories":[],"next":3}`)},
		{method: "GET", path: "/v1/stories", status: 200, contentType: "application/json", body: []byte(`{"stories":[{"id":"12"}],"next":null}`)},
		{method: "GET", path: "/v1/stories/s1", status: 200, contentType: "application/json", body: []byte(`{"id":"s1"}`)},
		{method: "GET", path: "/v1/stories", status: 418, contentType: "application/json", body: []byte(`{}`)},
		{method: "GET", path: "/v1/stories", status: 200, contentType: "text/html", body: []byte(`<p>`)},
		{method: "GET", path: "/v1/articles/a1", status: 404, contentType: "application/json", body: []byte(`{"error":{"code":"gone","message":"x"}}`)},
		{method: "GET", path: "/v1/nowhere", status: 404, contentType: "application/json", body: []byte(`not found`)},
		{method: "GET", path: "/v1/stories/s1", status: 200, contentType: "application/json",
			body: []byte(`{"id":"s1","title":"","summary":"","first":"yesterday","latest":null,"updated":"2025-01-01T00:00:00Z","coverage":{"languages":[],"outlets":[],"days":[]},"articles":[],"events":[],"timeline":[],"ledger":[],"disagreements":[],"status_changes":[]}`)},
	}
	for _, x := range bad {
		if err := s.validate(x); err == nil {
			t.Errorf("%s %s %d %s accepted", x.method, x.path, x.status, x.body)
		}
	}
	good := exchange{method: "GET", path: "/v1/stories", status: 200, contentType: "application/json; charset=utf-8", body: []byte(`{"stories":[],"next":null}`)}
	if err := s.validate(good); err != nil {
		t.Errorf("valid answer rejected: %v", err)
	}
}
