package classify

import (
	"context"
	"fmt"
	"sync"

	"github.com/corpora-tools/corpora/internal/extract"
)

// CacheScoper is implemented by classifiers that share cached answers with
// another backend name: claude-batch sends the very same requests as claude
// (same model, same prompt) at half the price, so their answers are
// interchangeable and both use the scope "claude".
type CacheScoper interface {
	CacheScope() string
}

// Cached answers terms from a Cache and sends only the misses to the
// wrapped classifier, storing every validated result as soon as its
// response is in. It implements Classifier, Progressive, Checker (when the
// inner one does) and Estimator.
type Cached struct {
	inner Classifier
	cache *Cache

	// inflight holds the keys being classified by some call right now, so
	// concurrent documents sharing a term send it once: the others wait for
	// it to land in the cache.
	mu       sync.Mutex
	inflight map[CacheKey]chan struct{}
}

// NewCached wraps inner with cache.
func NewCached(inner Classifier, cache *Cache) *Cached {
	return &Cached{inner: inner, cache: cache, inflight: map[CacheKey]chan struct{}{}}
}

// Inner returns the wrapped classifier.
func (c *Cached) Inner() Classifier { return c.inner }

// Backend implements Classifier.
func (c *Cached) Backend() string { return c.inner.Backend() }

// Model implements Classifier.
func (c *Cached) Model() string { return c.inner.Model() }

// PromptVersion implements Classifier.
func (c *Cached) PromptVersion() string { return c.inner.PromptVersion() }

// Check implements Checker by asking the inner classifier, if it can.
func (c *Cached) Check(ctx context.Context) error {
	if ch, ok := c.inner.(Checker); ok {
		return ch.Check(ctx)
	}
	return nil
}

func (c *Cached) key(t extract.Candidate) CacheKey {
	scope := c.inner.Backend()
	if s, ok := c.inner.(CacheScoper); ok {
		scope = s.CacheScope()
	}
	lemma := t.Lemma
	if lemma == "" {
		lemma = t.Text
	}
	return CacheKey{Backend: scope, Model: c.inner.Model(), PromptVersion: c.inner.PromptVersion(), Lemma: lemma, POS: t.POS}
}

// lookup splits req into cached terms (finished) and the positions of misses.
// Terms sharing a key are sent once.
func (c *Cached) lookup(req Request) (res Result, missIdx [][]int, missKeys []CacheKey, err error) {
	keys := make([]CacheKey, len(req.Terms))
	for i, t := range req.Terms {
		keys[i] = c.key(t)
	}
	cached, found, err := c.cache.GetMany(keys)
	if err != nil {
		return res, nil, nil, err
	}
	res.Terms = make([]Term, len(req.Terms))
	seen := map[CacheKey]int{}
	for i, t := range req.Terms {
		if found[i] {
			tm := cached[i]
			label := tm.Classifier
			if label == "" {
				label = c.inner.Backend() + "/" + c.inner.Model()
			}
			if err := Finalize(&tm, req.Source, t, label); err == nil {
				res.Terms[i] = tm
				res.Usage.CacheHits++
				continue
			}
			// a stored entry that no longer validates is re-asked
		}
		if j, ok := seen[keys[i]]; ok {
			missIdx[j] = append(missIdx[j], i)
			continue
		}
		seen[keys[i]] = len(missIdx)
		missIdx = append(missIdx, []int{i})
		missKeys = append(missKeys, keys[i])
	}
	return res, missIdx, missKeys, nil
}

// Classify implements Classifier.
func (c *Cached) Classify(ctx context.Context, req Request) (Result, error) {
	return c.ClassifyEach(ctx, req, nil)
}

// ClassifyEach implements Progressive: each also sees cached terms, first.
func (c *Cached) ClassifyEach(ctx context.Context, req Request, each func(idx []int, terms []Term)) (Result, error) {
	res, missIdx, missKeys, err := c.lookup(req)
	if err != nil {
		return res, err
	}
	if each != nil && res.Usage.CacheHits > 0 {
		var idx []int
		var terms []Term
		for i, t := range res.Terms {
			if t.ID != "" {
				idx = append(idx, i)
				terms = append(terms, t)
			}
		}
		each(idx, terms)
	}
	if len(missIdx) == 0 {
		return res, nil
	}
	// Claim the misses nobody else is classifying; wait for the others.
	var waitFor []chan struct{}
	var waitIdx []int
	owned := missIdx[:0:0]
	ownedKeys := missKeys[:0:0]
	c.mu.Lock()
	for j, k := range missKeys {
		if ch, busy := c.inflight[k]; busy {
			waitFor = append(waitFor, ch)
			waitIdx = append(waitIdx, missIdx[j]...)
			continue
		}
		c.inflight[k] = make(chan struct{})
		owned = append(owned, missIdx[j])
		ownedKeys = append(ownedKeys, k)
	}
	c.mu.Unlock()
	missIdx, missKeys = owned, ownedKeys
	released := make([]bool, len(missKeys))
	release := func(j int) {
		if !released[j] {
			released[j] = true
			c.mu.Lock()
			close(c.inflight[missKeys[j]])
			delete(c.inflight, missKeys[j])
			c.mu.Unlock()
		}
	}
	defer func() {
		for j := range missKeys {
			release(j)
		}
	}()
	if len(missIdx) == 0 {
		return c.awaitOthers(ctx, req, res, waitFor, waitIdx, each)
	}
	sub := Request{Source: req.Source, Terms: make([]extract.Candidate, len(missIdx)), Of: max(len(req.Terms), req.Of)}
	for j, idx := range missIdx {
		sub.Terms[j] = req.Terms[idx[0]]
	}
	var storeErr error
	place := func(j int, t Term) []int {
		var out []int
		for _, i := range missIdx[j] {
			tm := t
			if i != missIdx[j][0] {
				_ = Finalize(&tm, req.Source, req.Terms[i], t.Classifier)
			}
			res.Terms[i] = tm
			out = append(out, i)
		}
		return out
	}
	store := func(idx []int, terms []Term) {
		keys := make([]CacheKey, len(idx))
		for k, j := range idx {
			keys[k] = missKeys[j]
		}
		if err := c.cache.PutMany(keys, terms); err != nil && storeErr == nil {
			storeErr = err
		}
		for _, j := range idx {
			release(j)
		}
		if each != nil {
			var outIdx []int
			var outTerms []Term
			for k, j := range idx {
				for _, i := range place(j, terms[k]) {
					outIdx = append(outIdx, i)
					outTerms = append(outTerms, res.Terms[i])
				}
			}
			each(outIdx, outTerms)
		}
	}
	var sr Result
	if p, ok := c.inner.(Progressive); ok {
		sr, err = p.ClassifyEach(ctx, sub, store)
	} else {
		sr, err = c.inner.Classify(ctx, sub)
		if err == nil {
			idx := make([]int, len(sr.Terms))
			for j := range idx {
				idx[j] = j
			}
			store(idx, sr.Terms)
		}
	}
	hits := res.Usage.CacheHits
	res.Usage = sr.Usage
	res.Usage.CacheHits += hits
	if err != nil {
		return res, err
	}
	for j, t := range sr.Terms {
		place(j, t)
	}
	if storeErr != nil {
		return res, fmt.Errorf("store classifications: %w", storeErr)
	}
	return c.awaitOthers(ctx, req, res, waitFor, waitIdx, each)
}

// awaitOthers waits for the terms another call was classifying, then takes
// them from the cache (or classifies them itself if that call failed).
func (c *Cached) awaitOthers(ctx context.Context, req Request, res Result, waitFor []chan struct{}, waitIdx []int, each func([]int, []Term)) (Result, error) {
	if len(waitIdx) == 0 {
		return res, nil
	}
	for _, ch := range waitFor {
		select {
		case <-ch:
		case <-ctx.Done():
			return res, ctx.Err()
		}
	}
	sub := Request{Source: req.Source, Terms: make([]extract.Candidate, len(waitIdx)), Of: max(len(req.Terms), req.Of)}
	for k, i := range waitIdx {
		sub.Terms[k] = req.Terms[i]
	}
	var subEach func([]int, []Term)
	if each != nil {
		subEach = func(idx []int, terms []Term) {
			out := make([]int, len(idx))
			for k, j := range idx {
				out[k] = waitIdx[j]
			}
			each(out, terms)
		}
	}
	sr, err := c.ClassifyEach(ctx, sub, subEach)
	res.Usage.Add(sr.Usage)
	for k, i := range waitIdx {
		if k < len(sr.Terms) {
			res.Terms[i] = sr.Terms[k]
		}
	}
	return res, err
}

// Estimate implements Estimator: it forecasts only the terms the cache
// cannot answer. A cache read error counts every term as a miss.
func (c *Cached) Estimate(terms []extract.Candidate) Estimate {
	res, missIdx, _, err := c.lookup(Request{Terms: terms})
	if err != nil {
		res.Usage.CacheHits = 0
		missIdx = make([][]int, len(terms))
	}
	misses := make([]extract.Candidate, len(missIdx))
	for j, idx := range missIdx {
		if idx != nil {
			misses[j] = terms[idx[0]]
		} else {
			misses[j] = terms[j]
		}
	}
	var e Estimate
	if est, ok := c.inner.(Estimator); ok {
		e = est.Estimate(misses)
	} else {
		e = Estimate{ToSend: len(misses), PriceKnown: true}
	}
	e.Terms = len(terms)
	e.CacheHits = res.Usage.CacheHits
	e.Usage.CacheHits = res.Usage.CacheHits
	return e
}
