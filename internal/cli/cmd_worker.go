package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/corpora-tools/corpora/internal/batch"
	"github.com/corpora-tools/corpora/internal/classify"
	"github.com/corpora-tools/corpora/internal/cluster"
	"github.com/corpora-tools/corpora/internal/document"
)

// workerOptions are the flags of `corpora worker`.
type workerOptions struct {
	NATS       string
	Workers    int
	Name       string
	Password   string
	AckWait    time.Duration
	classifier classifierFlags
}

func newWorkerCmd(s *Streams) *cobra.Command {
	opts := &workerOptions{}
	cmd := &cobra.Command{
		Use:   "worker --nats URL",
		Short: "Analyse documents for batches run with --nats on other machines",
		Long: `Worker joins a corpora cluster on the NATS JetStream server at URL (--nats or
CORPORA_NATS_URL): it pulls the documents that 'corpora batch DIR --nats URL'
publishes, parses, extracts and classifies them with -w local workers, and
stores the results for the batch, which writes the output folder.

The batch decides the pipeline (OCR mode, classifier backend and model); the
worker brings its own credentials from its environment (ANTHROPIC_API_KEY,
OPENAI_API_KEY, CORPORA_PDF_PASSWORD), never sent over the wire, and its own
classification cache (--cache, default in the user cache folder). Run the same
corpora version on every machine: a job from another version is refused.

A long document keeps its job with progress acknowledgements; a worker that
dies loses nothing (its job goes to another worker after --ack-wait). Ctrl+C
hands the unfinished documents back and exits 0. See docs/cluster.md.

Exit codes: 0 stopped; 64 usage; 69 NATS unreachable.`,
		Example: `  corpora worker --nats nats://queue.local:4222 -w 4
  CORPORA_NATS_URL=nats://127.0.0.1:4222 corpora worker`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if opts.Workers < 0 {
				return usagef("-w must be at least 1")
			}
			if natsURL(s, opts.NATS) == "" {
				return usagef("worker: no NATS server: give --nats URL or set %s", natsEnv)
			}
			return runWorker(cmd.Context(), opts, s)
		},
	}
	f := cmd.Flags()
	addNATSFlag(f, &opts.NATS, "the NATS server to take documents from")
	f.IntVarP(&opts.Workers, "workers", "w", 0, fmt.Sprintf("documents analysed at once (default %d: cores, at most 4)", batch.DefaultWorkers()))
	f.StringVar(&opts.Name, "name", "", "this worker's name in the batch's display (default host:pid)")
	f.StringVar(&opts.Password, "password", "", "password for encrypted documents (or CORPORA_PDF_PASSWORD)")
	f.DurationVar(&opts.AckWait, "ack-wait", cluster.DefaultAckWait, "a silent worker's jobs go to another after this long")
	addClassifierFlags(cmd, &opts.classifier)
	_ = f.MarkHidden("classifier") // the batch chooses
	_ = f.MarkHidden("model")
	return cmd
}

func runWorker(ctx context.Context, opts *workerOptions, s *Streams) error {
	cacheDir := ""
	if opts.classifier.CachePath == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			base = os.TempDir()
		}
		cacheDir = filepath.Join(base, "corpora", "worker")
		if err := os.MkdirAll(cacheDir, 0o755); err != nil {
			return exitf(ExitCantCreate, "worker: %v", err)
		}
	}
	var mu sync.Mutex
	var closers []func() error
	defer func() {
		mu.Lock()
		defer mu.Unlock()
		for _, c := range closers {
			if err := c(); err != nil {
				fmt.Fprintf(s.Err, "corpora: closing the classifier: %v\n", err)
			}
		}
	}()
	logf := func(format string, args ...any) {
		fmt.Fprintf(s.Err, "corpora worker: "+format+"\n", args...)
	}
	password := opts.Password
	if password == "" {
		password = s.getenv("CORPORA_PDF_PASSWORD")
	}
	url := natsURL(s, opts.NATS)
	var w *cluster.Worker
	w, err := cluster.NewWorker(ctx, url, cluster.WorkerConfig{
		Name:    opts.Name,
		Workers: opts.Workers,
		Classifier: func(ctx context.Context, backend, model string) (classify.Classifier, error) {
			f := opts.classifier
			f.Backend, f.Model = backend, model
			f.shared = w.SharedCache // one term cache for the cluster
			st, err := f.setup(ctx, s, cacheDir, true)
			if err != nil {
				return nil, err
			}
			mu.Lock()
			closers = append(closers, st.Close)
			mu.Unlock()
			st.Warn.Set(logf)
			return st.Classifier, nil
		},
		ParseOptions: document.Options{Password: password, Limits: document.DefaultLimits(), Warnf: logf},
		ToolVersion:  version(),
		AckWait:      opts.AckWait,
		Logf:         logf,
	})
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		if errors.Is(err, cluster.ErrUnavailable) {
			return exitf(ExitUnavailable, "worker: %v; is nats-server -js running there?", err)
		}
		return exitErr(ExitUnavailable, err)
	}
	defer w.Close()
	logf("%s ready on %s, %d at a time; Ctrl+C to stop", w.Name(), url, workersOrDefault(opts.Workers))
	if err := w.Run(ctx); err != nil {
		return exitf(ExitUnavailable, "worker: %v", err)
	}
	logf("stopped; unfinished documents handed back")
	return nil
}
