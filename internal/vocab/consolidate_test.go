package vocab

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/corpora-tools/corpora/internal/classify"
	"github.com/corpora-tools/corpora/internal/ipreview"
)

// writeBookAt is writeBook with the vocab file's timestamp set to now.
func writeBookAt(t *testing.T, dir, name string, terms []classify.Term, now time.Time) {
	t.Helper()
	ipreview.Default().Flag(terms)
	f := NewFile(DocumentInfo{SourcePath: terms[0].Source, SourceHash: "cd", Pipeline: "corpora/test offline"}, terms, now)
	if err := Write(filepath.Join(dir, name), f); err != nil {
		t.Fatal(err)
	}
}

// Vocab files that differ only in their timestamps give masters that differ
// only in theirs: source_hash digests content, not timestamps.
func TestMasterSourceHashIgnoresTimestamps(t *testing.T) {
	var masters [2][]byte
	for i := range masters {
		dir := filepath.Join(t.TempDir(), "out")
		now := fixedNow.Add(time.Duration(i) * 24 * time.Hour)
		writeBookAt(t, dir, "a.vocab.json", bookA(), now)
		writeBookAt(t, dir, "sub/b.vocab.json", bookB(), now.Add(time.Minute))
		consolidate(t, dir, now.Add(time.Hour), false)
		masters[i] = read(t, filepath.Join(dir, MasterFile))
	}
	if bytes.Equal(masters[0], masters[1]) {
		t.Fatal("the masters' timestamps should differ")
	}
	if !bytes.Equal(stripTimes(masters[0]), stripTimes(masters[1])) {
		t.Errorf("masters differ beyond timestamps:\n%s\n%s", masters[0][:400], masters[1][:400])
	}
	// A change of content still changes it.
	dir := filepath.Join(t.TempDir(), "out")
	writeBookAt(t, dir, "a.vocab.json", bookA()[:2], fixedNow)
	writeBookAt(t, dir, "sub/b.vocab.json", bookB(), fixedNow)
	consolidate(t, dir, fixedNow, false)
	m, _ := Parse(read(t, filepath.Join(dir, MasterFile)))
	first, _ := Parse(masters[0])
	if m.Metadata.SourceHash == first.Metadata.SourceHash {
		t.Error("different inputs gave the same source_hash")
	}
}

func TestContentHash(t *testing.T) {
	a := []byte(`{"metadata": {"extracted_at": "2026-01-01T00:00:00Z", "x": 1}, "entries": []}`)
	b := []byte(`{"metadata": {"extracted_at": "2027-05-05T10:00:00Z", "x": 1}, "entries": []}`)
	c := []byte(`{"metadata": {"extracted_at": "2027-05-05T10:00:00Z", "x": 2}, "entries": []}`)
	if contentHash(a) != contentHash(b) {
		t.Error("timestamps changed the content hash")
	}
	if contentHash(b) == contentHash(c) {
		t.Error("content change kept the content hash")
	}
	if contentHash([]byte(`[]`)) == contentHash([]byte(`[{}]`)) {
		t.Error("files without timestamps hash alike")
	}
}

// An unchanged run decides from the state alone: it does not load the
// entries cache (here made unreadable, which would force re-reading every
// file) and does not rewrite it.
func TestUnchangedRunSkipsCache(t *testing.T) {
	dir := setup(t)
	consolidate(t, dir, fixedNow, false)
	cachePath := filepath.Join(dir, CacheFile)
	if err := os.WriteFile(cachePath, []byte("not a gob"), 0o644); err != nil {
		t.Fatal(err)
	}
	sum := consolidate(t, dir, fixedNow.Add(time.Hour), false)
	if sum.Read != 0 || sum.Written || sum.Total != 6 {
		t.Errorf("unchanged run: %s %+v", sum, sum)
	}
	if got := read(t, cachePath); string(got) != "not a gob" {
		t.Error("unchanged run rewrote the cache")
	}
	// Touching a file without changing it hashes it once, records the new
	// stamp and still needs neither the cache nor a rewrite.
	later := fixedNow.Add(48 * time.Hour)
	if err := os.Chtimes(filepath.Join(dir, "a.vocab.json"), later, later); err != nil {
		t.Fatal(err)
	}
	sum = consolidate(t, dir, fixedNow.Add(2*time.Hour), false)
	if sum.Read != 0 || sum.Written {
		t.Errorf("touched run: %s %+v", sum, sum)
	}
	st := loadStateFile(dir)
	if e := st.Files["a.vocab.json"]; e.ModTime != later.UTC().Format(time.RFC3339Nano) {
		t.Errorf("state keeps mtime %q", e.ModTime)
	}
	// A real change loads the (broken) cache, falls back to reading the
	// files, and gives the same master as a forced rebuild.
	writeBook(t, dir, "sub/b.vocab.json", bookB()[:3])
	sum = consolidate(t, dir, fixedNow.Add(3*time.Hour), false)
	if sum.Read != 2 || sum.Removed != 1 {
		t.Errorf("changed run: %s %+v", sum, sum)
	}
	inc := read(t, filepath.Join(dir, MasterFile))
	consolidate(t, dir, fixedNow.Add(4*time.Hour), true)
	if !bytes.Equal(stripTimes(inc), stripTimes(read(t, filepath.Join(dir, MasterFile)))) {
		t.Error("incremental master differs from the forced rebuild")
	}
}

// The master is never an input: not at its own path, not through a link to
// its folder, and no file named master.vocab.json elsewhere.
func TestMasterNeverAnInput(t *testing.T) {
	dir := setup(t)
	consolidate(t, dir, fixedNow, false)
	// An earlier master of a sub-folder.
	sub := filepath.Join(dir, "sub")
	consolidate(t, sub, fixedNow, false)
	if _, err := os.Stat(filepath.Join(sub, MasterFile)); err != nil {
		t.Fatal(err)
	}
	// The master named through a link to its folder.
	link := filepath.Join(t.TempDir(), "link")
	if err := os.Symlink(dir, link); err != nil {
		t.Skip("no symlinks:", err)
	}
	// A master with another name, reached through the link.
	custom := filepath.Join(link, "all.vocab.json")
	sum, err := Consolidate(t.Context(), ConsolidateOptions{Dir: dir, Master: custom, Force: true, Now: func() time.Time { return fixedNow }})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Files != 2 || sum.Total != 6 {
		t.Errorf("first custom run: %s %+v", sum, sum)
	}
	sum, err = Consolidate(t.Context(), ConsolidateOptions{Dir: dir, Master: custom, Force: true, Now: func() time.Time { return fixedNow }})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Files != 2 || sum.Total != 6 {
		t.Errorf("the master was read as an input: %s %+v", sum, sum)
	}
	m, err := Read(filepath.Join(dir, "all.vocab.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range m.Entries {
		for _, s := range e.Sources {
			if s.Source != "books/Tome A.pdf" && s.Source != "books/Tome B.epub" {
				t.Errorf("%s has source %q", e.Canonical, s.Source)
			}
		}
	}
}

// Retention deletes only backups, never another file whose name merely
// starts like one.
func TestBackupRetentionSparesOthers(t *testing.T) {
	dir := setup(t)
	consolidate(t, dir, fixedNow, false)
	other := filepath.Join(dir, BackupDir, "master.vocab.notes.json")
	if err := os.MkdirAll(filepath.Dir(other), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(other, []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		terms := bookB()
		terms[0].Count = 10 + i
		writeBook(t, dir, "sub/b.vocab.json", terms)
		if _, err := Consolidate(t.Context(), ConsolidateOptions{Dir: dir, KeepBackups: 1,
			Now: func() time.Time { return fixedNow.Add(time.Duration(i+1) * time.Minute) }}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := os.Stat(other); err != nil {
		t.Errorf("retention removed a file that is not a backup: %v", err)
	}
	backups, _ := filepath.Glob(filepath.Join(dir, BackupDir, "master.vocab.2*.json"))
	if len(backups) != 1 {
		t.Fatalf("backups = %v", backups)
	}
	// 1.0's quick-restore copy is the newest backup, beside the master.
	if bak, err := os.ReadFile(filepath.Join(dir, MasterFile+".bak")); err != nil || !bytes.Equal(bak, read(t, backups[0])) {
		t.Errorf("master.vocab.json.bak: %v, or not the latest backup", err)
	}
}

// A master equal to the new one but for its timestamp is kept as it is,
// timestamp included; one that differs is written with the new timestamp.
func TestMasterKeptUnlessChanged(t *testing.T) {
	dir := setup(t)
	consolidate(t, dir, fixedNow, false)
	path := filepath.Join(dir, MasterFile)
	first := read(t, path)
	sum := consolidate(t, dir, fixedNow.Add(time.Hour), true)
	if sum.Written || !bytes.Equal(first, read(t, path)) {
		t.Fatalf("forced rebuild of unchanged inputs rewrote the master (written %v)", sum.Written)
	}
	// The same master written by hand with other spacing is rewritten in
	// corpora's format, with the run's timestamp.
	f, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	compact, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, compact, 0o644); err != nil {
		t.Fatal(err)
	}
	later := fixedNow.Add(2 * time.Hour)
	if sum = consolidate(t, dir, later, true); !sum.Written {
		t.Fatal("a master in another format was not rewritten")
	}
	if got := metadataOf(read(t, path)).ExtractedAt; got != Timestamp(later) {
		t.Errorf("rewritten master has timestamp %q, want %q", got, Timestamp(later))
	}
	if got := metadataOf(compact).ExtractedAt; got != Timestamp(fixedNow) {
		t.Errorf("metadataOf(compact) timestamp %q, want %q", got, Timestamp(fixedNow))
	}
	if got := metadataOf([]byte(`{"entries": [], "metadata": {"extracted_at": "x"}}`)).ExtractedAt; got != "x" {
		t.Errorf("metadataOf after entries: %q", got)
	}
	if got := metadataOf([]byte(`[1`)); got != (Metadata{}) {
		t.Errorf("metadataOf(bad) = %+v", got)
	}
}
