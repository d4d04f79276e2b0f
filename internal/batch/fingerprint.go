package batch

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/corpora-tools/corpora/internal/document"
	"github.com/corpora-tools/corpora/internal/extract"
)

// Fingerprint is everything besides a document's content that shapes its vocab
// file. Two runs with equal fingerprints turn the same document into the same
// terms, so a document recorded under the current fingerprint can be skipped.
type Fingerprint struct {
	Tool       string // corpora version
	Parse      string // the parse settings that change the text (OCR mode)
	Extract    string // hash of the extraction settings
	Classifier string // backend/model/prompt version
	Blocklist  string // hash of the blocklist
}

// NewFingerprint builds the fingerprint of a run.
func NewFingerprint(tool string, parseOpts document.Options, extractOpts extract.Options, backend, model, promptVersion, blocklistHash string) Fingerprint {
	ocr := parseOpts.OCR
	if ocr == "" {
		ocr = document.OCRAuto
	}
	return Fingerprint{
		Tool:       tool,
		Parse:      "ocr=" + string(ocr),
		Extract:    shortHash(extractOpts),
		Classifier: backend + "/" + model + "/" + promptVersion,
		Blocklist:  blocklistHash,
	}
}

// String is the fingerprint as recorded in the manifest and the vocab files:
// readable, so that a user can see why a document was reprocessed.
func (f Fingerprint) String() string {
	bl := f.Blocklist
	if len(bl) > 16 {
		bl = bl[:16]
	}
	return strings.Join([]string{
		"corpora=" + f.Tool,
		f.Parse,
		"extract=" + f.Extract,
		"classifier=" + f.Classifier,
		"blocklist=" + bl,
	}, " ")
}

func shortHash(v any) string {
	data, err := json.Marshal(v)
	if err != nil {
		data = []byte(fmt.Sprintf("%#v", v))
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:6])
}

// onlyBlocklistDiffers reports whether two fingerprint strings differ in their
// blocklist part and nowhere else.
func onlyBlocklistDiffers(a, b string) bool {
	fa, fb := strings.Fields(a), strings.Fields(b)
	if len(fa) != len(fb) || a == b {
		return false
	}
	for i := range fa {
		if fa[i] != fb[i] && !(strings.HasPrefix(fa[i], "blocklist=") && strings.HasPrefix(fb[i], "blocklist=")) {
			return false
		}
	}
	return true
}
