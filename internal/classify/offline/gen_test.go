package offline

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/corpora-tools/corpora/internal/testcorpus"
)

// TestGeneratedData regenerates the embedded knowledge from its sources and
// checks that it matches the committed files byte for byte: the generator is
// reproducible and the data is up to date.
func TestGeneratedData(t *testing.T) {
	if testing.Short() {
		t.Skip("regenerating the knowledge takes several seconds")
	}
	dir := testcorpus.Dir(t)
	const wordnet = "/usr/share/wordnet"
	if _, err := os.Stat(filepath.Join(wordnet, "data.noun")); err != nil {
		t.Skipf("WordNet (Debian wordnet-base) is not installed: %v", err)
	}
	out := t.TempDir()
	seeds, err := os.ReadFile("data/seeds.txt")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(out, "seeds.txt"), seeds, 0o644); err != nil {
		t.Fatal(err)
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go command is not on PATH")
	}
	cmd := exec.Command(goBin, "run", "./gen", "-wordnet", wordnet, "-srd", filepath.Join(dir, "srd", "json", "2014"), "-out", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go run ./gen: %v\n%s", err, b)
	}
	for _, f := range []string{"wordnet.tsv.gz", "morph.tsv", "srd.tsv"} {
		want, err := os.ReadFile(filepath.Join("data", f))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(out, f))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("data/%s is not what gen produces from its sources: run go generate ./internal/classify/offline", f)
		}
	}
}
