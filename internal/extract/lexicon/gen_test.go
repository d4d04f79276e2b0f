package lexicon

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestGeneratedPlain regenerates plain.txt.gz from SCOWL and the offline
// classifier's WordNet data and checks it matches the committed file byte
// for byte. It skips where Debian's scowl is not installed: CI reads the
// committed file only.
func TestGeneratedPlain(t *testing.T) {
	if testing.Short() {
		t.Skip("regenerates the plain-English list")
	}
	const scowl = "/usr/share/dict/scowl"
	if _, err := os.Stat(filepath.Join(scowl, "english-words.10")); err != nil {
		t.Skipf("SCOWL (Debian scowl) is not installed: %v", err)
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go command is not on PATH")
	}
	out := filepath.Join(t.TempDir(), "plain.txt.gz")
	cmd := exec.Command(goBin, "run", "./gen", "-scowl", scowl, "-o", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go run ./gen: %v\n%s", err, b)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("plain.txt.gz")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("plain.txt.gz is not what gen produces from its sources: run go generate ./internal/extract/lexicon")
	}
}
