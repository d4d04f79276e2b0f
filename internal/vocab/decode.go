package vocab

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/corpora-tools/corpora/internal/atomicfile"
	"github.com/corpora-tools/corpora/internal/classify"
	"github.com/corpora-tools/corpora/internal/termkey"
)

// entryIn decodes an Entry with its axes read by fastAxes: being shallower,
// its Axes field takes "axes" from the embedded Term's.
type entryIn struct {
	Entry
	Axes fastAxes `json:"axes"`
}

// fileIn decodes a File through entryIn.
type fileIn struct {
	Metadata Metadata  `json:"metadata"`
	Entries  []entryIn `json:"entries"`
}

// decodeFile decodes a vocabulary file (an object, or a bare array of
// terms) into f.
func decodeFile(data []byte, f *File) error {
	var ins []entryIn
	if len(data) > 0 && data[0] == '[' {
		if err := json.Unmarshal(data, &ins); err != nil {
			return err
		}
	} else {
		var fi fileIn
		if err := json.Unmarshal(data, &fi); err != nil {
			return err
		}
		f.Metadata, ins = fi.Metadata, fi.Entries
	}
	if ins == nil {
		return nil
	}
	f.Entries = make([]Entry, len(ins))
	for i := range ins {
		f.Entries[i] = ins[i].Entry
		f.Entries[i].Axes = classify.Axes(ins[i].Axes)
	}
	return nil
}

// fastAxes is classify.Axes with a decoder for the shape corpora writes
// (an object of axis names and numbers) that skips the generic decoder;
// anything else goes to classify.Axes.UnmarshalJSON, so the result is the
// same.
type fastAxes classify.Axes

// UnmarshalJSON implements json.Unmarshaler.
func (a *fastAxes) UnmarshalJSON(data []byte) error {
	if v, ok := parseAxes(data); ok {
		*a = v
		return nil
	}
	var slow classify.Axes
	if err := slow.UnmarshalJSON(data); err != nil {
		return err
	}
	*a = fastAxes(slow)
	return nil
}

// parseAxes reads {"name": number, ...} with known axis names written
// exactly; ok is false for anything else.
func parseAxes(data []byte) (out fastAxes, ok bool) {
	i := 0
	ws := func() {
		for i < len(data) && (data[i] == ' ' || data[i] == '\n' || data[i] == '\t' || data[i] == '\r') {
			i++
		}
	}
	ws()
	if i >= len(data) || data[i] != '{' {
		return out, false
	}
	i++
	for first := true; ; first = false {
		ws()
		if i < len(data) && data[i] == '}' {
			i++
			ws()
			return out, i == len(data)
		}
		if !first {
			if i >= len(data) || data[i] != ',' {
				return out, false
			}
			i++
			ws()
		}
		if i >= len(data) || data[i] != '"' {
			return out, false
		}
		end := bytes.IndexByte(data[i+1:], '"')
		if end < 0 {
			return out, false
		}
		name := data[i+1 : i+1+end]
		if bytes.IndexByte(name, '\\') >= 0 {
			return out, false
		}
		axis := classify.AxisIndex(string(name))
		if axis < 0 {
			return out, false
		}
		i += end + 2
		ws()
		if i >= len(data) || data[i] != ':' {
			return out, false
		}
		i++
		ws()
		start := i
		for i < len(data) && (data[i] == '-' || data[i] == '+' || data[i] == '.' || data[i] == 'e' || data[i] == 'E' || (data[i] >= '0' && data[i] <= '9')) {
			i++
		}
		v, err := strconv.ParseFloat(string(data[start:i]), 64)
		if err != nil || start == i || (data[start] == '+') {
			return out, false
		}
		out[axis] = v
	}
}

// digestsOf fingerprints entries by key, to count changes between runs:
// the SHA-256 prefix of each entry as written in data, the master's JSON
// holding exactly es in order (2-space indent), so no entry is encoded
// twice. When data does not split into len(es) entries (nil, or a master
// written by hand), es are encoded once more for it.
func digestsOf(es []Entry, data []byte) (map[string]string, error) {
	chunks := entryChunks(data)
	if len(chunks) != len(es) {
		b, err := atomicfile.MarshalJSON(&File{Entries: es})
		if err != nil {
			return nil, err
		}
		if chunks = entryChunks(b); len(chunks) != len(es) {
			return nil, fmt.Errorf("digests: %d entries encode as %d", len(es), len(chunks))
		}
	}
	out := make(map[string]string, len(es))
	for i, e := range es {
		s := sha256.Sum256(chunks[i])
		out[termkey.Key(e.Canonical)] = hex.EncodeToString(s[:8])
	}
	return out, nil
}

// entryChunks splits the JSON of a File (2-space indent) into the bytes of
// each entry. Entries are the only objects indented by 4 spaces after
// "entries", and JSON strings hold no raw newline, so "\n    {" and
// "\n    }" delimit them exactly.
func entryChunks(data []byte) [][]byte {
	i := bytes.Index(data, []byte("\n  \"entries\": ["))
	if i < 0 {
		return nil
	}
	rest := data[i:]
	open, close := []byte("\n    {"), []byte("\n    }")
	var out [][]byte
	for {
		s := bytes.Index(rest, open)
		if s < 0 {
			return out
		}
		e := bytes.Index(rest[s:], close)
		if e < 0 {
			return nil
		}
		end := s + e + len(close)
		out = append(out, rest[s:end])
		rest = rest[end:]
	}
}
