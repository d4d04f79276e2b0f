package cli

import (
	"context"
	"strings"

	"github.com/spf13/pflag"

	"github.com/corpora-tools/corpora/internal/batch"
	"github.com/corpora-tools/corpora/internal/cluster"
)

// natsEnv names the NATS server when --nats is not given.
const natsEnv = "CORPORA_NATS_URL"

func addNATSFlag(f *pflag.FlagSet, p *string, what string) {
	f.StringVar(p, "nats", "", what+" (or "+natsEnv+"; see docs/cluster.md)")
}

// natsURL is --nats, else CORPORA_NATS_URL, trimmed.
func natsURL(s *Streams, flag string) string {
	if u := strings.TrimSpace(flag); u != "" {
		return u
	}
	return strings.TrimSpace(s.getenv(natsEnv))
}

// setupRemote makes a batch with --nats a cluster coordinator: cfg.Remote
// hands the documents to the workers. Without a NATS URL, and for a dry
// run, it does nothing.
func setupRemote(ctx context.Context, opts *batchOptions, s *Streams, cfg *batch.Config) (closeFn func(), err error) {
	url := natsURL(s, opts.NATS)
	if url == "" || opts.DryRun {
		return func() {}, nil
	}
	tmpl := cluster.NewTemplate(cfg.ToolVersion, cfg.ParseOptions, cfg.ExtractOptions, cfg.Classifier, cfg.Blocklist.Hash())
	coord, err := cluster.NewCoordinator(ctx, url, cluster.CoordinatorConfig{OutputDir: cfg.OutputDir, Template: tmpl, Force: cfg.Force, Logf: cfg.Logf})
	if err != nil {
		if ctx.Err() != nil {
			return nil, exitErr(ExitInterrupted, ctx.Err())
		}
		return nil, exitf(ExitUnavailable, "batch: %v; is nats-server -js running there?", err)
	}
	cfg.Remote = coord
	return coord.Close, nil
}

// stageLabel is what the live display shows for a stage: with --nats, the
// worker that has the document.
func stageLabel(e batch.Event) string {
	if e.Worker == "" {
		return string(e.Stage)
	}
	if e.Stage == batch.StageQueued {
		return "taken by " + e.Worker
	}
	return string(e.Stage) + " on " + e.Worker
}

// jsonAssigned is the --json event of a cluster worker taking a document.
type jsonAssigned struct {
	eventHeader
	Document string `json:"document"`
	Worker   string `json:"worker"`
	Attempt  int    `json:"attempt"`
}

// assigned emits the JSON event of a worker taking a document (--nats).
func (r *batchReporter) assigned(e batch.Event) {
	if r.events == nil || e.Worker == "" || e.Stage != batch.StageQueued {
		return
	}
	r.events.emit(jsonAssigned{eventHeader: header("assigned", e.Time), Document: e.Document, Worker: e.Worker, Attempt: e.Attempt})
}
