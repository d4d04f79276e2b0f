// Package golden compares test output with golden files: one helper for
// every package's golden tests, with -update to rewrite the files and a
// short line diff, not the whole output, when they differ.
//
// A test package that imports it gets the -update flag from it and must
// not declare its own.
package golden

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/corpora-tools/corpora/internal/atomicfile"
)

var update = flag.Bool("update", false, "rewrite the golden files with the output the tests got")

// Updating reports whether the tests run with -update.
func Updating() bool { return *update }

// Check compares got with the golden file at path, or writes got there
// (creating its folder) when the tests run with -update. A difference is
// reported with t.Errorf as a line diff.
func Check(t testing.TB, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := atomicfile.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -update creates it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (go test -update rewrites it; review the change with git diff):\n%s", path, Diff(string(want), string(got)))
	}
}

// CheckString is Check for a string.
func CheckString(t testing.TB, path, got string) {
	t.Helper()
	Check(t, path, []byte(got))
}

// maxDiffLines caps how many lines Diff shows.
const maxDiffLines = 60

// lcsCells caps the table of the line diff; a larger change is shown as
// the removed and the added block.
const lcsCells = 4 << 20

// Diff returns a line diff from want to got: lines only in want start
// with "-", lines only in got with "+", with up to two lines of context
// and the line numbers of want ("@@ line N"). It shows at most
// maxDiffLines lines. Equal texts give "".
func Diff(want, got string) string {
	if want == got {
		return ""
	}
	w, g := lines(want), lines(got)
	// The common head and tail need no table.
	pre := 0
	for pre < len(w) && pre < len(g) && w[pre] == g[pre] {
		pre++
	}
	suf := 0
	for suf < len(w)-pre && suf < len(g)-pre && w[len(w)-1-suf] == g[len(g)-1-suf] {
		suf++
	}
	ops := edits(w[pre:len(w)-suf], g[pre:len(g)-suf])
	var all []op
	for _, l := range w[:pre] {
		all = append(all, op{' ', l})
	}
	all = append(all, ops...)
	for _, l := range w[len(w)-suf:] {
		all = append(all, op{' ', l})
	}
	return render(all)
}

// lines splits s after each newline.
func lines(s string) []string {
	l := strings.SplitAfter(s, "\n")
	if l[len(l)-1] == "" {
		l = l[:len(l)-1]
	}
	return l
}

// op is one line of a diff: ' ' kept, '-' removed, '+' added.
type op struct {
	kind byte
	line string
}

// edits is the shortest edit from a to b by longest common subsequence,
// or all of a removed and all of b added when the table would be too big.
func edits(a, b []string) []op {
	var out []op
	if len(a)*len(b) > lcsCells {
		for _, l := range a {
			out = append(out, op{'-', l})
		}
		for _, l := range b {
			out = append(out, op{'+', l})
		}
		return out
	}
	// n[i][j]: length of the LCS of a[i:] and b[j:].
	n := make([][]int32, len(a)+1)
	for i := range n {
		n[i] = make([]int32, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				n[i][j] = n[i+1][j+1] + 1
			} else {
				n[i][j] = max(n[i+1][j], n[i][j+1])
			}
		}
	}
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && a[i] == b[j]:
			out = append(out, op{' ', a[i]})
			i, j = i+1, j+1
		case i < len(a) && (j == len(b) || n[i+1][j] >= n[i][j+1]):
			out = append(out, op{'-', a[i]})
			i++
		default:
			out = append(out, op{'+', b[j]})
			j++
		}
	}
	return out
}

// render writes the changed lines of ops with two lines of context.
func render(ops []op) string {
	const context = 2
	show := make([]bool, len(ops))
	for i, o := range ops {
		if o.kind != ' ' {
			for k := max(0, i-context); k <= min(len(ops)-1, i+context); k++ {
				show[k] = true
			}
		}
	}
	var sb strings.Builder
	lines, wantLine := 0, 0
	for i, o := range ops {
		if o.kind != '+' {
			wantLine++
		}
		if !show[i] {
			continue
		}
		if i == 0 || !show[i-1] {
			fmt.Fprintf(&sb, "@@ line %d\n", wantLine)
		}
		if lines == maxDiffLines {
			sb.WriteString("... (more differences)\n")
			break
		}
		l := strings.TrimSuffix(o.line, "\n")
		if o.line == l {
			l += " (no newline at end)"
		}
		fmt.Fprintf(&sb, "%c %s\n", o.kind, l)
		lines++
	}
	return sb.String()
}
