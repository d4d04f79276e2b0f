package vocab

import (
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestCompressBackupsGzipsAndRotates(t *testing.T) {
	dir := t.TempDir()
	master := filepath.Join(dir, MasterFile)
	must(t, os.WriteFile(master, []byte(`{"entries": []}`), 0o644))
	for i := range 7 {
		must(t, backup(master, fixedNow.Add(time.Duration(i)*time.Minute), 100))
		must(t, CompressBackups(master, 3))
	}
	plain, _ := filepath.Glob(filepath.Join(dir, BackupDir, "*.json"))
	gz, _ := filepath.Glob(filepath.Join(dir, BackupDir, "*"+BackupSuffix))
	if len(plain) != 0 || len(gz) != 3 {
		t.Fatalf("plain %v, compressed %v: want none and 3", plain, gz)
	}
	// The newest are kept, and they decompress to the master.
	if filepath.Base(gz[2]) != "master.vocab."+fixedNow.Add(6*time.Minute).UTC().Format(backupStamp)+".json.gz" {
		t.Errorf("newest kept: %s", gz[2])
	}
	f, err := os.Open(gz[2])
	must(t, err)
	defer f.Close()
	zr, err := gzip.NewReader(f)
	must(t, err)
	data, err := io.ReadAll(zr)
	must(t, err)
	if string(data) != `{"entries": []}` {
		t.Errorf("backup holds %q", data)
	}
	// Other files in backups/ are never touched.
	other := filepath.Join(dir, BackupDir, "notes.json")
	must(t, os.WriteFile(other, []byte("{}"), 0o644))
	must(t, CompressBackups(master, 1))
	if _, err := os.Stat(other); err != nil {
		t.Errorf("a foreign file was removed: %v", err)
	}
}
