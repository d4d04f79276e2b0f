package cli

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/corpora-tools/corpora/internal/classify"
	"github.com/corpora-tools/corpora/internal/ipreview"
	"github.com/corpora-tools/corpora/internal/vocab"
)

// outputOptions are the flags and dependencies of `corpora output`.
type outputOptions struct {
	Input     string
	Output    string
	Blocklist string
	Pipeline  string
	Verbose   bool
	now       func() time.Time
}

func newOutputCmd(s *Streams) *cobra.Command { return newOutputCmdWith(s, nil) }

// newOutputCmdWith builds the command; runF, when set, replaces runOutput.
func newOutputCmdWith(s *Streams, runF func(context.Context, *outputOptions, *Streams) error) *cobra.Command {
	opts := &outputOptions{now: time.Now}
	cmd := &cobra.Command{
		Use:   "output EXTRACT_JSON",
		Short: "Turn classified terms into a per-document vocab file, IP-flagged, with its review queue",
		Long: `Generate vocabulary JSON from classified terms: output reads the JSON array
that 'corpora extract' prints, flags IP-encumbered names with the blocklist,
and writes the per-document vocabulary file (default: the input with
.vocab.json instead of .json) and its review queue: flagged.json next to it,
as 1.0 did, or <stem>.flagged.json in a batch output folder, where
flagged.json is the master's.

The vocab file's metadata names the source document (from the terms'
"source") with its SHA-256 when that file can be read, the counts, and the
pipeline fingerprint given with --pipeline.

-b FILE extends the embedded blocklist: a JSON object of franchise -> list of
names, each a string or {"term": "Warp", "whole_name": true, "proper": true};
a top-level "replace": true uses the file instead of the embedded list, and
"exclude": ["name", ...] drops names from it.

-o - writes the vocab file to stdout and no review queue; so does -o onto a
device or FIFO. A symlink is followed: its target is replaced, the link kept.`,
		Example: `  corpora extract book.pdf > book.json && corpora output book.json
  corpora output terms.json -o out/book.vocab.json -b my-blocklist.json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Input = args[0]
			if runF != nil {
				return runF(cmd.Context(), opts, s)
			}
			return runOutput(cmd.Context(), opts, s)
		},
	}
	cmd.Flags().StringVarP(&opts.Output, "output", "o", "", "vocab file to write, or a folder to write it in (default: INPUT with .vocab.json; - for stdout)")
	cmd.Flags().StringVarP(&opts.Blocklist, "blocklist", "b", "", "blocklist JSON file extending (or replacing) the embedded one (default: data/ip-blocklist.json when it exists, as in 1.0)")
	cmd.Flags().StringVar(&opts.Pipeline, "pipeline", "", "pipeline fingerprint to record in the metadata")
	cmd.Flags().BoolVarP(&opts.Verbose, "verbose", "v", false, "list every entry with its category (stderr)")
	return cmd
}

// defaultVocabPath is the input with .vocab.json instead of .json.
func defaultVocabPath(input string) string {
	base := input
	if ext := filepath.Ext(base); strings.EqualFold(ext, ".json") {
		base = base[:len(base)-len(ext)]
	}
	return base + vocab.Suffix
}

// queuePathFor is the per-document review queue next to a vocab file:
// flagged.json, as 1.0 wrote it, but in a folder that holds a master (a
// batch output folder), whose flagged.json is the master's queue.
func queuePathFor(vocabPath string) string {
	if !isOutputFolder(filepath.Dir(vocabPath)) {
		return filepath.Join(filepath.Dir(vocabPath), ipreview.QueueFile)
	}
	base := vocabPath
	if strings.HasSuffix(strings.ToLower(base), vocab.Suffix) {
		base = base[:len(base)-len(vocab.Suffix)]
	} else {
		base = strings.TrimSuffix(base, filepath.Ext(base))
	}
	return base + ".flagged.json"
}

func runOutput(ctx context.Context, opts *outputOptions, s *Streams) error {
	data, err := os.ReadFile(opts.Input)
	if errors.Is(err, fs.ErrNotExist) {
		return exitf(ExitNoInput, "%s: no such file", opts.Input)
	}
	if err != nil {
		return exitf(ExitNoInput, "%s: %w", opts.Input, err)
	}
	if k, ok := sniffJSON(data); ok && k != kindTerms && k != kindVocab {
		if k == kindParse {
			return exitf(ExitDataErr, "%s: this is parse output; run 'corpora extract %s' first, then 'corpora output' on its terms", opts.Input, opts.Input)
		}
		return exitf(ExitDataErr, "%s is %s; output reads classified terms (corpora extract output)", filepath.Base(opts.Input), k)
	}
	terms, err := parseTerms(data)
	if err != nil {
		return exitf(ExitDataErr, "%s: %w", opts.Input, err)
	}
	blPath := opts.Blocklist
	if blPath == "" {
		blPath = legacyBlocklist(s)
	}
	bl, err := loadBlocklist(blPath)
	if err != nil {
		return err
	}
	flagged := bl.Flag(terms)

	doc := vocab.DocumentInfo{SourcePath: sourceOf(terms), Pipeline: opts.Pipeline}
	doc.SourceHash = hashIfExists(doc.SourcePath, filepath.Dir(opts.Input))
	f := vocab.NewFile(doc, terms, opts.now())

	out := opts.Output
	if out == "" {
		out = defaultVocabPath(opts.Input)
	}
	if st, err := os.Stat(out); err == nil && st.IsDir() {
		out = filepath.Join(out, filepath.Base(defaultVocabPath(opts.Input)))
	}
	if !isStream(out) && isOutputFolder(filepath.Dir(out)) {
		release, err := lockOutputDir(ctx, filepath.Dir(out), "output")
		if err != nil {
			return err
		}
		defer release()
	}
	if isStream(out) {
		// stdout, a device or a FIFO: the vocab file alone, no review
		// queue beside it (there is no "beside" for /dev/null).
		b, err := vocab.Marshal(f)
		if err != nil {
			return err
		}
		return writeOutput(s, out, b)
	}
	if err := vocab.Write(out, f); err != nil {
		return exitErr(ExitCantCreate, err)
	}
	var items []ipreview.QueueItem
	for _, e := range f.Entries {
		if e.IPFlag == nil {
			continue
		}
		it := ipreview.QueueItem{
			Canonical: e.Canonical, Text: e.Text, Sources: []string{e.Source}, Reason: e.IPReason, IPFlag: *e.IPFlag,
			Confidence: e.Confidence, Category: e.Category,
		}
		it.Explain(bl.MatchContext(e.Context, e.Text, e.Canonical))
		items = append(items, it)
	}
	qpath := queuePathFor(out)
	q := ipreview.NewQueue(filepath.Base(out), items, vocab.Timestamp(opts.now()))
	if err := q.Write(qpath); err != nil {
		return exitErr(ExitCantCreate, err)
	}
	fmt.Fprintf(s.Err, "Generated: %s (%d terms, %d flagged for IP review)\nReview queue: %s (%d terms)\n", out, len(f.Entries), flagged, qpath, len(items))
	if opts.Verbose {
		listEntries(s, f.Entries)
	}
	return nil
}

// parseTerms reads a ClassifiedTerm array (or a vocab file's entries).
func parseTerms(data []byte) ([]classify.Term, error) {
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] == '{' {
		var probe map[string]json.RawMessage
		if json.Unmarshal(data, &probe) == nil {
			if _, ok := probe["content"]; ok {
				return nil, errors.New("this is parse output (what 'corpora parse' writes): run 'corpora extract' on it first, then 'corpora output' on the terms")
			}
			if _, ok := probe["entries"]; !ok {
				if _, ok := probe["terms"]; ok {
					return nil, errors.New("this is a review queue (flagged.json), not classified terms")
				}
			}
		}
		f, err := vocab.Parse(data)
		if err != nil {
			return nil, err
		}
		return f.Terms(), nil
	}
	var terms []classify.Term
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&terms); err != nil {
		return nil, fmt.Errorf("not a JSON array of classified terms: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("trailing data after the JSON array")
	}
	var keys []map[string]json.RawMessage
	if err := json.Unmarshal(data, &keys); err != nil {
		return nil, fmt.Errorf("not a JSON array of classified terms: %w", err)
	}
	for i := range terms {
		if missing := missingKeys(keys[i], required10); len(missing) > 0 {
			return nil, fmt.Errorf("term %d (%q): %w: missing %s", i+1, terms[i].Text, classify.ErrInvalid, strings.Join(missing, ", "))
		}
		if err := classify.CheckStored(&terms[i]); err != nil {
			return nil, fmt.Errorf("term %d (%q): %w", i+1, terms[i].Text, err)
		}
	}
	return terms, nil
}

// required10 are the fields 1.0's ClassifiedTerm requires; the others
// (genre, axes, tags, energy, secondary_intents) have defaults.
var required10 = []string{"id", "text", "source", "intent", "pos", "category", "canonical", "mood", "confidence"}

// missingKeys returns the keys of want that obj lacks or has as null.
func missingKeys(obj map[string]json.RawMessage, want []string) []string {
	var out []string
	for _, k := range want {
		if v, ok := obj[k]; !ok || string(v) == "null" {
			out = append(out, k)
		}
	}
	return out
}

// sourceOf is the document the terms came from: their most frequent
// non-empty source (ties: the first in sorted order).
func sourceOf(terms []classify.Term) string {
	n := map[string]int{}
	best := ""
	for _, t := range terms {
		if t.Source == "" {
			continue
		}
		n[t.Source]++
		if c := n[t.Source]; best == "" || c > n[best] || (c == n[best] && t.Source < best) {
			best = t.Source
		}
	}
	return best
}

// hashIfExists returns the SHA-256 of the document at path (as given, or
// relative to dir), or "" when it cannot be read.
func hashIfExists(path, dir string) string {
	if path == "" {
		return ""
	}
	for _, p := range []string{path, filepath.Join(dir, path)} {
		f, err := os.Open(p)
		if err != nil {
			continue
		}
		h := sha256.New()
		_, err = io.Copy(h, f)
		f.Close()
		if err == nil {
			return hex.EncodeToString(h.Sum(nil))
		}
	}
	return ""
}

// loadBlocklist loads the embedded blocklist extended by path, mapping
// errors to exit codes.
func loadBlocklist(path string) (*ipreview.Blocklist, error) {
	bl, err := ipreview.LoadBlocklist(path)
	switch {
	case err == nil:
		return bl, nil
	case errors.Is(err, fs.ErrNotExist):
		return nil, exitErr(ExitNoInput, err)
	default:
		return nil, exitErr(ExitDataErr, err)
	}
}

// listEntries prints one line per entry on stderr: text, category, and the
// IP flag when there is one (the 1.0 tool's -v).
func listEntries(s *Streams, es []vocab.Entry) {
	for _, e := range es {
		flag := ""
		if e.IPFlag != nil {
			flag = "  [" + *e.IPFlag + "]"
		}
		fmt.Fprintf(s.Err, "  %s: %s%s\n", e.Text, e.Category, flag)
	}
}
