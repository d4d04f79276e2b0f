package cli

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// cliRun is what one run of corpora did: its exit code and what it wrote
// on stdout and stderr.
type cliRun struct {
	code     int
	out, err string
}

// cliCall says how to run corpora in a test.
type cliCall struct {
	ctx context.Context   // default context.Background()
	env map[string]string // the whole environment the command sees
	dir string            // the working directory, when set
	// batch, when set, replaces runBatch (to give it a classifier).
	batch func(context.Context, *batchOptions, *Streams) error
}

// runCLI runs `corpora args...` the way main does (Run: the root command,
// its error printing and exit codes) with fake streams and environment:
// the one harness of the CLI tests.
func runCLI(t *testing.T, c cliCall, args ...string) cliRun {
	t.Helper()
	var out, errb bytes.Buffer
	s := &Streams{In: strings.NewReader(""), Out: &out, Err: &errb, Getenv: func(k string) string { return c.env[k] }}
	if c.dir != "" {
		t.Chdir(c.dir)
	}
	ctx := c.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	var code int
	if c.batch == nil {
		code = Run(ctx, args, s)
	} else {
		root := newRootCmd(s)
		for _, cmd := range root.Commands() {
			if cmd.Name() == "batch" {
				root.RemoveCommand(cmd)
			}
		}
		batch := newBatchCmdWith(s, c.batch)
		typedUsage(batch)
		root.AddCommand(batch)
		code = execute(ctx, root, args, s)
	}
	return cliRun{code, out.String(), errb.String()}
}

// parseFlags runs cmd, built with a runF that records its options, on args
// and checks its error: none when wantErr is "", else one containing
// wantErr. It reports whether runF was reached (no error).
func parseFlags(t *testing.T, cmd *cobra.Command, args []string, wantErr string) bool {
	t.Helper()
	cmd.SetArgs(args)
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	err := cmd.Execute()
	if wantErr != "" {
		if err == nil || !strings.Contains(err.Error(), wantErr) {
			t.Fatalf("err = %v, want %q", err, wantErr)
		}
		return false
	}
	if err != nil {
		t.Fatal(err)
	}
	return true
}
