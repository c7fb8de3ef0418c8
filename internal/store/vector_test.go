package store

import (
	"math"
	"reflect"
	"testing"
)

func TestVectorRoundTrip(t *testing.T) {
	for _, v := range [][]float32{nil, {0}, {1, -1, 0.5}, {float32(math.Inf(1)), math.SmallestNonzeroFloat32}} {
		got, err := DecodeVector(EncodeVector(v))
		if err != nil {
			t.Fatal(err)
		}
		if len(v) == 0 && len(got) == 0 {
			continue
		}
		if !reflect.DeepEqual(got, v) {
			t.Errorf("round trip of %v = %v", v, got)
		}
	}
	if _, err := DecodeVector([]byte{1, 2, 3}); err == nil {
		t.Error("a 3-byte vector decoded without error")
	}
}
