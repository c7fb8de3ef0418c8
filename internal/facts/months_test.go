package facts

import "testing"

// A number beside a month name is part of a date, not a quantity; a word
// that is a month only in some regions (نيسان, April in the Levant, is
// also Nissan) does not make the number beside it a date.
func TestQuantitiesBesideMonths(t *testing.T) {
	for _, c := range []struct {
		text string
		want []float64
	}{
		{"قتل 12 شخصا في 3 يوليو", []float64{12}},
		{"وصل 40 زائرا في 5 إبريل", []float64{40}},
		{"باعت نيسان 500 ألف سيارة", []float64{500000}},
		{"Sales rose 12% on March 3", []float64{12}},
	} {
		var got []float64
		for _, q := range Quantities(c.text) {
			got = append(got, q.Value)
		}
		if len(got) != len(c.want) || (len(got) > 0 && got[0] != c.want[0]) {
			t.Errorf("Quantities(%q) = %v, want %v", c.text, got, c.want)
		}
	}
}
