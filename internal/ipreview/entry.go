package ipreview

import (
	"errors"
	"fmt"

	"github.com/corpora-tools/corpora/internal/termkey"
)

// Kind says what sort of name an entry is, and so when it flags.
type Kind string

// The kinds.
const (
	// Coined: a proper name the franchise made up (Golarion, Drizzt,
	// Khorne, beholder). It has no other sense, so it flags wherever it
	// appears as a word, in any case.
	Coined Kind = "coined"
	// Shared: a word the franchise uses as a proper noun but which also has
	// an ordinary or folkloric sense (Sith, Warp, Stormwind, Absalom). It
	// flags only as the franchise's proper noun: written with capitals,
	// spelt as the entry spells it where Literal says so, not inside one of
	// the longer open names in Except ("baobhan sith"), and with the
	// franchise's context where the entry asks for it.
	Shared Kind = "shared"
)

// Limits on an entry's lists: a blocklist file is user input.
const maxEntryList = 200

// Entry is one protected name. Only Term is required: a 1.0 blocklist's
// plain string is an Entry with the Term alone, a coined name.
type Entry struct {
	// Term is the name as written in the list ("Mordenkainen", "mind flayer").
	Term string `json:"term"`
	// Kind is Coined (also when empty) or Shared.
	Kind Kind `json:"kind,omitempty"`
	// Owner holds the rights to the name ("Paizo Inc.").
	Owner string `json:"owner,omitempty"`
	// WholeName: match only when the entire term is this name (after a
	// leading "the"), never inside a phrase ("Tau", "Stormwind", so that
	// "Powerful Stormwind" is another thing).
	WholeName bool `json:"whole_name,omitempty"`
	// Proper: match only where the name is written with capitals in the
	// term's text ("Sigil", not "sigil"). Shared entries are always Proper.
	Proper bool `json:"proper,omitempty"`
	// Literal: match only the entry's own spelling, apostrophes included:
	// "Shai'tan" but not "shaitan" (the folklore's word).
	Literal bool `json:"literal,omitempty"`
	// Except lists longer open names that contain this one and are not
	// the franchise's: "baobhan sith" and "cat sìth" for "Sith".
	Except []string `json:"except,omitempty"`
	// Context lists words that show the franchise's use when they occur
	// in the term's context sentence or its other texts ("Jedi" for
	// "Sith"). A shared entry with such a word in its context is flagged
	// even where the sentence also has open-sense words.
	Context []string `json:"context,omitempty"`
	// NeedsContext: flag only where a Context word confirms the franchise:
	// for names that are common words or myth ("Warp", "Midgard").
	NeedsContext bool `json:"needs_context,omitempty"`
	// OpenContext lists words that show the ordinary or folkloric sense
	// ("river" for "Desna", "Bible" for "Absalom"): with one of them and
	// no Context word in the term's context, a shared entry does not flag.
	OpenContext []string `json:"open_context,omitempty"`
	// Alternative is the open name to use instead, where one is known
	// (the SRD's renames: "Bigby's Hand" -> "Arcane Hand").
	Alternative string `json:"alternative,omitempty"`
	// Note is a word for the reviewer ("no SRD equivalent").
	Note string `json:"note,omitempty"`
}

// kind returns the entry's kind, Coined when unset.
func (e Entry) kind() Kind {
	if e.Kind == "" {
		return Coined
	}
	return e.Kind
}

// proper reports whether the entry flags only where written with capitals.
func (e Entry) proper() bool { return e.Proper || e.kind() == Shared }

// MatchesAlone reports whether the entry's own term, alone and without a
// context sentence, is flagged by it: false for names that need a
// franchise context, and for proper names written in lower case.
func (e Entry) MatchesAlone() bool {
	if e.NeedsContext {
		return false
	}
	if !e.proper() {
		return true
	}
	for _, t := range termkey.Words(e.Term) {
		if !t.Upper && !functionWords[t.Word] {
			return false
		}
	}
	return true
}

// checkEntry validates an entry; checked remembers the list words already
// found good, as the same context words recur in many entries (may be nil).
func checkEntry(e Entry, checked map[string]bool) error {
	switch {
	case e.Term == "":
		return errors.New("empty term")
	case len(e.Term) > maxEntryChars:
		return fmt.Errorf("term longer than %d bytes", maxEntryChars)
	case e.Kind != "" && e.Kind != Coined && e.Kind != Shared:
		return fmt.Errorf("term %q: kind %q is not %q or %q", e.Term, e.Kind, Coined, Shared)
	case len(e.Owner) > maxEntryChars, len(e.Alternative) > maxEntryChars, len(e.Note) > 4*maxEntryChars:
		return fmt.Errorf("term %q: owner, alternative or note too long", e.Term)
	case e.NeedsContext && len(e.Context) == 0:
		return fmt.Errorf("term %q: needs_context without context words", e.Term)
	}
	if err := checkWords(e.Term); err != nil {
		return err
	}
	for _, list := range [][]string{e.Except, e.Context, e.OpenContext} {
		if len(list) > maxEntryList {
			return fmt.Errorf("term %q: more than %d words in a list", e.Term, maxEntryList)
		}
		for _, w := range list {
			if checked[w] {
				continue
			}
			if len(w) > maxEntryChars {
				return fmt.Errorf("term %q: %q longer than %d bytes", e.Term, w, maxEntryChars)
			}
			if err := checkWords(w); err != nil {
				return fmt.Errorf("term %q: %w", e.Term, err)
			}
			if checked != nil {
				checked[w] = true
			}
		}
	}
	return nil
}

func checkWords(s string) error {
	n := len(termkey.Words(s))
	if n == 0 {
		return fmt.Errorf("term %q has no letters or digits", s)
	}
	if n > maxEntryTokens {
		return fmt.Errorf("term %q has more than %d words", s, maxEntryTokens)
	}
	return nil
}
