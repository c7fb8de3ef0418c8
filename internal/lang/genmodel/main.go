// Command genmodel writes internal/lang's n-gram model (model.bin) from
// lingua-go's language models (Apache License 2.0, © Peter M. Stahl), read
// from the module cache: for each language dossier detects, the unigram,
// bigram and trigram probabilities, as logarithms in steps of 1/8, in
// dossier's own compact format (see internal/lang/model.go). The 4- and
// 5-gram models and the languages dossier does not use are left out, which
// is what makes the binary 120 MB smaller than linking lingua-go. It
// writes the licence the model carries beside it (model.LICENSE).
//
//	go run ./internal/lang/genmodel -o internal/lang/model.bin
package main

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/pemistahl/lingua-go/serialization"
	"google.golang.org/protobuf/proto"

	"dossier/internal/lang"
)

func main() {
	out := flag.String("o", "internal/lang/model.bin", "model file to write")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "genmodel:", err)
		os.Exit(1)
	}
}

func run(out string) error {
	dir, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/pemistahl/lingua-go").Output()
	if err != nil {
		return fmt.Errorf("locate lingua-go: %w", err)
	}
	root := filepath.Join(strings.TrimSpace(string(dir)), "language-models")
	codes := lang.ModelCodes()
	var buf bytes.Buffer
	buf.WriteString(lang.ModelMagic)
	putUvarint(&buf, uint64(len(codes)))
	for _, c := range codes {
		putString(&buf, c)
	}
	// Every n-gram once, with the languages that have it and its
	// probability in each, in sorted order so that each shares its prefix
	// with the one before.
	posts := map[string][]byte{}
	for order, name := range []string{"unigrams", "bigrams", "trigrams"} {
		for li, c := range codes {
			m, err := read(filepath.Join(root, c, name+".pb.bin.zip"))
			if errors.Is(err, fs.ErrNotExist) && order > 0 {
				continue // Chinese, Japanese and Korean have unigrams only
			}
			if err != nil {
				return fmt.Errorf("%s %s: %w", c, name, err)
			}
			for _, set := range m.GetNgramSets() {
				q := lang.Quantise(math.Log(set.GetProbability()))
				for _, g := range set.GetNgrams() {
					if n := len([]rune(g)); n != order+1 {
						return fmt.Errorf("%s %s: %q has %d characters", c, name, g, n)
					}
					posts[g] = append(posts[g], byte(li), q)
				}
			}
		}
	}
	ngrams := slices.Sorted(maps.Keys(posts))
	putUvarint(&buf, uint64(len(ngrams)))
	prev, total := "", 0
	for _, g := range ngrams {
		p := 0
		for p < len(prev) && p < len(g) && prev[p] == g[p] {
			p++
		}
		putUvarint(&buf, uint64(p))
		putString(&buf, g[p:])
		putUvarint(&buf, uint64(len(posts[g])/2))
		buf.Write(posts[g])
		prev = g
		total += len(posts[g]) / 2
	}
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	zw.Write(buf.Bytes())
	if err := zw.Close(); err != nil {
		return err
	}
	if err := os.WriteFile(out, gz.Bytes(), 0o644); err != nil {
		return err
	}
	// The model is a work derived from lingua-go's, which it carries the
	// licence of.
	lic, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(dir)), "LICENSE"))
	if err != nil {
		return fmt.Errorf("lingua-go's licence: %w", err)
	}
	notice := fmt.Sprintf("%s is derived from the language models of lingua-go\n"+
		"(github.com/pemistahl/lingua-go, Copyright © 2021-present Peter M. Stahl),\n"+
		"by dossier's internal/lang/genmodel: the unigram, bigram and trigram models\n"+
		"of %d languages, their probabilities rounded to steps of 1/8 in the\n"+
		"logarithm, in another format. lingua-go's licence follows.\n\n", filepath.Base(out), len(codes))
	if err := os.WriteFile(strings.TrimSuffix(out, ".bin")+".LICENSE", append([]byte(notice), lic...), 0o644); err != nil {
		return err
	}
	fmt.Printf("%s: %d languages, %d n-grams in %d postings, %d bytes (%d before gzip)\n", out, len(codes), len(ngrams), total, gz.Len(), buf.Len())
	return nil
}

func read(path string) (*serialization.SerializableLanguageModel, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	if len(zr.File) != 1 {
		return nil, fmt.Errorf("%d files in the zip", len(zr.File))
	}
	f, err := zr.File[0].Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		return nil, err
	}
	var m serialization.SerializableLanguageModel
	if err := proto.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	return &m, nil
}

func putUvarint(w *bytes.Buffer, v uint64) {
	w.Write(binary.AppendUvarint(nil, v))
}

func putString(w *bytes.Buffer, s string) {
	putUvarint(w, uint64(len(s)))
	w.WriteString(s)
}
