package serve

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/corpora-tools/corpora/internal/ipreview"
	"github.com/corpora-tools/corpora/internal/termkey"
	"github.com/corpora-tools/corpora/internal/vocab"
)

// undoDecision takes back the latest decision for term in dir: the one
// before it (kept in its history) becomes current again, or, when there
// was none, the term waits for review again. Like `corpora review decide`
// it works under the decisions file's lock and shows the result in the
// queue at once; "apply" makes it take effect in the master.
func undoDecision(ctx context.Context, dir, term string, now time.Time) (canonical string, restored *ipreview.Decision, err error) {
	path := filepath.Join(dir, ipreview.DecisionsFile)
	unlock, err := ipreview.LockDecisions(ctx, path)
	if err != nil {
		return "", nil, err
	}
	defer unlock()
	ds, err := ipreview.ReadDecisions(path)
	if err != nil {
		return "", nil, err
	}
	want := termkey.Key(term)
	for k := range ds.Decisions {
		if k == term {
			canonical = k
			break
		}
		if termkey.Key(k) == want && (canonical == "" || k < canonical) {
			canonical = k
		}
	}
	if canonical == "" {
		return "", nil, fmt.Errorf("%w: %q has no decision to undo", ErrRefused, term)
	}
	d := ds.Decisions[canonical]
	if n := len(d.History); n > 0 {
		prev := d.History[n-1]
		prev.History = d.History[: n-1 : n-1]
		ds.Decisions[canonical] = prev
		restored = &prev
	} else {
		delete(ds.Decisions, canonical)
	}
	if err := ds.Write(path); err != nil {
		return "", nil, err
	}
	qpath := filepath.Join(dir, ipreview.QueueFile)
	if q, err := ipreview.ReadQueue(qpath); err == nil {
		for i := range q.Items {
			if termkey.Key(q.Items[i].Canonical) == termkey.Key(canonical) {
				q.Items[i].Decision = restored
			}
		}
		q = ipreview.NewQueue(q.Vocabulary, q.Items, vocab.Timestamp(now))
		if err := q.Write(qpath); err != nil {
			return "", nil, err
		}
	}
	return canonical, restored, nil
}
