package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"

	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// Version is set at build time with -ldflags "-X .../internal/cli.Version=v1.2.3".
var Version = ""

// version returns the tool version: the linker value, the module version, or "dev".
func version() string {
	if Version != "" {
		return Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// Streams are the command's standard streams. Machine output goes to Out,
// byte-exact; human output goes to Err.
type Streams struct {
	In  io.Reader
	Out io.Writer
	Err io.Writer
	// ErrIsTTY says whether Err is a terminal (live progress, colour).
	ErrIsTTY bool
	// Getenv reads the environment; tests replace it.
	Getenv func(string) string
}

// StdStreams returns the process's streams.
func StdStreams() *Streams {
	return &Streams{
		In:       os.Stdin,
		Out:      os.Stdout,
		Err:      os.Stderr,
		ErrIsTTY: term.IsTerminal(int(os.Stderr.Fd())),
		Getenv:   os.Getenv,
	}
}

// colour reports whether human output may be coloured.
func (s *Streams) colour() bool {
	return s.ErrIsTTY && s.Getenv("NO_COLOR") == "" && s.Getenv("TERM") != "dumb"
}

// Main runs corpora with args and returns the exit code. The first SIGINT or
// SIGTERM cancels the command's context; a second one exits at once.
func Main(args []string, s *Streams) int {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sig := make(chan os.Signal, 2)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sig)
	go func() {
		n := 0
		for range sig {
			n++
			if n == 1 {
				fmt.Fprintln(s.Err, "corpora: interrupted, finishing up (press Ctrl+C again to exit now)")
				cancel()
				continue
			}
			fmt.Fprintln(s.Err, "corpora: interrupted twice, exiting now")
			os.Exit(ExitInterrupted)
		}
	}()
	return Run(ctx, args, s)
}

// Run executes the command line with ctx and returns the exit code. Tests call
// it directly with fake streams.
func Run(ctx context.Context, args []string, s *Streams) int {
	if s.Getenv == nil {
		s.Getenv = os.Getenv
	}
	root := newRootCmd(s)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	code := codeFor(err)
	if code == 1 && isCobraUsage(err) {
		code = ExitUsage
	}
	if msg := err.Error(); msg != "" && !(errors.As(err, new(*ExitError)) && errors.Unwrap(err) == nil) {
		prefix := "corpora:"
		if s.colour() {
			prefix = "\x1b[1;31mcorpora:\x1b[0m" // bold red, only on a terminal and never with NO_COLOR
		}
		fmt.Fprintf(s.Err, "%s %s\n", prefix, msg)
		if code == ExitUsage {
			fmt.Fprintln(s.Err, "Run 'corpora --help' for usage.")
		}
	}
	return code
}

// isCobraUsage recognises cobra's own argument and flag errors, which it
// returns as plain errors.
func isCobraUsage(err error) bool {
	msg := err.Error()
	for _, p := range []string{"unknown command", "unknown flag", "unknown shorthand flag", "flag needs an argument", "invalid argument", "accepts ", "requires at least", "requires exactly", "requires at most", "received "} {
		if strings.Contains(msg, p) {
			return true
		}
	}
	return false
}

func newRootCmd(s *Streams) *cobra.Command {
	root := &cobra.Command{
		Use:   "corpora",
		Short: "Turn RPG sourcebooks into a classified fantasy vocabulary",
		Long: `corpora turns a folder of RPG sourcebooks (PDF, EPUB, DOCX, text, Markdown,
HTML) into a classified, de-duplicated fantasy vocabulary in JSON, with
IP-encumbered names flagged for human review.

The whole pipeline:   corpora batch BOOKS_DIR
One stage at a time:  parse -> extract -> output -> consolidate -> review`,
		Version:       version(),
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(s.Err) // help and version are human output
	root.SetErr(s.Err)
	root.SetVersionTemplate("corpora {{.Version}}\n")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	root.AddCommand(
		newParseCmd(s),
		newExtractCmd(s),
		newOutputCmd(s),
		newConsolidateCmd(s),
		newReviewCmd(s),
		newBatchCmd(s),
	)
	return root
}
