package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"syscall"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/corpora-tools/corpora/internal/document"
)

// Version is set at build time with -ldflags "-X .../internal/cli.Version=v1.2.3".
var Version = ""

// version returns the tool version: the linker value, the module version, or "dev".
// buildLine says what the binary was built from: commit (when the build
// recorded it), Go version and platform.
func buildLine() string {
	commit := "commit unknown"
	if bi, ok := debug.ReadBuildInfo(); ok {
		rev, dirty := "", false
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
		if rev != "" {
			commit = "commit " + rev[:min(12, len(rev))]
			if dirty {
				commit += "+dirty"
			}
		}
	}
	return commit + ", " + runtime.Version() + ", " + runtime.GOOS + "/" + runtime.GOARCH
}

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
	return s.live() && s.getenv("NO_COLOR") == ""
}

// live reports whether stderr can show a live (redrawn) display: a
// terminal that is not TERM=dumb.
func (s *Streams) live() bool {
	return s.ErrIsTTY && s.getenv("TERM") != "dumb"
}

// getenv is s.Getenv, or "" when tests left it unset.
func (s *Streams) getenv(key string) string {
	if s.Getenv == nil {
		return ""
	}
	return s.Getenv(key)
}

// ocrMode validates an --ocr value, case-insensitively.
func ocrMode(v string) (document.OCRMode, error) {
	mode := document.OCRMode(strings.ToLower(strings.TrimSpace(v)))
	switch mode {
	case document.OCRAuto, document.OCROn, document.OCROff:
		return mode, nil
	}
	return "", usagef("--ocr must be auto, on or off, not %q", v)
}

// checkWritable fails with exit 73 when the folder of the output file path
// cannot take a new file, so that nothing is classified (and paid for) in
// vain. "" and "-" are stdout.
func checkWritable(path string) error {
	if path == "" || path == "-" {
		return nil
	}
	// The folder may not exist yet (the write creates it): try the
	// nearest existing ancestor.
	dir := filepath.Dir(path)
	for {
		info, err := os.Stat(dir)
		if err == nil {
			if !info.IsDir() {
				return exitf(ExitCantCreate, "%s: %s is not a folder", path, dir)
			}
			break
		}
		parent := filepath.Dir(dir)
		if !errors.Is(err, os.ErrNotExist) || parent == dir {
			return exitErr(ExitCantCreate, fmt.Errorf("%s: output folder: %w", path, err))
		}
		dir = parent
	}
	f, err := os.CreateTemp(dir, ".corpora-write-test-*")
	if err != nil {
		return exitErr(ExitCantCreate, fmt.Errorf("%s: cannot write the output folder: %w", path, err))
	}
	name := f.Name()
	f.Close()
	_ = os.Remove(name)
	return nil
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
	return execute(ctx, newRootCmd(s), args, s)
}

// bareOCR reads 1.0's bare --ocr (a switch: "corpora parse scan.pdf --ocr
// -y", "corpora parse --ocr scan.pdf") as --ocr=on: --ocr last, before
// another flag, or before a file that exists and is no --ocr value.
// "--ocr off" and a mistyped "--ocr sometimes" stay as they are (the
// second is refused). Arguments after "--" are left alone.
func bareOCR(args []string) []string {
	var out []string
	for i, a := range args {
		if a == "--" {
			return append(out, args[i:]...)
		}
		if a == "--ocr" {
			if i+1 == len(args) || strings.HasPrefix(args[i+1], "-") && args[i+1] != "-" || !isOCRValue(args[i+1]) && exists(args[i+1]) {
				a = "--ocr=on"
			}
		}
		out = append(out, a)
	}
	return out
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func isOCRValue(v string) bool {
	_, err := ocrMode(v)
	return err == nil
}

// execute runs root with args and prints its error, as the user sees it;
// tests that swap a command's dependencies call it with their own root.
func execute(ctx context.Context, root *cobra.Command, args []string, s *Streams) int {
	root.SetArgs(bareOCR(args))
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	code := codeFor(err)
	if msg := err.Error(); msg != "" && !(errors.As(err, new(*ExitError)) && errors.Unwrap(err) == nil) {
		prefix := "corpora:"
		if s.colour() {
			prefix = "\x1b[1;31mcorpora:\x1b[0m" // bold red, only on a terminal and never with NO_COLOR
		}
		fmt.Fprintf(s.Err, "%s %s\n", prefix, msg)
		if code == ExitUsage {
			path := "corpora"
			if c, _, err := root.Find(args); err == nil && c != nil {
				path = c.CommandPath()
			}
			fmt.Fprintf(s.Err, "Run '%s --help' for usage.\n", path)
		}
	}
	return code
}

func newRootCmd(s *Streams) *cobra.Command {
	root := &cobra.Command{
		Use:   "corpora",
		Short: "Turn RPG sourcebooks into a classified fantasy vocabulary",
		Long: `corpora turns a folder of RPG sourcebooks (PDF, EPUB, DOCX, text, Markdown,
HTML) into a classified, de-duplicated fantasy vocabulary in JSON, with
IP-encumbered names flagged for human review.

The whole pipeline:   corpora batch BOOKS_DIR
One stage at a time:  parse -> extract -> output -> consolidate -> review
What the files mean:  docs/ in the repository (docs/files.md)

Environment:
  ANTHROPIC_API_KEY      key for --classifier claude and claude-batch (auto picks
                         claude when it is set, offline otherwise)
  ANTHROPIC_BASE_URL     another endpoint for the Anthropic API
  OPENAI_BASE_URL        --classifier openai: an OpenAI-compatible server (Ollama,
                         vLLM, llama.cpp server, OpenAI)
  OPENAI_API_KEY         its key, if it needs one
  CORPORA_OUTPUT         the output folder review works on when none is given
  CORPORA_PDF_PASSWORD   password for encrypted PDFs and DOCX files (--password)
  CORPORA_PRICES         model prices, inline JSON or a file, over the built-in
                         table (dollars per million tokens)
  CORPORA_PDF_ENGINE     pdfium: read every PDF page with PDFium, no fast path
  CORPORA_PDF_DEBUG      1: print why a PDF page goes to PDFium
  NO_COLOR               no colour on a terminal
  XDG_CACHE_HOME         on Linux, where the compiled PDF engine is kept`,
		Version:       version(),
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	// Help, --version and completion scripts are what the user asked for:
	// stdout, so 'corpora completion bash > file' and '--help | less'
	// work. Errors and usage hints stay on stderr.
	root.SetOut(s.Out)
	root.SetErr(s.Err)
	root.SetVersionTemplate("corpora {{.Version}} (" + buildLine() + ")\n")
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error { return usageError{flagHint(cmd, err)} })
	root.AddCommand(
		newParseCmd(s),
		newExtractCmd(s),
		newOutputCmd(s),
		newConsolidateCmd(s),
		newReviewCmd(s),
		newBatchCmd(s),
		newWorkerCmd(s),
		newServeCmd(s),
	)
	// -V is the 1.0 tool's short form of --version (cobra gives -v, which
	// the 1.0 subcommands use for --verbose).
	root.Flags().BoolP("version", "V", false, "print the version")
	typedUsage(root)
	completeValues(root)
	return root
}
