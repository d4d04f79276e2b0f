package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/corpora-tools/corpora/internal/vocab"
)

// consolidateOptions are the flags of `corpora consolidate`.
type consolidateOptions struct {
	Dir         string
	Master      string
	Blocklist   string
	Force       bool
	KeepBackups int
	Verbose     bool
	// RemoveOrphans is the 1.0 flag; removing them is what consolidate always does.
	RemoveOrphans bool
	now           func() time.Time
}

func newConsolidateCmd(s *Streams) *cobra.Command { return newConsolidateCmdWith(s, nil) }

// newConsolidateCmdWith builds the command; runF, when set, replaces runConsolidate.
func newConsolidateCmdWith(s *Streams, runF func(context.Context, *consolidateOptions, *Streams) error) *cobra.Command {
	opts := &consolidateOptions{now: time.Now}
	cmd := &cobra.Command{
		Use:   "consolidate [VOCAB_DIR]",
		Short: "Merge per-document vocab files into the master vocabulary and the review queue",
		Long: `Consolidate vocabulary files into the master vocabulary: every *.vocab.json
below VOCAB_DIR (hidden folders, the master itself and its backups skipped) is
merged into master.vocab.json, and the review queue flagged.json next to the
master is regenerated.

Entries meet when their canonical forms do after folding case, diacritics,
spaces, apostrophes and hyphens and making the head noun singular
("Fireball", "fireballs", "Fire-ball"). The most confident entry gives the
base; axes are confidence-weighted; tags, variants and sources are unioned.
The decisions in review-decisions.json next to the master are applied:
remove drops a term, keep clears its IP flag, rename replaces its text.

Only new or changed vocab files are read (their hashes are kept in
.corpora-consolidate.json next to the master); a vocab file that disappeared
takes its terms out of the master; --force reads everything again. The
master is replaced atomically, and the previous one is kept in backups/
(the newest --keep-backups of them). The change summary goes to stderr:
  +N new, ~N updated, -N removed, !N flagged`,
		Example: `  corpora consolidate out/
  CORPORA_OUTPUT=out/ corpora consolidate
  corpora consolidate out/ -m review/master.vocab.json -b my-blocklist.json --force`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			switch {
			case len(args) == 1 && opts.Dir != "" && cmd.Flags().Changed("dir") && opts.Dir != args[0]:
				return usagef("the output folder is given twice: %s and --dir %s", args[0], opts.Dir)
			case len(args) == 1:
				opts.Dir = args[0]
			case opts.Dir == "":
				opts.Dir = s.getenv("CORPORA_OUTPUT")
			}
			if opts.Dir == "" {
				return usagef("consolidate needs the output folder: VOCAB_DIR, --dir or CORPORA_OUTPUT")
			}
			if opts.KeepBackups < 0 {
				return usagef("--keep-backups must be 0 or more")
			}
			if runF != nil {
				return runF(cmd.Context(), opts, s)
			}
			return runConsolidate(cmd.Context(), opts, s)
		},
	}
	cmd.Flags().StringVarP(&opts.Master, "master", "m", "", "master vocabulary to write (default: VOCAB_DIR/master.vocab.json)")
	cmd.Flags().StringVarP(&opts.Blocklist, "blocklist", "b", "", "blocklist JSON file extending (or replacing) the embedded one (default: data/ip-blocklist.json when it exists, as in 1.0)")
	cmd.Flags().BoolVarP(&opts.Force, "force", "f", false, "read every vocab file again instead of only new or changed ones")
	cmd.Flags().BoolVar(&opts.RemoveOrphans, "remove-orphans", false, "accepted for 1.0 scripts: terms of vocab files that are gone always leave the master")
	cmd.Flags().BoolVarP(&opts.Verbose, "verbose", "v", false, "list every master entry with its category (stderr)")
	cmd.Flags().IntVar(&opts.KeepBackups, "keep-backups", vocab.DefaultKeepBackups, "how many backups of the master to keep (gzipped, in backups/)")
	cmd.Flags().StringVarP(&opts.Dir, "dir", "d", "", "the output folder, as VOCAB_DIR (default: CORPORA_OUTPUT)")
	// Old spellings, accepted and hidden: the folder as batch's -o names it.
	cmd.Flags().StringVarP(&opts.Dir, "output", "o", "", "the output folder (as --dir)")
	cmd.Flags().StringVar(&opts.Dir, "output-dir", "", "the output folder (as --dir)")
	_ = cmd.Flags().MarkHidden("output")
	_ = cmd.Flags().MarkHidden("output-dir")
	return cmd
}

func runConsolidate(ctx context.Context, opts *consolidateOptions, s *Streams) error {
	if st, err := os.Stat(opts.Dir); err != nil || !st.IsDir() {
		if k, ok := sniffFile(opts.Dir); ok {
			return exitf(ExitNoInput, "%s is %s; consolidate reads a folder of vocab files (a batch's output folder)", filepath.Base(opts.Dir), k)
		}
		return exitf(ExitNoInput, "%s: not a folder", opts.Dir)
	}
	if n, books := folderOfDocuments(opts.Dir); books && opts.Master == "" {
		return exitf(ExitNoInput, "%s holds %d document(s), not vocab files: consolidate works on a batch's output folder; run 'corpora batch %s' (it consolidates into %s)",
			opts.Dir, n, opts.Dir, filepath.Join(opts.Dir, "output"))
	}
	lockDir := opts.Dir
	if opts.Master != "" {
		lockDir = filepath.Dir(opts.Master)
	}
	release, err := lockOutputDir(ctx, lockDir, "consolidate")
	if err != nil {
		return err
	}
	defer release()
	bl, err := outputBlocklist(s, opts.Blocklist, opts.Dir, false)
	if err != nil {
		return err
	}
	keep := opts.KeepBackups
	if keep == 0 {
		keep = -1 // no backups
	}
	sum, err := vocab.ConsolidateReviewed(ctx, vocab.ConsolidateOptions{
		Dir: opts.Dir, Master: opts.Master, Blocklist: bl, Force: opts.Force, Now: opts.now, KeepBackups: keep,
	})
	switch {
	case err == nil:
	case errors.Is(err, context.Canceled):
		return err
	case errors.Is(err, vocab.ErrNoVocab), errors.Is(err, fs.ErrNotExist):
		return exitErr(ExitNoInput, err)
	case errors.Is(err, vocab.ErrWrite):
		return exitErr(ExitCantCreate, err)
	default:
		return exitErr(ExitDataErr, err)
	}
	fmt.Fprintln(s.Err, sum.String())
	state := "unchanged"
	if sum.Written {
		state = "written"
	}
	fmt.Fprintf(s.Err, "Consolidated: %s %s: %d entries from %d vocab files (%d read); review queue %s\n",
		sum.Master, state, sum.Total, sum.Files, sum.Read, sum.Queue)
	if opts.Verbose {
		f, err := vocab.Read(sum.Master)
		if err != nil {
			return exitErr(ExitDataErr, err)
		}
		listEntries(s, f.Entries)
	}
	return nil
}
