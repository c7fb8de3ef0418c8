package lang

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
)

// TestModelUpToDate regenerates the model from lingua-go's and compares it
// with the compiled-in one, so that a change of the language lists or of
// genmodel cannot ship with a stale model (run `go generate ./internal/lang`).
func TestModelUpToDate(t *testing.T) {
	m, err := loadModel(modelData)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(m.codes, ModelCodes()) {
		t.Fatalf("model holds %v, want %v: run go generate ./internal/lang", m.codes, ModelCodes())
	}
	out := filepath.Join(t.TempDir(), "model.bin")
	cmd := exec.Command("go", "run", "./genmodel", "-o", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("genmodel: %v\n%s", err, b)
	}
	fresh, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(gunzip(t, fresh), gunzip(t, modelData)) {
		t.Fatal("model.bin differs from what genmodel writes: run go generate ./internal/lang")
	}
	lic, err := os.ReadFile(filepath.Join(filepath.Dir(out), "model.LICENSE"))
	if err != nil {
		t.Fatal(err)
	}
	if have, err := os.ReadFile("model.LICENSE"); err != nil || !bytes.Equal(have, lic) {
		t.Fatalf("model.LICENSE differs from what genmodel writes (%v): run go generate ./internal/lang", err)
	}
}

func gunzip(t *testing.T, b []byte) []byte {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestLoadModelRejectsDamage cuts and alters the model: loading must fail
// with an error, never panic or accept it.
func TestLoadModelRejectsDamage(t *testing.T) {
	raw := gunzip(t, modelData)
	rezip := func(b []byte) []byte {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write(b)
		zw.Close()
		return buf.Bytes()
	}
	cases := map[string][]byte{
		"empty":     nil,
		"not gzip":  raw[:100],
		"cut":       rezip(raw[:len(raw)/2]),
		"no magic":  rezip(raw[1:]),
		"trailing":  rezip(append(slices.Clone(raw), 0)),
		"one ngram": rezip(raw[:len(ModelMagic)+200]),
	}
	for name, b := range cases {
		if _, err := loadModel(b); err == nil {
			t.Errorf("%s: loaded", name)
		}
	}
}
