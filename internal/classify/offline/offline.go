package offline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sync"

	"github.com/corpora-tools/corpora/internal/classify"
	"github.com/corpora-tools/corpora/internal/extract"
)

// modelBase names the knowledge; Model adds a hash of the embedded data so
// the cache key changes whenever the knowledge does.
const modelBase = "corpora-offline-1"

// rulesVersion changes whenever the rules could answer a term differently.
const rulesVersion = "offline-rules-3"

// Options tune a Classifier.
type Options struct {
	// NoSRD disables the SRD 5.1 lexicon, leaving context cues, WordNet and
	// morphology: what the classifier knows about names it has never seen.
	NoSRD bool
}

// Classifier is the offline backend. It is immutable and safe for concurrent
// use; the embedded knowledge is parsed once per process, on first use.
type Classifier struct {
	opts Options
}

var _ classify.Classifier = (*Classifier)(nil)

// New returns the offline classifier with every knowledge source enabled.
func New() *Classifier { return &Classifier{} }

// NewWithOptions returns an offline classifier tuned by opts.
func NewWithOptions(opts Options) *Classifier { return &Classifier{opts: opts} }

// Backend returns "offline".
func (c *Classifier) Backend() string { return "offline" }

var dataHash = sync.OnceValue(func() string {
	h := sha256.New()
	for _, b := range [][]byte{wordnetGz, []byte(morphTSV), []byte(srdTSV), []byte(seedsTxt), []byte(fantasyTxt)} {
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))[:8]
})

// Model names the embedded knowledge: "corpora-offline-1-<hash of the data>",
// with "-nosrd" when the SRD lexicon is disabled.
func (c *Classifier) Model() string {
	m := modelBase + "-" + dataHash()
	if c.opts.NoSRD {
		m += "-nosrd"
	}
	return m
}

// PromptVersion returns the rules version.
func (c *Classifier) PromptVersion() string { return rulesVersion }

// Classify classifies every candidate of req, in order. It makes no request
// and costs nothing; it fails only when ctx is done or the embedded knowledge
// is broken.
func (c *Classifier) Classify(ctx context.Context, req classify.Request) (classify.Result, error) {
	k, err := loaded()
	if err != nil {
		return classify.Result{}, err
	}
	name := "offline/" + c.Model()
	res := classify.Result{Terms: make([]classify.Term, 0, len(req.Terms))}
	var sc scratch
	entries := make([]bool, len(req.Terms))
	for i, cand := range req.Terms {
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return classify.Result{}, err
			}
		}
		t, entry := k.classify(&sc, cand, c.opts, nil)
		entries[i] = entry
		res.Terms = append(res.Terms, t)
	}
	// Entries under one heading share a category unless their own evidence
	// is strong: the weak ones are classified again with their siblings'.
	votes := siblingVotes(req.Terms, res.Terms, entries)
	for i, cand := range req.Terms {
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return classify.Result{}, err
			}
		}
		if v, ok := votes[cand.Section]; ok && entries[i] && res.Terms[i].Confidence < strongEvidence {
			prior := v.prior(res.Terms[i])
			res.Terms[i], _ = k.classify(&sc, cand, c.opts, &prior)
		}
		if err := classify.Finalize(&res.Terms[i], req.Source, cand, name); err != nil {
			return classify.Result{}, fmt.Errorf("offline: term %q: %w", cand.Text, err)
		}
	}
	return res, nil
}

// strongEvidence is the confidence above which a term keeps its own
// category whatever its siblings are.
const strongEvidence = 0.6

// minSiblings is how many entries a section needs before they vote.
const minSiblings = 3

// vote is the confidence-weighted categories of a section's entries.
type vote struct {
	sum [8]float64
	n   int
}

// prior is the evidence the siblings of t give: the share of the section's
// vote each category has, the term's own vote left out.
func (v vote) prior(t classify.Term) [8]float64 {
	var p [8]float64
	sum := v.sum
	if i := catIndex(t.Category); i >= 0 {
		sum[i] -= float64(t.Confidence)
	}
	total := 0.0
	for _, x := range sum {
		total += x
	}
	if total <= 0 {
		return p
	}
	for i, x := range sum {
		// Only a clear majority speaks for the section.
		if share := x / total; share >= 0.5 {
			p[i] = siblingWeight * share
		}
	}
	return p
}

// siblingVotes sums, per section, the categories of its entries.
func siblingVotes(cands []extract.Candidate, terms []classify.Term, entries []bool) map[string]vote {
	votes := map[string]vote{}
	for i, c := range cands {
		if !entries[i] || c.Section == "" {
			continue
		}
		v := votes[c.Section]
		if j := catIndex(terms[i].Category); j >= 0 {
			v.sum[j] += float64(terms[i].Confidence)
		}
		v.n++
		votes[c.Section] = v
	}
	for s, v := range votes {
		if v.n < minSiblings {
			delete(votes, s)
		}
	}
	return votes
}
