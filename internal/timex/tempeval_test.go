package timex

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
	"unicode/utf8"

	"dossier/internal/sharedtest"
)

var teOut = flag.String("te-out", "", "also write the TempEval predictions to this file")

type pred struct {
	Start int    `json:"start"`
	End   int    `json:"end"`
	Value string `json:"value"`
	Type  string `json:"type"`
}

// TestTempEval tags the TempEval-3 platinum documents against their creation
// dates and holds DATE value F1 to the level measured, 0.892 (HeidelTime is
// reported at 0.776).
func TestTempEval(t *testing.T) {
	gold := sharedtest.Path(t, "bench", "time", "te3-platinum")
	dump, err := exec.Command("python3", sharedtest.Path(t, "eval", "score_timex.py"), "--dump", gold).Output()
	if err != nil {
		t.Fatalf("dump: %v", err)
	}
	out := map[string][]pred{}
	sc := bufio.NewScanner(bytes.NewReader(dump))
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var doc struct{ ID, DCT, Text string }
		if err := json.Unmarshal(sc.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		dct, err := time.Parse("2006-01-02", doc.DCT[:10])
		if err != nil {
			t.Fatalf("%s: dct %q: %v", doc.ID, doc.DCT, err)
		}
		out[doc.ID] = []pred{}
		for _, x := range Tag(doc.Text, dct) {
			out[doc.ID] = append(out[doc.ID], pred{
				Start: utf8.RuneCountInString(doc.Text[:x.Start]), End: utf8.RuneCountInString(doc.Text[:x.End]),
				Value: x.Value, Type: x.Type,
			})
		}
	}
	path := filepath.Join(t.TempDir(), "pred.json")
	if *teOut != "" {
		path = *teOut
	}
	b, _ := json.Marshal(out)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	sharedtest.Score(t, "score_timex.py", gold, path, "--min", "0.892")
}
