package vocab

import (
	"errors"
	"fmt"
	"path/filepath"

	"github.com/corpora-tools/corpora/internal/ipreview"
	"github.com/corpora-tools/corpora/internal/termkey"
)

// ErrNoVocabulary: a folder has neither a review queue nor a master
// vocabulary to look a term up in.
var ErrNoVocabulary = errors.New("no review queue and no master vocabulary")

// ErrTermNotFound: the term is in neither the review queue nor the master.
var ErrTermNotFound = errors.New("not in the review queue or the master")

// FindTerm resolves what a user typed to the canonical form of a term in
// the review queue or the master vocabulary of dir: the queue's exact
// canonical form first, then canonical forms, texts and variants compared
// by termkey.Key. The error wraps ErrNoVocabulary or ErrTermNotFound.
func FindTerm(dir, term string) (string, error) {
	want := termkey.Key(term)
	q, qerr := ipreview.ReadQueue(filepath.Join(dir, ipreview.QueueFile))
	if qerr == nil {
		for _, it := range q.Items {
			if it.Canonical == term {
				return it.Canonical, nil
			}
		}
		for _, it := range q.Items {
			if termkey.Key(it.Canonical) == want || termkey.Key(it.Text) == want {
				return it.Canonical, nil
			}
		}
	}
	m, merr := Read(filepath.Join(dir, MasterFile))
	if merr == nil {
		for _, e := range m.Entries {
			if termkey.Key(e.Canonical) == want || termkey.Key(e.Text) == want {
				return e.Canonical, nil
			}
			for _, v := range e.Variants {
				if termkey.Key(v) == want {
					return e.Canonical, nil
				}
			}
		}
	}
	if qerr != nil && merr != nil {
		return "", fmt.Errorf("%s: %w", dir, ErrNoVocabulary)
	}
	return "", fmt.Errorf("%q is %w of %s", term, ErrTermNotFound, dir)
}
