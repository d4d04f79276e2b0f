package vocab

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/corpora-tools/corpora/internal/atomicfile"
	"github.com/corpora-tools/corpora/internal/classify"
	"github.com/corpora-tools/corpora/internal/termkey"
)

// SchemaVersion is written in every vocabulary file.
const SchemaVersion = "2.0"

// Suffix ends the name of every vocabulary file.
const Suffix = ".vocab.json"

// Metadata describes a vocabulary file. Field order is JSON key order.
type Metadata struct {
	SchemaVersion   string `json:"schema_version"`
	SourcePath      string `json:"source_path"` // the document; for the master, the vocab folder
	SourceHash      string `json:"source_hash"` // SHA-256 hex of the document; for the master, of its inputs' paths and contents without timestamps
	ExtractedAt     string `json:"extracted_at"`
	TermCount       int    `json:"term_count"`
	ClassifiedCount int    `json:"classified_count"`
	FlaggedCount    int    `json:"flagged_count"` // entries whose ip_flag is not null
	Pipeline        string `json:"pipeline"`
	// Documents is how many vocab files the master merges (2.0, master only).
	Documents int `json:"documents,omitempty"`
}

// SourceCount is one document an entry of the master comes from.
type SourceCount struct {
	Source string `json:"source"`
	Count  int    `json:"count"`
}

// Review marks an entry a human decision changed (2.0, master only).
type Review struct {
	Decision string `json:"decision"`          // keep or rename
	IPFlag   string `json:"ip_flag,omitempty"` // the flag the decision answered
	Note     string `json:"note,omitempty"`
}

// Entry is one vocabulary entry: a ClassifiedTerm, plus in the master its
// sources, variants and review results. The Term's source stays the
// "; "-joined list of documents for 1.0 readers.
type Entry struct {
	classify.Term
	Sources  []SourceCount `json:"sources,omitempty"`
	Variants []string      `json:"variants,omitempty"`
	OldText  string        `json:"old_text,omitempty"` // the text before a rename decision
	Review   *Review       `json:"review,omitempty"`
}

// File is a vocabulary file.
type File struct {
	Metadata Metadata `json:"metadata"`
	Entries  []Entry  `json:"entries"`
}

// DocumentInfo describes the document a vocab file was made from.
type DocumentInfo struct {
	SourcePath string // as the user named it
	SourceHash string // SHA-256, hex
	Pipeline   string // pipeline fingerprint
}

// NewFile builds a per-document vocabulary file from classified terms
// (flag them first: ipreview.Blocklist.Flag). Entries are sorted by
// canonical form, then text, part of speech and id.
func NewFile(doc DocumentInfo, terms []classify.Term, now time.Time) *File {
	f := &File{Entries: make([]Entry, 0, len(terms))}
	for _, t := range terms {
		e := Entry{Term: t}
		normalizeTerm(&e.Term)
		f.Entries = append(f.Entries, e)
	}
	SortEntries(f.Entries)
	uniqueIDs(f.Entries)
	f.Metadata = Metadata{
		SchemaVersion: SchemaVersion,
		SourcePath:    doc.SourcePath,
		SourceHash:    doc.SourceHash,
		ExtractedAt:   Timestamp(now),
		Pipeline:      doc.Pipeline,
	}
	f.count()
	return f
}

// uniqueIDs keeps every id in a document distinct. Extraction keeps one
// candidate per lemma and part of speech, so "attack" the noun and "attack"
// the verb share a canonical form and would share <source>-<canonical>: the
// first in sort order keeps that id, the others take their part of speech as
// a suffix (and a number if that is still taken).
func uniqueIDs(entries []Entry) {
	seen := make(map[string]bool, len(entries))
	for i := range entries {
		id := entries[i].ID
		if seen[id] {
			base := id + "-" + string(entries[i].POS)
			id = base
			for n := 2; seen[id]; n++ {
				id = fmt.Sprintf("%s-%d", base, n)
			}
			entries[i].ID = id
		}
		seen[id] = true
	}
}

// Timestamp formats t as the files do: RFC 3339, UTC, whole seconds.
func Timestamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// normalizeTerm makes nil slices empty so files never hold null arrays.
func normalizeTerm(t *classify.Term) {
	if t.Tags == nil {
		t.Tags = []string{}
	}
	if t.Pages == nil {
		t.Pages = []int{}
	}
	if t.SecondaryIntents == nil {
		t.SecondaryIntents = []classify.Intent{}
	}
}

// ClassifiedAbove is the confidence an entry needs to count in
// classified_count, as in 1.0.
const ClassifiedAbove = 0.3

func (f *File) count() {
	f.Metadata.TermCount = len(f.Entries)
	f.Metadata.ClassifiedCount, f.Metadata.FlaggedCount = 0, 0
	for _, e := range f.Entries {
		if e.Confidence > ClassifiedAbove {
			f.Metadata.ClassifiedCount++
		}
		if e.IPFlag != nil {
			f.Metadata.FlaggedCount++
		}
	}
}

// SortEntries sorts entries by canonical form (compared as folded by
// termkey.Key, so case and punctuation do not scatter them, then as
// written), then text, part of speech and id, so equal inputs give equal files.
func SortEntries(es []Entry) {
	keys := make(map[string]string, len(es))
	for _, e := range es {
		if _, ok := keys[e.Canonical]; !ok {
			keys[e.Canonical] = termkey.Key(e.Canonical)
		}
	}
	slices.SortStableFunc(es, func(a, b Entry) int {
		if c := strings.Compare(keys[a.Canonical], keys[b.Canonical]); c != 0 {
			return c
		}
		if c := strings.Compare(a.Canonical, b.Canonical); c != 0 {
			return c
		}
		if c := strings.Compare(a.Text, b.Text); c != 0 {
			return c
		}
		if c := strings.Compare(string(a.POS), string(b.POS)); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
}

// Terms returns the entries' ClassifiedTerms.
func (f *File) Terms() []classify.Term {
	out := make([]classify.Term, len(f.Entries))
	for i, e := range f.Entries {
		out[i] = e.Term
	}
	return out
}

// Marshal encodes f as corpora JSON.
func Marshal(f *File) ([]byte, error) { return atomicfile.MarshalJSON(f) }

// Write writes f to path atomically.
func Write(path string, f *File) error {
	if f == nil {
		return fmt.Errorf("write %s: no vocabulary", path)
	}
	if f.Entries == nil {
		f.Entries = []Entry{}
	}
	return atomicfile.WriteJSON(path, f)
}

// Read reads a vocabulary file.
func Read(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("vocabulary %s: %w", path, err)
	}
	f, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("vocabulary %s: %w", path, err)
	}
	return f, nil
}

// ErrMalformed marks a vocabulary file that cannot be read.
var ErrMalformed = errors.New("malformed vocabulary file")

// Parse decodes a vocabulary file. It accepts 1.0-shaped input: fields
// added in 2.0 may be missing, and a bare array of terms is read as the
// entries of a file without metadata.
func Parse(data []byte) (*File, error) {
	data = bytes.TrimSpace(data)
	f := &File{}
	if err := decodeFile(data, f); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	if f.Entries == nil && f.Metadata.SchemaVersion == "" && f.Metadata.SourcePath == "" {
		return nil, fmt.Errorf("%w: no metadata and no entries", ErrMalformed)
	}
	for i := range f.Entries {
		normalizeTerm(&f.Entries[i].Term)
	}
	return f, nil
}
