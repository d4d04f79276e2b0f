package pdfium

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestEmbeddedWasmMatchesModule checks the embedded PDFium module against
// the go-pdfium version in go.mod and, when that version is in the module
// cache, against its bytes: an upgrade without `go generate` fails here.
func TestEmbeddedWasmMatchesModule(t *testing.T) {
	b, err := wasmBytes()
	if err != nil {
		t.Fatal(err)
	}
	if len(b) != wasmSize {
		t.Fatalf("embedded module is %d bytes, recorded %d", len(b), wasmSize)
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go command not found")
	}
	out, err := exec.Command(gobin, "list", "-m", "-f", "{{.Dir}}\t{{.Version}}", wasmModule).Output()
	if err != nil {
		t.Skipf("go list -m %s: %v", wasmModule, err)
	}
	dir, version, _ := strings.Cut(strings.TrimSpace(string(out)), "\t")
	if version != wasmVersion {
		t.Fatalf("go.mod has %s %s but the embedded module is from %s: run go generate ./internal/document/pdf/pdfium", wasmModule, version, wasmVersion)
	}
	if dir == "" {
		t.Skipf("%s not in the module cache", wasmModule)
	}
	want, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(wasmPath)))
	if err != nil {
		t.Fatal(err)
	}
	ws, gs := sha256.Sum256(want), sha256.Sum256(b)
	if ws != gs {
		t.Fatalf("embedded module sha256 %s, module cache has %s: run go generate ./internal/document/pdf/pdfium",
			hex.EncodeToString(gs[:]), hex.EncodeToString(ws[:]))
	}
}
