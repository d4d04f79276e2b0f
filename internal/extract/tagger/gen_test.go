package tagger

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestGenerateReproducible retrains the model as go generate does (prose's
// weights, all of EWT dev, SRD silver tags, the
// hand-tagged file) and compares it with the committed one. It needs the
// shared corpus and the Go module proxy (for prose), and takes a minute or
// two.
func TestGenerateReproducible(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go run ./gen, which trains the model")
	}
	root := os.Getenv("CORPORA_TEST_CORPUS")
	if root == "" {
		t.Skip("CORPORA_TEST_CORPUS not set")
	}
	out := filepath.Join(t.TempDir(), "model.txt.gz")
	cmd := exec.Command("go", "run", "./gen",
		"-train", filepath.Join(root, "pos", "en_ewt-ud-dev.conllu"),
		"-silver", filepath.Join(root, "srd", "markdown"),
		"-tagged", "gen/testdata/fantasy_train.txt", "-o", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go run ./gen: %v\n%s", err, b)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, modelData) {
		t.Error("model.txt.gz differs from a fresh `go generate`; regenerate and commit it")
	}
}
