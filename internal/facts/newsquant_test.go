package facts

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"dossier/internal/sharedtest"
)

var nqOut = flag.String("nq-out", "", "also write the NewsQuant predictions to this file")

type nqPred struct {
	Value     *float64 `json:"value,omitempty"`
	Low       *float64 `json:"low,omitempty"`
	High      *float64 `json:"high,omitempty"`
	Qualifier *string  `json:"qualifier"`
}

// TestNewsQuant extracts the quantities of the 590 NewsQuant sentences and
// holds value F1 to the best published figure (CQE, 0.92).
func TestNewsQuant(t *testing.T) {
	gold := sharedtest.Path(t, "bench", "numbers", "newsquant.json")
	b, err := os.ReadFile(gold)
	if err != nil {
		t.Fatal(err)
	}
	var sents []struct {
		Text string `json:"text"`
	}
	if err := json.Unmarshal(b, &sents); err != nil {
		t.Fatal(err)
	}
	pred := make([][]nqPred, len(sents))
	for i, s := range sents {
		pred[i] = []nqPred{}
		for _, q := range Quantities(s.Text) {
			p := nqPred{}
			if q.Qualifier != "" {
				p.Qualifier = &q.Qualifier
			}
			if q.IsRange {
				lo, hi := q.Low, q.High
				p.Low, p.High = &lo, &hi
			} else {
				v := q.Value
				p.Value = &v
			}
			pred[i] = append(pred[i], p)
		}
	}
	out := filepath.Join(t.TempDir(), "pred.json")
	if *nqOut != "" {
		out = *nqOut
	}
	j, _ := json.Marshal(pred)
	if err := os.WriteFile(out, j, 0o644); err != nil {
		t.Fatal(err)
	}
	sharedtest.Score(t, "score_numbers.py", gold, out, "--min", "0.92")
}
