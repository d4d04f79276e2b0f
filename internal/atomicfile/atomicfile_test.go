package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestWriteFileReplaces(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "sub", "a.json")
	if err := WriteFile(p, []byte("one"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(p, []byte("two"), 0o644); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(p)
	if string(got) != "two" {
		t.Fatalf("got %q", got)
	}
	assertNoTemps(t, filepath.Dir(p))
}

func TestWriteFailureKeepsOld(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "a.json")
	if err := WriteFile(p, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := Write(p, 0o644, func(w io.Writer) error {
		w.Write([]byte("partial"))
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	got, _ := os.ReadFile(p)
	if string(got) != "old" {
		t.Fatalf("destination changed: %q", got)
	}
	assertNoTemps(t, dir)
}

func TestMarshalJSON(t *testing.T) {
	b, err := MarshalJSON(map[string]string{"a": "<b>&"})
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != "{\n  \"a\": \"<b>&\"\n}\n" {
		t.Fatalf("got %q", b)
	}
}

func TestCleanStale(t *testing.T) {
	dir := t.TempDir()
	stale := filepath.Join(dir, TempPrefix+"x")
	os.WriteFile(stale, nil, 0o644)
	old := time.Now().Add(-time.Hour)
	os.Chtimes(stale, old, old)
	fresh := filepath.Join(dir, TempPrefix+"y")
	os.WriteFile(fresh, nil, 0o644)
	if n := CleanStale(dir, time.Minute); n != 1 {
		t.Fatalf("removed %d, want 1", n)
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Fatal("fresh temp removed")
	}
}

func assertNoTemps(t *testing.T, dir string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), TempPrefix) {
			t.Fatalf("temp file left: %s", e.Name())
		}
	}
}
