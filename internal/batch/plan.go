package batch

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/corpora-tools/corpora/internal/classify"
	"github.com/corpora-tools/corpora/internal/document"
)

// Job is one document a run sends through the pipeline.
type Job struct {
	Doc Document
	// Source is the content's hash, size and modification time; Hash is ""
	// when the plan did not hash the document (--force, or it could not be
	// read), and the pipeline hashes it first.
	Source Source
	// Reflag: only the blocklist changed since the document was done, so
	// the vocab file's terms are flagged again instead of reclassified.
	Reflag bool
}

// Plan is what a run will do: the documents found, which of them need work
// and which are already done, and for a dry run the cost estimate. Make one
// with Processor.Plan and hand it to Processor.Run.
type Plan struct {
	// Documents are every supported document found, sorted by Rel.
	Documents []Document
	// Jobs are the documents that need work.
	Jobs []Job
	// Skipped are the documents already done under the same fingerprint.
	Skipped []DocumentResult
	// Fingerprint is the run's pipeline fingerprint.
	Fingerprint Fingerprint
	// Estimate is the classifier's cost estimate (dry runs only, and only
	// when the classifier offers one).
	Estimate *classify.Estimate

	manifest *Manifest
}

// Plan finds the documents (docs, when not nil, are the result of an earlier
// Discover of the same folder, which is then not walked again), reads the
// manifest and decides what to do with each document, hashing those whose
// size or modification time changed. It emits EventStart. For a dry run it
// also parses and extracts the pending documents for the cost estimate.
// The error wraps ErrNoDocuments when the folder holds no document.
func (p *Processor) Plan(ctx context.Context, docs []Document) (*Plan, error) {
	if docs == nil {
		var err error
		docs, err = Discover(ctx, p.cfg.InputDir, p.out, p.cfg.Logf)
		if err != nil {
			return nil, err
		}
	}
	if len(docs) == 0 {
		return nil, fmt.Errorf("%w in %s", ErrNoDocuments, p.cfg.InputDir)
	}
	plan := &Plan{Documents: docs, Fingerprint: p.fingerprint}
	m, err := OpenManifest(filepath.Join(p.out, ManifestName))
	if err != nil {
		if !p.cfg.Force || p.cfg.DryRun {
			return nil, err
		}
		p.cfg.Logf("%v; starting a new one", err)
		m = &Manifest{path: filepath.Join(p.out, ManifestName), file: manifestFile{SchemaVersion: document.SchemaVersion, Documents: map[string]ManifestEntry{}}, dirty: true}
	}
	plan.manifest = m

	// Hashing, when needed, happens here, once.
	for _, d := range docs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if p.cfg.Force {
			plan.Jobs = append(plan.Jobs, Job{Doc: d}) // hashed by the pipeline
			continue
		}
		decision, src, err := m.Decide(d.Rel, d.Path, p.vocabPath(d), p.fingerprint.String())
		if err != nil {
			// An unreadable document is handed to the pipeline, which
			// reports the error as the document's failure.
			plan.Jobs = append(plan.Jobs, Job{Doc: d})
			continue
		}
		if decision != Skip {
			plan.Jobs = append(plan.Jobs, Job{Doc: d, Source: src, Reflag: decision == Reflag})
			continue
		}
		e, _ := m.Entry(d.Rel)
		plan.Skipped = append(plan.Skipped, DocumentResult{Path: d.Rel, Status: StatusSkipped, TermsClassified: e.TermCount, TermsFlagged: e.FlaggedCount, VocabPath: e.VocabPath})
	}
	p.emit(Event{Kind: EventStart, Total: len(docs), Pending: len(plan.Jobs)})

	if p.cfg.DryRun {
		if est, ok := p.cfg.Classifier.(classify.Estimator); ok && len(plan.Jobs) > 0 {
			e, err := p.estimate(ctx, est, plan.Jobs)
			if err != nil {
				return nil, err
			}
			plan.Estimate = &e
		}
	}
	return plan, nil
}
