package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"syscall"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/corpora-tools/corpora/internal/batch"
	"github.com/corpora-tools/corpora/internal/classify"
	"github.com/corpora-tools/corpora/internal/document"
	"github.com/corpora-tools/corpora/internal/vocab"
)

// Exit codes (sysexits), SPEC section 2.
const (
	ExitOK          = 0
	ExitUsage       = 64
	ExitDataErr     = 65
	ExitNoInput     = 66
	ExitUnavailable = 69
	ExitCantCreate  = 73
	ExitPartial     = 75
	ExitInterrupted = 130
)

// ExitError carries the exit code for an error meant for the user. Its
// message is printed as is, without usage text.
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit %d", e.Code)
	}
	return e.Err.Error()
}

func (e *ExitError) Unwrap() error { return e.Err }

// exitErr wraps err with an exit code; a nil err stays nil.
func exitErr(code int, err error) error {
	if err == nil {
		return nil
	}
	return &ExitError{Code: code, Err: err}
}

// exitf builds an ExitError from a format.
func exitf(code int, format string, args ...any) error {
	return &ExitError{Code: code, Err: fmt.Errorf(format, args...)}
}

// silentExit ends the program with code after the command has already told
// the user everything (a batch summary, say).
func silentExit(code int) error { return &ExitError{Code: code} }

// usageError marks a mistake in the command line.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

// writeError marks a failure to write output (stdout, a file): exit 73.
type writeError struct{ err error }

func (e writeError) Error() string { return e.err.Error() }
func (e writeError) Unwrap() error { return e.err }

// stdoutErr wraps a failed write to standard output.
func stdoutErr(err error) error {
	if err == nil {
		return nil
	}
	return writeError{fmt.Errorf("write stdout: %w", err)}
}

// exitTable is the one place that maps errors to exit codes (SPEC section
// 2), in the manner of restic's exitCodeForError: the first row whose
// error is on err's chain decides. An ExitError's own code and usage
// errors come first; cmd/corpora's tests walk every command and documented
// failure and prove that nothing falls through to 1.
var exitTable = []struct {
	is   func(error) bool
	code int
}{
	{isA[usageError], ExitUsage},
	{is(context.Canceled), ExitInterrupted},
	{is(classify.ErrBudget), ExitPartial},
	{is(classify.ErrUnavailable), ExitUnavailable},
	{is(batch.ErrNoDocuments), ExitNoInput},
	{is(vocab.ErrNoVocab), ExitNoInput},
	{is(batch.ErrOutput), ExitCantCreate},
	{is(batch.ErrLocked), ExitPartial}, // temporary: try again later
	{is(vocab.ErrWrite), ExitCantCreate},
	{isA[writeError], ExitCantCreate},
	{is(syscall.ENOSPC), ExitCantCreate},
	{is(syscall.EPIPE), ExitCantCreate},
	{is(syscall.EROFS), ExitCantCreate},
	{is(document.ErrUnsupported), ExitDataErr},
	{is(document.ErrEncrypted), ExitDataErr},
	{is(document.ErrMalformed), ExitDataErr},
	{is(document.ErrLimit), ExitDataErr},
	{is(document.ErrTimeout), ExitDataErr},
	{is(document.ErrNoText), ExitDataErr},
	{is(vocab.ErrMalformed), ExitDataErr},
	{is(fs.ErrNotExist), ExitNoInput},
	{is(fs.ErrPermission), ExitNoInput},
}

func is(target error) func(error) bool { return func(err error) bool { return errors.Is(err, target) } }

func isA[T error](err error) bool {
	var t T
	return errors.As(err, &t)
}

// codeFor maps an error to its exit code: an ExitError's own code, else the
// first matching row of exitTable, else 65 (the input could not be used):
// corpora never exits 1.
func codeFor(err error) int {
	var ee *ExitError
	if err == nil {
		return ExitOK
	}
	if errors.As(err, &ee) {
		return ee.Code
	}
	for _, row := range exitTable {
		if row.is(err) {
			return row.code
		}
	}
	return ExitDataErr
}

// usageArgs wraps a command's argument check so that its complaint is a
// usage error (64) by type, not recognised by cobra's wording, and says
// what the command takes: a subcommand it has ("did you mean"), or the
// arguments of its usage line.
func usageArgs(check cobra.PositionalArgs) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		err := check(cmd, args)
		if err == nil {
			return nil
		}
		if cmd.HasSubCommands() && len(args) > 0 {
			msg := fmt.Sprintf("unknown command %q for %q", args[0], cmd.CommandPath())
			if sugg := cmd.SuggestionsFor(args[0]); len(sugg) > 0 {
				msg += fmt.Sprintf("; did you mean %q?", sugg[0])
			}
			return usageError{errors.New(msg)}
		}
		return usageError{fmt.Errorf("%w (usage: %s)", err, cmd.UseLine())}
	}
}

// flagHint adds to an unknown-flag error the nearest flag the command has.
func flagHint(cmd *cobra.Command, err error) error {
	msg := err.Error()
	name, ok := strings.CutPrefix(msg, "unknown flag: --")
	if !ok {
		return err
	}
	best, bestD := "", 3 // suggest only close matches
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if d := editDistance(name, f.Name); d < bestD {
			best, bestD = f.Name, d
		}
	})
	if best == "" {
		return err
	}
	return fmt.Errorf("%w; did you mean --%s?", err, best)
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// completeValues gives shell completion the values of the flags that take
// one of a few words.
func completeValues(root *cobra.Command) {
	values := map[string][]string{
		"classifier": {"auto", "offline", "claude", "claude-batch", "openai"},
		"ocr":        {"auto", "on", "off"},
	}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for name, vs := range values {
			if c.Flags().Lookup(name) != nil {
				vs := vs
				_ = c.RegisterFlagCompletionFunc(name, func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
					return vs, cobra.ShellCompDirectiveNoFileComp
				})
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

// typedUsage makes every argument error of cmd and its subcommands a usage
// error: commands without a check of their own take none, and a command
// that only groups others shows its help when run alone and reports an
// unknown subcommand as a usage error.
func typedUsage(cmd *cobra.Command) {
	check := cmd.Args
	if check == nil {
		if cmd.HasSubCommands() {
			check = cobra.NoArgs // "unknown command "x" for "corpora""
		} else {
			check = cobra.ArbitraryArgs
		}
	}
	if !cmd.Runnable() {
		// cobra checks arguments only of a runnable command.
		cmd.RunE = func(cmd *cobra.Command, _ []string) error { return cmd.Help() }
	}
	cmd.Args = usageArgs(check)
	for _, c := range cmd.Commands() {
		typedUsage(c)
	}
}
