package batch

import (
	"context"
	"sync"

	"github.com/corpora-tools/corpora/internal/classify"
	"github.com/corpora-tools/corpora/internal/document"
	"github.com/corpora-tools/corpora/internal/extract"
)

// estimate parses and extracts each pending document (CPU only, nothing is
// written, nothing is sent) and asks the classifier what classifying their
// candidates would cost. A term found in several documents is counted once,
// as the classification cache will send it once.
func (p *Processor) estimate(ctx context.Context, est classify.Estimator, jobs []Job) (classify.Estimate, error) {
	parser := p.parser
	if parser == nil {
		pp, err := newParser(min(p.cfg.Workers, cap(p.cpu)))
		if err != nil {
			return classify.Estimate{}, err
		}
		defer pp.Close()
		parser = pp
	}
	type key struct {
		lemma string
		pos   extract.POS
	}
	var (
		mu     sync.Mutex
		unique []extract.Candidate
		seen   = map[key]bool{}
	)
	p.each(ctx, jobs, func(j Job) {
		doc, err := contained(ctx, func() (*document.Output, error) { return parser.File(ctx, j.Doc.Path, p.cfg.ParseOptions) })
		if err != nil {
			if ctx.Err() == nil {
				p.cfg.Logf("%s: %v (left out of the estimate)", j.Doc.Rel, err)
			}
			return
		}
		cands, err := contained(ctx, func() ([]extract.Candidate, error) { return p.stages.extract(ctx, doc, p.cfg.ExtractOptions) })
		if err != nil {
			if ctx.Err() == nil {
				p.cfg.Logf("%s: %v (left out of the estimate)", j.Doc.Rel, err)
			}
			return
		}
		mu.Lock()
		defer mu.Unlock()
		for _, c := range cands {
			k := key{c.Lemma, c.POS}
			if !seen[k] {
				seen[k] = true
				c.Block = "" // not needed for a forecast; keeps memory down
				unique = append(unique, c)
			}
		}
	})
	if err := ctx.Err(); err != nil {
		return classify.Estimate{}, err
	}
	return est.Estimate(unique), nil
}
