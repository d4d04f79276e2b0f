package offline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sync"

	"github.com/corpora-tools/corpora/internal/classify"
)

// modelBase names the knowledge; Model adds a hash of the embedded data so
// the cache key changes whenever the knowledge does.
const modelBase = "corpora-offline-1"

// rulesVersion changes whenever the rules could answer a term differently.
const rulesVersion = "offline-rules-2"

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
	for i, cand := range req.Terms {
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return classify.Result{}, err
			}
		}
		t := k.classify(&sc, cand, c.opts)
		if err := classify.Finalize(&t, req.Source, cand, name); err != nil {
			return classify.Result{}, fmt.Errorf("offline: term %q: %w", cand.Text, err)
		}
		res.Terms = append(res.Terms, t)
	}
	return res, nil
}
