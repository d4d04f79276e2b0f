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
	queue := make(chan Job)
	var wg sync.WaitGroup
	for range min(p.cfg.Workers, len(jobs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range queue {
				doc, err := safely(func() (*document.Output, error) { return parser.File(ctx, j.Doc.Path, p.cfg.ParseOptions) })
				if err != nil {
					if ctx.Err() == nil {
						p.cfg.Logf("%s: %v (left out of the estimate)", j.Doc.Rel, err)
					}
					continue
				}
				cands, err := safely(func() ([]extract.Candidate, error) { return p.stages.extract(ctx, doc, p.cfg.ExtractOptions) })
				if err != nil {
					if ctx.Err() == nil {
						p.cfg.Logf("%s: %v (left out of the estimate)", j.Doc.Rel, err)
					}
					continue
				}
				mu.Lock()
				for _, c := range cands {
					k := key{c.Lemma, c.POS}
					if !seen[k] {
						seen[k] = true
						c.Block = "" // not needed for a forecast; keeps memory down
						unique = append(unique, c)
					}
				}
				mu.Unlock()
			}
		}()
	}
dispatch:
	for _, j := range jobs {
		select {
		case <-ctx.Done():
			break dispatch
		case queue <- j:
		}
	}
	close(queue)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return classify.Estimate{}, err
	}
	return est.Estimate(unique), nil
}
