package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"

	"github.com/corpora-tools/corpora/internal/document"
	"github.com/corpora-tools/corpora/internal/vocab"
)

// inputKind is what a corpora JSON file is, judged by its content, and the
// command that writes it: every command that reads a file names the kind
// and the command it belongs to when it is handed the wrong one.
type inputKind struct {
	Kind     string // "parse output", "a master vocabulary", ...
	Producer string // "corpora parse", ...
	Next     string // the command that reads it
}

// The kinds.
var (
	kindParse      = inputKind{"parse output", "corpora parse", "corpora extract"}
	kindTerms      = inputKind{"classified terms", "corpora extract", "corpora output"}
	kindCandidates = inputKind{"extraction candidates", "corpora extract --candidates-only", "corpora extract (without --candidates-only) to classify them"}
	kindVocab      = inputKind{"a per-document vocabulary", "corpora output", "corpora consolidate (a folder of them) or corpora serve"}
	kindMaster     = inputKind{"a master vocabulary", "corpora consolidate", "corpora review or corpora serve"}
	kindQueue      = inputKind{"a review queue", "corpora consolidate", "corpora review list"}
	kindDecisions  = inputKind{"review decisions", "corpora review decide", "corpora review apply"}
	kindManifest   = inputKind{"a batch manifest", "corpora batch", "corpora batch (it is its state)"}
	kindBlocklist  = inputKind{"a blocklist", "a JSON object of franchise -> names", "-b/--blocklist"}
)

// String is "a master vocabulary (corpora consolidate output)".
func (k inputKind) String() string {
	if !strings.HasPrefix(k.Producer, "corpora ") {
		return k.Kind + " (" + k.Producer + ")"
	}
	return k.Kind + " (" + k.Producer + " output)"
}

// sniffJSON says what the JSON in data is; ok is false for bytes that are
// not a JSON object or array corpora knows.
func sniffJSON(data []byte) (inputKind, bool) {
	data = bytes.TrimSpace(bytes.TrimPrefix(data, []byte{0xEF, 0xBB, 0xBF}))
	if len(data) == 0 {
		return inputKind{}, false
	}
	switch data[0] {
	case '{':
		var m map[string]json.RawMessage
		if json.Unmarshal(data, &m) != nil {
			return inputKind{}, false
		}
		switch {
		case m["content"] != nil:
			return kindParse, true
		case m["entries"] != nil && m["metadata"] != nil:
			var md struct {
				Documents  int    `json:"documents"`
				SourcePath string `json:"source_path"`
			}
			_ = json.Unmarshal(m["metadata"], &md)
			var es []struct {
				Sources json.RawMessage `json:"sources"`
			}
			_ = json.Unmarshal(m["entries"], &es)
			if md.Documents > 0 || (len(es) > 0 && len(es[0].Sources) > 0 && string(es[0].Sources) != "null") {
				return kindMaster, true
			}
			return kindVocab, true
		case m["terms"] != nil || m["total_flagged"] != nil || (m["items"] != nil && m["pending"] != nil):
			return kindQueue, true
		case m["decisions"] != nil:
			return kindDecisions, true
		case m["documents"] != nil && m["schema_version"] != nil:
			return kindManifest, true
		}
		for _, v := range m {
			if v = bytes.TrimSpace(v); len(v) > 0 && v[0] != '[' {
				return inputKind{}, false
			}
		}
		if len(m) > 0 {
			return kindBlocklist, true
		}
	case '[':
		var a []map[string]json.RawMessage
		if json.Unmarshal(data, &a) != nil || len(a) == 0 {
			return inputKind{}, false
		}
		switch {
		case a[0]["axes"] != nil || a[0]["category"] != nil:
			return kindTerms, true
		case a[0]["span"] != nil || (a[0]["lemma"] != nil && a[0]["pos"] != nil):
			return kindCandidates, true
		}
	}
	return inputKind{}, false
}

// sniffFile is sniffJSON on the file at path (false when it cannot be read).
func sniffFile(path string) (inputKind, bool) {
	data, err := os.ReadFile(path)
	if err != nil {
		return inputKind{}, false
	}
	return sniffJSON(data)
}

// folderOfDocuments reports whether dir holds documents corpora parses at
// its top level and no vocab file there: a books folder, not an output one.
func folderOfDocuments(dir string) (docs int, isBooks bool) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, false
	}
	vocabs := 0
	for _, e := range entries {
		name := e.Name()
		switch {
		case e.IsDir() || strings.HasPrefix(name, "."):
		case strings.HasSuffix(strings.ToLower(name), vocab.Suffix) || name == vocab.MasterFile:
			vocabs++
		case document.Supported(name) && !strings.EqualFold(filepath.Ext(name), ".json"):
			docs++
		}
	}
	return docs, docs > 0 && vocabs == 0
}
