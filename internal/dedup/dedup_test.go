package dedup

import (
	"strings"
	"testing"
)

const wire = `Ukraine asked the global chemical weapons watchdog on Tuesday to investigate the alleged use of banned toxic munitions against its forces. A request to establish an investigation was submitted to the governing body of the organisation. It followed intelligence agencies saying on Friday they had evidence of widespread use of illegal weapons along the frontline. The body created a similar team in 2018 to examine accusations of chemical weapons use elsewhere. Both sides have denied using chemical weapons in the conflict.`

func TestSame(t *testing.T) {
	edited := strings.Replace(wire, "on Tuesday", "on Tuesday, officials said,", 1) + " The watchdog had no immediate comment."
	other := `Trump said on Monday the US would send more weapons to Ukraine, primarily defensive ones, to help the war-torn country defend itself against intensifying advances. The decision to halt some shipments prompted warnings that the move would crimp its ability to fend off air strikes.`
	tests := []struct {
		name string
		a, b string
		want bool
	}{
		{"identical", wire, wire, true},
		{"whitespace and case", wire, strings.ToUpper(strings.ReplaceAll(wire, " ", "  ")), true},
		{"wire copy lightly edited", wire, edited, true},
		{"different article", wire, other, false},
		{"arabic letter forms", "أكدت وكالة الاستخبارات أن القوات انسحبت", "اكدت وكالة الاستخبارات ان القوات انسحبت", true},
	}
	for _, tt := range tests {
		pa, pb := Fingerprint(tt.a), Fingerprint(tt.b)
		if got := Same(pa, pb); got != tt.want {
			t.Errorf("%s: Same = %v, want %v (jaccard %.2f)", tt.name, got, tt.want, Jaccard(pa.Shingles, pb.Shingles))
		}
		shared := false
		for i := range pa.Bands {
			shared = shared || pa.Bands[i] == pb.Bands[i]
		}
		if tt.want && !shared {
			t.Errorf("%s: near copies share no LSH band", tt.name)
		}
	}
}

func TestWords(t *testing.T) {
	got := strings.Join(Words("Kim's ١٢ ألف «troops» — 2,700"), "|")
	if want := "kim|s|12|الف|troops|2|700"; got != want {
		t.Errorf("Words = %q, want %q", got, want)
	}
}

func BenchmarkFingerprint(b *testing.B) {
	text := strings.Repeat(wire+" ", 6)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		Fingerprint(text)
	}
}
