package arabic

import "testing"

func TestFold(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"أكدت", "اكدت"}, {"قُتِلَ", "قتل"}, {"جرحى", "جرحي"}, {"الكورية", "الكوريه"}, {"كـــورسك", "كورسك"}, {"Kursk", "Kursk"},
	} {
		if got := Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
