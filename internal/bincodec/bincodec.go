// Package bincodec reads the compact stored forms that dossier's pure
// packages write with encoding/binary (the clustering model, the story
// views' derivations): varints, counts checked against the bytes left,
// strings, booleans. A Reader is sticky: after the first error every read
// returns zero and Err stays set, so a decoder reads a whole form and
// checks once.
package bincodec

import "encoding/binary"

// Reader reads a stored form from B.
type Reader struct {
	// B is what is left to read.
	B []byte
	// Err is the first error met: bad, as given to NewReader.
	Err error
	bad error
}

// NewReader returns a Reader of b that fails with bad.
func NewReader(b []byte, bad error) *Reader { return &Reader{B: b, bad: bad} }

// Fail records the Reader's error and drops what is left.
func (r *Reader) Fail() {
	if r.Err == nil {
		r.Err = r.bad
	}
	r.B = nil
}

// Uint reads a uvarint.
func (r *Reader) Uint() uint64 {
	v, n := binary.Uvarint(r.B)
	if n <= 0 {
		r.Fail()
		return 0
	}
	r.B = r.B[n:]
	return v
}

// Int reads a varint.
func (r *Reader) Int() int64 {
	v, n := binary.Varint(r.B)
	if n <= 0 {
		r.Fail()
		return 0
	}
	r.B = r.B[n:]
	return v
}

// Fits says whether n items, each at least min bytes long, fit in what is
// left, and fails when not: a damaged count must not make a huge
// allocation.
func (r *Reader) Fits(n uint64, min int) bool {
	if n > uint64(len(r.B)/min) {
		r.Fail()
		return false
	}
	return true
}

// Count reads a count of items each at least min bytes long (0 when they
// cannot fit).
func (r *Reader) Count(min int) int {
	n := r.Uint()
	if !r.Fits(n, min) {
		return 0
	}
	return int(n)
}

// Str reads a string written as its length (a uvarint) and its bytes.
func (r *Reader) Str() string {
	n := r.Uint()
	if !r.Fits(n, 1) {
		return ""
	}
	s := string(r.B[:n])
	r.B = r.B[n:]
	return s
}

// Bool reads a byte that is 0 or 1.
func (r *Reader) Bool() bool {
	if len(r.B) == 0 || r.B[0] > 1 {
		r.Fail()
		return false
	}
	v := r.B[0] == 1
	r.B = r.B[1:]
	return v
}

// End fails if bytes are left after a whole form, and returns Err.
func (r *Reader) End() error {
	if r.Err == nil && len(r.B) != 0 {
		r.Fail()
	}
	return r.Err
}
