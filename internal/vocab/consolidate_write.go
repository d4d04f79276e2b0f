package vocab

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/corpora-tools/corpora/internal/atomicfile"
)

// earlierMaster is the master on disk before this run.
type earlierMaster struct {
	data        []byte
	extractedAt string            // its metadata's timestamp
	digests     map[string]string // entry key -> digest, as the state records them
}

// readEarlierMaster reads the master at path, taking its entry digests
// from the state when the master is the one the state saw.
func readEarlierMaster(path string, st state, stamp fileStamp) (earlierMaster, error) {
	var prev earlierMaster
	var err error
	if prev.data, err = os.ReadFile(path); err != nil {
		return prev, fmt.Errorf("earlier master %s: %w", path, err)
	}
	prev.digests = st.Digests
	if prev.digests == nil || st.Master != stamp {
		f, err := Parse(prev.data)
		if err != nil {
			return prev, fmt.Errorf("earlier master %s: %w", path, err)
		}
		if prev.digests, err = digestsOf(f.Entries, prev.data); err != nil {
			return prev, fmt.Errorf("earlier master %s: %w", path, err)
		}
	}
	prev.extractedAt = metadataOf(prev.data).ExtractedAt
	return prev, nil
}

// metadataOf decodes the metadata of a vocab file without decoding its
// entries (metadata comes first); zero when there is none.
func metadataOf(data []byte) Metadata {
	var m Metadata
	dec := json.NewDecoder(bytes.NewReader(data))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return m
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return m
		}
		if t == "metadata" {
			_ = dec.Decode(&m)
			return m
		}
		var skip json.RawMessage
		if dec.Decode(&skip) != nil {
			return m
		}
	}
	return m
}

// written is what writeMaster did.
type written struct {
	digests map[string]string // the new master's entry digests
	written bool
}

// writeMaster writes mf as the master at path unless it equals the earlier
// master but for its timestamp: mf is marshalled with the earlier
// timestamp and compared with the file on disk, and only when they differ
// is it marshalled again with now, the earlier one backed up (keep > 0)
// and the new one written.
func writeMaster(path string, mf *File, prev earlierMaster, now time.Time, keep int) (written, error) {
	var w written
	mf.Metadata.ExtractedAt = Timestamp(now)
	if prev.extractedAt != "" {
		mf.Metadata.ExtractedAt = prev.extractedAt
	}
	data, err := atomicfile.MarshalJSON(mf)
	if err != nil {
		return w, err
	}
	if w.digests, err = digestsOf(mf.Entries, data); err != nil {
		return w, err
	}
	if bytes.Equal(data, prev.data) {
		return w, nil
	}
	if at := Timestamp(now); mf.Metadata.ExtractedAt != at {
		mf.Metadata.ExtractedAt = at
		if data, err = atomicfile.MarshalJSON(mf); err != nil {
			return w, err
		}
	}
	if prev.data != nil && keep > 0 {
		if err := backup(path, now, keep); err != nil {
			return w, fmt.Errorf("%w: %w", ErrWrite, err)
		}
	}
	if err := atomicfile.WriteFile(path, data, 0o644); err != nil {
		return w, fmt.Errorf("%w: %w", ErrWrite, err)
	}
	w.written = true
	return w, nil
}

// diff counts new, updated and removed entries between two digest sets.
func diff(sum *ConsolidateSummary, before, after map[string]string) {
	for k, d := range after {
		old, ok := before[k]
		switch {
		case !ok:
			sum.New++
		case old != d:
			sum.Updated++
		}
	}
	for k := range before {
		if _, ok := after[k]; !ok {
			sum.Removed++
		}
	}
}

// backupStamp is the timestamp layout of backup names.
const backupStamp = "20060102T150405.000000000Z"

// isBackupName reports whether name is base.<backupStamp>.json, so that
// retention never deletes any other file of the folder.
func isBackupName(name, base string) bool {
	mid, ok := strings.CutPrefix(name, base+".")
	if !ok {
		return false
	}
	mid, ok = strings.CutSuffix(mid, ".json")
	if !ok {
		return false
	}
	_, err := time.Parse(backupStamp, mid)
	return err == nil
}

// backup copies the current master into BackupDir with a timestamp, keeps
// only the newest keep backups, and copies it to <master>.bak as 1.0 did.
func backup(master string, now time.Time, keep int) error {
	data, err := os.ReadFile(master)
	if err != nil {
		return fmt.Errorf("back up %s: %w", master, err)
	}
	dir := filepath.Join(filepath.Dir(master), BackupDir)
	base := strings.TrimSuffix(filepath.Base(master), ".json")
	name := base + "." + now.UTC().Format(backupStamp) + ".json"
	if err := atomicfile.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
		return fmt.Errorf("back up %s: %w", master, err)
	}
	// 1.0's quick-restore copy beside the master, which scripts know:
	// master.vocab.json.bak (no reader takes it for a vocab file).
	if err := atomicfile.WriteFile(master+".bak", data, 0o644); err != nil {
		return fmt.Errorf("back up %s: %w", master, err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var olds []string
	for _, e := range entries {
		if !e.IsDir() && isBackupName(e.Name(), base) {
			olds = append(olds, e.Name())
		}
	}
	slices.Sort(olds) // timestamps sort in time order
	for len(olds) > keep {
		os.Remove(filepath.Join(dir, olds[0]))
		olds = olds[1:]
	}
	return nil
}
