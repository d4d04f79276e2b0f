package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/corpora-tools/corpora/internal/extract/tokenize"
)

// readSilver reads the prose paragraphs of the markdown files in dir (the
// SRD 5.1 chapters: fantasy game text) and returns every nth sentence of
// three words or more, untagged. Headings, tables and lists are skipped;
// emphasis marks are dropped.
func readSilver(dir string, nth int) ([]sentence, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.md"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var out []sentence
	k := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		lines := strings.Split(string(b), "\n")
		for li, line := range lines {
			line = strings.TrimSpace(line)
			if line == "" || strings.ContainsAny(line[:1], "#|>-=*+0123456789") ||
				li+1 < len(lines) && strings.HasPrefix(lines[li+1], "---") || li+1 < len(lines) && strings.HasPrefix(lines[li+1], "===") {
				continue
			}
			line = strings.NewReplacer("**", "", "*", "", "_", " ").Replace(line)
			toks := tokenize.Tokens(nil, line)
			for _, s := range tokenize.Sentences(nil, line, toks) {
				var words []string
				for _, t := range toks[s.From:s.To] {
					if t.Kind == tokenize.Cell {
						words = nil
						break
					}
					words = append(words, t.Text(line))
				}
				if len(words) < 3 {
					continue
				}
				if k++; k%nth != 0 {
					continue
				}
				out = append(out, sentence{doc: -1, words: words})
			}
		}
	}
	return out, nil
}

// tagSilver tags sents with prose's own model: the tags the extraction
// rules were written against, to be learnt alongside the treebank so that
// training on web text does not move the model on game text.
func tagSilver(weights map[string]map[string]float64, dict map[string]string, sents []sentence) {
	prepare(sents, nil, false)
	for k := range sents {
		s := &sents[k]
		s.tags = tagSentence(weights, dict, s, false, nil)
	}
}

// readTagged reads hand-tagged sentences: one a line, word/TAG separated
// by spaces; lines starting with # are comments.
func readTagged(path string, classes map[string]int) ([]sentence, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []sentence
	for n, line := range strings.Split(string(b), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		s := sentence{doc: -1}
		for _, wt := range strings.Fields(line) {
			i := strings.LastIndexByte(wt, '/')
			if i <= 0 {
				return nil, fmt.Errorf("%s:%d: %q is not word/TAG", path, n+1, wt)
			}
			if _, ok := classes[wt[i+1:]]; !ok {
				return nil, fmt.Errorf("%s:%d: unknown tag in %q", path, n+1, wt)
			}
			s.words, s.tags = append(s.words, wt[:i]), append(s.tags, wt[i+1:])
		}
		out = append(out, s)
	}
	return out, nil
}
