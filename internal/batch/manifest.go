package batch

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/corpora-tools/corpora/internal/atomicfile"
	"github.com/corpora-tools/corpora/internal/document"

	"github.com/corpora-tools/corpora/internal/jsontime"
)

// ManifestName is the manifest's file name inside the output folder.
const ManifestName = ".corpora-manifest.json"

// Manifest records what each finished document was made from, so that a later
// run can skip it. Safe for concurrent use.
type Manifest struct {
	path string

	mu       sync.Mutex
	file     manifestFile
	dirty    bool // changed in memory since the last save
	recorded bool // a record was made by this run: last_updated is its own
	// written is the manifest file's mtime when it was opened: a document
	// changed less than racyWindow before it may have changed after hashing.
	written time.Time
}

type manifestFile struct {
	SchemaVersion string `json:"schema_version"`
	// LastUpdated is when a record was last made (1.0's field).
	LastUpdated time.Time                `json:"last_updated"`
	Documents   map[string]ManifestEntry `json:"documents"`
}

// ManifestEntry is the record of one source document, keyed in the manifest by
// its path relative to the input folder ("/"-separated).
type ManifestEntry struct {
	// SourcePath is the document on disk as the run named it, below the
	// input folder as typed (1.0's field; the key is the stable name).
	SourcePath   string    `json:"source_path"`
	SourceHash   string    `json:"source_hash"` // SHA-256 of the content, hex
	Size         int64     `json:"size"`
	MTime        time.Time `json:"mtime"`
	VocabPath    string    `json:"vocab_path"` // relative to the output folder, "/"-separated
	TermCount    int       `json:"term_count"`
	FlaggedCount int       `json:"flagged_count"`
	ProcessedAt  time.Time `json:"processed_at"`
	Pipeline     string    `json:"pipeline"` // the pipeline fingerprint
}

// OpenManifest reads the manifest at path; a missing file is an empty
// manifest. An unreadable or corrupt one is an error rather than a silent
// reprocessing of everything: the caller can delete it or run with --force.
func OpenManifest(path string) (*Manifest, error) {
	m := &Manifest{path: path, file: manifestFile{SchemaVersion: document.SchemaVersion, Documents: map[string]ManifestEntry{}}}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return m, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read manifest %s: %w", path, err)
	}
	if info, err := os.Stat(path); err == nil {
		m.written = info.ModTime()
	}
	if err := json.Unmarshal(data, &m.file); err != nil {
		return nil, fmt.Errorf("read manifest %s: %w (delete it or use --force to reprocess everything)", path, err)
	}
	if m.file.Documents == nil {
		m.file.Documents = map[string]ManifestEntry{}
	}
	m.file.SchemaVersion = document.SchemaVersion
	return m, nil
}

// Entry returns the record of the document at rel.
func (m *Manifest) Entry(rel string) (ManifestEntry, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.file.Documents[rel]
	return e, ok
}

// Record stores e for the document at rel and writes the manifest atomically.
// Writes are serialised, so the file on disk always holds every record made
// before it. ProcessedAt is kept to whole seconds, like every other
// timestamp corpora writes (MTime stays exact: it detects changes).
func (m *Manifest) Record(rel string, e ManifestEntry) error {
	e.ProcessedAt = e.ProcessedAt.Truncate(time.Second)
	m.mu.Lock()
	defer m.mu.Unlock()
	m.file.Documents[rel] = e
	// The newest record of this run: a value read from disk (a 1.0 local
	// time read as UTC may lie in the future) does not hold it back.
	if !m.recorded || e.ProcessedAt.After(m.file.LastUpdated) {
		m.file.LastUpdated = e.ProcessedAt
		m.recorded = true
	}
	return m.saveLocked()
}

// Save writes the manifest atomically if it changed since it was read or
// last written.
func (m *Manifest) Save() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.dirty {
		return nil
	}
	return m.saveLocked()
}

func (m *Manifest) saveLocked() error {
	data, err := atomicfile.MarshalJSON(m.file)
	if err != nil {
		return fmt.Errorf("encode manifest: %w", err)
	}
	if err := atomicfile.WriteFile(m.path, data, 0o644); err != nil {
		return err
	}
	m.dirty = false
	return nil
}

// Source is the identity of a source document's content as the manifest
// records it.
type Source struct {
	Hash  string
	Size  int64
	MTime time.Time
}

// Decision is what a run must do with a document.
type Decision int

// The decisions.
const (
	// Skip: done with the same content and the same pipeline.
	Skip Decision = iota
	// Process: new, changed, made by another pipeline, or its vocab file is
	// gone; the whole pipeline runs.
	Process
	// Reflag: unchanged and made by the same pipeline except the blocklist;
	// only the IP check runs again, on the terms of its vocab file.
	Reflag
)

// Decide says what to do with the document at rel (on disk at path, vocab
// file at vocabPath) under the pipeline fingerprint pipeline. It returns the
// document's current Source; Source.Hash is empty for a document the
// manifest does not know (it needs processing whatever its hash, and the
// pipeline hashes it). The content is hashed only when size or mtime differ
// from the record (as git's index does): a matching size and mtime vouch for
// the recorded hash. A record whose hash still matches but whose size or
// mtime moved (a touch, a copy) is refreshed in memory so that the next run
// does not hash again.
func (m *Manifest) Decide(rel, path, vocabPath, pipeline string) (Decision, Source, error) {
	info, err := os.Stat(path)
	if err != nil {
		return Process, Source{}, fmt.Errorf("%s: %w", rel, err)
	}
	src := Source{Size: info.Size(), MTime: info.ModTime().UTC()}
	e, ok := m.Entry(rel)
	if !ok {
		return Process, src, nil // new: the hash is left to the pipeline
	}
	if e.Size == src.Size && e.MTime.Equal(src.MTime) && e.SourceHash != "" && !m.racy(e) {
		src.Hash = e.SourceHash
	} else {
		if src.Hash, err = HashFile(path); err != nil {
			return Process, src, fmt.Errorf("%s: %w", rel, err)
		}
	}
	if e.SourceHash != src.Hash {
		return Process, src, nil
	}
	if _, err := os.Stat(vocabPath); err != nil {
		return Process, src, nil
	}
	if !e.MTime.Equal(src.MTime) || e.Size != src.Size {
		m.mu.Lock()
		e.MTime, e.Size = src.MTime, src.Size
		m.file.Documents[rel] = e
		m.dirty = true
		m.mu.Unlock()
	}
	switch {
	case e.Pipeline == pipeline:
		return Skip, src, nil
	case onlyBlocklistDiffers(e.Pipeline, pipeline):
		return Reflag, src, nil
	}
	return Process, src, nil
}

// racyWindow is how close to the manifest's writing a document's mtime may be
// before size and mtime stop vouching for its hash: on a file system with
// coarse timestamps, a change made just after hashing could keep the mtime.
const racyWindow = 2 * time.Second

// racy reports whether e's mtime was too close to the manifest's last write
// (or, for a manifest not yet on disk, to e's processing) to be trusted; git
// calls such index entries "racily clean" and checks their content.
func (m *Manifest) racy(e ManifestEntry) bool {
	ref := m.written
	if ref.IsZero() {
		ref = e.ProcessedAt
	}
	return ref.Sub(e.MTime) < racyWindow
}

// HashFile returns the SHA-256 of the file at path, hex-encoded.
func HashFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("hash %s: %w", filepath.Base(path), err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// UnmarshalJSON reads an entry leniently in its timestamps: a 1.0 manifest
// has them without a zone, read as UTC. (Its entries have no pipeline
// fingerprint, so Decide reprocesses their documents once.)
func (e *ManifestEntry) UnmarshalJSON(data []byte) error {
	type plain ManifestEntry
	aux := struct {
		*plain
		MTime       jsontime.Time `json:"mtime"`
		ProcessedAt jsontime.Time `json:"processed_at"`
	}{plain: (*plain)(e)}
	if err := json.Unmarshal(data, &aux); err != nil {
		return err
	}
	e.MTime, e.ProcessedAt = time.Time(aux.MTime), time.Time(aux.ProcessedAt)
	return nil
}

// UnmarshalJSON reads last_updated leniently, as the entries' timestamps.
func (f *manifestFile) UnmarshalJSON(data []byte) error {
	type plain manifestFile
	aux := struct {
		*plain
		LastUpdated jsontime.Time `json:"last_updated"`
	}{plain: (*plain)(f)}
	if err := json.Unmarshal(data, &aux); err != nil {
		return err
	}
	f.LastUpdated = time.Time(aux.LastUpdated)
	return nil
}
