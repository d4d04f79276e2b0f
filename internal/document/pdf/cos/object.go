package cos

import (
	"fmt"
	"math"
)

// Object is one PDF object: nil (null), bool, int64, float64, Name, String,
// Array, Dict, *Stream, Ref, or Keyword (a bare word: an operator in a content
// stream, or junk in a damaged file).
type Object any

// Name is a PDF name without its slash, #xx escapes decoded.
type Name string

// String is a PDF string's bytes after escapes (literal) or hex digits
// (hexadecimal) are decoded; the encoding is the reader's business.
type String []byte

// Array is a PDF array.
type Array []Object

// Dict is a PDF dictionary.
type Dict map[Name]Object

// Ref is an indirect reference "num gen R".
type Ref struct {
	Num int32
	Gen int32
}

// Keyword is a bare word that is not true, false or null: an operator in a
// content stream.
type Keyword string

// Stream is a stream object: its dictionary and its still-encoded bytes
// (a slice of the file's data, or decrypted bytes).
type Stream struct {
	Dict Dict
	Raw  []byte
}

// Num returns o as a number.
func Num(o Object) (float64, bool) {
	switch v := o.(type) {
	case int64:
		return float64(v), true
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return 0, false
		}
		return v, true
	}
	return 0, false
}

// Int returns o as an integer (a real is truncated, as readers do).
func Int(o Object) (int64, bool) {
	switch v := o.(type) {
	case int64:
		return v, true
	case float64:
		if math.IsNaN(v) || v > math.MaxInt64/2 || v < math.MinInt64/2 {
			return 0, false
		}
		return int64(v), true
	}
	return 0, false
}

// String returns a short description for error messages.
func (r Ref) String() string { return fmt.Sprintf("%d %d R", r.Num, r.Gen) }
