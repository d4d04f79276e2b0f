package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/corpora-tools/corpora/internal/atomicfile"
	"github.com/corpora-tools/corpora/internal/classify"
	"github.com/corpora-tools/corpora/internal/document"
	"github.com/corpora-tools/corpora/internal/extract"
	"github.com/corpora-tools/corpora/internal/parse"
)

// extractOptions are the flags and arguments of `corpora extract`.
type extractOptions struct {
	Input          string
	Output         string
	CandidatesOnly bool
	KeepGeneric    bool
	Preview        bool
	MaxCandidates  int
	OCR            string
	Password       string
	Verbose        bool
	CoNLLU         bool
	classifier     classifierFlags
}

func newExtractCmd(s *Streams) *cobra.Command {
	opts := &extractOptions{}
	cmd := &cobra.Command{
		Use:   "extract INPUT [-o FILE]",
		Short: "Extract and classify the fantasy vocabulary of one document",
		Long: `Extract and classify vocabulary from one document: find its candidate
terms, then classify each.

INPUT is a document (PDF, EPUB, DOCX, text, Markdown, HTML) or the JSON that
'corpora parse' wrote for one (recognised by content). The result is a JSON
array of ClassifiedTerm on stdout, or written to -o FILE atomically;
--candidates-only stops before classification and prints CandidateTerms;
--conllu prints the document's tokens as CoNLL-U instead (ID, FORM, LEMMA
and universal POS tag, one sentence per block), as extraction tags them.

--preview prints the number of candidates, a sample and what classifying them
would cost (counting only terms not already in the cache) and calls nothing.
--max-cost refuses to start when the estimate is above it and stops before
the real spend would pass it.

` + classifierHelp + `

Exit codes: 0 success, 64 usage, 65 the document is unusable, 66 INPUT not
found, 69 classifier unavailable (key, endpoint), 73 cannot write output,
75 stopped at --max-cost (what was classified is cached), 130 interrupted.`,
		Example: `  corpora extract book.pdf -o book.terms.json
  corpora parse book.pdf > book.json && corpora extract book.json --candidates-only
  corpora extract book.pdf --classifier claude --preview
  corpora extract book.epub --classifier claude-batch --max-cost 2`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Input = args[0]
			return runExtract(cmd.Context(), opts, s)
		},
	}
	cmd.Flags().StringVarP(&opts.Output, "output", "o", "", "write the JSON to FILE instead of stdout")
	cmd.Flags().BoolVar(&opts.CandidatesOnly, "candidates-only", false, "print candidate terms, do not classify")
	cmd.Flags().BoolVar(&opts.KeepGeneric, "keep-generic", false, "keep plain English words and fragments (dropped by default)")
	cmd.Flags().BoolVar(&opts.Preview, "preview", false, "print counts, sample terms and the cost estimate; call nothing")
	cmd.Flags().IntVar(&opts.MaxCandidates, "max-candidates", 0, "keep only the N most relevant candidates (0: all)")
	addDocumentFlags(cmd.Flags(), &opts.OCR, &opts.Password)
	cmd.Flags().BoolVarP(&opts.Verbose, "verbose", "v", false, "print each term with its category as it is classified (stderr)")
	cmd.Flags().BoolVar(&opts.CoNLLU, "conllu", false, "print the tokens, lemmas and universal POS tags as CoNLL-U; classify nothing")
	addClassifierFlags(cmd, &opts.classifier)
	return cmd
}

func runExtract(ctx context.Context, opts *extractOptions, s *Streams) error {
	if opts.MaxCandidates < 0 {
		return usagef("--max-candidates must not be negative")
	}
	mode, err := ocrMode(opts.OCR)
	if err != nil {
		return err
	}
	opts.OCR = string(mode)
	if !opts.Preview {
		if err := checkWritable(opts.Output); err != nil {
			return err
		}
	}
	doc, err := loadDocument(ctx, opts, s)
	if err != nil {
		return err
	}
	if opts.CoNLLU {
		return writeCoNLLU(ctx, opts, s, doc)
	}
	cands, err := extract.Extract(ctx, doc, extract.Options{MaxCandidates: opts.MaxCandidates, KeepGeneric: opts.KeepGeneric})
	if err != nil {
		if ctx.Err() != nil {
			return classifierExit(ctx.Err())
		}
		return exitErr(ExitDataErr, fmt.Errorf("%s: extract: %w", opts.Input, err))
	}
	if cands == nil {
		cands = []extract.Candidate{}
	}

	if opts.CandidatesOnly {
		return writeJSONOut(s, opts.Output, cands)
	}
	cacheDir := "."
	if opts.Output != "" {
		cacheDir = filepath.Dir(opts.Output)
	}
	st, err := opts.classifier.setup(ctx, s, cacheDir, !opts.Preview)
	if err != nil {
		return err
	}
	defer st.Close()

	var est classify.Estimate
	estimator, canEstimate := st.Classifier.(classify.Estimator)
	if canEstimate {
		est = estimator.Estimate(cands)
	}
	if opts.Preview {
		printPreview(s, opts.Input, cands, st, est, canEstimate)
		return nil
	}
	if canEstimate {
		if err := st.Budget.Check(est.Usage.CostUSD); err != nil {
			return classifierExit(err)
		}
	}
	source := opts.Input
	if doc.Source != "" && looksLikeParseJSON(opts.Input) {
		source = doc.Source
	}
	req := classify.Request{Source: source, Terms: cands}
	var res classify.Result
	if opts.Verbose {
		fmt.Fprintf(s.Err, "Classifying %d terms with %s/%s\n", len(cands), st.Backend, st.Model)
	}
	if p, ok := st.Classifier.(classify.Progressive); ok && opts.Verbose {
		res, err = p.ClassifyEach(ctx, req, func(_ []int, terms []classify.Term) {
			for _, t := range terms {
				fmt.Fprintf(s.Err, "  %s: %s\n", t.Text, t.Category)
			}
		})
	} else {
		res, err = st.Classifier.Classify(ctx, req)
		if err == nil && opts.Verbose {
			for _, t := range res.Terms {
				fmt.Fprintf(s.Err, "  %s: %s\n", t.Text, t.Category)
			}
		}
	}
	if res.Usage.Requests > 0 || res.Usage.CacheHits > 0 || err == nil {
		fmt.Fprintln(s.Err, "corpora: "+usageSummary(st, len(cands), res.Usage))
	}
	if err != nil {
		return classifierExit(fmt.Errorf("%s: classify: %w", opts.Input, err))
	}
	terms := res.Terms
	if terms == nil {
		terms = []classify.Term{}
	}
	return writeJSONOut(s, opts.Output, terms)
}

// loadDocument reads INPUT: a parse JSON (a JSON object with "content") or
// a document, parsed.
func loadDocument(ctx context.Context, opts *extractOptions, s *Streams) (*document.Output, error) {
	info, err := os.Stat(opts.Input)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, exitf(ExitNoInput, "%s: no such file", opts.Input)
		}
		return nil, exitErr(ExitNoInput, err)
	}
	if info.IsDir() {
		return nil, usagef("%s is a folder: extract takes one document (see 'corpora batch')", opts.Input)
	}
	if looksLikeParseJSON(opts.Input) {
		data, err := os.ReadFile(opts.Input)
		if err != nil {
			return nil, exitErr(ExitNoInput, err)
		}
		var doc document.Output
		if err := json.Unmarshal(data, &doc); err != nil {
			return nil, exitf(ExitDataErr, "%s: Invalid document format, not a DocumentOutput: %v", opts.Input, err)
		}
		if !hasText(&doc) {
			return nil, exitf(ExitDataErr, "%s: No text content in document (its \"content\" has no text)", opts.Input)
		}
		return &doc, nil
	}
	if k, ok := sniffFile(opts.Input); ok {
		return nil, exitf(ExitDataErr, "%s is %s; extract reads parse output or documents", filepath.Base(opts.Input), k)
	}
	if what, isJSON := jsonKind(opts.Input); isJSON {
		// A JSON file that is not parse output is not a document to read
		// as text: its keys would become vocabulary.
		return nil, exitf(ExitDataErr, "%s: Invalid document format: %s, not a DocumentOutput; extract reads a document or the JSON 'corpora parse' writes", opts.Input, what)
	}
	p, err := parse.New(parse.Config{Workers: 1})
	if err != nil {
		return nil, exitErr(ExitUnavailable, fmt.Errorf("parser: %w", err))
	}
	defer p.Close()
	doc, err := p.File(ctx, opts.Input, document.Options{
		OCR: document.OCRMode(opts.OCR), Password: documentPassword(s, opts.Password),
		Warnf: func(format string, args ...any) { fmt.Fprintf(s.Err, "corpora: "+format+"\n", args...) },
	})
	if err != nil {
		if ctx.Err() != nil {
			return nil, classifierExit(ctx.Err())
		}
		return nil, exitErr(ExitDataErr, err)
	}
	return doc, nil
}

// hasText reports whether doc has a block with text in it.
func hasText(doc *document.Output) bool {
	for _, b := range doc.Content {
		if strings.TrimSpace(b.Text) != "" {
			return true
		}
	}
	return false
}

// jsonKind says whether the file at path is JSON (by its .json name, or by
// content that is one whole JSON value) and, if so, what kind corpora knows
// it as.
func jsonKind(path string) (what string, isJSON bool) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", false
	}
	data = bytes.TrimPrefix(data, []byte{0xEF, 0xBB, 0xBF})
	trimmed := bytes.TrimSpace(data)
	named := strings.EqualFold(filepath.Ext(path), ".json")
	if !named && (len(trimmed) == 0 || (trimmed[0] != '{' && trimmed[0] != '[')) {
		return "", false
	}
	var v any
	if err := json.Unmarshal(trimmed, &v); err != nil {
		if named {
			return "not valid JSON (" + err.Error() + ")", true
		}
		return "", false
	}
	switch x := v.(type) {
	case map[string]any:
		switch {
		case x["entries"] != nil && x["metadata"] != nil:
			return "a vocabulary file (what 'corpora output' and 'consolidate' write)", true
		case x["terms"] != nil || x["items"] != nil:
			return "a review queue", true
		case x["documents"] != nil:
			return "a batch manifest", true
		}
		return "a JSON object", true
	case []any:
		return "a JSON array (terms are for 'corpora output')", true
	}
	return "JSON", true
}

// looksLikeParseJSON reports whether path holds a JSON object with a
// "content" key at its top level (a DocumentOutput), judged by content.
func looksLikeParseJSON(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	br := bufio.NewReader(f)
	head, _ := br.Peek(3)
	if bytes.Equal(head, []byte{0xEF, 0xBB, 0xBF}) {
		br.Discard(3)
	}
	dec := json.NewDecoder(br)
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('{') {
		return false
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return false
		}
		if key == "content" {
			return true
		}
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return false
		}
	}
	return false
}

// writeJSONOut prints v on stdout byte-exact, or writes it to path atomically.
func writeJSONOut(s *Streams, path string, v any) error {
	data, err := atomicfile.MarshalJSON(v)
	if err != nil {
		return err
	}
	return writeOutput(s, path, data)
}

// printPreview prints what extract would do, with 1.0's labels ("Terms
// extracted:", "Sample terms:", "Estimated cost:") that scripts read.
func printPreview(s *Streams, input string, cands []extract.Candidate, st *classifierSetup, est classify.Estimate, known bool) {
	w := s.Err
	fmt.Fprintf(w, "Preview: %s\n", input)
	byPOS := map[extract.POS]int{}
	for _, c := range cands {
		byPOS[c.POS]++
	}
	var parts []string
	for _, p := range []extract.POS{extract.Noun, extract.ProperNoun, extract.Phrase, extract.Verb, extract.Adjective} {
		if byPOS[p] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", byPOS[p], p))
		}
	}
	fmt.Fprintf(w, "  Terms extracted: %d", len(cands))
	if len(parts) > 0 {
		fmt.Fprintf(w, " (%s)", strings.Join(parts, ", "))
	}
	fmt.Fprintln(w)
	n := min(15, len(cands))
	if n > 0 {
		var sample []string
		for _, c := range cands[:n] {
			sample = append(sample, fmt.Sprintf("%s (%s)", c.Text, c.POS))
		}
		more := ""
		if len(cands) > n {
			more = fmt.Sprintf(" ... and %d more", len(cands)-n)
		}
		fmt.Fprintf(w, "  Sample terms: %s%s\n", strings.Join(sample, ", "), more)
	}
	fmt.Fprintf(w, "  Classifier: %s/%s\n", st.Backend, st.Model)
	if !known {
		fmt.Fprintln(w, "  Estimated cost: $0 (offline classification is free)")
		return
	}
	u := est.Usage
	fmt.Fprintf(w, "  Cache: %d of %d terms already classified (%s)\n", est.CacheHits, est.Terms, st.CachePath)
	fmt.Fprintf(w, "  Estimated cost: ~$%.4f for %d terms to send in %d request%s (~%d input + %d cache write + %d cache read + %d output tokens)",
		u.CostUSD, est.ToSend, est.Requests, sIfMany(est.Requests), u.InputTokens, u.CacheWriteTokens, u.CacheReadTokens, u.OutputTokens)
	if !est.PriceKnown {
		fmt.Fprint(w, " (no price known for this model)")
	}
	fmt.Fprintln(w)
	if st.Budget != nil && st.Budget.Max > 0 && u.CostUSD > st.Budget.Max {
		fmt.Fprintf(w, "  the estimate exceeds --max-cost $%g: a real run would refuse to start\n", st.Budget.Max)
	}
}
