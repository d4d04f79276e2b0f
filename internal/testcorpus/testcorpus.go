// Package testcorpus gives tests the shared test corpus (SPEC section 10):
// its folder from CORPORA_TEST_CORPUS, skipping the test when that is unset,
// and its gold lists. It is imported by tests only.
package testcorpus

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

// Dir returns $CORPORA_TEST_CORPUS, or skips the test with a message.
func Dir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("CORPORA_TEST_CORPUS")
	if dir == "" {
		t.Skip("CORPORA_TEST_CORPUS not set: skipping corpus test")
	}
	return dir
}

// Lines returns the non-blank lines of the file at path, trimmed: the shape
// of every gold list in the corpus. A missing file fails the test.
func Lines(t testing.TB, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if s := strings.TrimSpace(sc.Text()); s != "" {
			out = append(out, s)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return out
}
