package classify

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/corpora-tools/corpora/internal/extract"
	"github.com/corpora-tools/corpora/internal/fault"
)

// Progressive is implemented by classifiers that hand back terms as soon as
// they are validated, so a caller (the Cached wrapper) can store each
// response's terms at once and an interrupted run loses nothing it paid for.
// each receives positions into req.Terms and their finished terms; it is
// called from one goroutine at a time.
type Progressive interface {
	ClassifyEach(ctx context.Context, req Request, each func(idx []int, terms []Term)) (Result, error)
}

// Answer is a backend's reply to one request of items.
type Answer struct {
	// Results are the raw result items, in any order; ParseResults gives them.
	Results []json.RawMessage
	// Truncated is set when the answer was cut by the output limit
	// (stop_reason max_tokens, finish_reason length).
	Truncated bool
	// Refused is set when the model declined the request (stop_reason
	// refusal): it is split in halves rather than asked again whole, and a
	// term refused alone goes to Settle at once instead of being re-asked.
	Refused bool
	// Usage is this one request's tokens and dollars (Requests = 1).
	Usage Usage
}

// Sender sends one request of items to a model: one HTTP call, no retries
// (the Engine retries). Errors are marked by behaviour (package fault):
// fault.Retryable ones are sent again with backoff; anything else ends the
// request (ErrUnavailable and ErrBudget are fatal to the whole run).
type Sender interface {
	Send(ctx context.Context, items []WireItem) (Answer, error)
}

// Engine is the request logic shared by the LLM backends: it packs terms
// into requests of BatchSize, runs them on the shared Limiter with retries,
// validates every result item through Finalize, and re-asks only the keys
// that came back missing, truncated or schema-breaking, in smaller requests
// after a truncation.
type Engine struct {
	Sender  Sender
	Label   string   // Term.Classifier: "claude/claude-haiku-4-5"
	Limiter *Limiter // shared by every worker; required
	Backoff Backoff
	Budget  *Budget // nil: no limit
	// BatchSize is the number of terms per request (default 50).
	BatchSize int
	// MaxAsks is how many times one term may be asked before giving up (default 6).
	MaxAsks int
	// Workers bounds the requests one Classify call keeps in flight; the
	// Limiter bounds them across calls. Default: 4.
	Workers int
	// RequestCost estimates a request's dollars before it is sent, for the Budget.
	RequestCost func(items []WireItem) float64
	// WarmFirst sends one request alone before fanning out, so the prompt
	// cache is written once instead of by every worker at the same time.
	WarmFirst bool
	// WarmFor is the prompt cache's lifetime: after a pause longer than
	// this since the last answer, the next request again goes alone to
	// write the cache before the workers fan out. 0: warm once.
	WarmFor time.Duration
	// Fallback answers the terms that never came back valid after MaxAsks
	// (see Settle). nil: such terms fail the request.
	Fallback Classifier
	// Warnf, when set, hears about answers that were repaired by dropping
	// an unreadable optional field, one line per term.
	Warnf func(format string, args ...any)

	warm   atomic.Bool  // a request has succeeded: fan out freely
	lastOK atomic.Int64 // unix nanoseconds of the last answer
	warmMu sync.Mutex   // while not warm, requests go one at a time
}

// isWarm reports whether the prompt cache is (still) written.
func (e *Engine) isWarm() bool {
	if !e.warm.Load() {
		return false
	}
	return e.WarmFor <= 0 || time.Since(time.Unix(0, e.lastOK.Load())) < e.WarmFor
}

func (e *Engine) batchSize() int {
	if e.BatchSize > 0 {
		return e.BatchSize
	}
	return 50
}

// Classify classifies req.Terms; see Progressive.
func (e *Engine) Classify(ctx context.Context, req Request) (Result, error) {
	return e.ClassifyEach(ctx, req, nil)
}

type job struct {
	idx  []int // positions in req.Terms
	size int   // requested chunk size for re-asks
}

// ClassifyEach implements Progressive.
func (e *Engine) ClassifyEach(ctx context.Context, req Request, each func(idx []int, terms []Term)) (Result, error) {
	n := len(req.Terms)
	res := Result{Terms: make([]Term, n)}
	if n == 0 {
		return res, nil
	}
	// stop ends the run without cancelling requests in flight: they are
	// paid for, so their answers are still taken (and stored by each).
	var stop atomic.Bool

	tally := NewTally(req, e.Label, e.Warnf, &res)
	var (
		mu       sync.Mutex
		done     = tally.Done
		asks     = make([]int, n)
		lastErr  = tally.LastErr
		pending  sync.WaitGroup
		firstErr error
		gaveUp   []int
	)
	jobs := make(chan job, n+1)
	push := func(idx []int, size int) {
		bs := size
		for len(idx) > 0 {
			k := min(bs, len(idx))
			pending.Add(1)
			jobs <- job{idx: idx[:k:k], size: size}
			idx = idx[k:]
		}
	}
	all := make([]int, n)
	for i := range all {
		all[i] = i
	}
	push(all, e.batchSize())
	go func() { pending.Wait(); close(jobs) }()

	run := func(j job) {
		defer pending.Done()
		items := make([]WireItem, len(j.idx))
		for k, i := range j.idx {
			items[k] = NewItem(ItemKey(k), req.Terms[i])
		}
		ans, err := e.send(ctx, items)
		mu.Lock()
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			mu.Unlock()
			stop.Store(true)
			return
		}
		if ans.Usage.TermsSent == 0 {
			ans.Usage.TermsSent = len(items)
		}
		res.Usage.Add(ans.Usage)
		okIdx, okTerms := tally.Take(j.idx, ans.Results, &res.Usage)
		var again []int
		for _, i := range j.idx {
			if done[i] {
				continue
			}
			asks[i]++
			if lastErr[i] == nil {
				lastErr[i] = fmt.Errorf("%w: no result (truncated: %v)", ErrInvalid, ans.Truncated)
				if ans.Refused {
					lastErr[i] = fmt.Errorf("%w: the model refused (stop_reason refusal)", ErrInvalid)
				}
			}
			if asks[i] >= e.maxAsks() || ans.Refused && len(j.idx) == 1 {
				gaveUp = append(gaveUp, i) // Settle decides: fallback, or fail the request
				continue
			}
			again = append(again, i)
		}
		if each != nil && len(okIdx) > 0 {
			each(okIdx, okTerms)
		}
		mu.Unlock()
		if len(again) > 0 && ctx.Err() == nil && !stop.Load() {
			size := j.size
			if ans.Truncated || ans.Refused {
				size = max(1, min(size, len(j.idx))/2)
			}
			push(again, size)
		}
	}

	// A pool of its own rather than errgroup.SetLimit (which the batch
	// uses): run re-queues the keys to ask again from inside a worker, and
	// a g.Go there would wait for a free slot while holding one, so workers
	// that all re-queue at once would wait for each other for ever. The
	// buffered jobs channel (n+1: every term is queued at most once at a
	// time) never blocks push.
	workers := e.Workers
	if workers <= 0 {
		workers = 4
	}
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				if ctx.Err() != nil || stop.Load() {
					pending.Done()
					continue
				}
				if e.WarmFirst && !e.isWarm() {
					e.warmMu.Lock()
					if e.isWarm() { // another worker warmed it meanwhile
						e.warmMu.Unlock()
						run(j)
						continue
					}
					run(j)
					e.warmMu.Unlock()
					continue
				}
				run(j)
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return res, firstErr
	}
	if err := ctx.Err(); err != nil {
		return res, err
	}
	slices.Sort(gaveUp)
	if err := Settle(ctx, e.Fallback, e.Label, req, &res, gaveUp, lastErr); err != nil {
		return res, err
	}
	for i, t := range res.Terms {
		if t.ID == "" {
			return res, fmt.Errorf("%s: term %q not classified", e.Label, req.Terms[i].Text)
		}
	}
	return res, nil
}

// MaxUnclassifiedShare is the share of a request's terms that may come back
// invalid after every re-ask and still be answered by the fallback: above
// it, something is wrong with the model or the prompt, not with a few odd
// answers, and the request fails.
const MaxUnclassifiedShare = 0.05

// FallbackMark starts the classifier field of a term the fallback answered:
// "fallback:offline/wordnet-3.0+srd-5.1 for claude/claude-haiku-5-5".
const FallbackMark = "fallback:"

// Settle deals with the terms at idx of req, which never came back valid
// from the model labelled label (lastErr[i] says why): when they are at most
// MaxUnclassifiedShare of the request (at least one term is always
// allowed) and fb is set, fb answers them, each marked with FallbackMark in
// its classifier field and counted in res.Usage.Fallbacks; those terms are
// not handed to a Progressive's each, so they never reach the cache and a
// later run asks the model again. Otherwise the request fails with a no-retry
// error that names the share and a few of the terms.
func Settle(ctx context.Context, fb Classifier, label string, req Request, res *Result, idx []int, lastErr []error) error {
	if len(idx) == 0 {
		return nil
	}
	n := max(len(req.Terms), req.Of)
	allowed := max(1, int(MaxUnclassifiedShare*float64(n)))
	if fb == nil || len(idx) > allowed {
		var names []string
		for _, i := range idx[:min(len(idx), 5)] {
			names = append(names, fmt.Sprintf("%q: %v", req.Terms[i].Text, lastErr[i]))
		}
		more := ""
		if len(idx) > 5 {
			more = fmt.Sprintf("; and %d more", len(idx)-5)
		}
		return fault.MarkNoRetry(fmt.Errorf("%s: %d of %d terms (%.0f%%) never came back valid: %s%s",
			label, len(idx), n, 100*float64(len(idx))/float64(n), strings.Join(names, "; "), more))
	}
	sub := Request{Source: req.Source, Terms: make([]extract.Candidate, len(idx))}
	for k, i := range idx {
		sub.Terms[k] = req.Terms[i]
	}
	fr, err := fb.Classify(ctx, sub)
	if err != nil {
		return fmt.Errorf("%s: fallback for %d term(s): %w", label, len(idx), err)
	}
	for k, i := range idx {
		t := fr.Terms[k]
		t.Classifier = FallbackMark + t.Classifier + " for " + label
		res.Terms[i] = t
	}
	res.Usage.Fallbacks += len(idx)
	return nil
}

func (e *Engine) maxAsks() int {
	if e.MaxAsks > 0 {
		return e.MaxAsks
	}
	return 6
}

// send runs one request under the budget, the limiter and the retry policy.
func (e *Engine) send(ctx context.Context, items []WireItem) (Answer, error) {
	est := 0.0
	if e.RequestCost != nil {
		est = e.RequestCost(items)
	}
	settle, err := e.Budget.Reserve(est)
	if err != nil {
		return Answer{}, err
	}
	ans, err := Do(ctx, e.Limiter, e.Backoff, func(ctx context.Context) (Answer, error) {
		return e.Sender.Send(ctx, items)
	})
	if err != nil {
		settle(0)
		return ans, err
	}
	settle(ans.Usage.CostUSD)
	e.lastOK.Store(time.Now().UnixNano())
	e.warm.Store(true)
	return ans, nil
}

// SortedKeys returns the keys of m in order; small helper for deterministic output.
func SortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
