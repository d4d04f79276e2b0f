package cluster

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/corpora-tools/corpora/internal/classify"
	"github.com/corpora-tools/corpora/internal/extract"
)

// TermBucket is the key-value bucket shared by every worker's classifier:
// what a model answered for a term (backend, model, prompt version, part of
// speech, lemma, as in the local cache), so that a term is classified once
// across the cluster and its runs.
const TermBucket = "corpora-terms"

// sharedCache answers terms from TermBucket and sends only the misses to the
// backend, storing its answers there. It sits under the worker's local
// cache (classify.Cached), which it passes through for scope and checks.
type sharedCache struct {
	inner classify.Classifier
	kv    jetstream.KeyValue
}

// SharedCache wraps an LLM backend in the cluster's term cache. A term two
// workers meet at the same moment may still be sent by both.
func (w *Worker) SharedCache(inner classify.Classifier) classify.Classifier {
	if w.terms == nil {
		return inner
	}
	return &sharedCache{inner: inner, kv: w.terms}
}

func (s *sharedCache) Backend() string       { return s.inner.Backend() }
func (s *sharedCache) Model() string         { return s.inner.Model() }
func (s *sharedCache) PromptVersion() string { return s.inner.PromptVersion() }

// CacheScope keeps the local cache's keys what they are without the wrapper.
func (s *sharedCache) CacheScope() string {
	if sc, ok := s.inner.(classify.CacheScoper); ok {
		return sc.CacheScope()
	}
	return s.inner.Backend()
}

func (s *sharedCache) key(c extract.Candidate) string {
	lemma := c.Lemma
	if lemma == "" {
		lemma = c.Text
	}
	sum := sha256.Sum256([]byte(s.CacheScope() + "\x00" + s.inner.Model() + "\x00" + s.inner.PromptVersion() + "\x00" + string(c.POS) + "\x00" + lemma))
	return hex.EncodeToString(sum[:20])
}

// Classify implements classify.Classifier.
func (s *sharedCache) Classify(ctx context.Context, req classify.Request) (classify.Result, error) {
	var res classify.Result
	res.Terms = make([]classify.Term, len(req.Terms))
	keys := make([]string, len(req.Terms))
	missAt := map[string][]int{}
	var sub classify.Request
	sub.Source, sub.Of = req.Source, max(len(req.Terms), req.Of)
	var subKeys []string
	for i, c := range req.Terms {
		k := s.key(c)
		keys[i] = k
		if at, ok := missAt[k]; ok {
			missAt[k] = append(at, i)
			continue
		}
		if e, err := s.kv.Get(ctx, k); err == nil {
			var t classify.Term
			if json.Unmarshal(e.Value(), &t) == nil && classify.Finalize(&t, req.Source, c, t.Classifier) == nil {
				res.Terms[i] = t
				res.Usage.CacheHits++
				continue
			}
		} else if ctx.Err() != nil {
			return res, ctx.Err()
		}
		// Not found, or the bucket unreachable for now: classify it.
		missAt[k] = []int{i}
		sub.Terms = append(sub.Terms, c)
		subKeys = append(subKeys, k)
	}
	if len(sub.Terms) == 0 {
		return res, nil
	}
	sr, err := s.inner.Classify(ctx, sub)
	hits := res.Usage.CacheHits
	res.Usage = sr.Usage
	res.Usage.CacheHits += hits
	if err != nil {
		return res, err
	}
	for j, t := range sr.Terms {
		if j >= len(subKeys) {
			break
		}
		if data, err := json.Marshal(t); err == nil {
			_, _ = s.kv.Put(context.Background(), subKeys[j], data)
		}
		for n, i := range missAt[subKeys[j]] {
			tm := t
			if n > 0 {
				_ = classify.Finalize(&tm, req.Source, req.Terms[i], t.Classifier)
			}
			res.Terms[i] = tm
		}
	}
	return res, nil
}
