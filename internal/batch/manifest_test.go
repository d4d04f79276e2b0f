package batch

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestDecide(t *testing.T) {
	dir := t.TempDir()
	doc := filepath.Join(dir, "book.txt")
	vocabFile := filepath.Join(dir, "book.vocab.json")
	old := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	write := func(content string, mtime time.Time) {
		os.WriteFile(doc, []byte(content), 0o644)
		os.Chtimes(doc, mtime, mtime)
	}
	write("dragon", old)
	os.WriteFile(vocabFile, []byte("{}"), 0o644)
	hash, _ := HashFile(doc)
	entry := ManifestEntry{SourceHash: hash, Size: 6, MTime: old, VocabPath: "book.vocab.json", ProcessedAt: old.Add(time.Hour), Pipeline: "corpora=v1 classifier=x blocklist=aaa"}

	const fp1 = "corpora=v1 classifier=x blocklist=aaa"
	tests := []struct {
		name     string
		setup    func(m *Manifest)
		pipeline string
		want     Decision
		hashed   bool // whether the returned Source has a hash
	}{
		{"unknown document: needs it, hash left to the pipeline", func(*Manifest) { write("dragon", old) }, fp1, Process, false},
		{"recorded and unchanged", func(m *Manifest) { write("dragon", old); m.file.Documents["book.txt"] = entry }, fp1, Skip, true},
		{"other pipeline", func(m *Manifest) { write("dragon", old); m.file.Documents["book.txt"] = entry }, "corpora=v2 classifier=x blocklist=aaa", Process, true},
		{"only the blocklist changed", func(m *Manifest) { write("dragon", old); m.file.Documents["book.txt"] = entry }, "corpora=v1 classifier=x blocklist=bbb", Reflag, true},
		{"content changed, same size, same mtime: trusted like git's index", func(m *Manifest) {
			write("wyvern", old)
			m.file.Documents["book.txt"] = entry
		}, fp1, Skip, true},
		{"content changed, same size and mtime, but racily clean: hashed again", func(m *Manifest) {
			write("wyvern", old)
			e := entry
			e.ProcessedAt = old.Add(time.Second)
			m.file.Documents["book.txt"] = e
		}, fp1, Process, true},
		{"content changed, mtime moved", func(m *Manifest) {
			write("wyvern", old.Add(time.Minute))
			m.file.Documents["book.txt"] = entry
		}, fp1, Process, true},
		{"touched only", func(m *Manifest) {
			write("dragon", old.Add(time.Minute))
			m.file.Documents["book.txt"] = entry
		}, fp1, Skip, true},
		{"vocab file missing", func(m *Manifest) {
			write("dragon", old)
			m.file.Documents["book.txt"] = entry
			os.Remove(vocabFile)
		}, fp1, Process, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			os.WriteFile(vocabFile, []byte("{}"), 0o644)
			m, err := OpenManifest(filepath.Join(dir, ManifestName))
			if err != nil {
				t.Fatal(err)
			}
			tc.setup(m)
			got, src, err := m.Decide("book.txt", doc, vocabFile, tc.pipeline)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want || (src.Hash != "") != tc.hashed {
				t.Errorf("decision %v hash=%q, want %v hashed=%v", got, src.Hash, tc.want, tc.hashed)
			}
		})
	}
}

func TestManifestRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), ManifestName)
	m, err := OpenManifest(path)
	if err != nil {
		t.Fatal(err)
	}
	e := ManifestEntry{SourcePath: "books/x/y.md", SourceHash: "ab", Size: 3, MTime: time.Unix(5, 0).UTC(), VocabPath: "x/y.vocab.json", TermCount: 4, FlaggedCount: 1, ProcessedAt: time.Unix(9, 0).UTC(), Pipeline: "p"}
	if err := m.Record("x/y.md", e); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	want := `{
  "schema_version": "2.0",
  "last_updated": "1970-01-01T00:00:09Z",
  "documents": {
    "x/y.md": {
      "source_path": "books/x/y.md",
      "source_hash": "ab",
      "size": 3,
      "mtime": "1970-01-01T00:00:05Z",
      "vocab_path": "x/y.vocab.json",
      "term_count": 4,
      "flagged_count": 1,
      "processed_at": "1970-01-01T00:00:09Z",
      "pipeline": "p"
    }
  }
}
`
	if string(data) != want {
		t.Errorf("manifest file:\n%s\nwant:\n%s", data, want)
	}
	m2, err := OpenManifest(path)
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := m2.Entry("x/y.md"); !ok || got != e {
		t.Errorf("read back %+v", got)
	}
}

func TestManifestProcessedAtWholeSeconds(t *testing.T) {
	path := filepath.Join(t.TempDir(), ManifestName)
	m, err := OpenManifest(path)
	if err != nil {
		t.Fatal(err)
	}
	mtime := time.Date(2026, 1, 2, 3, 4, 5, 123456789, time.UTC)
	at := time.Date(2026, 1, 2, 3, 4, 6, 987654321, time.UTC)
	if err := m.Record("a.md", ManifestEntry{SourceHash: "ab", MTime: mtime, ProcessedAt: at}); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	for _, want := range []string{`"processed_at": "2026-01-02T03:04:06Z"`, `"mtime": "2026-01-02T03:04:05.123456789Z"`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("manifest lacks %s:\n%s", want, data)
		}
	}
}

// TestManifestLastUpdatedIsThisRuns: last_updated is the newest record of
// the run that wrote the file, even when the file read had a later one (a
// 1.0 manifest's local time, read as UTC).
func TestManifestLastUpdatedIsThisRuns(t *testing.T) {
	path := filepath.Join(t.TempDir(), ManifestName)
	if err := os.WriteFile(path, []byte(`{"schema_version": "1.0", "last_updated": "2999-01-01T00:00:00.123456", "documents": {}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	m, err := OpenManifest(path)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	for i, rel := range []string{"a.md", "b.md"} {
		if err := m.Record(rel, ManifestEntry{SourceHash: "ab", ProcessedAt: at.Add(time.Duration(i) * time.Minute)}); err != nil {
			t.Fatal(err)
		}
	}
	m2, err := OpenManifest(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := m2.file.LastUpdated; !got.Equal(at.Add(time.Minute)) {
		t.Errorf("last_updated %v, want the run's newest record %v", got, at.Add(time.Minute))
	}
}
