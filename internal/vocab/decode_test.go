package vocab

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/corpora-tools/corpora/internal/atomicfile"
	"github.com/corpora-tools/corpora/internal/classify"
)

// The fast axes decoder agrees with classify's on every input.
func TestFastAxesMatchesClassify(t *testing.T) {
	for _, in := range []string{
		`{"fire": 0.5, "mind": 1}`,
		`{ "fire" : 1e-2 ,"water":-0.25, "fate": 0 }`,
		`{}`,
		`{"FIRE": 0.5}`,         // case-insensitive in encoding/json
		`{"fire": 0.5, "x": 3}`, // unknown keys ignored
		`{"fire": "0.5"}`,       // an error
		`{"fire": null}`,
		`{"fire": 0.5, "fire": 0.7}`,
		`{"fi\u0072e": 0.5}`,
		`{"fire": +1}`,
		`null`,
		`[1, 2]`,
	} {
		var slow classify.Axes
		slowErr := json.Unmarshal([]byte(in), &slow)
		var fast fastAxes
		fastErr := json.Unmarshal([]byte(in), &fast)
		if (slowErr == nil) != (fastErr == nil) || classify.Axes(fast) != slow {
			t.Errorf("%s: fast %v %v, classify %v %v", in, fast, fastErr, slow, slowErr)
		}
	}
	if _, ok := parseAxes([]byte(`{"fire": 0.5, "mind": 1}`)); !ok {
		t.Error("the shape corpora writes took the slow path")
	}
}

func FuzzFastAxes(f *testing.F) {
	f.Add(`{"fire": 0.5, "mind": 1}`)
	f.Add(`{"air":1e3,"void":-0}`)
	f.Fuzz(func(t *testing.T, in string) {
		var slow classify.Axes
		slowErr := json.Unmarshal([]byte(in), &slow)
		var fast fastAxes
		fastErr := json.Unmarshal([]byte(in), &fast)
		if (slowErr == nil) != (fastErr == nil) || (slowErr == nil && classify.Axes(fast) != slow) {
			t.Errorf("%q: fast %v %v, classify %v %v", in, fast, fastErr, slow, slowErr)
		}
	})
}

// Parse gives what plain encoding/json gives for every golden file.
func TestParseMatchesEncodingJSON(t *testing.T) {
	paths, _ := filepath.Glob(filepath.Join("testdata", "*.golden.json"))
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var want File
		if json.Unmarshal(data, &want) != nil || want.Entries == nil {
			continue // the queue, not a vocab file
		}
		got, err := Parse(data)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		for i := range want.Entries {
			normalizeTerm(&want.Entries[i].Term)
		}
		if !reflect.DeepEqual(got, &want) {
			t.Errorf("%s: Parse differs from encoding/json", p)
		}
	}
}

// Digests come from the entries as the master writes them: one per entry,
// equal for equal entries, different when anything in one changes.
func TestDigestsOf(t *testing.T) {
	dir := setup(t)
	consolidate(t, dir, fixedNow, false)
	data := read(t, filepath.Join(dir, MasterFile))
	m, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(entryChunks(data)); n != len(m.Entries) || n == 0 {
		t.Fatalf("%d chunks for %d entries", n, len(m.Entries))
	}
	fromFile, err := digestsOf(m.Entries, data)
	if err != nil {
		t.Fatal(err)
	}
	encoded, err := digestsOf(m.Entries, nil) // encoded afresh
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(fromFile, encoded) || len(fromFile) != len(m.Entries) {
		t.Errorf("digests differ: %v vs %v", fromFile, encoded)
	}
	m.Entries[0].Sources[0].Count++
	changed, _ := digestsOf(m.Entries, nil)
	k := ""
	for key := range fromFile {
		if changed[key] != fromFile[key] {
			if k != "" {
				t.Errorf("two digests changed: %s, %s", k, key)
			}
			k = key
		}
	}
	if k == "" {
		t.Error("a changed source count kept its digest")
	}
	if b, _ := atomicfile.MarshalJSON(&File{Entries: []Entry{}}); len(entryChunks(b)) != 0 {
		t.Error("chunks in an empty file")
	}
}
