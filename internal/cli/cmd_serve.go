package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/corpora-tools/corpora/internal/ipreview"
	"github.com/corpora-tools/corpora/internal/serve"
)

// DefaultServeAddr is where `corpora serve` listens unless --addr says
// otherwise: loopback only.
const DefaultServeAddr = "127.0.0.1:8417"

// serveOptions are the flags of `corpora serve`.
type serveOptions struct {
	Dir      string
	Addr     string
	Open     bool
	ReadOnly bool
	now      func() time.Time
	// openURL opens the browser (tests replace it).
	openURL func(url string) error
}

func newServeCmd(s *Streams) *cobra.Command { return newServeCmdWith(s, nil) }

// newServeCmdWith builds the command; runF, when set, replaces runServe.
func newServeCmdWith(s *Streams, runF func(context.Context, *serveOptions, *Streams) error) *cobra.Command {
	opts := &serveOptions{now: time.Now, openURL: openBrowser}
	cmd := &cobra.Command{
		Use:   "serve [DIR]",
		Short: "Browse the vocabulary and review flagged terms in the browser",
		Long: `Serve starts a local web app over an output folder (a batch's -o; default
CORPORA_OUTPUT or the current folder): an overview with charts, the
vocabulary with search and facets, a page per term, the IP review queue one
card at a time (k keep, r remove, n rename, u undo), downloads as JSON,
JSON Lines and CSV, and a JSON API (/api/summary, /api/terms,
/api/terms/{id}, POST /api/decisions, POST /api/apply).

Decisions go to review-decisions.json exactly as 'corpora review decide'
records them, and "apply" does what 'corpora review apply' does. New batch
output shows up on the next page load, without a restart. It listens on
loopback only unless --addr says otherwise; Ctrl+C stops it.`,
		Example: `  corpora serve BOOKS/output
  corpora serve out --addr 127.0.0.1:0 --open
  corpora serve out --read-only`,
		Args: usageArgs(cobra.MaximumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Dir = args[0]
			}
			if runF != nil {
				return runF(cmd.Context(), opts, s)
			}
			return runServe(cmd.Context(), opts, s)
		},
	}
	opts.Dir = defaultReviewDir(s)
	cmd.Flags().StringVar(&opts.Addr, "addr", DefaultServeAddr, "HOST:PORT to listen on (port 0 picks a free one)")
	cmd.Flags().BoolVar(&opts.Open, "open", false, "open the browser at the server's address")
	cmd.Flags().BoolVar(&opts.ReadOnly, "read-only", false, "refuse every change: no decisions, no apply")
	return cmd
}

func runServe(ctx context.Context, opts *serveOptions, s *Streams) error {
	info, err := os.Stat(opts.Dir)
	switch {
	case err != nil:
		return exitf(ExitNoInput, "%s: no such folder: point serve at a batch's output folder (corpora serve BOOKS/output)", opts.Dir)
	case !info.IsDir():
		return exitf(ExitNoInput, "%s is not a folder: point serve at a batch's output folder", opts.Dir)
	}
	srv, err := serve.New(serve.Options{
		Dir:      opts.Dir,
		ReadOnly: opts.ReadOnly,
		Review:   reviewBridge{getenv: s.Getenv, now: opts.now},
		Log:      s.Err,
		Now:      opts.now,
	})
	if err != nil {
		return exitErr(ExitDataErr, err)
	}
	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		return exitf(ExitUnavailable, "cannot listen on %s: %v: choose another with --addr HOST:PORT (port 0 picks a free one)", opts.Addr, unwrapOp(err))
	}
	addr := ln.Addr().(*net.TCPAddr)
	host := addr.IP.String()
	if h, _, err := net.SplitHostPort(opts.Addr); err == nil && addr.IP.IsUnspecified() {
		host = h // all interfaces: say it as the user did (0.0.0.0, not [::])
		if host == "" {
			host = "0.0.0.0"
		}
	}
	hostport := net.JoinHostPort(host, fmt.Sprint(addr.Port))
	url := "http://" + hostport + "/"
	if !addr.IP.IsLoopback() {
		what := "read and change the review decisions"
		if opts.ReadOnly {
			what = "read the vocabulary"
		}
		fmt.Fprintf(s.Err, "corpora: WARNING: listening on %s, not loopback: anyone who can reach this machine can %s\n", hostport, what)
	}
	fmt.Fprintf(s.Err, "corpora: serving %s at %s\n", opts.Dir, url)
	if opts.Open {
		if err := opts.openURL(url); err != nil {
			fmt.Fprintf(s.Err, "corpora: cannot open the browser (%v): open %s yourself\n", err, url)
		}
	}
	if err := srv.Serve(ctx, ln); err != nil {
		return exitErr(ExitUnavailable, err)
	}
	return nil
}

// unwrapOp drops the "listen tcp ADDR:" prefix net errors repeat.
func unwrapOp(err error) error {
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		return op.Err
	}
	return err
}

// openBrowser opens url in the user's browser without waiting for it.
func openBrowser(url string) error {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", url)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
	default:
		cmd = exec.Command("xdg-open", url)
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	go func() { _ = cmd.Wait() }()
	return nil
}

// reviewBridge gives the server the review commands' own code: a decision
// from the browser is recorded by runReviewDecide and "apply" is
// runReviewApply, so the browser and 'corpora review' cannot disagree.
type reviewBridge struct {
	getenv func(string) string
	now    func() time.Time
}

func (b reviewBridge) streams(errw io.Writer) *Streams {
	return &Streams{In: strings.NewReader(""), Out: io.Discard, Err: errw, Getenv: b.getenv}
}

func (b reviewBridge) Decide(ctx context.Context, dir, term string, d serve.Decision) error {
	a, err := ipreview.ParseAction(d.Decision)
	if err != nil {
		return fmt.Errorf("%w: %v", serve.ErrRefused, err)
	}
	opts := &reviewOptions{Dir: dir, Term: term, Action: a, NewText: d.NewText, Note: d.Note, now: b.now}
	return bridgeErr(runReviewDecide(ctx, opts, b.streams(io.Discard)))
}

func (b reviewBridge) Apply(ctx context.Context, dir string) (string, error) {
	var msg bytes.Buffer
	err := runReviewApply(ctx, &reviewOptions{Dir: dir, now: b.now}, b.streams(&msg))
	if err != nil {
		return "", bridgeErr(err)
	}
	lines := strings.Split(strings.TrimSpace(msg.String()), "\n")
	return strings.TrimPrefix(lines[len(lines)-1], "corpora: "), nil
}

// bridgeErr marks the review commands' complaints about the request
// (an unknown term, no queue) so the server answers 422 with them.
func bridgeErr(err error) error {
	if err == nil {
		return nil
	}
	switch codeFor(err) {
	case ExitDataErr, ExitNoInput, ExitUsage:
		return fmt.Errorf("%w: %v", serve.ErrRefused, err)
	}
	return err
}
