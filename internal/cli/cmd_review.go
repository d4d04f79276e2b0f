package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/corpora-tools/corpora/internal/ipreview"
	"github.com/corpora-tools/corpora/internal/vocab"
)

// reviewOptions are the flags of `corpora review` and its subcommands.
type reviewOptions struct {
	Dir       string
	JSON      bool
	Pending   bool
	CSV       bool
	Context   bool
	Franchise string
	Reason    string
	All       bool
	From      string
	DryRun    bool
	Yes       bool
	Term      string
	Action    ipreview.Action
	NewText   string
	Note      string
	Blocklist string
	now       func() time.Time
}

func newReviewCmd(s *Streams) *cobra.Command { return newReviewCmdWith(s, nil) }

// newReviewCmdWith builds the command; runF, when set, replaces the
// subcommands' work (flag tests): it gets the subcommand's name.
func newReviewCmdWith(s *Streams, runF func(context.Context, string, *reviewOptions, *Streams) error) *cobra.Command {
	opts := &reviewOptions{now: time.Now}
	run := func(name string, f func(context.Context, *reviewOptions, *Streams) error) func(*cobra.Command, []string) error {
		return func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(cmd.Context(), name, opts, s)
			}
			return f(cmd.Context(), opts, s)
		}
	}
	cmd := &cobra.Command{
		Use:   "review",
		Short: "Show the IP review queue, record decisions, apply them to the master",
		Long: `Review works on a batch's output folder (DIR after list and apply, or
-d/--dir, or CORPORA_OUTPUT; default: the current folder) holding
master.vocab.json, its review queue flagged.json and the decisions file
review-decisions.json.

  list     the flagged terms, why, the decision for each (-v: the context)
  decide   record a decision for a term, a franchise, a reason, or a file
  apply    apply the decisions to the master and regenerate the queue

The quick route for many names: 'review list --pending --csv > r.csv', fill
in the decision column, 'review decide --from r.csv', 'review apply'.

After apply, a removed name is gone from every file that ships (the master
and each per-document vocab file: entries, lemmas, variants, and other
entries' context sentences, which are dropped), and a renamed one reads as
its new name everywhere. The vocab files as batch wrote them are kept,
gzipped, in .corpora-review/, so every decision can be undone.

Decisions are keyed by the term's canonical form and live only in
review-decisions.json, which only 'corpora review' writes; a new decision for
a term keeps the earlier ones in its history. 'corpora consolidate' applies
them every time it rebuilds the master:
  keep     the term stays; its ip_flag becomes null and "review" records the
           decision and the flag it answered
  remove   the term leaves the master
  rename   text, canonical, lemma and variants become NEW; the old name
           stays only in review-decisions.json and flagged.json`,
		Args: cobra.NoArgs,
	}
	// Old spellings, accepted and hidden: the folder as batch's -o names it.
	cmd.PersistentFlags().StringVarP(&opts.Dir, "output", "o", defaultReviewDir(s), "the output folder (as --dir)")
	cmd.PersistentFlags().StringVar(&opts.Dir, "output-dir", defaultReviewDir(s), "the output folder (as --dir)")
	_ = cmd.PersistentFlags().MarkHidden("output")
	_ = cmd.PersistentFlags().MarkHidden("output-dir")
	cmd.PersistentFlags().StringVarP(&opts.Dir, "dir", "d", defaultReviewDir(s), "folder with master.vocab.json, flagged.json and review-decisions.json: a batch's output folder (or CORPORA_OUTPUT)")

	list := &cobra.Command{
		Use:   "list [DIR]",
		Short: "Show the review queue",
		Long: `List shows the review queue of an output folder (DIR, or --dir, or
CORPORA_OUTPUT, or the current folder): a table on stdout that fits the
terminal (or COLUMNS), the counts on stderr. -v adds each term's context
sentence and why it was flagged; --json and --csv print the same fields whole, for scripts and
spreadsheets.`,
		Args: dirArg(opts),
		RunE: run("list", runReviewList),
	}
	list.Flags().BoolVar(&opts.JSON, "json", false, "machine-readable: the rows as one JSON document on stdout, the table's fields with the counts (batch --json is an event stream instead)")
	list.Flags().BoolVar(&opts.CSV, "csv", false, "print the rows as CSV on stdout: fill in decision (and new_text) and read it back with 'review decide --from'")
	list.Flags().BoolVarP(&opts.Context, "context", "v", false, "show under each term why it was flagged and its context sentence")
	list.Flags().BoolVar(&opts.Context, "verbose", false, "as -v")
	_ = list.Flags().MarkHidden("verbose")
	list.Flags().BoolVar(&opts.Pending, "pending", false, "only the terms still waiting for a decision")
	list.Flags().StringVar(&opts.Franchise, "franchise", "", "only the terms a franchise or owner flagged (a word of its name: greyhawk, \"wizards of the coast\", dnd)")
	list.Flags().StringVar(&opts.Reason, "reason", "", "only the terms with this ip_flag (blocklist:greyhawk) or kind of match (coined, shared)")
	list.MarkFlagsMutuallyExclusive("json", "csv")

	decide := &cobra.Command{
		Use:   "decide TERM keep|remove|rename NEW",
		Short: "Record a decision for a flagged term, for many at once, or from a file",
		Long: `Decide records a decision for one term:
  corpora review decide TERM keep|remove|rename NEW

for every pending term of a franchise or reason at once (a list and the
count first; --yes, or a "y" at the prompt, records them; --dry-run only
lists them; rename without NEW renames each to its open alternative):
  corpora review decide --franchise greyhawk remove
  corpora review decide --reason blocklist:middle-earth keep --yes
  corpora review decide --all rename --yes

or from a file (- for stdin): the CSV 'review list --csv' prints with the
decision column filled in (keep, remove or rename; new_text for a rename;
empty rows skipped), the 'review list --json' document, or a decisions
JSON (term -> decision). One bad row records nothing.
  corpora review list --pending --csv > review.csv   # fill in, then:
  corpora review decide --from review.csv`,
		Example: `  corpora review decide "Mordenkainen's Sword" rename "Arcane Sword" --note "SRD name"
  corpora review decide beholder remove
  corpora review decide --franchise dnd remove --dry-run
  corpora review decide --from review.csv`,
		Args: func(cmd *cobra.Command, args []string) error {
			bulk := opts.Franchise != "" || opts.Reason != "" || opts.All
			if opts.From != "" {
				if bulk || len(args) > 1 {
					return usagef("--from takes no TERM, ACTION, --franchise, --reason or --all: the file says what to decide")
				}
				return dirArg(opts)(cmd, args) // the output folder may follow
			}
			if bulk {
				if len(args) < 1 || len(args) > 2 {
					return usagef("review decide --franchise/--reason/--all needs an action: keep, remove or rename [NEW]")
				}
				a, err := ipreview.ParseAction(args[0])
				if err != nil {
					return usagef("%v", err)
				}
				if a != ipreview.Rename && len(args) == 2 {
					return usagef("%s takes no further argument", a)
				}
				opts.Action = a
				if len(args) == 2 {
					opts.NewText = strings.TrimSpace(args[1])
				}
				return nil
			}
			if len(args) < 2 {
				return usagef("review decide needs TERM and keep, remove or rename NEW (or --franchise, --reason, --all or --from)")
			}
			a, err := ipreview.ParseAction(args[1])
			if err != nil {
				return usagef("%v", err)
			}
			switch {
			case a == ipreview.Rename && len(args) != 3:
				return usagef("rename needs exactly one NEW text")
			case a != ipreview.Rename && len(args) != 2:
				return usagef("%s takes no further argument", a)
			}
			opts.Term, opts.Action = args[0], a
			if a == ipreview.Rename {
				opts.NewText = strings.TrimSpace(args[2])
				if opts.NewText == "" {
					return usagef("rename needs a non-empty NEW text")
				}
			}
			return nil
		},
		RunE: run("decide", func(ctx context.Context, o *reviewOptions, s *Streams) error {
			switch {
			case o.From != "":
				return runReviewDecideFrom(ctx, o, s)
			case o.Franchise != "" || o.Reason != "" || o.All:
				return runReviewDecideBulk(ctx, o, s)
			}
			return runReviewDecide(ctx, o, s)
		}),
	}
	decide.Flags().StringVar(&opts.Note, "note", "", "why, for the record")
	decide.Flags().StringVar(&opts.Franchise, "franchise", "", "decide every pending term this franchise or owner flagged (greyhawk, \"wizards of the coast\", dnd)")
	decide.Flags().StringVar(&opts.Reason, "reason", "", "decide every pending term with this ip_flag (blocklist:greyhawk) or kind of match (coined, shared)")
	decide.Flags().BoolVar(&opts.All, "all", false, "decide every pending term")
	decide.Flags().StringVar(&opts.From, "from", "", "record the decisions of a CSV or JSON file (- for stdin)")
	decide.Flags().BoolVarP(&opts.DryRun, "dry-run", "n", false, "list what would be decided, record nothing")
	decide.Flags().BoolVarP(&opts.Yes, "yes", "y", false, "record a decision for many terms without asking")

	apply := &cobra.Command{
		Use:   "apply [DIR]",
		Short: "Apply the recorded decisions to the master and regenerate the queue",
		Args:  dirArg(opts),
		RunE:  run("apply", runReviewApply),
	}
	apply.Flags().StringVarP(&opts.Blocklist, "blocklist", "b", "", "blocklist used to re-flag renamed terms")

	cmd.AddCommand(list, decide, apply)
	return cmd
}

func runReviewList(ctx context.Context, opts *reviewOptions, s *Streams) error {
	path := filepath.Join(opts.Dir, ipreview.QueueFile)
	q, err := ipreview.ReadQueue(path)
	if err != nil {
		return queueMissing(path, err)
	}
	sel, err := selectItems(q.Items, opts.selector())
	if err != nil {
		return err
	}
	rows := listRows(opts.Dir, sel)
	switch {
	case opts.JSON:
		data, err := renderJSON(q, rows)
		if err != nil {
			return err
		}
		_, err = s.Out.Write(data)
		return stdoutErr(err)
	case opts.CSV:
		out, err := renderCSV(rows)
		if err != nil {
			return err
		}
		_, err = io.WriteString(s.Out, out)
		return stdoutErr(err)
	}
	if len(q.Items) == 0 {
		fmt.Fprintf(s.Err, "%s: nothing flagged\n", path)
		return nil
	}
	// The table is what the user asked for: stdout, so it can be piped
	// (grep, less, a file); the counts line is a note on stderr.
	if _, err := io.WriteString(s.Out, renderTable(rows, termWidth(s), opts.Context)); err != nil {
		return stdoutErr(err)
	}
	fmt.Fprintln(s.Err, countsLine(q))
	return nil
}

// dirArg accepts the output folder as an optional positional argument, as
// batch, consolidate and serve take it; it wins over --dir.
func dirArg(opts *reviewOptions) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		switch len(args) {
		case 0:
		case 1:
			if (cmd.Flags().Changed("dir") || cmd.Flags().Changed("output")) && args[0] != opts.Dir {
				return usagef("the output folder is given twice: %s and --dir %s", args[0], opts.Dir)
			}
			opts.Dir = args[0]
		default:
			return usagef("%s takes at most one output folder", cmd.CommandPath())
		}
		return nil
	}
}

func queueMissing(path string, err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return exitf(ExitNoInput, "%s: no review queue here: give a batch's output folder (corpora review list BOOKS/output, or --dir or CORPORA_OUTPUT), or run 'corpora batch BOOKS' first", path)
	}
	return exitErr(ExitDataErr, err)
}

// defaultReviewDir is CORPORA_OUTPUT when set, else the current folder.
func defaultReviewDir(s *Streams) string {
	if s.Getenv != nil {
		if d := s.Getenv("CORPORA_OUTPUT"); d != "" {
			return d
		}
	} else if d := os.Getenv("CORPORA_OUTPUT"); d != "" {
		return d
	}
	return "."
}

// findTerm resolves what the user typed to a term of the queue or the
// master (vocab.FindTerm), with the exit code for each failure.
func findTerm(dir, term string) (string, error) {
	canonical, err := vocab.FindTerm(dir, term)
	switch {
	case errors.Is(err, vocab.ErrNoVocabulary):
		return "", exitErr(ExitNoInput, err)
	case err != nil:
		return "", exitErr(ExitDataErr, err)
	}
	return canonical, nil
}

func runReviewDecide(ctx context.Context, opts *reviewOptions, s *Streams) error {
	canonical, err := findTerm(opts.Dir, opts.Term)
	if err != nil {
		return err
	}
	d := ipreview.Decision{Action: opts.Action, NewText: opts.NewText, Note: opts.Note, DecidedAt: vocab.Timestamp(opts.now())}
	if err := recordDecisions(ctx, opts, []pick{{Term: canonical, D: d}}); err != nil {
		return err
	}
	what := fmt.Sprintf("%s %q", opts.Action, canonical)
	if opts.Action == ipreview.Rename {
		what = fmt.Sprintf("rename %q to %q", canonical, opts.NewText)
	}
	fmt.Fprintf(s.Err, "recorded: %s (apply with 'corpora review apply' or the next consolidation)\n", what)
	return nil
}

func runReviewApply(ctx context.Context, opts *reviewOptions, s *Streams) error {
	release, err := lockOutputDir(ctx, opts.Dir, "review apply")
	if err != nil {
		return err
	}
	defer release()
	bl, err := outputBlocklist(s, opts.Blocklist, opts.Dir, false)
	if err != nil {
		return err
	}
	sum, err := vocab.Apply(vocab.ApplyOptions{Dir: opts.Dir, Blocklist: bl, Now: opts.now})
	switch {
	case err == nil:
	case errors.Is(err, fs.ErrNotExist):
		return exitErr(ExitNoInput, err)
	case errors.Is(err, vocab.ErrWrite):
		return exitErr(ExitCantCreate, err)
	default:
		return exitErr(ExitDataErr, err)
	}
	fmt.Fprintf(s.Err, "applied: %d removed, %d kept, %d renamed; master has %d entries, !%d flagged\n",
		sum.Removed, sum.Kept, sum.Renamed, sum.Total, sum.Flagged)
	if q, err := ipreview.ReadQueue(filepath.Join(opts.Dir, ipreview.QueueFile)); err == nil {
		fmt.Fprintln(s.Err, countsLine(q))
	}
	return nil
}
