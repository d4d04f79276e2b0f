package classify

import (
	"encoding/json"
	"strconv"
	"strings"
)

// ItemIndex is the inverse of ItemKey: the position k for which
// ItemKey(k) == key. Only ItemKey's own spelling is read ("t1a", not "T1A"
// or "t01").
func ItemIndex(key string) (int, bool) {
	digits, ok := strings.CutPrefix(key, "t")
	if !ok {
		return 0, false
	}
	k, err := strconv.ParseInt(digits, 36, 0)
	if err != nil || k < 0 || ItemKey(int(k)) != key {
		return 0, false
	}
	return int(k), true
}

// Tally is what the LLM paths (the Engine, and the Claude batch path) know
// of each term of a request they classify in several requests, by position
// in Req.Terms; Take is their shared step from a raw answer to finished
// terms.
type Tally struct {
	Req   Request
	Label string // Term.Classifier
	// Warnf, when set, hears about answers repaired by dropping an
	// unreadable optional field, one line per term.
	Warnf   func(format string, args ...any)
	Terms   []Term  // the finished terms (Result.Terms)
	Done    []bool  // Terms[i] is finished
	LastErr []error // why term i last came back invalid
}

// NewTally returns a Tally for req whose finished terms go to res.Terms,
// which must hold len(req.Terms) terms.
func NewTally(req Request, label string, warnf func(format string, args ...any), res *Result) *Tally {
	n := len(req.Terms)
	return &Tally{Req: req, Label: label, Warnf: warnf, Terms: res.Terms, Done: make([]bool, n), LastErr: make([]error, n)}
}

// Take reads the raw result items of one request whose k-th item (key
// ItemKey(k)) was Req.Terms[idx[k]]: each is decoded (DecodeItem) and
// validated (FinalizeNoting), and a valid term not yet finished is kept:
// Terms[i] set, Done[i] marked, the optional fields dropped from it counted
// in usage.DroppedFields and told to Warnf. An invalid item sets LastErr[i];
// one whose key is not in the request, or whose term is finished, is
// ignored. Take returns the positions and terms it kept, in answer order.
func (t *Tally) Take(idx []int, results []json.RawMessage, usage *Usage) (okIdx []int, okTerms []Term) {
	for _, raw := range results {
		key, term, dropped, err := DecodeItem(raw)
		k, ok := ItemIndex(key)
		if !ok || k >= len(idx) {
			continue
		}
		i := idx[k]
		if t.Done[i] {
			continue
		}
		if err == nil {
			var more []string
			more, err = FinalizeNoting(&term, t.Req.Source, t.Req.Terms[i], t.Label)
			dropped = append(dropped, more...)
		}
		if err != nil {
			t.LastErr[i] = err
			continue
		}
		if len(dropped) > 0 {
			usage.DroppedFields += len(dropped)
			if t.Warnf != nil {
				t.Warnf("%s: %q: dropped %s from %s's answer", t.Req.Source, t.Req.Terms[i].Text, strings.Join(dropped, ", "), t.Label)
			}
		}
		t.Done[i] = true
		t.Terms[i] = term
		okIdx = append(okIdx, i)
		okTerms = append(okTerms, term)
	}
	return okIdx, okTerms
}
