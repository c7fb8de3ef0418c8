package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// cmdGenCorpus writes a JSON Lines corpus of -n articles for benchmarks,
// generated from the benchmark corpora under DIR (../shared/bench): each
// article is a base article with its numbers changed, about one word in
// eight swapped for another word of the same article (names for names),
// and a date spread over two years, so that copies do not
// fold as duplicates and stories do not all merge.
func cmdGenCorpus(ctx context.Context, cfg *Config, args []string) error {
	fs := flags("gen-corpus", cfg)
	n := fs.Int("n", 100000, "articles to write")
	seed := fs.Uint64("seed", 1, "random seed (the same seed writes the same corpus)")
	out := fs.String("o", "-", "output file (- for standard output)")
	fs.Usage = func() {
		fmt.Fprintf(cfg.Stderr, "usage: dossier gen-corpus [flags] BENCHDIR\n\nBENCHDIR holds clustering/*.jsonl and similarity/semeval-dev.jsonl (../shared/bench).\n\n")
		fs.PrintDefaults()
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return &exitError{code: 2, msg: "gen-corpus: give the benchmark directory"}
	}
	var base []baseDoc
	for _, f := range []string{"clustering/ecbplus.jsonl", "clustering/mmds-dev.jsonl", "similarity/semeval-dev.jsonl"} {
		docs, err := readBase(filepath.Join(fs.Arg(0), f))
		if err != nil {
			return fmt.Errorf("gen-corpus: %w", err)
		}
		base = append(base, docs...)
	}
	if len(base) == 0 {
		return fmt.Errorf("gen-corpus: no articles under %s", fs.Arg(0))
	}
	w := cfg.Stdout
	if *out != "-" {
		f, err := os.Create(*out)
		if err != nil {
			return fmt.Errorf("gen-corpus: %w", err)
		}
		defer f.Close()
		w = f
	}
	bw := bufio.NewWriter(w)
	rng := rand.New(rand.NewPCG(*seed, 42))
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < *n; i++ {
		if i%1000 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		b := base[rng.IntN(len(base))]
		rec := map[string]string{
			"id":        "g" + strconv.Itoa(i),
			"title":     perturb(rng, b.Title, b.Text),
			"text":      perturb(rng, b.Text, b.Text),
			"published": start.AddDate(0, 0, rng.IntN(730)).Format("2006-01-02"),
		}
		line, err := json.Marshal(rec)
		if err != nil {
			return err
		}
		bw.Write(line)
		bw.WriteByte('\n')
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("gen-corpus: %w", err)
	}
	return nil
}

type baseDoc struct {
	Title string `json:"title"`
	Text  string `json:"text"`
}

func readBase(path string) ([]baseDoc, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []baseDoc
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var d baseDoc
		if err := json.Unmarshal(sc.Bytes(), &d); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if d.Text != "" {
			out = append(out, d)
		}
	}
	return out, sc.Err()
}

// perturb changes the numbers of s and swaps about one word in eight for
// another word of the same article (a name for a name), so that the copy
// stays in the article's language but does not fold as a duplicate.
func perturb(rng *rand.Rand, s, from string) string {
	var names, words []string
	for _, w := range strings.Fields(from) {
		if r, _ := utf8.DecodeRuneInString(w); unicode.IsUpper(r) {
			names = append(names, w)
		} else {
			words = append(words, w)
		}
	}
	ws := strings.Fields(s)
	for i, w := range ws {
		r, _ := utf8.DecodeRuneInString(w)
		switch {
		case unicode.IsDigit(r):
			ws[i] = strconv.Itoa(rng.IntN(5000) + 1)
		case rng.IntN(8) != 0:
		case unicode.IsUpper(r) && len(names) > 0:
			ws[i] = names[rng.IntN(len(names))]
		case len(words) > 0:
			ws[i] = words[rng.IntN(len(words))]
		}
	}
	return strings.Join(ws, " ")
}
