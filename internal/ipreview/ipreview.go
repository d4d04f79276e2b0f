// Package ipreview finds IP-encumbered names: the embedded blocklist and its
// -b extensions, the matcher, the review queue (flagged.json) and the human's
// decisions (review-decisions.json).
package ipreview

import "github.com/corpora-tools/corpora/internal/classify"

// Blocklist is the set of protected names by franchise.
type Blocklist struct{}

// LoadBlocklist returns the embedded default blocklist, extended or
// overridden by the file at path when path is not empty.
func LoadBlocklist(path string) (*Blocklist, error) { return &Blocklist{}, nil }

// Hash identifies the blocklist's content, for the pipeline fingerprint.
func (b *Blocklist) Hash() string { return "" }

// Flag sets IPFlag on every term whose text or canonical form matches and
// returns how many terms are flagged.
func (b *Blocklist) Flag(terms []classify.Term) int { return 0 }
