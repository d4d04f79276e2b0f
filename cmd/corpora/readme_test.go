package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// shellWords splits a command line as a POSIX shell would for the simple
// lines of the README: words, single and double quotes.
func shellWords(line string) []string {
	var words []string
	var cur strings.Builder
	inWord := false
	var quote rune
	for _, r := range line {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			cur.WriteRune(r)
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case r == ' ' || r == '\t':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words
}

// The README stays accurate to the CLI: every corpora command in its shell
// examples parses (subcommand and flags, checked with --help so nothing
// runs), and every --flag it names exists on some command.
func TestReadmeMatchesTheCLI(t *testing.T) {
	skipShort(t)
	data, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	checked := 0
	for _, block := range regexp.MustCompile("(?s)```sh\n(.*?)```").FindAllStringSubmatch(readme, -1) {
		for _, line := range strings.Split(block[1], "\n") {
			line = strings.TrimSpace(line)
			if i := strings.Index(line, "  #"); i >= 0 {
				line = strings.TrimSpace(line[:i])
			}
			for _, cut := range []string{" > ", " | ", " && "} {
				if i := strings.Index(line, cut); i >= 0 {
					line = line[:i]
				}
			}
			var args []string
			switch {
			case strings.HasPrefix(line, "corpora "):
				args = shellWords(strings.TrimPrefix(line, "corpora "))
			case strings.HasPrefix(line, "go run ./cmd/corpora "):
				args = shellWords(strings.TrimPrefix(line, "go run ./cmd/corpora "))
			default:
				continue
			}
			r := corpora(t, append(args, "--help")...)
			if r.code != 0 || r.stdout == "" {
				t.Errorf("README: %q does not parse: exit %d\n%s", line, r.code, r.stderr)
			}
			checked++
		}
	}
	if checked < 10 {
		t.Errorf("only %d README commands checked", checked)
	}

	// Every command's help, found from the root's list of commands, so
	// that a command added later is covered too.
	var help strings.Builder
	var walk func(path []string, depth int)
	walk = func(path []string, depth int) {
		r := corpora(t, append(append([]string{}, path...), "--help")...)
		help.WriteString(r.stdout)
		_, list, ok := strings.Cut(r.stdout, "Available Commands:\n")
		if !ok || depth > 1 {
			return
		}
		for _, line := range strings.Split(list, "\n") {
			f := strings.Fields(line)
			if len(f) == 0 || !strings.HasPrefix(line, "  ") {
				break
			}
			if f[0] != "help" {
				walk(append(append([]string{}, path...), f[0]), depth+1)
			}
		}
	}
	walk(nil, 0)
	if !strings.Contains(help.String(), "--pending") || !strings.Contains(help.String(), "--keep-generic") {
		t.Fatalf("the commands' help was not gathered:\n%s", help.String())
	}
	// Flags of the local model servers the README explains how to start.
	others := map[string]bool{"--parallel": true, "--max-model-len": true}
	for _, m := range regexp.MustCompile("`[^`]*?(--[a-z][a-z-]+)").FindAllStringSubmatch(readme, -1) {
		flag := m[1]
		if others[flag] {
			continue
		}
		if !regexp.MustCompile(regexp.QuoteMeta(flag) + `\b`).MatchString(help.String()) {
			t.Errorf("README names %s, which no command has", flag)
		}
	}
}
