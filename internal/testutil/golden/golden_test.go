package golden

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDiff(t *testing.T) {
	tests := []struct{ want, got, diff string }{
		{"a\nb\n", "a\nb\n", ""},
		{"a\nb\nc\n", "a\nx\nc\n", "@@ line 1\n  a\n- b\n+ x\n  c\n"},
		{"a\n", "a\nb\n", "@@ line 1\n  a\n+ b\n"},
		{"a\nb", "a\nc", "@@ line 1\n  a\n- b (no newline at end)\n+ c (no newline at end)\n"},
		{"1\n2\n3\n4\n5\n6\n7\n8\n", "1\n2\n3\n4\n5\n6\n7\nX\n", "@@ line 6\n  6\n  7\n- 8\n+ X\n"},
	}
	for _, tt := range tests {
		if got := Diff(tt.want, tt.got); got != tt.diff {
			t.Errorf("Diff(%q, %q) =\n%s\nwant\n%s", tt.want, tt.got, got, tt.diff)
		}
	}
}

// A long output with one changed line shows that line, not the output.
func TestDiffIsShort(t *testing.T) {
	var w, g strings.Builder
	for i := range 5000 {
		line := strings.Repeat("x", i%50) + "\n"
		w.WriteString(line)
		if i == 2500 {
			line = "changed\n"
		}
		g.WriteString(line)
	}
	d := Diff(w.String(), g.String())
	if n := strings.Count(d, "\n"); n > 8 || !strings.Contains(d, "+ changed") || !strings.Contains(d, "@@ line 2499") {
		t.Errorf("diff of one line is %d lines:\n%s", n, d)
	}
	// Everything changed: capped.
	if n := strings.Count(Diff(w.String(), strings.ToUpper(strings.ReplaceAll(w.String(), "x", "y"))), "\n"); n > maxDiffLines+5 {
		t.Errorf("diff of everything is %d lines", n)
	}
}

type recorder struct {
	testing.TB
	failed string
}

func (r *recorder) Helper()                      {}
func (r *recorder) Errorf(f string, args ...any) { r.failed = f }
func (r *recorder) Fatalf(f string, args ...any) { r.failed = f }
func (r *recorder) Fatal(args ...any)            { r.failed = "fatal" }

func TestCheck(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "x.golden")
	r := &recorder{TB: t}
	Check(r, path, []byte("a\n"))
	if r.failed == "" {
		t.Error("a missing golden file passed")
	}
	*update = true
	Check(r, path, []byte("a\n"))
	*update = false
	if b, err := os.ReadFile(path); err != nil || string(b) != "a\n" {
		t.Fatalf("-update wrote %q, %v", b, err)
	}
	r.failed = ""
	CheckString(r, path, "a\n")
	if r.failed != "" {
		t.Error("equal output failed")
	}
	Check(r, path, []byte("b\n"))
	if r.failed == "" {
		t.Error("different output passed")
	}
}
