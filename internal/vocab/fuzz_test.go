package vocab

import (
	"bytes"
	"testing"
)

// FuzzParse: any bytes either fail to parse cleanly or give a file that
// writes and reads back to the same bytes.
func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"metadata": {"schema_version": "2.0"}, "entries": []}`))
	f.Add([]byte(`[{"text": "Fire", "canonical": "fire", "confidence": 0.5, "axes": {"fire": 2}}]`))
	f.Add([]byte(`{"metadata": {}, "entries": [{"sources": [{"source": "a", "count": 1}], "variants": ["x"], "review": {"decision": "keep"}}]}`))
	f.Add([]byte(`[null]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := Parse(data)
		if err != nil {
			return
		}
		b1, err := Marshal(v)
		if err != nil {
			return // NaN and the like cannot be written; Parse accepted JSON numbers only
		}
		v2, err := Parse(b1)
		if err != nil {
			t.Fatalf("written file does not parse: %v\n%s", err, b1)
		}
		b2, _ := Marshal(v2)
		if !bytes.Equal(b1, b2) {
			t.Fatalf("not stable:\n%s\n---\n%s", b1, b2)
		}
		Merge(v.Entries[:min(len(v.Entries), 1)])
	})
}
