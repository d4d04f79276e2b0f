package vocab

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/corpora-tools/corpora/internal/atomicfile"
)

// BackupSuffix ends the name of a compressed backup of the master:
// backups/master.vocab.<time>.json.gz.
const BackupSuffix = ".json.gz"

// CompressBackups gzips every plain backup of the master at master
// (backups/master.vocab.<time>.json, as Consolidate leaves them) and keeps
// only the newest keep compressed ones (keep <= 0: DefaultKeepBackups).
// A master's JSON compresses about tenfold, so a review apply no longer
// leaves a copy the size of the master behind each time.
func CompressBackups(master string, keep int) error {
	if keep <= 0 {
		keep = DefaultKeepBackups
	}
	dir := filepath.Join(filepath.Dir(master), BackupDir)
	base := strings.TrimSuffix(filepath.Base(master), ".json")
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil // no backups yet
	}
	var gz []string
	for _, e := range entries {
		name := e.Name()
		switch {
		case e.IsDir():
		case isBackupName(name, base):
			data, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				return err
			}
			var b bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
			zw.Name = name
			if _, err := zw.Write(data); err != nil {
				return err
			}
			if err := zw.Close(); err != nil {
				return err
			}
			if err := atomicfile.WriteFile(filepath.Join(dir, name+".gz"), b.Bytes(), 0o644); err != nil {
				return err
			}
			if err := os.Remove(filepath.Join(dir, name)); err != nil {
				return err
			}
			gz = append(gz, name+".gz")
		case strings.HasSuffix(name, ".gz") && isBackupName(strings.TrimSuffix(name, ".gz"), base):
			gz = append(gz, name)
		}
	}
	slices.Sort(gz) // timestamps sort in time order
	gz = slices.Compact(gz)
	for len(gz) > keep {
		if err := os.Remove(filepath.Join(dir, gz[0])); err != nil {
			return err
		}
		gz = gz[1:]
	}
	return nil
}
