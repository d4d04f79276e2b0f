package ipreview

import (
	"slices"
	"sort"
	"strings"

	"github.com/corpora-tools/corpora/internal/classify"

	"github.com/corpora-tools/corpora/internal/termkey"
)

// Match is one protected name found in a term: which entry matched, whose
// it is, why it flags and what to use instead. It is written into the
// review queue, so a reviewer can act on it.
type Match struct {
	Franchise string `json:"franchise"`
	// Term is the name as the blocklist writes it: the entry that matched.
	Term  string `json:"entry"`
	Owner string `json:"owner,omitempty"`
	Kind  Kind   `json:"kind"`
	// Why says why the entry flags this term: a coined name, or a shared
	// word found as the franchise's proper noun (and the context word that
	// showed the franchise's use, if one did).
	Why string `json:"why"`
	// Alternative is the entry's open alternative, if one is known.
	Alternative string `json:"alternative,omitempty"`
	Note        string `json:"note,omitempty"`
}

// The reasons a Match gives.
const (
	whyCoined   = "coined name: flagged wherever it appears"
	whyProper   = "shared word written as the franchise's proper noun"
	whyContext  = "shared word in the franchise's use: the context has "
	whyOptioned = "name written as the franchise's proper noun"
	whyDerived  = " (in a derived form)"
)

// derivations are the endings that make a name's adjective, adherent or
// people ("Nethysian", "Khornate", "Desnan", "Lathanderite", "Cyricist",
// "Slaaneshi") and the plural of a name in -o ("Chocobos"): a word with
// one of them is also looked up by its stem, the ending dropped and, for
// some, an "e" or "a" given back. A stem is at least four letters.
// Only a capitalised word is read as derived ("Equestrian", never
// "equestrian"), and entries matched only as a whole name or literally
// never are.
var derivations = []struct {
	suffix string
	adds   []string // endings to try on the stem, "" for the bare stem
	vowel  bool     // only after one of the letters in after
	after  string
}{
	{"ite", []string{"", "e"}, false, ""},
	{"ian", []string{"", "a"}, false, ""},
	{"ean", []string{"", "e"}, false, ""},
	{"an", []string{""}, false, ""},
	{"n", []string{""}, true, "a"},
	{"ate", []string{"e", ""}, false, ""},
	{"ist", []string{"", "e"}, false, ""},
	{"ism", []string{"", "e"}, false, ""},
	{"ese", []string{"", "e"}, false, ""},
	{"i", []string{""}, true, "hkr"},
	{"s", []string{""}, true, "o"},
}

// derivedStems returns the stems a word may be derived from.
func derivedStems(w string) []string {
	var out []string
	for _, d := range derivations {
		stem, ok := strings.CutSuffix(w, d.suffix)
		if !ok || len(stem) < 4 || (d.suffix == "ate" && len(stem) < 5) || (d.vowel && !strings.ContainsRune(d.after, rune(stem[len(stem)-1]))) {
			continue
		}
		for _, a := range d.adds {
			s := stem + a
			if len(s) < 4 {
				continue
			}
			// Names are indexed by their singular words ("Nethys" as "nethy").
			for _, s := range []string{s, termkey.Singular(s)} {
				if s != w && !slices.Contains(out, s) {
					out = append(out, s)
				}
			}
		}
	}
	return out
}

// functionWords may be written in lower case inside a proper name
// ("Sword of Kas", "Strahd von Zarovich").
var functionWords = map[string]bool{
	"of": true, "the": true, "and": true, "a": true, "an": true, "in": true, "on": true, "at": true,
	"to": true, "for": true, "by": true, "de": true, "del": true, "la": true, "le": true, "du": true,
	"von": true, "van": true, "der": true, "al": true, "da": true, "di": true, "y": true, "ibn": true,
	"bin": true, "en": true, "des": true, "el": true,
}

// articles a whole name may be preceded by.
var articles = map[string]bool{"the": true}

// Match returns every protected name in texts (a term's text, canonical
// form, variants...), sorted by franchise then name, without duplicates.
func (b *Blocklist) Match(texts ...string) []Match {
	return b.MatchContext("", texts...)
}

// hit is one entry found at words i..j of a text.
type hit struct {
	r    *ref
	i, j int
	why  string
}

// MatchContext is Match for a term used in the sentence context (its
// context field; may be empty): shared names look there, and in the
// term's texts, for the words that confirm or rule out the franchise.
func (b *Blocklist) MatchContext(context string, texts ...string) []Match {
	if b == nil || b.index == nil {
		b = Default()
	}
	var out []Match
	var key []byte
	var ctx [][]termkey.Word // built on first need
	ctxTokens := func() [][]termkey.Word {
		if ctx == nil {
			ctx = [][]termkey.Word{termkey.Words(context)}
			for _, s := range texts {
				ctx = append(ctx, termkey.Words(s))
			}
		}
		return ctx
	}
	for _, s := range withoutParens(texts) {
		toks := termkey.Words(s)
		first := 0
		for first < len(toks)-1 && articles[toks[first].Word] {
			first++
		}
		var hits []hit
		for i := range toks {
			key = key[:0]
			for j := i; j < len(toks) && j-i < b.maxTokens; j++ {
				base := len(key)
				key = append(key, toks[j].Word...)
				for _, stem := range derivedStems(toks[j].Word) {
					if base+len(stem) > b.maxKeyLen {
						continue
					}
					for _, r := range b.index[string(key[:base])+stem] {
						if r.entry.WholeName || r.entry.Literal || !toks[i].Upper {
							continue
						}
						if why, ok := r.accept(toks, i, j, first, ctxTokens); ok {
							hits = append(hits, hit{r: r, i: i, j: j, why: why + whyDerived})
						}
					}
				}
				if len(key) > b.maxKeyLen {
					break
				}
				for _, r := range b.index[string(key)] {
					if why, ok := r.accept(toks, i, j, first, ctxTokens); ok {
						hits = append(hits, hit{r: r, i: i, j: j, why: why})
					}
				}
			}
		}
		for _, h := range hits {
			if inLonger(h, hits) {
				continue
			}
			e := h.r.entry
			m := Match{Franchise: h.r.franchise, Term: e.Term, Owner: e.Owner, Kind: h.r.kind, Why: h.why, Alternative: e.Alternative, Note: e.Note}
			if !slices.ContainsFunc(out, func(o Match) bool { return o.Franchise == m.Franchise && o.Term == m.Term }) {
				out = append(out, m)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if ui, uj := b.user[out[i].Franchise], b.user[out[j].Franchise]; ui != uj {
			return ui // the -b file's franchises first: the flag names them
		}
		if out[i].Franchise != out[j].Franchise {
			return out[i].Franchise < out[j].Franchise
		}
		return out[i].Term < out[j].Term
	})
	return out
}

// inLonger reports whether another hit of the same franchise covers h and
// more: "Bigby's Hand" is reported, not also "Bigby".
func inLonger(h hit, hits []hit) bool {
	for _, o := range hits {
		if o.r.franchise == h.r.franchise && o.i <= h.i && o.j >= h.j && o.j-o.i > h.j-h.i {
			return true
		}
	}
	return false
}

// accept applies the entry's rules to its key found at words i..j of
// toks, and returns why it flags.
func (r *ref) accept(toks []termkey.Word, i, j, first int, ctx func() [][]termkey.Word) (string, bool) {
	e := &r.entry
	// Written as separate words where the name has none ("oaken shields"
	// is not "Oakenshield"); a hyphen may split a name ("Under-dark").
	off := 0
	for k := i; k < j; k++ {
		off += len(toks[k].Word)
		if !toks[k+1].Joined && !slices.Contains(r.bounds, off) {
			return "", false
		}
	}
	if e.WholeName && ((i != first && i != 0) || j != len(toks)-1) {
		return "", false
	}
	if e.Literal {
		if j-i+1 != len(r.lits) {
			return "", false
		}
		for k, l := range r.lits {
			if toks[i+k].Lit != l {
				return "", false
			}
		}
	}
	if e.proper() && !r.capitalised(toks, i, j) {
		return "", false
	}
	for _, x := range r.except {
		if within(toks, x, strings.Join(r.words, ""), i, j) {
			return "", false
		}
	}
	why := whyCoined
	switch {
	case r.kind == Shared:
		why = whyProper
	case e.Proper || e.WholeName:
		why = whyOptioned
	}
	if len(r.context) > 0 || len(r.open) > 0 {
		c := ctx()
		if w := findAny(c, r.context); w >= 0 {
			return whyContext + `"` + r.contextNames[w] + `"`, true
		}
		if e.NeedsContext || findAny(c, r.open) >= 0 {
			return "", false
		}
	}
	return why, true
}

// capitalised reports whether words i..j are written as a proper name:
// the first with a capital, and, where the words are the name's own,
// every word the name writes with a capital.
func (r *ref) capitalised(toks []termkey.Word, i, j int) bool {
	if !toks[i].Upper {
		return false
	}
	if j-i+1 == len(r.caps) {
		for k, c := range r.caps {
			if c && !toks[i+k].Upper {
				return false
			}
		}
		return true
	}
	for k := i; k <= j; k++ {
		if !toks[k].Upper && !functionWords[toks[k].Word] {
			return false
		}
	}
	return true
}

// within reports whether the phrase occurs in toks around words i..j and
// is more than the name self found there: longer ("Baobhan Sith" around
// "Sith") or another word ("Equestrian" where "Equestria" was derived).
func within(toks []termkey.Word, phrase []string, self string, i, j int) bool {
	want := strings.Join(phrase, "")
	for s := max(0, i-len(phrase)-2); s <= i; s++ {
		var key strings.Builder
		for e := s; e < len(toks) && key.Len() < len(want); e++ {
			key.WriteString(toks[e].Word)
			if key.Len() == len(want) && key.String() == want && e >= j && (e-s > j-i || want != self) {
				return true
			}
		}
	}
	return false
}

// findAny returns the index of the first phrase found in any of the
// texts' words, or -1.
func findAny(texts [][]termkey.Word, phrases [][]string) int {
	for p, words := range phrases {
		for _, toks := range texts {
			for s := 0; s+len(words) <= len(toks); s++ {
				ok := true
				for k, w := range words {
					if toks[s+k].Word != w {
						ok = false
						break
					}
				}
				if ok {
					return p
				}
			}
		}
	}
	return -1
}

// withoutParens adds, for each text with a parenthesised part, the text
// without it: "d20 (when used as a trademark)" is also the whole name "d20".
func withoutParens(texts []string) []string {
	out := texts
	for _, s := range texts {
		i := strings.IndexByte(s, '(')
		if i < 0 {
			continue
		}
		var b strings.Builder
		depth := 0
		for _, r := range s {
			switch {
			case r == '(':
				depth++
			case r == ')' && depth > 0:
				depth--
			case depth == 0:
				b.WriteRune(r)
			}
		}
		if len(out) == len(texts) {
			out = slices.Clone(texts)
		}
		out = append(out, b.String())
	}
	return out
}

// Reason formats matches as an ip_flag reason: "Franchise: Name, Name;
// Other franchise: Name". It is "" for no matches.
func Reason(ms []Match) string {
	var b strings.Builder
	for i, m := range ms {
		switch {
		case i == 0:
		case ms[i-1].Franchise == m.Franchise:
			b.WriteString(", ")
			b.WriteString(m.Term)
			continue
		default:
			b.WriteString("; ")
		}
		b.WriteString(m.Franchise)
		b.WriteString(": ")
		b.WriteString(m.Term)
	}
	return b.String()
}

// Describe says, for a person reviewing the term, which entries matched
// ("Bigby's Hand (Wizards of the Coast Product Identity, owner Wizards of
// the Coast)") and why, one clause per match joined by "; ".
func Describe(ms []Match) (matched, why string) {
	var m, w []string
	for _, x := range ms {
		s := x.Term + " (" + x.Franchise
		if x.Owner != "" && !strings.Contains(x.Franchise, x.Owner) {
			s += ", owner " + x.Owner
		}
		m = append(m, s+")")
		reason := x.Why
		if x.Note != "" {
			reason += "; " + x.Note
		}
		w = append(w, x.Term+": "+reason)
	}
	return strings.Join(m, "; "), strings.Join(w, "; ")
}

// Alternative returns the first open alternative the matches know, or "".
func Alternative(ms []Match) string {
	for _, m := range ms {
		if m.Alternative != "" {
			return m.Alternative
		}
	}
	return ""
}

// FlagTexts returns the ip_flag reason for a term known by texts, or nil.
func (b *Blocklist) FlagTexts(texts ...string) *string {
	return b.FlagContext("", texts...)
}

// FlagContext is FlagTexts for a term used in the sentence context: the
// 1.0 machine form of the flag, or nil.
func (b *Blocklist) FlagContext(context string, texts ...string) *string {
	flag, _ := b.FlagFor(nil, "", b.MatchContext(context, texts...))
	return flag
}

// FlagPrefix starts every flag corpora's own blocklist sets: the 1.0
// machine form "blocklist:<franchise>".
const FlagPrefix = "blocklist:"

// Upstream reports whether flag (with the ip_reason it came with) was set
// before this IP check rather than by it: by the 1.0 tool ("blocklist:dnd"
// of its own list, written without a reason; "classification:ip-suspect"
// from its classifier; any other word), or kept as such by an earlier run
// (its reason says so). Not upstream, so recomputed: "blocklist:<slug>" of
// one of b's franchises or the built-in list's, one an earlier corpora run
// set from a -b list this run lacks (it wrote a reason), and the early 2.0
// prose form ("Franchise: name", with spaces).
func (b *Blocklist) Upstream(flag *string, reason string) bool {
	if flag == nil || *flag == "" {
		return false
	}
	f := *flag
	if strings.ContainsAny(f, " \t\n") {
		return false
	}
	if slug, ok := strings.CutPrefix(f, FlagPrefix); ok {
		if b.ownSlug(slug) || Default().ownSlug(slug) {
			return false
		}
		return reason == "" || strings.Contains(reason, upstreamNote)
	}
	return true
}

// upstreamNote marks the reason of a flag kept from before the IP check.
const upstreamNote = "flagged before corpora's IP check"

// ownSlug reports whether slug names one of b's franchises in a flag.
func (b *Blocklist) ownSlug(slug string) bool {
	return b != nil && b.slugs[slug]
}

// flagSlug is the franchise's part of its flag: "Greyhawk (Wizards of the
// Coast)" flags as "blocklist:greyhawk" (the owner is in the reason).
func flagSlug(franchise string) string {
	name, _, _ := strings.Cut(franchise, " (")
	return classify.Slug(name)
}

// FlagFor decides a term's ip_flag and ip_reason from the flag it arrived
// with (prev, with its reason prevReason) and the blocklist entries it
// matches now (ms, as MatchContext orders them: the -b file's franchises
// first). The blocklist is the authority for its own flags, so flagging
// twice gives the same result; a flag set upstream is kept, whatever the
// blocklist says, and its reason says so.
func (b *Blocklist) FlagFor(prev *string, prevReason string, ms []Match) (flag *string, reason string) {
	if b == nil || b.index == nil {
		b = Default()
	}
	up := b.Upstream(prev, prevReason)
	switch {
	case len(ms) > 0 && up:
		return prev, Reason(ms) + "; " + upstreamNote + " (" + *prev + ")"
	case len(ms) > 0:
		f := FlagPrefix + flagSlug(ms[0].Franchise)
		return &f, Reason(ms)
	case up:
		return prev, upstreamNote + " (" + *prev + ")"
	}
	return nil, ""
}

// Flag sets IPFlag and IPReason on every term whose text or canonical form
// matches, read in the term's context sentence, keeps flags set upstream,
// clears the blocklist's own flags from terms that no longer match, and
// returns how many terms are flagged.
func (b *Blocklist) Flag(terms []classify.Term) int {
	n := 0
	for i := range terms {
		t := &terms[i]
		t.IPFlag, t.IPReason = b.FlagFor(t.IPFlag, t.IPReason, b.MatchContext(t.Context, t.Text, t.Canonical))
		if t.IPFlag != nil {
			n++
		}
	}
	return n
}
