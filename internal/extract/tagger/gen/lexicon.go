package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
)

// convertLexicon writes the lexicon of the npm package en-lexicon (MIT;
// dist/lexicon.js, a JavaScript object from word to "TAG|TAG") as the
// tagger's lexicon.txt.gz: a word, a tab and its tags a line, sorted.
// Emoji (tag EM) and words with white space are left out.
func convertLexicon(js, out string) error {
	b, err := os.ReadFile(js)
	if err != nil {
		return err
	}
	s := string(b)
	i, j := strings.IndexByte(s, '{'), strings.LastIndex(s, "};")
	if i < 0 || j < i {
		return fmt.Errorf("%s: no lexicon object", js)
	}
	var lex map[string]string
	if err := json.Unmarshal([]byte(s[i:j+1]), &lex); err != nil {
		return fmt.Errorf("%s: %w", js, err)
	}
	words := make([]string, 0, len(lex))
	for w, t := range lex {
		if t == "EM" || strings.ContainsAny(w, " \t\n") || strings.ContainsAny(t, "\t\n") {
			continue
		}
		words = append(words, w)
	}
	sort.Strings(words)
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return err
	}
	for _, w := range words {
		fmt.Fprintf(zw, "%s\t%s\n", w, lex[w])
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", out, err)
	}
	fmt.Fprintf(os.Stderr, "gen: %s: %d words, %d bytes\n", out, len(words), buf.Len())
	return nil
}
