package ipreview

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/corpora-tools/corpora/internal/classify"
)

// Limits on a blocklist file: it is user input.
const (
	maxBlocklistBytes = 16 << 20
	maxEntryChars     = 200
	maxEntryTokens    = 12
)

// ErrBlocklist marks a blocklist file that cannot be used.
var ErrBlocklist = errors.New("invalid blocklist")

//go:embed default_blocklist.json
var defaultJSON []byte

// Entry is one protected name.
type Entry struct {
	// Term is the name as written in the list ("Mordenkainen", "mind flayer").
	Term string `json:"term"`
	// WholeName: match only when the entire term is this name (after a
	// leading "the"), never inside a phrase. For names that are
	// ordinary words elsewhere ("Tau", "Shire").
	WholeName bool `json:"whole_name,omitempty"`
	// Proper: match only where the name is written with a capital letter in
	// the term's text, for names that are also lower-case common nouns
	// ("Sigil", "Warp").
	Proper bool `json:"proper,omitempty"`
}

// Blocklist is the set of protected names by franchise. It is immutable
// once loaded and safe for concurrent use.
type Blocklist struct {
	franchises map[string][]Entry
	hash       string

	// index maps the concatenated singular tokens of a name ("mindflayer")
	// to the names with that key; hyphens and spaces both vanish, so
	// "yuan-ti", "yuan ti" and "Yuanti" share one key.
	index     map[string][]ref
	maxTokens int // most tokens a key can span in a term
	maxKeyLen int // longest key, in bytes
}

type ref struct {
	franchise string
	entry     Entry
}

// blocklistFile is the -b file: the 1.0 shape, franchise -> terms, where a
// term is a string or an Entry object; plus two optional top-level keys
// whose values are not lists: "replace": true (use the file instead of the
// default list, not in addition to it) and "schema_version". A key
// "exclude" holding a list of names removes those names from every
// franchise of the default list.
type blocklistFile struct {
	Replace    bool
	Exclude    []string
	Franchises map[string][]Entry
}

// parseBlocklistFile reads a blocklist file's bytes.
func parseBlocklistFile(data []byte) (*blocklistFile, error) {
	if len(data) > maxBlocklistBytes {
		return nil, fmt.Errorf("%w: larger than %d bytes", ErrBlocklist, maxBlocklistBytes)
	}
	var raw map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBlocklist, err)
	}
	if raw == nil {
		return nil, fmt.Errorf("%w: not a JSON object of franchise -> terms", ErrBlocklist)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("%w: trailing data after the object", ErrBlocklist)
	}
	f := &blocklistFile{Franchises: map[string][]Entry{}}
	for k, v := range raw {
		switch k {
		case "replace":
			if err := json.Unmarshal(v, &f.Replace); err != nil {
				return nil, fmt.Errorf("%w: \"replace\" must be true or false", ErrBlocklist)
			}
			continue
		case "schema_version":
			continue
		case "exclude":
			if err := json.Unmarshal(v, &f.Exclude); err != nil {
				return nil, fmt.Errorf("%w: \"exclude\" must be a list of names", ErrBlocklist)
			}
			continue
		}
		franchise := strings.Join(strings.Fields(k), " ")
		if franchise == "" || len(franchise) > maxEntryChars {
			return nil, fmt.Errorf("%w: franchise name %q", ErrBlocklist, k)
		}
		var items []json.RawMessage
		if err := json.Unmarshal(v, &items); err != nil {
			return nil, fmt.Errorf("%w: franchise %q: want a list of terms", ErrBlocklist, k)
		}
		for i, it := range items {
			var e Entry
			if len(it) > 0 && it[0] == '"' {
				if err := json.Unmarshal(it, &e.Term); err != nil {
					return nil, fmt.Errorf("%w: franchise %q item %d: %v", ErrBlocklist, k, i+1, err)
				}
			} else if err := json.Unmarshal(it, &e); err != nil {
				return nil, fmt.Errorf("%w: franchise %q item %d: want a string or {\"term\": ...}", ErrBlocklist, k, i+1)
			}
			e.Term = strings.Join(strings.Fields(e.Term), " ")
			if err := checkEntry(e); err != nil {
				return nil, fmt.Errorf("%w: franchise %q item %d: %v", ErrBlocklist, k, i+1, err)
			}
			f.Franchises[franchise] = append(f.Franchises[franchise], e)
		}
	}
	return f, nil
}

func checkEntry(e Entry) error {
	switch {
	case e.Term == "":
		return errors.New("empty term")
	case len(e.Term) > maxEntryChars:
		return fmt.Errorf("term longer than %d bytes", maxEntryChars)
	}
	n := len(tokenize(e.Term))
	if n == 0 {
		return fmt.Errorf("term %q has no letters or digits", e.Term)
	}
	if n > maxEntryTokens {
		return fmt.Errorf("term %q has more than %d words", e.Term, maxEntryTokens)
	}
	return nil
}

var defaultOnce = sync.OnceValues(func() (*Blocklist, error) {
	f, err := parseBlocklistFile(defaultJSON)
	if err != nil {
		return nil, fmt.Errorf("embedded blocklist: %w", err)
	}
	return build(f.Franchises), nil
})

// Default returns the embedded default blocklist.
func Default() *Blocklist {
	b, err := defaultOnce()
	if err != nil {
		panic(err) // the embedded file is checked by the tests
	}
	return b
}

// LoadBlocklist returns the embedded default blocklist, extended or
// overridden by the file at path when path is not empty.
func LoadBlocklist(path string) (*Blocklist, error) {
	if path == "" {
		return Default(), nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("blocklist %s: %w", path, err)
	}
	b, err := Extend(Default(), data)
	if err != nil {
		return nil, fmt.Errorf("blocklist %s: %w", path, err)
	}
	return b, nil
}

// Extend returns base extended by (or, with "replace": true, replaced by)
// the blocklist file data.
func Extend(base *Blocklist, data []byte) (*Blocklist, error) {
	f, err := parseBlocklistFile(data)
	if err != nil {
		return nil, err
	}
	all := map[string][]Entry{}
	if !f.Replace && base != nil {
		for k, v := range base.franchises {
			all[k] = slices.Clone(v)
		}
	}
	if len(f.Exclude) > 0 {
		drop := map[string]bool{}
		for _, x := range f.Exclude {
			drop[strings.Join(Tokens(x), " ")] = true
		}
		for k, v := range all {
			all[k] = slices.DeleteFunc(v, func(e Entry) bool { return drop[strings.Join(Tokens(e.Term), " ")] })
		}
	}
	for k, v := range f.Franchises {
		all[k] = append(all[k], v...)
	}
	return build(all), nil
}

// build indexes the franchises; duplicates within a franchise collapse.
func build(fr map[string][]Entry) *Blocklist {
	b := &Blocklist{franchises: map[string][]Entry{}, index: map[string][]ref{}}
	for name, entries := range fr {
		seen := map[Entry]bool{}
		var kept []Entry
		for _, e := range entries {
			if !seen[e] {
				seen[e] = true
				kept = append(kept, e)
			}
		}
		sort.Slice(kept, func(i, j int) bool { return entryLess(kept[i], kept[j]) })
		if len(kept) == 0 {
			continue
		}
		b.franchises[name] = kept
		for _, e := range kept {
			toks := tokenize(e.Term)
			var key strings.Builder
			for _, t := range toks {
				key.WriteString(t.word)
			}
			k := key.String()
			b.index[k] = append(b.index[k], ref{franchise: name, entry: e})
			// A term may split a name further than the list does
			// ("Under-dark"), so allow a few extra tokens.
			b.maxTokens = max(b.maxTokens, len(toks)+2)
			b.maxKeyLen = max(b.maxKeyLen, len(k))
		}
	}
	b.hash = b.computeHash()
	return b
}

func entryLess(a, b Entry) bool {
	if a.Term != b.Term {
		return a.Term < b.Term
	}
	if a.WholeName != b.WholeName {
		return !a.WholeName
	}
	return !a.Proper && b.Proper
}

func (b *Blocklist) computeHash() string {
	data, _ := json.Marshal(b.Franchises()) // map keys sorted, entries sorted
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// Franchises returns a copy of the list: franchise -> entries (sorted).
func (b *Blocklist) Franchises() map[string][]Entry {
	out := make(map[string][]Entry, len(b.franchises))
	for k, v := range b.franchises {
		out[k] = slices.Clone(v)
	}
	return out
}

// Len returns the number of names in the list.
func (b *Blocklist) Len() int {
	n := 0
	for _, v := range b.franchises {
		n += len(v)
	}
	return n
}

// Hash identifies the blocklist's content, for the pipeline fingerprint.
func (b *Blocklist) Hash() string {
	if b == nil || b.franchises == nil {
		return Default().Hash()
	}
	return b.hash
}

// Match is one protected name found in a text.
type Match struct {
	Franchise string
	Term      string // the name as the blocklist writes it
}

// articles a whole name may be preceded by.
var articles = map[string]bool{"the": true}

// Match returns every protected name in texts (a term's text, canonical
// form, variants...), sorted by franchise then name, without duplicates.
func (b *Blocklist) Match(texts ...string) []Match {
	if b == nil || b.index == nil {
		b = Default()
	}
	var out []Match
	var key []byte
	for _, s := range withoutParens(texts) {
		toks := tokenize(s)
		first := 0
		for first < len(toks)-1 && articles[toks[first].word] {
			first++
		}
		for i := range toks {
			key = key[:0]
			for j := i; j < len(toks) && j-i < b.maxTokens; j++ {
				key = append(key, toks[j].word...)
				if len(key) > b.maxKeyLen {
					break
				}
				refs, ok := b.index[string(key)]
				if !ok {
					continue
				}
				for _, r := range refs {
					if r.entry.WholeName && ((i != first && i != 0) || j != len(toks)-1) {
						continue
					}
					if r.entry.Proper && !toks[i].upper {
						continue
					}
					m := Match{Franchise: r.franchise, Term: r.entry.Term}
					if !slices.Contains(out, m) {
						out = append(out, m)
					}
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Franchise != out[j].Franchise {
			return out[i].Franchise < out[j].Franchise
		}
		return out[i].Term < out[j].Term
	})
	return out
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

// FlagTexts returns the ip_flag reason for a term known by texts, or nil.
func (b *Blocklist) FlagTexts(texts ...string) *string {
	ms := b.Match(texts...)
	if len(ms) == 0 {
		return nil
	}
	r := Reason(ms)
	return &r
}

// Flag sets IPFlag on every term whose text or canonical form matches (and
// clears it on every term that does not: the blocklist is the authority, so
// flagging twice gives the same flags) and returns how many terms are flagged.
func (b *Blocklist) Flag(terms []classify.Term) int {
	n := 0
	for i := range terms {
		terms[i].IPFlag = b.FlagTexts(terms[i].Text, terms[i].Canonical)
		if terms[i].IPFlag != nil {
			n++
		}
	}
	return n
}
