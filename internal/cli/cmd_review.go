package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
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
		Long: `Review works on a folder (--dir, default: the current folder) holding
master.vocab.json, its review queue flagged.json and the decisions file
review-decisions.json.

  list     the flagged terms with their reasons and the decision for each
  decide   record a decision for a term: keep, remove or rename NEW
  apply    apply the decisions to the master and regenerate the queue

Decisions are keyed by the term's canonical form and live only in
review-decisions.json, which only 'corpora review' writes; a new decision for
a term keeps the earlier ones in its history. 'corpora consolidate' applies
them every time it rebuilds the master:
  keep     the term stays; its ip_flag becomes null and "review" records the
           decision and the flag it answered
  remove   the term leaves the master
  rename   text and canonical become NEW; "old_text" keeps the old text`,
		Args: cobra.NoArgs,
	}
	cmd.PersistentFlags().StringVarP(&opts.Dir, "dir", "d", defaultReviewDir(s), "folder with master.vocab.json, flagged.json and review-decisions.json: a batch's output folder (or CORPORA_OUTPUT)")

	list := &cobra.Command{
		Use:   "list",
		Short: "Show the review queue",
		Args:  cobra.NoArgs,
		RunE:  run("list", runReviewList),
	}
	list.Flags().BoolVar(&opts.JSON, "json", false, "print flagged.json on stdout")
	list.Flags().BoolVar(&opts.Pending, "pending", false, "only the terms still waiting for a decision")

	decide := &cobra.Command{
		Use:   "decide TERM keep|remove|rename NEW",
		Short: "Record a decision for a flagged term",
		Example: `  corpora review decide "Mordenkainen's Sword" rename "Arcane Sword" --note "SRD name"
  corpora review decide beholder remove
  corpora review decide "Tasha" keep --note "our own NPC"`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) < 2 {
				return usagef("review decide needs TERM and keep, remove or rename NEW")
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
		RunE: run("decide", runReviewDecide),
	}
	decide.Flags().StringVar(&opts.Note, "note", "", "why, for the record")

	apply := &cobra.Command{
		Use:   "apply",
		Short: "Apply the recorded decisions to the master and regenerate the queue",
		Args:  cobra.NoArgs,
		RunE:  run("apply", runReviewApply),
	}
	apply.Flags().StringVarP(&opts.Blocklist, "blocklist", "b", "", "blocklist used to re-flag renamed terms")

	cmd.AddCommand(list, decide, apply)
	return cmd
}

func runReviewList(ctx context.Context, opts *reviewOptions, s *Streams) error {
	path := filepath.Join(opts.Dir, ipreview.QueueFile)
	if opts.JSON {
		data, err := os.ReadFile(path)
		if err != nil {
			return queueMissing(path, err)
		}
		_, err = s.Out.Write(data)
		return stdoutErr(err)
	}
	q, err := ipreview.ReadQueue(path)
	if err != nil {
		return queueMissing(path, err)
	}
	if len(q.Items) == 0 {
		fmt.Fprintf(s.Err, "%s: nothing flagged\n", path)
		return nil
	}
	// The table is what the user asked for: stdout, so it can be piped
	// (grep, less, a file); the counts line is a note on stderr.
	w := tabwriter.NewWriter(s.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "TERM\tDECISION\tMATCHED\tWHY\tOPEN ALTERNATIVE\tSOURCES")
	for _, it := range q.Items {
		if opts.Pending && it.Decision != nil {
			continue
		}
		dec := "pending"
		if it.Decision != nil {
			dec = string(it.Decision.Action)
			if it.Decision.Action == ipreview.Rename {
				dec += " -> " + it.Decision.NewText
			}
		}
		matched, why := it.Reason, "-"
		if len(it.Matches) > 0 {
			matched, why = ipreview.Describe(it.Matches)
		}
		alt := it.Alternative
		if alt == "" {
			alt = "-"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", it.Canonical, dec, matched, why, alt, strings.Join(it.Sources, "; "))
	}
	if err := w.Flush(); err != nil {
		return stdoutErr(err)
	}
	fmt.Fprintf(s.Err, "%d flagged, %d pending review\n", q.Total, q.Pending)
	return nil
}

func queueMissing(path string, err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return exitf(ExitNoInput, "%s: no review queue here: point --dir at a batch's output folder (corpora review list --dir BOOKS/output), or run 'corpora batch BOOKS' first", path)
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

// findTerm resolves what the user typed to the canonical form of a term in
// the queue or the master, matching canonical forms, texts and variants by
// ipreview.Key.
func findTerm(dir, term string) (string, error) {
	want := ipreview.Key(term)
	q, qerr := ipreview.ReadQueue(filepath.Join(dir, ipreview.QueueFile))
	if qerr == nil {
		for _, it := range q.Items {
			if it.Canonical == term {
				return it.Canonical, nil
			}
		}
		for _, it := range q.Items {
			if ipreview.Key(it.Canonical) == want || ipreview.Key(it.Text) == want {
				return it.Canonical, nil
			}
		}
	}
	m, merr := vocab.Read(filepath.Join(dir, vocab.MasterFile))
	if merr == nil {
		for _, e := range m.Entries {
			if ipreview.Key(e.Canonical) == want || ipreview.Key(e.Text) == want {
				return e.Canonical, nil
			}
			for _, v := range e.Variants {
				if ipreview.Key(v) == want {
					return e.Canonical, nil
				}
			}
		}
	}
	if qerr != nil && merr != nil {
		return "", exitf(ExitNoInput, "%s: no review queue and no master vocabulary", dir)
	}
	return "", exitf(ExitDataErr, "%q is not in the review queue or the master of %s", term, dir)
}

func runReviewDecide(ctx context.Context, opts *reviewOptions, s *Streams) error {
	canonical, err := findTerm(opts.Dir, opts.Term)
	if err != nil {
		return err
	}
	release, err := lockOutputDir(ctx, opts.Dir, "review decide")
	if err != nil {
		return err
	}
	defer release()
	path := filepath.Join(opts.Dir, ipreview.DecisionsFile)
	// The read-modify-write of the decisions and of the queue happens under
	// an exclusive lock, so two decide commands at once lose nothing.
	unlock, err := ipreview.LockDecisions(ctx, path)
	if err != nil {
		return exitErr(ExitCantCreate, err)
	}
	defer unlock()
	ds, err := ipreview.ReadDecisions(path)
	if err != nil {
		return exitErr(ExitDataErr, err)
	}
	d := ipreview.Decision{Action: opts.Action, NewText: opts.NewText, Note: opts.Note, DecidedAt: vocab.Timestamp(opts.now())}
	if err := ds.Record(canonical, d); err != nil {
		return exitErr(ExitDataErr, err)
	}
	if err := ds.Write(path); err != nil {
		return exitErr(ExitCantCreate, err)
	}
	// Show the decision in the queue at once; the queue is derived data.
	qpath := filepath.Join(opts.Dir, ipreview.QueueFile)
	if q, err := ipreview.ReadQueue(qpath); err == nil {
		rec, _ := ds.Lookup(canonical)
		for i := range q.Items {
			if ipreview.Key(q.Items[i].Canonical) == ipreview.Key(canonical) {
				q.Items[i].Decision = &rec
			}
		}
		q = ipreview.NewQueue(q.Vocabulary, q.Items, vocab.Timestamp(opts.now()))
		if err := q.Write(qpath); err != nil {
			return exitErr(ExitCantCreate, err)
		}
	}
	what := string(opts.Action)
	if opts.Action == ipreview.Rename {
		what += fmt.Sprintf(" to %q", opts.NewText)
	}
	fmt.Fprintf(s.Err, "recorded: %s %q (apply with 'corpora review apply' or the next consolidation)\n", what, canonical)
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
	return nil
}
