// Command gen writes the lemmatiser's embedded data file from a WordNet 3.0
// database (Debian package wordnet-base installs it in /usr/share/wordnet).
//
// Usage (run by go generate in the lemma package):
//
//	go run ./gen -wordnet /usr/share/wordnet -o wordnet.dat.gz
//
// The output is a gzip'd text file, deterministic for a given WordNet and Go
// version:
//
//	section 1, one line per single-word lemma, sorted:  word TAB posmask TAB count
//	blank line
//	section 2, one line per exception, sorted:          pos TAB inflected TAB base[ base...]
//
// posmask has bit 1 noun, 2 verb, 4 adjective, 8 adverb; count is the sum of
// the SemCor tag counts of the lemma's senses (cntlist.rev), a general-English
// frequency.
package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

func main() {
	dir := flag.String("wordnet", "/usr/share/wordnet", "WordNet dict folder")
	out := flag.String("o", "wordnet.dat.gz", "output file")
	flag.Parse()
	if err := run(*dir, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

var posFiles = []struct {
	name string
	bit  int
	tag  string
}{{"noun", 1, "n"}, {"verb", 2, "v"}, {"adj", 4, "a"}, {"adv", 8, "r"}}

func run(dir, out string) error {
	mask := map[string]int{}
	for _, p := range posFiles {
		err := eachLine(filepath.Join(dir, "index."+p.name), func(line string) {
			if strings.HasPrefix(line, " ") {
				return // licence header
			}
			w, _, _ := strings.Cut(line, " ")
			if w == "" || strings.Contains(w, "_") {
				return
			}
			mask[w] |= p.bit
		})
		if err != nil {
			return err
		}
	}
	count := map[string]int{}
	err := eachLine(filepath.Join(dir, "cntlist.rev"), func(line string) {
		f := strings.Fields(line)
		if len(f) != 3 {
			return
		}
		w, _, _ := strings.Cut(f[0], "%")
		n, err := strconv.Atoi(f[2])
		if err != nil || strings.Contains(w, "_") {
			return
		}
		count[strings.ToLower(w)] += n
	})
	if err != nil {
		return err
	}
	var exc []string
	for _, p := range posFiles {
		err := eachLine(filepath.Join(dir, p.name+".exc"), func(line string) {
			f := strings.Fields(line)
			if len(f) < 2 || strings.Contains(f[0], "_") {
				return
			}
			exc = append(exc, p.tag+"\t"+f[0]+"\t"+strings.Join(f[1:], " "))
		})
		if err != nil {
			return err
		}
	}
	words := make([]string, 0, len(mask))
	for w := range mask {
		words = append(words, w)
	}
	sort.Strings(words)
	sort.Strings(exc)

	var buf bytes.Buffer
	for _, w := range words {
		if c := count[w]; c > 0 {
			fmt.Fprintf(&buf, "%s\t%d\t%d\n", w, mask[w], c)
		} else {
			fmt.Fprintf(&buf, "%s\t%d\n", w, mask[w])
		}
	}
	buf.WriteByte('\n')
	for _, e := range exc {
		buf.WriteString(e)
		buf.WriteByte('\n')
	}
	var z bytes.Buffer
	zw, err := gzip.NewWriterLevel(&z, gzip.BestCompression)
	if err != nil {
		return err
	}
	if _, err := zw.Write(buf.Bytes()); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := os.WriteFile(out, z.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", out, err)
	}
	fmt.Fprintf(os.Stderr, "gen: %s: %d lemmas, %d exceptions, %d bytes (%d raw)\n", out, len(words), len(exc), z.Len(), buf.Len())
	return nil
}

func eachLine(path string, fn func(string)) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("open WordNet file: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		fn(sc.Text())
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	return nil
}
